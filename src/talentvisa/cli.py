"""The ``talentvisa`` command: a thin Typer + Rich surface over the core."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from talentvisa import fx
from talentvisa.compare import PREFERENCES, UnknownPreference, parse_preferences
from talentvisa.compare import compare as run_compare
from talentvisa.explain import Lang, value_label
from talentvisa.inputs import load_profile
from talentvisa.profile import Profile
from talentvisa.provenance import BadSetting, horizon_days, source_entries
from talentvisa.report import (
    changes_document,
    check_document,
    comparison_document,
    diff_document,
    program_document,
    programs_document,
    sources_document,
)
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
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
RESULT_ZH = {
    "pass": "✔ 满足",
    "fail": "✘ 不满足",
    "unknown": "? 未知",
    "judgement": "⚖ 由签证官判断",
}
# What the parts of a programme are called, for diff and sources.
SECTION_ZH = {
    "criterion": "条件",
    "parameter": "参数",
    "term": "条款",
    "fee": "费用",
    "selection": "抽签",
    "points": "积分",
    "row": "积分项",
    "points-row": "积分项",
    "threshold": "积分门槛",
    "interpretation": "解释性设定",
    "source": "来源",
}
STATUS_ZH = {
    "eligible": "符合条件",
    "ineligible": "不符合条件",
    "undetermined": "尚无法确定",
    "not_in_force": "未生效",
}

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Assess as on this date (YYYY-MM-DD); default today.", show_default=False
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of the output: en or zh.")]
ProfileArg = Annotated[Path, typer.Argument(help="Your profile, YAML or JSON (see examples/).")]
ProgramOpt = Annotated[
    list[str] | None, typer.Option("--program", "-p", help="Programme id; repeat for several.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def _fail(message: str) -> typer.Exit:
    err.print(Text(message, style="red"))
    return typer.Exit(code=2)


def _as_of(value: str | None, lang: Lang = "en") -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        if lang == "zh":
            raise _fail(f"--as-of：“{value}”不是日期（格式为YYYY-MM-DD）") from None
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


def _profile(path: Path, when: dt.date, lang: Lang = "en") -> Profile:
    try:
        return load_profile(path, when)
    except InputError as exc:
        head = "个人资料有误：" if lang == "zh" else "The profile has problems:"
        raise _fail(f"{head}\n{exc.render(lang)}") from None


@app.command()
def check(
    profile: ProfileArg,
    program: ProgramOpt = None,
    as_of: AsOf = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Assess a profile: status, every criterion with its reason and source, what is missing."""
    language = _lang(lang)
    when = _as_of(as_of, language)
    _horizon()
    person = _profile(profile, when, language)
    assessments = [evaluate(person, p, when) for p in _programs(program)]
    document = check_document(assessments, when, language, person)
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for result in document["results"]:
        _print_result(result, document["as_of"], language)


def _print_result(r: dict[str, Any], as_of: str, lang: Lang) -> None:
    zh = lang == "zh"
    label = STATUS_ZH[r["status"]] if zh else r["status"].replace("_", " ").upper()
    status = Text(label, style=STATUS_STYLE[r["status"]])
    out.rule()
    out.print(Text.assemble(status, "  ", (r["name"], "bold"), f"  ({r['program']}, {as_of})"))
    _provenance_lines(r, zh)
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
        mark = RESULT_ZH[c["result"]] if zh else mark
        title = ("  " * c["depth"]) + (c["title"] or c["id"])
        flagged = (" *" if c["interpretations"] else "") + (" †" if c["no_text"] else "")
        sources = "\n".join(
            f"[link={s['href']}]{s['source']}[/link]" + (f" ({s['at']})" if s["at"] else "")
            for s in c["citations"]
        )
        table.add_row(Text(title + flagged), Text(mark, style=style), Text(c["reason"]), sources)
    out.print(table)
    if r["points"]:
        p = r["points"]
        out.print(
            f"积分：已确定{p['score']}分，最多可能{p['max_possible']}分；需要{p['threshold']}分。"
            if zh
            else f"Points: {p['score']} certain, up to {p['max_possible']} possible; {p['threshold']} needed."
        )
    if r["judgements"]:
        head = "需签证官判断：" if zh else "An officer must judge: "
        out.print(Text(head, style="bold cyan") + Text("; ".join(r["judgements"])))
    if r["missing_labels"]:
        head = "仍需提供：" if zh else "Still needed to decide: "
        out.print(Text(head, style="bold yellow") + Text(", ".join(r["missing_labels"])))
    for note in r.get("notes", []):
        out.print(Text(("注：" if zh else "Note: ") + note, style="dim"))
    if r["interpretation_details"]:
        head = (
            "* 以下结论依赖解释性设定，而非已公布的法律："
            if zh
            else ("* This answer rests on interpretations, not on published law:")
        )
        out.print(Text(head, style="bold cyan"))
        for d in r["interpretation_details"]:
            confidence = value_label("Confidence", d["confidence"], lang)
            out.print(Text(f"  • {d['parameter']} = {d['value']} ({confidence}): {d['note']}"))
    _flagged_fee_lines(r.get("fees", []), zh)
    if r["no_text"]:
        head = (
            "† 以下规则没有可引用的公开条文，属解释性设定："
            if zh
            else "† No published text: these rules are interpretations:"
        )
        out.print(Text(head, style="bold cyan"))
        for u in r["no_text"]:
            out.print(Text(f"  • {u['title']} ({u['id']}): {u['reason']}"))


