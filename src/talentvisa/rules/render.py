"""A programme's rules as readable Markdown, with every citation and interpretation shown.

As a statute annotator would, each criterion, points test, parameter and fee is preceded by
the passage it rests on (original, then the English translation; the Chinese view omits the
translation of a Chinese original), with its pinpoint and source, or by a clear marker that
no published text exists and the rule is an interpretation.
"""

from __future__ import annotations

import datetime as dt
import re

from talentvisa.explain import Lang, show, unit_label, value_label
from talentvisa.provenance import warnings_for
from talentvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Condition,
    Criterion,
    Fee,
    Leaf,
    NoneOf,
    PointsNode,
    Program,
    Text,
    condition_text,
)
from talentvisa.rules.words import condition_zh

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
        "translation": "English translation",
        "no_text": "No published text: interpretation",
        "verified_on": "Rules verified on",
        "retrieved": "retrieved",
        "verified": "verified",
        "warning": "Warning",
        "fees": "Fees",
        "applicant": "paid by the applicant",
        "employer": "paid by the employer",
        "once": "once",
        "yearly": "every year",
        "per_renewal": "at each renewal",
        "optional": "optional",
        "when": "when",
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
        "translation": "英文译文",
        "no_text": "无公开条文：属解释性设定",
        "verified_on": "规则核对日期",
        "retrieved": "获取于",
        "verified": "核对于",
        "warning": "注意",
        "fees": "费用",
        "applicant": "由申请人支付",
        "employer": "由雇主支付",
        "once": "一次性",
        "yearly": "每年",
        "per_renewal": "每次续签",
        "optional": "可选",
        "when": "适用条件",
    },
}


def _cite(program: Program, cites: tuple[Citation, ...]) -> str:
    parts = []
    for c in cites:
        src = program.sources[c.source]
        at = f", {c.at}" if c.at else ""
        parts.append(f"[{c.source}]({src.href}){at}")
    return "; ".join(parts)


_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])")


def _escape(text: str) -> str:
    """Quoted text shown as written: nothing in it may turn into Markdown."""
    lines = [_INLINE.sub(r"\\\1", line) for line in text.splitlines() or [""]]
    return "\n".join(
        _LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], line) for line in lines
    )


def _quoted(
    program: Program, cites: tuple[Citation, ...], no_text: Text | None, lang: Lang, pad: str
) -> list[str]:
    """The passages a rule rests on as one block quote (empty when none is quoted), each with
    its pinpoint and source; or the marker that no published text exists."""
    w = _WORDS[lang]
    paragraphs: list[str] = []
    for c in cites:
        q = c.quote
        if q is None:
            continue
        paragraphs.append(_escape(q.text))
        if q.en and not (lang == "zh" and q.lang == "zh"):
            paragraphs.append(f"*{w['translation']}:* {_escape(q.en)}")
        at = f", {_escape(c.at)}" if c.at else ""
        paragraphs.append(f"— [{c.source}]({program.sources[c.source].href}){at}")
    if no_text is not None:
        paragraphs.append(f"**{w['no_text']}** — {_escape(no_text.get(lang))}")
    if not paragraphs:
        return []
    lines = [""]
    for i, paragraph in enumerate(paragraphs):
        if i:
            lines.append(f"{pad}  >")
        lines.extend(f"{pad}  > {line}" for line in paragraph.split("\n"))
    return [*lines, ""]


def _cond(program: Program, c: Condition, lang: Lang) -> str:
    """A condition as the rule file writes it, as code; in Chinese, in words."""
    if lang == "zh":
        names = {n: p.description for n, p in program.parameters.items()}
        return _escape(condition_zh(c.node, names))
    return f"`{condition_text(c)}`"


def chosen_by(who: str, lang: Lang) -> str:
    """Who chose an interpretation. The rule files name them in English (``talentvisa
    maintainers``, with a note on why); Chinese says who, and leaves the note to the English
    page."""
    if lang != "zh":
        return who
    if who.startswith("talentvisa maintainers"):
        return "talentvisa维护者"
    return who


