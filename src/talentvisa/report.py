"""Assessments as plain data: the stable JSON shape every surface shares.

Shape (other keys may be added, none removed)::

    {"as_of": "YYYY-MM-DD",
     "results": [{"program": "cn-k", "status": "eligible|ineligible|undetermined|not_in_force",
                  "points": null | {...}, "criteria": [{"id", "result", "reason", "citations"}],
                  "missing": [...], "interpretations": [...]}]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from talentvisa.explain import Lang, field_label, reason, show
from talentvisa.rules.evaluator import Assessment, PointsResult
from talentvisa.rules.model import Citation, Program, Term


def citation_dict(program: Program, c: Citation) -> dict[str, Any]:
    src = program.sources[c.source]
    return {
        "source": c.source,
        "title": src.title,
        "href": src.href,
        "at": c.at,
        "reliability": src.reliability.value,
        "retrieved": src.retrieved.isoformat(),
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
                "value": show(param.at(as_of)),
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
    return {
        "score": p.score,
        "max_possible": p.max_possible,
        "threshold": None if p.threshold is None else show(p.threshold),
        "rows": [
            {
                "table": r.table,
                "id": r.row,
                "title": r.title.get(lang),
                "points": r.points,
                "result": r.result,
            }
            for r in p.rows
        ],
    }


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
    return {
        "program": program.id,
        "name": program.name.get(lang),
        "country": program.country,
        "status": a.status,
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
        "terms": [term_dict(program, t, lang) for t in version.terms] if version else [],
    }


def check_document(
    assessments: Sequence[Assessment], as_of: dt.date, lang: Lang = "en"
) -> dict[str, Any]:
    return {"as_of": as_of.isoformat(), "results": [assessment_dict(a, lang) for a in assessments]}