def _provenance_lines(r: dict[str, Any], zh: bool) -> None:
    """The programme's "rules verified on" date, and any warning that it may be stale."""
    out.print(
        Text(
            f"规则核对日期：{r['verified']}" if zh else f"Rules verified on {r['verified']}", "dim"
        )
    )
    for w in r["warnings"]:
        out.print(Text(f"⚠ {w['text']}", style="bold yellow"))


def _flagged_fee_lines(fees: list[dict[str, Any]], zh: bool) -> None:
    """Fees that are or may be due but rest on unconfirmed or disputed sources."""
    flagged = [f for f in fees if f["confidence"] and f["due"] != "no"]
    if not flagged:
        return
    head = (
        "费用依据未证实或有分歧的来源："
        if zh
        else "Costs resting on unconfirmed or disputed sources:"
    )
    out.print(Text(head, style="bold cyan"))
    for f in flagged:
        amount = "?" if f["amount"] is None else f"{f['currency']} {f['amount']:,.0f}"
        out.print(
            Text(
                f"  • {f['title']}: {amount} ({_due_text(f, zh)})"
                + (f": {f['note']}" if f["note"] else "")
            )
        )


def _due_text(f: dict[str, Any], zh: bool) -> str:
    """'due', 'may be due', with the source's confidence when it is not settled."""
    due = {"yes": "应付" if zh else "due", "maybe": "可能" if zh else "may be due"}[f["due"]]
    confidence = {"unconfirmed": "未经证实", "disagree": "来源有分歧", "interpretation": "解释"}
    if f["confidence"]:
        due += "，" + confidence[f["confidence"]] if zh else f", {f['confidence']}"
    return due


@app.command("programs")
def list_programs(as_of: AsOf = None, as_json: JsonOpt = False, lang: LangOpt = "en") -> None:
    """List the programmes and the dates their versions start."""
    language = _lang(lang)
    when = _as_of(as_of, language)
    if as_json:
        document = programs_document(_programs(None), when, language)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    zh = language == "zh"
    heads = (
        ("代码", "国家", "名称", "各版本生效日期", "有效")
        if zh
        else ("id", "country", "name", "versions", "in force")
    )
    table = Table(*heads)
    for p in _programs(None):
        versions = ", ".join(str(v.from_) for v in p.versions)
        table.add_row(
            p.id,
            p.country,
            p.name.get(language),
            versions,
            _flag_text(bool(p.version_at(when)), zh),
        )
    out.print(table)


