"""Assessments as plain data: the stable JSON shape every surface shares.

Shape (other keys may be added, none removed)::

    {"as_of": "YYYY-MM-DD",
     "results": [{"program": "cn-k", "status": "eligible|ineligible|undetermined|not_in_force",
                  "verified": "YYYY-MM-DD", "warnings": [{"code", "text"}],
                  "points": null | {...},
                  "criteria": [{"id", "result", "reason", "citations", "no_text"}],
                  "missing": [...], "interpretations": [...], "no_text": [...]}]}

A citation carries its source's ``verified`` date and the ``quote`` it rests on (or null).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from talentvisa import fx
from talentvisa.explain import Lang, conversion_text, field_label, reason, show
from talentvisa.messages import in_lang
from talentvisa.profile import Profile
from talentvisa.provenance import SourceEntry, horizon_days, unpublished_in, warnings_for
from talentvisa.rules.costs import Chance, FeeResult, fees_for
from talentvisa.rules.evaluator import Assessment, PointsResult
from talentvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Criterion,
    Leaf,
    Payer,
    PointsNode,
    Program,
    Quote,
    Term,
    TermKind,
    Text,
    condition_text,
)

if TYPE_CHECKING:  # imported where used: ``talentvisa check`` starts without them
    from talentvisa.changes import Changes
    from talentvisa.compare import Comparison, Option, Ranked
    from talentvisa.diff import ProgramDiff
    from talentvisa.interview import Field as InterviewField
    from talentvisa.interview import Progress as InterviewProgress


def citation_dict(program: Program, c: Citation) -> dict[str, Any]:
    """A citation as data; made once per (programme, citation), as programmes are frozen
    (an assessment cites hundreds: most of the document's time when made afresh)."""
    key = (id(program), id(c))
    found = _CITATIONS.get(key)
    if found is None or found[0] is not program or found[1] is not c:
        if len(_CITATIONS) >= 20_000:  # programmes loaded afresh (tests, edits) start over
            _CITATIONS.clear()
        found = _CITATIONS[key] = (program, c, _citation_dict(program, c))
    return dict(found[2])


_CITATIONS: dict[tuple[int, int], tuple[Program, Citation, dict[str, Any]]] = {}


def _citation_dict(program: Program, c: Citation) -> dict[str, Any]:
    src = program.sources[c.source]
    return {
        "source": c.source,
        "title": src.title,
        "href": src.href,
        "at": c.at,
        "reliability": src.reliability.value,
        "retrieved": src.retrieved.isoformat(),
        "verified": src.verified.isoformat(),
        "quote": quote_dict(c.quote),
    }


def quote_dict(q: Quote | None) -> dict[str, Any] | None:
    """The passage as cited: verbatim ``text`` in ``lang``, and ``en`` unless it is English."""
    return None if q is None else {"text": q.text, "lang": q.lang, "en": q.en}


def _text(t: Text | None, lang: Lang) -> str | None:
    return t.get(lang) if t else None


def provenance_dicts(program: Program, as_of: dt.date, lang: Lang) -> dict[str, Any]:
    """When the rules were last verified, and the warnings an answer for ``as_of`` carries."""
    return {
        "verified": program.verified.isoformat(),
        "warnings": [
            {"code": w.code, "text": w.text.get(lang)} for w in warnings_for(program, as_of)
        ],
    }


def interpretation_dicts(
    program: Program, names: Iterable[str], as_of: dt.date, lang: Lang
) -> list[dict[str, Any]]:
    out = []
    for name in names:
        param = program.parameters[name]
        interp = param.interpretation
        assert interp is not None
        out.append(
            {
                "parameter": name,
                "description": param.description.get(lang),
                "value": show(param.at(as_of), lang),
                "confidence": interp.confidence.value,
                "chosen_by": interp.chosen_by,
                "note": interp.note.get(lang),
                "citations": [citation_dict(program, c) for c in interp.sources],
            }
        )
    return out


def interpretation_line(detail: dict[str, Any]) -> str:
    return f"{detail['parameter']} = {detail['value']} ({detail['confidence']}): {detail['note']}"


def points_dict(p: PointsResult | None, lang: Lang) -> dict[str, Any] | None:
    if p is None:
        return None
    counted = _counted_rows(p)
    return {
        "score": p.score,
        "max_possible": p.max_possible,
        "threshold": None if p.threshold is None else _number(Decimal(p.threshold)),
        "rows": [
            {
                "table": r.table,
                "id": r.row,
                "title": r.title.get(lang),
                "points": r.points,
                "result": r.result,
                "counted": r.row in counted,
            }
            for r in p.rows
        ],
    }


def _counted_rows(p: PointsResult) -> set[str]:
    """The rows that make up the certain score: in a table of exclusive tiers (``max``) only
    the highest passing tier counts, so a lower tier that also passes is shown as not counted."""
    by_table: dict[str, list[Any]] = {}
    for r in p.rows:
        by_table.setdefault(r.table, []).append(r)
    counted: set[str] = set()
    for rows in by_table.values():
        passing = [r for r in rows if r.result == "pass"]
        if not passing:
            continue
        if rows[0].table in p.exclusive:
            counted.add(max(passing, key=lambda r: r.points).row)
        else:
            counted.update(r.row for r in passing)
    return counted


def term_dict(program: Program, t: Term, lang: Lang) -> dict[str, Any]:
    return {
        "kind": t.kind.value,
        "value": None
        if t.value is None
        else show(t.value)
        if not isinstance(t.value, bool)
        else t.value,
        "text": t.text.get(lang),
        "confidence": t.confidence.value if t.confidence else None,
        "citations": [citation_dict(program, c) for c in t.sources],
    }


def assessment_dict(a: Assessment, lang: Lang = "en") -> dict[str, Any]:
    program = a.program
    details = interpretation_dicts(program, a.interpretations, a.as_of, lang)
    version = program.version_at(a.as_of)
    unpublished = unpublished_in(program, a.as_of)
    no_text = {u.id: u.reason.get(lang) for u in unpublished if u.kind != "parameter"}
    return {
        "program": program.id,
        "name": program.name.get(lang),
        "country": program.country,
        "status": a.status,
        **provenance_dicts(program, a.as_of, lang),
        "version_from": a.version_from.isoformat() if a.version_from else None,
        "versions": [v.from_.isoformat() for v in program.versions],
        "points": points_dict(a.points, lang),
        "criteria": [
            {
                "id": c.id,
                "kind": c.kind,
                "depth": c.depth,
                "title": c.title.get(lang) if c.title else None,
                "result": c.result,
                "reason": reason(c, lang),
                "citations": [citation_dict(program, s) for s in c.citations],
                "missing": list(c.missing),
                "interpretations": list(c.interpretations),
                "no_text": no_text.get(c.id),
                **({"officer_finding": c.finding} if c.finding is not None else {}),
            }
            for c in a.criteria
        ],
        "missing": list(a.missing),
        # Only while undetermined: a judgement that cannot change the outcome is not asked.
        "judgements": [
            c.judgement.get(lang)
            for c in a.criteria
            if a.status == "undetermined" and c.result == "judgement" and c.judgement
        ],
        "missing_labels": [field_label(m, lang) for m in a.missing],
        "interpretations": [interpretation_line(d) for d in details],
        "interpretation_details": details,
        # Rules that rest on no published passage: shown beside the interpretations.
        "no_text": [
            {"kind": u.kind, "id": u.id, "title": u.title.get(lang), "reason": u.reason.get(lang)}
            for u in unpublished
        ],
        "notes": [conversion_text(r, lang=lang) for r in a.conversions],
        "terms": [term_dict(program, t, lang) for t in version.terms] if version else [],
    }


def check_document(
    assessments: Sequence[Assessment],
    as_of: dt.date,
    lang: Lang = "en",
    profile: Profile | None = None,
) -> dict[str, Any]:
    """With the profile, each result also lists its fees, so a cost the sources leave
    unconfirmed is shown as such wherever the answer is."""
    results = []
    for a in assessments:
        result = assessment_dict(a, lang)
        if profile is not None:
            result["fees"] = check_fee_dicts(a, profile, lang)
        results.append(result)
    return {"as_of": as_of.isoformat(), "results": results}


def check_fee_dicts(a: Assessment, profile: Profile, lang: Lang) -> list[dict[str, Any]]:
    version = a.program.version_at(a.as_of)
    if version is None:
        return []
    fees = fees_for(profile, a.program, version, a.as_of)
    return [_fee_dict(a.program, r, r.amount, lang) for r in fees]


# ---------------------------------------------------------------- comparison


def _number(value: Decimal | None) -> float | int | None:
    if value is None or not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _term_value(o: Option, kind: TermKind) -> Any:
    term = o.terms.get(kind)
    if term is None or term.value is None:
        return None
    return term.value if isinstance(term.value, bool | str) else _number(Decimal(term.value))


def fee_dicts(o: Option, currency: str, lang: Lang) -> list[dict[str, Any]]:
    out = []
    for r in o.fees:
        converted = None
        if r.amount is not None:
            converted = fx.convert(r.amount, r.fee.currency, currency, o.assessment.as_of)
        out.append(_fee_dict(o.program, r, converted, lang))
    return out


def _fee_dict(
    program: Program, r: FeeResult, converted: Decimal | None, lang: Lang
) -> dict[str, Any]:
    return {
        "id": r.fee.id,
        "title": r.fee.title.get(lang),
        "payer": r.fee.payer.value,
        "due": {"pass": "yes", "fail": "no"}.get(r.applies, "maybe"),
        "amount": _number(r.amount),
        "currency": r.fee.currency,
        "converted": _number(converted),
        "recurrence": r.fee.recurrence.value,
        "optional": r.fee.optional,
        "confidence": r.fee.confidence.value if r.fee.confidence else None,
        "note": r.fee.note.get(lang) if r.fee.note else None,
        "no_text": _text(r.fee.no_text, lang),
        "missing": list(r.missing),
        "citations": [citation_dict(program, c) for c in r.fee.sources],
    }


def _percent(value: Decimal, estimate: bool) -> str:
    """A projection keeps the precision its source gives (15.29%), never more; an outcome
    computed from counts is shown to the whole per cent."""
    if not estimate:
        return f"{value:.0%}"
    exponent = value.normalize().as_tuple().exponent
    digits = max(0, -exponent - 2) if isinstance(exponent, int) else 0
    return f"{value * 100:.{digits}f}%"


def chance_dict(chance: Chance, lang: Lang) -> dict[str, Any]:
    low, high = chance.low, chance.high
    text = "?"
    if low is not None and high is not None:
        text = _percent(low, chance.estimate)
        if high != low:
            text += "–" + _percent(high, chance.estimate)
    return {
        "applies": chance.applies,
        "low": _number(low),
        "high": _number(high),
        "missing": list(chance.missing),
        "confidence": "estimate" if chance.estimate else "reported",
        "basis": chance.basis.get(lang) if chance.basis else None,
        "text": text,
    }


def _cost_dict(o: Option, payer: Payer) -> dict[str, Any] | None:
    cost = o.costs.get(payer)
    # True when a fee counted for this payer has an amount the sources do not settle.
    unconfirmed = any(
        r.fee.payer == payer and r.fee.confidence is not None and r.possible and not r.fee.optional
        for r in o.fees
    )
    if cost is None:
        if not o.fees:
            return None
        return {"certain": 0, "possible": 0, "recurring": 0, "complete": True, "unconfirmed": False}
    return {
        "certain": _number(cost.certain),
        "possible": _number(cost.possible),
        "recurring": _number(cost.recurring),
        "complete": cost.complete,
        "unconfirmed": unconfirmed,
    }


def option_dict(r: Ranked, currency: str, lang: Lang) -> dict[str, Any]:
    o = r.option
    a = o.assessment
    above, because = r.why
    chance = o.chance
    return {
        "rank": r.rank,
        "unbeaten": r.unbeaten,
        "beaten_by": list(r.beaten_by),
        "program": o.program.id,
        "name": o.program.name.get(lang),
        "country": o.program.country,
        "status": a.status,
        **provenance_dicts(o.program, a.as_of, lang),
        "why": {"above": above or None, "because": because.get(lang) if because else None},
        "sponsor": _term_value(o, TermKind.sponsor),
        "costs": {
            "currency": currency,
            "applicant": _cost_dict(o, Payer.applicant),
            "employer": _cost_dict(o, Payer.employer),
        },
        "fees": fee_dicts(o, currency, lang),
        "chance": None if chance is None else chance_dict(chance, lang),
        "residence_path_years": _term_value(o, TermKind.residence_path),
        "citizenship_years": _term_value(o, TermKind.citizenship),
        "family": _term_value(o, TermKind.family),
        "processing_months": _term_value(o, TermKind.processing),
        "validity_months": _term_value(o, TermKind.validity),
        "work_rights": _term_value(o, TermKind.work_rights),
        "language": _term_value(o, TermKind.language),
        "missing": list(a.missing),
        "interpretations": list(a.interpretations),
        "terms": [term_dict(o.program, t, lang) for t in o.terms.values()],
    }


def comparison_document(c: Comparison, lang: Lang = "en") -> dict[str, Any]:
    from talentvisa.compare import PREFERENCES

    rates = {(r.from_, r.to): r for ranked in c.ranked for r in ranked.option.rates}
    return {
        "as_of": c.as_of.isoformat(),
        "currency": c.currency,
        "preferences": [
            {"name": n, "title": PREFERENCES[n].title.get(lang)} for n in c.preferences
        ],
        "rates": [
            {
                "from": r.from_,
                "to": r.to,
                "rate": float(r.value),
                "published": [d.isoformat() for d in r.dates],
                "sources": list(r.sources),
            }
            for r in rates.values()
        ],
        "options": [option_dict(r, c.currency, lang) for r in c.ranked],
    }


# ---------------------------------------------------------------- changes and diffs


def changes_document(
    results: Sequence[Changes], as_of: dt.date, lang: Lang = "en"
) -> dict[str, Any]:
    from talentvisa.changes import EFFORT_NOTE

    return {
        "as_of": as_of.isoformat(),
        "effort_note": EFFORT_NOTE.get(lang),
        "programs": [
            {
                "program": c.program,
                "name": c.name.get(lang),
                "status": c.status,
                "suggestions": [
                    {
                        "effort_months": _number(s.effort_months),
                        "status_after": s.status,
                        "steps": [
                            {
                                "text": step.text.get(lang),
                                "path": step.path,
                                "value": step.value,
                                "effort_months": _number(step.effort_months),
                            }
                            for step in s.steps
                        ],
                    }
                    for s in c.suggestions
                ],
                "time": None
                if c.time is None
                else {
                    "date": c.time.date.isoformat(),
                    "before": c.time.before,
                    "after": c.time.after,
                    "criteria": [t.get(lang) for t in c.time.criteria],
                },
            }
            for c in results
        ],
    }


def diff_document(d: ProgramDiff, lang: Lang = "en") -> dict[str, Any]:
    return {
        "program": d.program.id,
        "date1": d.date1.isoformat(),
        "date2": d.date2.isoformat(),
        "version1": d.version1.isoformat() if d.version1 else None,
        "version2": d.version2.isoformat() if d.version2 else None,
        "changes": [
            {
                "section": i.section,
                "id": i.id,
                "change": i.change,
                "title": i.title.get(lang) if i.title else None,
                "before": None if i.before is None else in_lang(i.before, lang),
                "after": None if i.after is None else in_lang(i.after, lang),
                "interpretation": i.interpretation,
                "citations": [citation_dict(d.program, c) for c in i.citations],
                "quote_changed": i.quote_changed,
                "quotes_before": [citation_dict(d.program, c) for c in i.quotes_before],
                "quotes_after": [citation_dict(d.program, c) for c in i.quotes_after],
                "no_text_before": _text(i.no_text_before, lang),
                "no_text_after": _text(i.no_text_after, lang),
            }
            for i in d.items
        ],
    }


# ---------------------------------------------------------------- programmes as data


def _criterion_tree(program: Program, node: Criterion, lang: Lang) -> dict[str, Any]:
    if isinstance(node, Leaf):
        return {
            "id": node.id,
            "kind": "criterion",
            "title": node.title.get(lang),
            "when": condition_text(node.when),
            "judgement": node.judgement.get(lang) if node.judgement else None,
            "no_text": _text(node.no_text, lang),
            "citations": [citation_dict(program, c) for c in node.sources],
            "children": [],
        }
    if isinstance(node, PointsNode):
        p = node.points
        return {
            "id": p.id,
            "kind": "points",
            "title": p.title.get(lang),
            "when": f"points >= {condition_text(p.threshold)}",
            "judgement": None,
            "no_text": _text(p.no_text, lang),
            "citations": [citation_dict(program, c) for c in p.sources],
            "children": [
                {
                    "id": row.id,
                    "kind": f"row of {table.id} ({table.pick})",
                    "title": f"{row.title.get(lang)}: {row.points}",
                    "when": condition_text(row.when),
                    "judgement": None,
                    "no_text": None,
                    "citations": [citation_dict(program, c) for c in row.sources],
                    "children": [],
                }
                for table in p.tables
                for row in table.rows
            ],
        }
    kind, children = (
        ("all", node.all)
        if isinstance(node, AllOf)
        else ("any", node.any)
        if isinstance(node, AnyOf)
        else ("not", (node.not_,))
    )
    return {
        "id": node.id,
        "kind": kind,
        "title": node.title.get(lang) if node.title else None,
        "when": None,
        "judgement": None,
        "no_text": None,
        "citations": [],
        "children": [_criterion_tree(program, c, lang) for c in children],
    }


def program_document(program: Program, lang: Lang = "en") -> dict[str, Any]:
    """A programme's rules as data: what the rule pages and the API show."""
    return {
        "id": program.id,
        "country": program.country,
        "name": program.name.get(lang),
        "summary": program.summary.get(lang),
        "verified": program.verified.isoformat(),
        "parameters": [
            {
                "name": name,
                "description": p.description.get(lang),
                "unit": p.unit,
                "values": [
                    {"from": d.isoformat(), "value": show(v)} for d, v in sorted(p.values.items())
                ],
                "confidence": p.interpretation.confidence.value if p.interpretation else None,
                "note": p.interpretation.note.get(lang) if p.interpretation else None,
                "no_text": _text(p.no_text, lang),
                "citations": [citation_dict(program, c) for c in p.sources],
            }
            for name, p in program.parameters.items()
        ],
        "versions": [
            {
                "from": v.from_.isoformat(),
                "until": v.until.isoformat() if v.until else None,
                "criteria": _criterion_tree(program, v.criteria, lang),
                "terms": [term_dict(program, t, lang) for t in v.terms],
                "fees": [
                    {
                        "id": f.id,
                        "title": f.title.get(lang),
                        "amount": condition_text(f.amount),
                        "currency": f.currency,
                        "payer": f.payer.value,
                        "recurrence": f.recurrence.value,
                        "optional": f.optional,
                        "when": condition_text(f.when),
                        "confidence": f.confidence.value if f.confidence else None,
                        "no_text": _text(f.no_text, lang),
                        "citations": [citation_dict(program, c) for c in f.sources],
                    }
                    for f in v.fees
                ],
            }
            for v in program.versions
        ],
    }


# ---------------------------------------------------------------- sources


def sources_document(
    entries: Sequence[SourceEntry],
    programs: Sequence[Program],
    as_of: dt.date,
    older_than: int | None,
    lang: Lang = "en",
) -> dict[str, Any]:
    """Every source with its reliability and verified date, and the rules that rest on it."""
    return {
        "as_of": as_of.isoformat(),
        "older_than": older_than,
        "horizon_days": horizon_days(),
        "programs": [
            {"program": p.id, "name": p.name.get(lang), **provenance_dicts(p, as_of, lang)}
            for p in programs
        ],
        "sources": [
            {
                "key": e.key,
                "program": e.program.id,
                "title": e.source.title,
                "publisher": e.source.publisher,
                "href": e.source.href,
                "reliability": e.source.reliability.value,
                "published": e.source.published.isoformat() if e.source.published else None,
                "retrieved": e.source.retrieved.isoformat(),
                "verified": e.source.verified.isoformat(),
                "age_days": e.age_days(as_of),
                "used_by": [
                    {
                        "kind": u.kind,
                        "id": u.id,
                        "title": _text(u.title, lang),
                        "versions": [d.isoformat() for d in u.versions],
                        "at": list(u.at),
                        "quoted": u.quoted,
                    }
                    for u in e.uses
                ],
            }
            for e in entries
        ],
    }


# ---------------------------------------------------------------- programmes and questions


def programs_document(
    programs: Sequence[Program], as_of: dt.date, lang: Lang = "en"
) -> dict[str, Any]:
    """Every programme with the dates its versions start and whether it is in force on ``as_of``."""
    return {
        "as_of": as_of.isoformat(),
        "programs": [
            {
                "id": p.id,
                "country": p.country,
                "name": p.name.get(lang),
                "summary": p.summary.get(lang),
                "verified": p.verified.isoformat(),
                "versions": [v.from_.isoformat() for v in p.versions],
                "in_force": p.version_at(as_of) is not None,
            }
            for p in programs
        ],
    }


def question_document(progress: InterviewProgress, as_of: dt.date) -> dict[str, Any]:
    """The interview's next question as data: what to ask, the fields that answer it (each
    with the profile path its answer goes to and the allowed values), and how to say "none"."""
    from talentvisa.interview import NONE_ANSWER, REPEATED

    q = progress.question
    question = None
    if q is not None:
        none = NONE_ANSWER.get(q.path) if q.none_label else None
        question = {
            "path": q.path,
            "title": q.title,
            "help": q.help,
            "waiting": q.waiting,
            "fields": [
                {
                    "path": f.path,
                    "kind": f.kind,
                    "label": f.label,
                    "hint": f.hint,
                    "vocabulary": (vocabulary := _vocabulary(f)),
                    # A vocabulary is named, not spelled out: hundreds of names a reader (or
                    # an assistant) already knows, where the profile wants the codes.
                    "options": []
                    if vocabulary or f.vocab
                    else [{"value": v, "label": label} for v, label in f.options],
                }
                for f in q.fields
            ],
            "none_answer": None if none is None else {"path": none[0], "value": none[1]},
            # A list (degrees, jobs): the fields are the first entry's; more entries take the
            # same fields at [1], [2], ...
            "repeats": q.path in REPEATED,
        }
    return {"as_of": as_of.isoformat(), "remaining": progress.remaining, "question": question}


# The code lists the profile takes for the interview's pickers (people type names; a
# profile, and an assistant writing one, holds codes). Institutions are names: the register
# resolves them.
_CODE_LISTS: Final[dict[str, str]] = {
    "countries": "ISO 3166-1 alpha-2",
    "currencies": "ISO 4217",
    "occupations": "ISCO-08",
    "fields": "ISCED-F 2013",
}


def _vocabulary(f: InterviewField) -> str | None:
    """The standard code list a field's answer comes from, when it is one."""
    if f.vocab is not None:
        return _CODE_LISTS.get(f.vocab)
    return "ISO 639-1" if re.sub(r"\[\d+\]", "", f.path).endswith("language") else None
