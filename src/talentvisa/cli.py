"""The ``talentvisa`` command: a thin Typer + Rich surface over the core."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from talentvisa.explain import Lang
from talentvisa.inputs import load_profile
from talentvisa.profile import Profile
from talentvisa.report import check_document
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from talentvisa.rules.render import program_markdown
from talentvisa.yamlpos import InputError

app = typer.Typer(
    help="Which skilled-talent visa is open to you, why, and what it costs: rules as code, cited.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

STATUS_STYLE = {
    "eligible": "bold green",
    "ineligible": "bold red",
    "undetermined": "bold yellow",
    "not_in_force": "bold magenta",
}
RESULT_MARK = {
    "pass": ("✔ pass", "green"),
    "fail": ("✘ fail", "red"),
    "unknown": ("? unknown", "yellow"),
    "judgement": ("⚖ judgement", "cyan"),
}

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Assess as on this date (YYYY-MM-DD); default today.", show_default=False
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of the output: en or zh.")]


def _fail(message: str) -> typer.Exit:
    err.print(Text(message, style="red"))
    return typer.Exit(code=2)


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None


def _lang(value: str) -> Lang:
    if value not in ("en", "zh"):
        raise _fail(f"--lang: {value!r} is not supported; use en or zh")
    return value  # type: ignore[return-value]


def _programs(ids: list[str] | None) -> list[Program]:
    try:
        programs = builtin_programs()
    except InputError as exc:
        raise _fail(f"A programme file does not load:\n{exc.render()}") from None
    if not ids:
        return list(programs.values())
    unknown = [i for i in ids if i not in programs]
    if unknown:
        raise _fail(f"--program: unknown {', '.join(unknown)}; known: {', '.join(programs)}")
    return [programs[i] for i in ids]


def _profile(path: Path) -> Profile:
    try:
        return load_profile(path)
    except InputError as exc:
        raise _fail(f"The profile has problems:\n{exc.render()}") from None


@app.command()
def check(
    profile: Annotated[Path, typer.Argument(help="Your profile, YAML or JSON (see examples/).")],
    program: Annotated[
        list[str] | None, typer.Option("--program", "-p", help="Programme id; repeat for several.")
    ] = None,
    as_of: AsOf = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    lang: LangOpt = "en",
) -> None:
    """Assess a profile: status, every criterion with its reason and source, what is missing."""
    language = _lang(lang)
    when = _as_of(as_of)
    person = _profile(profile)
    assessments = [evaluate(person, p, when) for p in _programs(program)]
    document = check_document(assessments, when, language)
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for result in document["results"]:
        _print_result(result, document["as_of"], language)


def _print_result(r: dict[str, Any], as_of: str, lang: Lang) -> None:
    zh = lang == "zh"
    status = Text(r["status"].replace("_", " ").upper(), style=STATUS_STYLE[r["status"]])
    out.rule()
    out.print(Text.assemble(status, "  ", (r["name"], "bold"), f"  ({r['program']}, {as_of})"))
    if r["status"] == "not_in_force":
        starts = ", ".join(r["versions"])
        out.print(
            f"该日期此项目未生效（各版本生效日期：{starts}）。"
            if zh
            else f"This programme is not in force on that date (its versions start on {starts})."
        )
        return
    table = Table(show_lines=False, expand=True)
    table.add_column("条件" if zh else "Criterion", ratio=3)
    table.add_column("结果" if zh else "Result", no_wrap=True)
    table.add_column("理由" if zh else "Reason", ratio=5)
    table.add_column("来源" if zh else "Source", ratio=2)
    for c in r["criteria"]:
        mark, style = RESULT_MARK[c["result"]]
        title = ("  " * c["depth"]) + (c["title"] or c["id"])
        flagged = " *" if c["interpretations"] else ""
        sources = "\n".join(
            f"[link={s['href']}]{s['source']}[/link]" + (f" ({s['at']})" if s["at"] else "")
            for s in c["citations"]
        )
        table.add_row(Text(title + flagged), Text(mark, style=style), Text(c["reason"]), sources)
    out.print(table)
    if r["judgements"]:
        head = "需签证官判断：" if zh else "An officer must judge: "
        out.print(Text(head, style="bold cyan") + Text("; ".join(r["judgements"])))
    if r["missing_labels"]:
        head = "仍需提供：" if zh else "Still needed to decide: "
        out.print(Text(head, style="bold yellow") + Text(", ".join(r["missing_labels"])))
    if r["interpretation_details"]:
        head = (
            "* 以下结论依赖解释性设定，而非已公布的法律："
            if zh
            else ("* This answer rests on interpretations, not on published law:")
        )
        out.print(Text(head, style="bold cyan"))
        for d in r["interpretation_details"]:
            out.print(Text(f"  • {d['parameter']} = {d['value']} ({d['confidence']}): {d['note']}"))


@app.command("programs")
def list_programs(as_of: AsOf = None, lang: LangOpt = "en") -> None:
    """List the programmes and the dates their versions start."""
    language = _lang(lang)
    when = _as_of(as_of)
    table = Table("id", "country", "name", "versions", "in force" if language == "en" else "有效")
    for p in _programs(None):
        versions = ", ".join(str(v.from_) for v in p.versions)
        table.add_row(
            p.id, p.country, p.name.get(language), versions, "yes" if p.version_at(when) else "no"
        )
    out.print(table)


@app.command()
def explain(
    program: Annotated[str, typer.Argument(help="Programme id, e.g. cn-k.")],
    as_of: AsOf = None,
    lang: LangOpt = "en",
    markdown: Annotated[bool, typer.Option("--markdown", help="Print raw Markdown.")] = False,
) -> None:
    """Show a programme's rules as readable text with citations and interpretations."""
    language = _lang(lang)
    (p,) = _programs([program])
    text = program_markdown(p, _as_of(as_of), language)
    if markdown:
        typer.echo(text)
    else:
        out.print(Markdown(text))


@app.command()
def schema() -> None:
    """Print the profile's JSON Schema."""
    typer.echo(json.dumps(Profile.model_json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":  # pragma: no cover
    app()