@app.command()
def explain(
    program: Annotated[str, typer.Argument(help="Programme id, e.g. cn-k.")],
    as_of: AsOf = None,
    lang: LangOpt = "en",
    markdown: Annotated[bool, typer.Option("--markdown", help="Print raw Markdown.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show a programme's rules as readable text with citations and interpretations."""
    language = _lang(lang)
    (p,) = _programs([program])
    if as_json:  # every version, as the API serves it
        typer.echo(json.dumps(program_document(p, language), ensure_ascii=False, indent=2))
        return
    from talentvisa.rules.render import program_markdown

    text = program_markdown(p, _as_of(as_of, language), language)
    if markdown:
        typer.echo(text)
    else:
        from rich.markdown import Markdown  # markdown-it and Pygments: only this command

        out.print(Markdown(text))


def _money(value: Any, currency: str) -> str:
    if value is None:
        return "?"
    return f"{currency} {value:,.0f}"


def _cost_text(cost: dict[str, Any] | None, currency: str, zh: bool) -> str:
    if cost is None:
        return "未公布" if zh else "not published"
    certain, possible = cost["certain"], cost["possible"]
    text = _money(certain, currency)
    if possible != certain:
        text += f"–{possible:,.0f}"
    if not cost["complete"]:
        text += " +?"
    return text + (" *" if cost["unconfirmed"] else "")


def _chance_text(chance: dict[str, Any] | None, zh: bool = False) -> str:
    """As the source states it; a projection says so (e.g. '15.29% (DHS projection)')."""
    if chance is None or chance["applies"] == "fail":
        return "—"
    text = str(chance["text"])
    if chance["confidence"] == "estimate" and chance["basis"]:
        text += f"（{chance['basis']}）" if zh else f" ({chance['basis']})"
    return text


def _years_text(value: Any, zh: bool) -> str:
    if value is None:
        return "?"
    if value is False:
        return "无" if zh else "none"
    if value == 0:  # the visa is permanent residence itself
        return "即为永久居留" if zh else "at once"
    return f"{value}年" if zh else f"{value} y"


def _flag_text(value: Any, zh: bool) -> str:
    if value is None:
        return "?"
    return ("是" if value else "否") if zh else ("yes" if value else "no")


@app.command()
def compare(
    profile: ProfileArg,
    as_of: AsOf = None,
    currency: Annotated[
        str, typer.Option("--currency", help="Show costs in this currency (ISO 4217).")
    ] = "USD",
    prefer: Annotated[
        str | None,
        typer.Option(
            "--prefer",
            help="What matters to you, most important first, comma-separated: "
            + ", ".join(PREFERENCES),
            show_default=False,
        ),
    ] = None,
    program: ProgramOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """Rank every programme for you by your preferences; ★ marks options nothing else beats."""
    language = _lang(lang)
    zh = language == "zh"
    when = _as_of(as_of, language)
    currency = currency.upper()
    if currency not in fx.currencies(when):
        raise _fail(
            f"--currency: no exchange rate for {currency}; known: {', '.join(fx.currencies(when))}"
        )
    try:
        preferences = parse_preferences(prefer)
    except UnknownPreference as exc:
        raise _fail(f"--prefer: {exc}") from None
    _horizon()
    person = _profile(profile, when, language)
    result = run_compare(person, _programs(program), when, currency, preferences)
    document = comparison_document(result, language)
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    prefs = " > ".join(p["title"] for p in document["preferences"])
    out.print(Text(("比较，按偏好排序：" if zh else "Ranked by: ") + prefs, style="bold"))
    wide = out.width >= 140  # a narrow terminal gets one block per programme instead
    table = Table(expand=True)
    for head in (
        ("#", "#"),
        ("Programme", "项目"),
        ("Status", "结果"),
        ("Sponsor", "需担保"),
        ("You pay", "个人费用"),
        ("Employer pays", "雇主费用"),
        ("Lottery", "抽签"),
        ("PR after", "永居"),
        ("Family", "家属"),
        ("Why here", "排序理由"),
    ):
        table.add_column(head[1] if zh else head[0])
    for o in document["options"]:
        why = o["why"]
        reason_text = ""
        if why["above"]:
            reason_text = (
                f"高于{why['above']}：{why['because']}"
                if zh and why["because"]
                else f"above {why['above']}: {why['because']}"
                if why["because"]
                else ("与下一项相同" if zh else "tied with the next")
            )
        status = Text(
            STATUS_ZH[o["status"]] if zh else o["status"].replace("_", " "),
            style=STATUS_STYLE[o["status"]],
        )
        values = [
            _flag_text(o["sponsor"], zh),
            _cost_text(o["costs"]["applicant"], document["currency"], zh),
            _cost_text(o["costs"]["employer"], document["currency"], zh),
            _chance_text(o["chance"], zh),
            _years_text(o["residence_path_years"], zh),
            _flag_text(o["family"], zh),
        ]
        rank = f"{o['rank']}{' ★' if o['unbeaten'] else ''}"
        if wide:
            table.add_row(
                rank, f"{o['name']}\n[dim]{o['program']}[/dim]", status, *values, reason_text
            )
            continue
        heads = (
            ("需担保", "个人费用", "雇主费用", "抽签", "永居", "家属")
            if zh
            else ("sponsor", "you pay", "employer pays", "lottery", "PR after", "family")
        )
        out.print(
            Text.assemble(
                (f"{rank:4} ", "bold"), (o["name"], "bold"), f" ({o['program']})  ", status
            )
        )
        out.print("     " + " · ".join(f"{h}: {v}" for h, v in zip(heads, values, strict=True)))
        if reason_text:
            out.print(Text(f"     {reason_text}", style="dim"))
    if wide:
        out.print(table)
    _verified_lines(document["options"], zh)
    _fee_lines(document, zh)
    _cost_chart(document, zh)
    for r in document["rates"]:
        out.print(
            Text(
                f"1 {r['from']} = {r['rate']:.4f} {r['to']} (ECB, {', '.join(r['published'])})",
                style="dim",
            )
        )
    out.print(
        Text(
            "* 含来源未证实或有分歧的费用金额。"
            if zh
            else "* counts a fee whose amount is unconfirmed or disputed in the sources.",
            style="dim",
        )
    )
    out.print(
        Text(
            "★ 没有其他选项在所有偏好上都更好。"
            if zh
            else "★ no other option is as good on every preference and better on one.",
            style="dim",
        )
    )


def _verified_lines(options: list[dict[str, Any]], zh: bool) -> None:
    """When each programme's rules were last verified, and which may be out of date."""
    dates = " · ".join(f"{o['program']} {o['verified']}" for o in options)
    out.print(Text(("规则核对日期：" if zh else "Rules verified on: ") + dates, style="dim"))
    for o in options:
        for w in o["warnings"]:
            out.print(Text(f"⚠ {w['text']}", style="bold yellow"))


def _fee_lines(document: dict[str, Any], zh: bool) -> None:
    """Every fee that is or may be due, so a total can be checked against its parts."""
    out.print(Text("费用明细" if zh else "Fees that are or may be due", style="bold"))
    payer_zh = {"applicant": "个人", "employer": "雇主"}
    for o in document["options"]:
        fees = [f for f in o["fees"] if f["due"] != "no" and not f["optional"]]
        for f in fees:
            who = payer_zh[f["payer"]] if zh else f["payer"]
            amount = "?" if f["amount"] is None else f"{f['currency']} {f['amount']:,.0f}"
            mark = " *" if f["confidence"] else ""
            due = _due_text(f, zh)
            out.print(Text(f"  {o['program']:<20} {f['title']}: {amount}{mark} ({who}, {due})"))


def _cost_chart(document: dict[str, Any], zh: bool) -> None:
    """Most that each option could cost, applicant and employer stacked, as bars."""
    rows = []
    for o in document["options"]:
        costs = [o["costs"][k] for k in ("applicant", "employer")]
        amounts = [c["possible"] if c else 0 for c in costs]
        rows.append((o["program"], amounts[0] or 0, amounts[1] or 0, all(c is None for c in costs)))
    top = max((a + e for _, a, e, _ in rows), default=0)
    if not top:
        return
    width = 40
    out.print(
        Text(
            "最高费用（个人 █ / 雇主 ▒）" if zh else "Most it could cost (you █ / employer ▒)",
            style="bold",
        )
    )
    for program_id, applicant, employer, unknown in rows:
        a = round(width * applicant / top)
        e = round(width * employer / top)
        label = (
            "未公布"
            if zh and unknown
            else "not published"
            if unknown
            else f"{document['currency']} {applicant + employer:,.0f}"
        )
        out.print(
            Text(f"{program_id:<20} ")
            + Text("█" * a, style="cyan")
            + Text("▒" * e, style="magenta")
            + Text(f" {label}")
        )


@app.command()
def changes(
    profile: ProfileArg,
    program: ProgramOpt = None,
    as_of: AsOf = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """What would you need to change to qualify, and when time alone opens or closes a door."""
    language = _lang(lang)
    zh = language == "zh"
    when = _as_of(as_of, language)
    person = _profile(profile, when, language)
    from rich.progress import Progress

    from talentvisa.changes import by_reach, suggestions_for

    with Progress(transient=True, console=err) as progress:
        programs = _programs(program)
        task = progress.add_task("searching" if not zh else "计算中", total=len(programs))
        results = []
        for p in programs:
            results.append(suggestions_for(person, p, when))
            progress.advance(task)
    document = changes_document(by_reach(results), when, language)
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for c in document["programs"]:
        out.rule(
            Text.assemble(
                (f"{c['name']} ({c['program']})", "bold"),
                "  ",
                (
                    STATUS_ZH[c["status"]] if zh else c["status"].replace("_", " "),
                    STATUS_STYLE[c["status"]],
                ),
            )
        )
        if c["status"] == "eligible":
            out.print("已符合条件。" if zh else "Already eligible.")
        elif not c["suggestions"]:
            out.print(_no_steps_text(c["status"], zh))
        for i, s in enumerate(c["suggestions"], 1):
            steps = " + ".join(step["text"] for step in s["steps"])
            months = s["effort_months"]
            out.print(f"  {i}. {steps}  [dim](~{months} {'个月' if zh else 'months'})[/dim]")
        if c["time"]:
            t = c["time"]
            why = "; ".join(t["criteria"])
            out.print(
                Text(
                    f"  时间因素：自{t['date']}起，结果将从{STATUS_ZH[t['before']]}"
                    f"变为{STATUS_ZH[t['after']]}（{why}）"
                    if zh
                    else f"  With time alone: from {t['date']} the answer turns from {t['before']} to {t['after']} ({why})",
                    style="italic",
                )
            )
    out.print(Text(document["effort_note"], style="dim"))


def _version_text(start: str | None, lang: Lang = "en") -> str:
    if lang == "zh":
        return f"{start}起生效的版本" if start else "未生效"
    return f"version from {start}" if start else "not in force"


def _no_steps_text(status: str, zh: bool) -> str:
    if status == "undetermined":
        return (
            "你能改变的事实都不能单独决定结果：它取决于尚缺的信息或签证官的判断（见 talentvisa check）。"
            if zh
            else "Nothing you can change settles it alone: it waits on missing facts or an "
            "officer's judgement (see `talentvisa check`)."
        )
    return (
        "没有一两步的改变能使你符合条件，例如需要一份工作邀约或不同的学历（见 talentvisa check）。"
        if zh
        else "No change of one or two steps makes you eligible; it may need, say, a job offer "
        "or a different degree (see `talentvisa check`)."
    )


@app.command()
def diff(
    program: Annotated[str, typer.Argument(help="Programme id, e.g. us-h1b.")],
    date1: Annotated[str, typer.Argument(help="The earlier date (YYYY-MM-DD).")],
    date2: Annotated[str, typer.Argument(help="The later date (YYYY-MM-DD).")],
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """What changed in a programme between two dates, with citations."""
    language = _lang(lang)
    (p,) = _programs([program])
    from talentvisa.diff import diff as program_diff

    document = diff_document(
        program_diff(p, _as_of(date1, language), _as_of(date2, language)), language
    )
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    out.print(
        Text(
            f"{p.name.get(language)}: {document['date1']} "
            f"({_version_text(document['version1'], language)}) → "
            f"{document['date2']} ({_version_text(document['version2'], language)})",
            style="bold",
        )
    )
    if not document["changes"]:
        out.print(
            "两个日期之间没有变化。" if language == "zh" else "Nothing changed between these dates."
        )
        return
    zh = language == "zh"
    table = Table(expand=True, show_lines=True)
    heads = (
        ("", "变化", "之前", "之后", "来源") if zh else ("", "What", "Before", "After", "Source")
    )
    for head in heads:
        table.add_column(head)
    marks = {"added": ("+", "green"), "removed": ("−", "red"), "changed": ("~", "yellow")}
    for c in document["changes"]:
        mark, style = marks[c["change"]]
        section = SECTION_ZH[c["section"]] if zh else c["section"]
        name = c["id"]
        if zh:  # a term is named by its kind, in words; other ids are codes
            name = value_label("TermKind", name, "zh") if c["section"] == "term" else f"`{name}`"
        what = f"{section} [b]{name}[/b]" + (f"\n{c['title']}" if c["title"] else "")
        if c["interpretation"]:
            what += "\n[cyan]* " + ("解释性设定" if zh else "interpretation") + "[/cyan]"
        sources = "\n".join(
            f"[link={s['href']}]{s['source']}[/link]" + (f" ({s['at']})" if s["at"] else "")
            for s in c["citations"]
        )
        before = (c["before"] or "") + _quote_lines(c["quotes_before"], c["no_text_before"], zh)
        after = (c["after"] or "") + _quote_lines(c["quotes_after"], c["no_text_after"], zh)
        if c["quote_changed"]:
            what += "\n[yellow]" + ("引文已变" if zh else "quoted text changed") + "[/yellow]"
        table.add_row(Text(mark, style=style), what, Text(before), Text(after), sources)
    out.print(table)


def _quote_lines(quotes: list[dict[str, Any]], no_text: str | None, zh: bool) -> str:
    """Each quoted passage under the rule it holds up, with its translation and pinpoint."""
    lines = []
    for c in quotes:
        q = c["quote"]
        lines.append(f"“{q['text']}”")
        if q["en"] and not (zh and q["lang"] == "zh"):
            lines.append(("英文译文：" if zh else "Translation: ") + q["en"])
        lines.append(f"— {c['source']}" + (f", {c['at']}" if c["at"] else ""))
    if no_text:
        lines.append(
            ("无公开条文：属解释性设定 — " if zh else "No published text: interpretation — ")
            + no_text
        )
    return "".join("\n" + line for line in lines)


@app.command()
def sources(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than",
            min=0,
            help="Only sources last verified more than DAYS days before the date.",
            metavar="DAYS",
            show_default=False,
        ),
    ] = None,
    program: ProgramOpt = None,
    as_of: AsOf = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
) -> None:
    """List every source with its reliability and verified date, and the rules resting on it."""
    language = _lang(lang)
    zh = language == "zh"
    when = _as_of(as_of, language)
    programs = _programs(program)
    _horizon()
    entries = source_entries(programs, when, older_than)
    document = sources_document(entries, programs, when, older_than, language)
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for p in document["programs"]:
        out.print(
            Text.assemble(
                (p["name"], "bold"),
                f" ({p['program']}): "
                + ("规则核对日期 " if zh else "rules verified on ")
                + p["verified"],
            )
        )
        for w in p["warnings"]:
            out.print(Text(f"⚠ {w['text']}", style="bold yellow"))
    if not document["sources"]:
        out.print(
            f"没有超过{older_than}天未核对的来源。"
            if zh
            else f"No source was last verified more than {older_than} days before {when}."
        )
        return
    for e in document["sources"]:
        age = f"{e['age_days']}天前" if zh else f"{e['age_days']} days ago"
        out.print(
            Text.assemble(
                (f"{e['program']} {e['key']}", "bold"),
                f"  {value_label('Reliability', e['reliability'], language)}  ",
                ("获取于 " if zh else "retrieved ") + e["retrieved"] + "  ",
                (("核对于 " if zh else "verified ") + f"{e['verified']} ({age})", "bold"),
            )
        )
        out.print(Text(f"    {e['title']}"))
        out.print(Text(f"    {e['href']}", style="dim"))
        uses = ", ".join(
            (f"{SECTION_ZH[u['kind']]} `{u['id']}`" if zh else f"{u['kind']} {u['id']}")
            + ("" if u["quoted"] else " (–)")
            for u in e["used_by"]
        )
        head = "    依据此来源：" if zh else "    rules resting on it: "
        out.print(Text(head + (uses or ("（无）" if zh else "none"))))
    out.print(
        Text(
            "（–）：该规则引用此来源但未引用原文。"
            if zh
            else "(–): the rule cites this source without quoting its passage.",
            style="dim",
        )
    )


def _horizon() -> int:
    try:
        return horizon_days()
    except BadSetting as exc:
        raise _fail(str(exc)) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app and the API on this machine (open the printed address)."""
    import uvicorn

    from talentvisa.casework.db import upgrade
    from talentvisa.web.app import create_app

    _programs(None)  # fail here, with positions, rather than on the first request
    _horizon()
    with _case_store(None):
        cases = _case_service(None, current=False)  # production: refuses without audit key
        upgrade()  # the case store's schema; idempotent, so the embedded default just works
        _seal(cases)
    web = create_app(cases)
    err.print(
        f"talentvisa on http://{host}:{port}/  (API docs: http://{host}:{port}/api/v1/docs, "
        f"MCP for assistants: http://{host}:{port}/mcp)"
    )
    # No access log: result links carry the person's answers, which must not land in logs.
    uvicorn.run(web, host=host, port=port, access_log=False, log_level="warning")


@app.command()
def mcp() -> None:
    """Serve talentvisa to an AI assistant over MCP on standard input and output (configure
    the assistant to start this command; see docs/assistants.md)."""
    import anyio

    from talentvisa.assistants.server import serve_stdio

    _programs(None)  # a programme file that does not load is reported here, with positions
    _horizon()
    anyio.run(serve_stdio)


population_app = typer.Typer(
    help="Synthetic populations for simulations (needs talentvisa[population])."
)
app.add_typer(population_app, name="population")


@population_app.command("synth")
def population_synth(
    out_path: Annotated[Path, typer.Option("--out", help="Parquet file to write.")],
    n: Annotated[int, typer.Option("--n", min=1, help="How many people.")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same population.")] = 1,
    as_of: AsOf = None,
) -> None:
    """Write a synthetic population in the flat layout; its distributions are stated
    assumptions (talentvisa.population.synth), not sourced figures."""
    try:
        from talentvisa.population.synth import write
    except ImportError:
        raise _fail(
            "population tools are not installed: pip install 'talentvisa[population]'"
        ) from None
    when = _as_of(as_of)
    from rich.progress import Progress

    with Progress(console=err) as progress:
        task = progress.add_task("synthesising", total=n)
        write(out_path, n, seed, when, progress=lambda k: progress.advance(task, k))
    err.print(f"wrote {n:,} people to {out_path}")


@population_app.command("upgrade")
def population_upgrade(
    source: Annotated[Path, typer.Argument(help="A population in layout version 1 (Parquet).")],
    target: Annotated[Path, typer.Argument(help="Parquet file to write in the current layout.")],
) -> None:
    """Convert a population file to the current layout (docs/population.md), batch by
    batch, so a file larger than memory converts too."""
    try:
        import pyarrow.parquet as pq

        from talentvisa.population.layout import LAYOUT_VERSION, LayoutError
        from talentvisa.population.upgrade import upgrade
    except ImportError:
        raise _fail(
            "population tools are not installed: pip install 'talentvisa[population]'"
        ) from None
    if not source.is_file():
        raise _fail(f"{source}: no such file")
    try:
        total = pq.ParquetFile(source).metadata.num_rows
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise _fail(f"{source}: not a Parquet file ({exc})") from None
    from rich.progress import Progress

    with Progress(console=err) as progress:
        task = progress.add_task("upgrading", total=total)
        try:
            rows = upgrade(source, target, progress=lambda k: progress.advance(task, k))
        except (LayoutError, OSError) as exc:
            raise _fail(str(exc)) from None
    err.print(f"wrote {rows:,} people to {target} in layout version {LAYOUT_VERSION}")


@app.command()
def simulate(
    population: Annotated[
        Path, typer.Argument(help="People in the flat layout, Parquet or CSV (docs/population.md).")
    ],
    scenario: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenario", "-s", help="Scenario YAML (see scenarios/); repeat for several."
        ),
    ] = None,
    as_of: AsOf = None,
    engine: Annotated[
        str,
        typer.Option(
            help="polars (streaming), duckdb, or spark (a distributed job; see --spark-master)."
        ),
    ] = "polars",
    out: Annotated[
        Path, typer.Option("--out", help="Directory for tables, charts and report.html.")
    ] = Path("simulation"),
    preferences: Annotated[
        str | None,
        typer.Option(help="Ranking for each person's best option, as in compare."),
    ] = None,
    currency: Annotated[str, typer.Option(help="Currency for fee totals.")] = "USD",
    program: ProgramOpt = None,
    chunk: Annotated[
        int | None,
        typer.Option(
            min=1_000,
            help="People given to the engine at a time (Polars, DuckDB); default: the whole "
            "file, which the engine streams.",
        ),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="Spark master URL (spark://host:7077, yarn, k8s://..., local[4]); default: "
            "Spark's own settings (spark.master), else local mode.",
        ),
    ] = None,
) -> None:
    """Run the baseline and each scenario over a population: eligibility, overlaps, best
    options and who switches, by segment, as tables, charts and one HTML report."""
    import time

    try:
        from talentvisa.population import report as sim_report
        from talentvisa.population.run import ENGINES
        from talentvisa.population.simulate import runs_for
        from talentvisa.population.simulate import simulate as run_simulation
    except ImportError:
        raise _fail(
            "population tools are not installed: pip install 'talentvisa[population]'"
        ) from None
    if engine not in ENGINES:
        raise _fail(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
    if spark_master is not None and engine != "spark":
        raise _fail("--spark-master: only with --engine spark")
    if chunk is not None and engine == "spark":
        raise _fail("--chunk: Spark reads the population itself; leave --chunk out")
    if not (population.is_file() or (engine == "spark" and population.is_dir())):
        raise _fail(f"{population}: no such file")
    try:
        prefs = parse_preferences(preferences)
        fx.rate(currency, "EUR", _as_of(as_of))
    except (UnknownPreference, fx.NoRate) as exc:
        raise _fail(str(exc)) from None
    when = _as_of(as_of)
    programs = _programs(program)
    try:
        from talentvisa.scenario import load_scenario

        scenarios = [load_scenario(path, programs) for path in scenario or []]
        runs = runs_for(programs, scenarios)
    except (InputError, ValueError) as exc:
        message = exc.render() if isinstance(exc, InputError) else str(exc)
        raise _fail(f"A scenario cannot be used:\n{message}") from None
    total = _rows_in(population)
    started = time.perf_counter()
    from rich.progress import Progress

    with Progress(console=err) as progress:
        task = progress.add_task(f"simulating {len(runs)} run(s) on {engine}", total=total)
        try:
            results = run_simulation(
                population,
                runs,
                when,
                engine,
                prefs,
                currency,
                chunk,
                progress=lambda k: progress.advance(task, k),
                spark_master=spark_master,
            )
        except (OSError, ValueError) as exc:  # unreadable file, wrong column types
            raise _fail(f"{population}: {exc}") from None
    meta = sim_report.Meta(
        str(population),
        results.people,
        when,
        engine,
        prefs,
        currency,
        time.perf_counter() - started,
    )
    path = sim_report.write(out, results, runs, meta)
    err.print(f"{results.people:,} people, {len(runs)} run(s) in {meta.seconds:.1f} s")
    typer.echo(path)


def _rows_in(population: Path) -> int | None:
    """The row count for the progress bar, once the file is known to be in the current
    layout; None (an open-ended bar) for CSV."""
    if population.suffix.lower() == ".csv":
        return None
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    from talentvisa.population.layout import LayoutError, require_current

    try:
        if population.is_dir():  # partitioned Parquet, for Spark
            rows = int(pads.dataset(population, format="parquet").count_rows())
        else:
            rows = int(pq.ParquetFile(population).metadata.num_rows)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise _fail(f"{population}: not a Parquet file ({exc})") from None
    try:
        require_current(population)
    except LayoutError as exc:
        raise _fail(str(exc)) from None
    return rows


db_app = typer.Typer(help="The K-visa case store (DATABASE_URL; default SQLite).")
app.add_typer(db_app, name="db")
users_app = typer.Typer(help="Staff and applicant accounts of the case store.")
app.add_typer(users_app, name="users")
audit_app = typer.Typer(help="The case store's hash-chained audit log.")
app.add_typer(audit_app, name="audit")
retention_app = typer.Typer(help="Keeping and deleting closed cases.")
app.add_typer(retention_app, name="retention")
UrlOpt = Annotated[
    str | None, typer.Option("--url", help="Database URL; default $DATABASE_URL or SQLite.")
]


def _case_service(url: str | None, current: bool = True, **settings: Any) -> Any:
    """The case store's service; ``current``: refuse a store not migrated to this code."""
    from talentvisa.casework.db import require_current
    from talentvisa.casework.service import from_environment

    _programs(["cn-k"])  # a programme file that does not load is reported with positions
    service = from_environment(url, **settings)
    if current:
        require_current(service.engine)
    return service


@contextmanager
def _case_store(url: str | None) -> Iterator[None]:
    """Case-store commands fail in one line that says what to do (exit 2): never a
    traceback, a password, or a statement's parameters."""
    from sqlalchemy.exc import SQLAlchemyError

    from talentvisa.casework.anchor import AnchorError
    from talentvisa.casework.db import StoreError, problem

    try:
        yield
    except (StoreError, AnchorError) as exc:
        raise _fail(str(exc)) from None
    except SQLAlchemyError as exc:
        raise _fail(problem(exc, url)) from None


def _seal(service: Any) -> None:
    from talentvisa.casework import audit

    with service.session() as s, s.begin():
        if audit.seal(s, service.clock()):
            err.print("sealed the unkeyed audit events of an earlier version with a keyed one")


@db_app.command("upgrade")
def db_upgrade(url: UrlOpt = None) -> None:
    """Create or migrate the case store's tables to the newest version."""
    from talentvisa.casework.db import describe, upgrade

    with _case_store(url):
        upgrade(url)
        _seal(_case_service(url))
    err.print(f"case store is up to date ({describe(url)})")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="Sign-in address.")],
    role: Annotated[str, typer.Option(help="applicant, officer, supervisor or admin.")],
    url: UrlOpt = None,
) -> None:
    """Create an account; the password is read from standard input (never an argument,
    which would land in shell history)."""
    from talentvisa.casework.service import CaseError

    with _case_store(url):
        service = _case_service(url)  # before the prompt: no password typed for nothing
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=sys.stdin.isatty())
        try:
            user_id = service.create_user(email, password, role)
        except CaseError as exc:
            raise _fail(str(exc)) from None
    err.print(f"created {role} {email} (id {user_id})")