def _criterion(program: Program, node: Criterion, lang: Lang, depth: int, out: list[str]) -> None:
    w = _WORDS[lang]
    pad = "  " * depth
    match node:
        case Leaf():
            out.append(f"{pad}- **{node.title.get(lang)}** (`{node.id}`)")
            out.extend(_quoted(program, node.sources, node.no_text, lang, pad))
            # Each part is its own paragraph of the list item, so none runs into the next.
            out.append(f"{pad}  {_cond(program, node.when, lang)}")
            if node.judgement:
                out += ["", f"{pad}  {w['judgement']}: {node.judgement.get(lang)}"]
            if node.note:
                out += ["", f"{pad}  {node.note.get(lang)}"]
            out += ["", f"{pad}  {w['sources']}: {_cite(program, node.sources)}"]
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
            out.append(f"{pad}- **{p.title.get(lang)}** (`{p.id}`)")
            out.extend(_quoted(program, p.sources, p.no_text, lang, pad))
            out.append(f"{pad}  {w['threshold']}: {_cond(program, p.threshold, lang)}")
            if p.judgement:
                out.append(f"{pad}  {w['judgement']}: {p.judgement.get(lang)}")
            out.append(f"{pad}  {w['sources']}: {_cite(program, p.sources)}")
            for table in p.tables:
                pick = w["pick_max"] if table.pick == "max" else w["pick_sum"]
                out.append(f"{pad}  - {table.title.get(lang)} ({pick})")
                for row in table.rows:
                    head = f"{pad}    - {row.points} {w['points']}: {row.title.get(lang)}"
                    quoted = _quoted(program, row.sources, None, lang, pad + "    ")
                    if not quoted:
                        out.append(f"{head} {_cond(program, row.when, lang)}")
                        continue
                    out += [head, *quoted, f"{pad}      {_cond(program, row.when, lang)}"]


def _fee(program: Program, fee: Fee, lang: Lang, out: list[str]) -> None:
    w = _WORDS[lang]
    out.append(f"- **{fee.title.get(lang)}** (`{fee.id}`)")
    out.extend(_quoted(program, fee.sources, fee.no_text, lang, ""))
    terms = [w[fee.payer.value], w[fee.recurrence.value]]
    if fee.optional:
        terms.append(w["optional"])
    if condition_text(fee.when) != "true":
        terms.append(f"{w['when']} {_cond(program, fee.when, lang)}")
    flag = (
        f" **({value_label('Confidence', fee.confidence.value, lang)})**" if fee.confidence else ""
    )
    sep = "，" if lang == "zh" else ", "
    out.append(f"  {fee.currency} {_cond(program, fee.amount, lang)}{flag}: {sep.join(terms)}")
    if fee.note:
        out.append(f"  {fee.note.get(lang)}")
    out.append(f"  {w['sources']}: {_cite(program, fee.sources)}")


def program_markdown(program: Program, as_of: dt.date, lang: Lang = "en") -> str:
    w = _WORDS[lang]
    out = [
        f"# {program.name.get(lang)} (`{program.id}`, {program.country})",
        "",
        program.summary.get(lang),
        "",
        f"*{w['verified_on']}: {program.verified}*",
        "",
    ]
    for warning in warnings_for(program, as_of):
        out += [f"> **{w['warning']}:** {warning.text.get(lang)}", ""]
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
                flag = (
                    f" **({value_label('Confidence', t.confidence.value, lang)})**"
                    if t.confidence
                    else ""
                )
                kind = value_label("TermKind", t.kind.value, lang)
                out.append(f"- *{kind}*{flag}: {t.text.get(lang)} ({_cite(program, t.sources)})")
        if version.fees:
            out += ["", f"## {w['fees']}", ""]
            for fee in version.fees:
                _fee(program, fee, lang, out)
    if program.parameters:
        out += ["", f"## {w['parameters']}", ""]
        for name, p in program.parameters.items():
            history = ", ".join(f"{d}: {show(v, lang)}" for d, v in sorted(p.values.items()))
            unit = f" {unit_label(p.unit, lang)}" if p.unit else ""
            out.append(f"- `{name}`{unit}: {p.description.get(lang)}.")
            out.extend(_quoted(program, p.sources, p.no_text, lang, ""))
            out.append(f"  {history} ({_cite(program, p.sources)})")
            if p.interpretation:
                i = p.interpretation
                confidence = value_label("Confidence", i.confidence.value, lang)
                out.append(
                    f"  - **{w['interp']} ({confidence})**, {chosen_by(i.chosen_by, lang)}: "
                    f"{i.note.get(lang)}"
                )
    out += ["", f"## {w['sources']}", ""]
    for key, src in program.sources.items():
        out.append(
            f"- `{key}` ({value_label('Reliability', src.reliability.value, lang)}): "
            f"[{src.title}]({src.href}), "
            f"{w['retrieved']} {src.retrieved}, {w['verified']} {src.verified}"
        )
    return "\n".join(out) + "\n"
