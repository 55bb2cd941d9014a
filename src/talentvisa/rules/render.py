"""A programme's rules as readable Markdown, with every citation and interpretation shown."""

from __future__ import annotations

import datetime as dt

from talentvisa.explain import Lang, show
from talentvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Criterion,
    Leaf,
    NoneOf,
    PointsNode,
    Program,
    condition_text,
)

_WORDS = {
    "en": {
        "all": "all of",
        "any": "any of",
        "not": "none of",
        "parameters": "Parameters",
        "interp": "Interpretation",
        "sources": "Sources",
        "version": "Rules in force from",
        "until": "until",
        "terms": "What it gives and asks",
        "not_in_force": "No version of this programme is in force on",
        "judgement": "An officer judges",
        "threshold": "Points needed",
        "points": "points",
        "pick_max": "highest row counts",
        "pick_sum": "rows add up",
    },
    "zh": {
        "all": "全部满足",
        "any": "满足其一",
        "not": "均不满足",
        "parameters": "参数",
        "interp": "解释性设定",
        "sources": "来源",
        "version": "规则生效日期",
        "until": "截止",
        "terms": "权益与要求",
        "not_in_force": "该日期无有效版本：",
        "judgement": "由签证官判断",
        "threshold": "所需分数",
        "points": "分",
        "pick_max": "取最高一项",
        "pick_sum": "各项相加",
    },
}


def _cite(program: Program, cites: tuple[Citation, ...]) -> str:
    parts = []
    for c in cites:
        src = program.sources[c.source]
        at = f", {c.at}" if c.at else ""
        parts.append(f"[{c.source}]({src.href}){at}")
    return "; ".join(parts)


def _criterion(program: Program, node: Criterion, lang: Lang, depth: int, out: list[str]) -> None:
    w = _WORDS[lang]
    pad = "  " * depth
    match node:
        case Leaf():
            out.append(f"{pad}- **{node.title.get(lang)}** (`{node.id}`)")
            out.append(f"{pad}  `{condition_text(node.when)}`")
            if node.judgement:
                out.append(f"{pad}  {w['judgement']}: {node.judgement.get(lang)}")
            if node.note:
                out.append(f"{pad}  {node.note.get(lang)}")
            out.append(f"{pad}  {w['sources']}: {_cite(program, node.sources)}")
        case AllOf(all=items) | AnyOf(any=items):
            word = w["all"] if isinstance(node, AllOf) else w["any"]
            title = node.title.get(lang) if node.title else node.id
            out.append(f"{pad}- **{title}** ({word}):")
            for item in items:
                _criterion(program, item, lang, depth + 1, out)
        case NoneOf(not_=inner):
            title = node.title.get(lang) if node.title else node.id
            out.append(f"{pad}- **{title}** ({w['not']}):")
            _criterion(program, inner, lang, depth + 1, out)
        case PointsNode(points=p):
            out.append(
                f"{pad}- **{p.title.get(lang)}** (`{p.id}`), {w['threshold']}: `{condition_text(p.threshold)}`"
            )
            if p.judgement:
                out.append(f"{pad}  {w['judgement']}: {p.judgement.get(lang)}")
            out.append(f"{pad}  {w['sources']}: {_cite(program, p.sources)}")
            for table in p.tables:
                pick = w["pick_max"] if table.pick == "max" else w["pick_sum"]
                out.append(f"{pad}  - {table.title.get(lang)} ({pick})")
                for row in table.rows:
                    out.append(
                        f"{pad}    - {row.points} {w['points']}: {row.title.get(lang)} `{condition_text(row.when)}`"
                    )


def program_markdown(program: Program, as_of: dt.date, lang: Lang = "en") -> str:
    w = _WORDS[lang]
    out = [
        f"# {program.name.get(lang)} (`{program.id}`, {program.country})",
        "",
        program.summary.get(lang),
        "",
    ]
    version = program.version_at(as_of)
    if version is None:
        out.append(f"{w['not_in_force']} {as_of.isoformat()}.")
    else:
        until = f", {w['until']} {version.until}" if version.until else ""
        out += [f"## {w['version']} {version.from_}{until}", ""]
        if version.note:
            out += [version.note.get(lang), ""]
        _criterion(program, version.criteria, lang, 0, out)
        if version.terms:
            out += ["", f"## {w['terms']}", ""]
            for t in version.terms:
                flag = f" **({t.confidence.value})**" if t.confidence else ""
                out.append(
                    f"- *{t.kind.value}*{flag}: {t.text.get(lang)} ({_cite(program, t.sources)})"
                )
    if program.parameters:
        out += ["", f"## {w['parameters']}", ""]
        for name, p in program.parameters.items():
            history = ", ".join(f"{d}: {show(v)}" for d, v in sorted(p.values.items()))
            unit = f" {p.unit}" if p.unit else ""
            out.append(
                f"- `{name}`{unit}: {p.description.get(lang)}. {history} ({_cite(program, p.sources)})"
            )
            if p.interpretation:
                i = p.interpretation
                out.append(
                    f"  - **{w['interp']} ({i.confidence.value})**, {i.chosen_by}: {i.note.get(lang)}"
                )
    out += ["", f"## {w['sources']}", ""]
    for key, src in program.sources.items():
        out.append(
            f"- `{key}` ({src.reliability.value}): [{src.title}]({src.href}), retrieved {src.retrieved}"
        )
    return "\n".join(out) + "\n"