EmailArg = Annotated[str, typer.Argument(help="The account's sign-in address.")]


def _users_call(url: str | None, call: Callable[[Any], Any]) -> Any:
    """One account operation; a refusal is one line and exit 2."""
    from talentvisa.casework.service import CaseError

    with _case_store(url):
        try:
            return call(_case_service(url))
        except CaseError as exc:
            raise _fail(str(exc)) from None


@users_app.command("lock")
def users_lock(
    email: EmailArg,
    until: Annotated[
        dt.datetime | None, typer.Option(help="Until this UTC time; default until unlocked.")
    ] = None,
    url: UrlOpt = None,
) -> None:
    """Lock an account: it cannot sign in, and every session it has ends now."""
    when = until.replace(tzinfo=dt.UTC) if until and until.tzinfo is None else until
    _users_call(url, lambda cases: cases.lock(email, when))
    err.print(f"locked {email}; its sessions have ended")


@users_app.command("unlock")
def users_unlock(email: EmailArg, url: UrlOpt = None) -> None:
    """Let a locked account sign in again."""
    _users_call(url, lambda cases: cases.unlock(email))
    err.print(f"unlocked {email}")


@users_app.command("role")
def users_role(
    email: EmailArg,
    role: Annotated[str, typer.Option(help="applicant, officer, supervisor or admin.")],
    url: UrlOpt = None,
) -> None:
    """Change an account's role; its sessions end, so the change takes effect at the next
    sign-in, in a new session."""
    _users_call(url, lambda cases: cases.set_role(email, role))
    err.print(f"{email} is now {role}; its sessions have ended")


@users_app.command("totp")
def users_totp(
    email: EmailArg,
    remove: Annotated[bool, typer.Option(help="Remove the second factor instead.")] = False,
    url: UrlOpt = None,
) -> None:
    """Enrol a second factor (TOTP): prints the otpauth:// address to add to the account
    holder's authenticator app (show it to them only). Enrolling again replaces the old
    one; the account's sessions end either way."""
    if remove:
        _users_call(url, lambda cases: cases.remove_second_factor(email))
        err.print(f"removed the second factor of {email}; its sessions have ended")
        return
    uri = _users_call(url, lambda cases: cases.enrol_second_factor(email))
    err.print(f"second factor enrolled for {email}; add this to the authenticator app:")
    typer.echo(uri)


CheckpointOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--checkpoint",
        help="Also hold the chain to this copy of checkpoints (repeat for several).",
    ),
]


def _verified(url: str | None, copies: list[Path] | None) -> Any:
    """The chain verified against the keys and every checkpoint; exit 1 if it is not."""
    from talentvisa.casework import audit
    from talentvisa.casework.anchor import CheckpointFile
    from talentvisa.casework.db import NotMigrated, require_current

    extra = [CheckpointFile(p) for p in copies or []]
    with _case_store(url):
        service = _case_service(url, current=False)
        try:
            require_current(service.engine)
        except NotMigrated as exc:
            files = [service.anchors.checkpoint, *extra]
            pinned = [c for f in files if f for c in f.read() if not isinstance(c, str)]
            if exc.revision is not None or not any(c.events for c in pinned):
                raise
            most = max(pinned, key=lambda c: c.events)
            err.print(
                Text(
                    f"audit chain broken: the case store's tables were dropped ({exc}), "
                    f"though the checkpoint at {most.where} recorded {most.events} events",
                    style="red",
                )
            )
            raise typer.Exit(code=1) from None
        with service.session() as s:
            result = audit.verify(s, extra)
    if not result.ok:
        if result.broken_at is not None:
            message = (
                f"audit chain broken at event {result.broken_at}: it {result.reason} "
                f"({result.verified} events before it verified)"
            )
        else:
            message = f"audit chain broken: {result.reason}"
        err.print(Text(message, style="red"))
        raise typer.Exit(code=1)
    return result


@audit_app.command("verify")
def audit_verify(url: UrlOpt = None, checkpoint: CheckpointOpt = None) -> None:
    """Walk the chain from the first event against the audit key and the checkpoints;
    exit 1 on an edited, recomputed, rewritten, truncated or dropped chain."""
    result = _verified(url, checkpoint)
    notes = [f"held to {result.checkpoints} checkpoint(s)"]
    if result.unkeyed:
        notes.append(f"the first {result.unkeyed} unkeyed, sealed by the keyed events after")
    err.print(f"audit chain intact: {result.events} events; {', '.join(notes)}")


@audit_app.command("checkpoint")
def audit_checkpoint(
    url: UrlOpt = None,
    append: Annotated[
        Path | None,
        typer.Option("--append", help="Also append the line to this file (an external copy)."),
    ] = None,
) -> None:
    """Verify the chain, then print its head (count and hash) as one JSON line to keep
    somewhere the database's writers cannot reach; `audit verify --checkpoint` reads it."""
    from talentvisa.casework.anchor import CheckpointFile, stamp
    from talentvisa.casework.db import describe

    result = _verified(url, None)
    at = dt.datetime.now(dt.UTC)
    head = result.head or "0" * 64
    line = {"events": result.events, "hash": head, "at": stamp(at)}
    typer.echo(json.dumps({**line, "store": describe(url)}))
    if append is not None:
        try:
            CheckpointFile(append).append(result.events, head, at)
        except OSError as exc:
            raise _fail(f"cannot append to {append}: {exc.strerror}") from None


@retention_app.command("purge")
def retention_purge(
    days: Annotated[int | None, typer.Option(help="Keep closed cases this long.")] = None,
    url: UrlOpt = None,
) -> None:
    """Delete closed cases past the retention period, and their documents; the audit
    chain stays verifiable."""
    with _case_store(url):
        settings: dict[str, Any] = {"retention_days": days} if days is not None else {}
        service = _case_service(url, **settings)
        purged = service.purge()
    err.print(
        f"purged {len(purged)} closed case(s) older than {service.settings.retention_days} days"
    )


@app.command()
def schema() -> None:
    """Print the profile's JSON Schema."""
    typer.echo(json.dumps(Profile.model_json_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":  # pragma: no cover
    app()
