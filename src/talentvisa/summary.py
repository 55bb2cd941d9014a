"""The plain summary a person can act on: which doors are open, which could open and what it
would take, what each costs you and an employer in your currency, and how fresh the rules are.

It gathers what the core already works out (assessment, costs and chance from ``compare``,
one- or two-step changes from ``changes``, verified dates from ``provenance``) and adds the
published processing times from ``data/processing.yaml``. Nothing here decides eligibility.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from babel.numbers import get_territory_currencies
from pydantic import BaseModel, ConfigDict, Field

from talentvisa import fx
from talentvisa.changes import Changes, suggestions_for
from talentvisa.compare import Option, option_for
from talentvisa.explain import Lang, field_label
from talentvisa.profile import Profile
from talentvisa.provenance import warnings_for
from talentvisa.report import chance_dict, citation_dict
from talentvisa.rules.costs import FeeResult
from talentvisa.rules.model import Payer, Program, TermKind, Text
from talentvisa.yamlpos import load

PROCESSING_FILE: Final = Path(str(resources.files("talentvisa") / "data" / "processing.yaml"))
DEFAULT_CURRENCY: Final = "USD"
Group = Literal["open", "could_open", "closed"]
GROUPS: Final[tuple[Group, ...]] = ("open", "could_open", "closed")


# ---------------------------------------------------------------- published processing times


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeSource(_Model):
    tag: str
    title: str
    href: str = Field(pattern=r"^https?://")
    date: str | None = None  # as the sheet gives it: a day, a month or a year


class ProcessingTime(_Model):
    route: Text
    low: int | None = None  # None: "up to high"
    high: int
    unit: Literal["days", "business_days", "weeks", "months"]
    label: Literal["official", "secondary", "unconfirmed"]
    scope: Text
    sources: tuple[TimeSource, ...] = Field(min_length=1)


class ProgramTimes(_Model):
    times: tuple[ProcessingTime, ...] = ()
    note: Text | None = None
    sources: tuple[TimeSource, ...] = ()


class ProcessingTable(_Model):
    reviewed: dt.date
    programs: dict[str, ProgramTimes]


@cache
def processing_table() -> ProcessingTable:
    return ProcessingTable.model_validate(load(PROCESSING_FILE).data)


def processing_for(program_id: str) -> ProgramTimes:
    """What the sources publish; an empty record (\"not published\") for an unlisted one."""
    return processing_table().programs.get(program_id, ProgramTimes())


def processing_dicts(program_id: str, lang: Lang) -> dict[str, Any]:
    entry = processing_for(program_id)
    return {
        "times": [
            {
                "route": t.route.get(lang),
                "low": t.low,
                "high": t.high,
                "unit": t.unit,
                "label": t.label,
                "scope": t.scope.get(lang),
                "sources": [s.model_dump() for s in t.sources],
            }
            for t in entry.times
        ],
        "note": entry.note.get(lang) if entry.note else None,
        "sources": [s.model_dump() for s in entry.sources],
        "reviewed": processing_table().reviewed.isoformat(),
    }


# ---------------------------------------------------------------- the person's currency


def currency_for(profile: Profile, as_of: dt.date, asked: str | None = None) -> str:
    """The currency asked for, else that of the country the person lives in, else USD;
    only currencies with a published rate on ``as_of`` are offered."""
    known = fx.currencies(as_of)
    if asked:
        return asked
    for country in (profile.residence, profile.location, *(profile.citizenships or ())):
        if not country:
            continue
        for code in get_territory_currencies(country, as_of):
            if code in known:
                return str(code)
    return DEFAULT_CURRENCY


# ---------------------------------------------------------------- the summary


def group_of(option: Option, changes: Changes) -> Group:
    """Open now; could open (undecided, or a change or time would open it); closed."""
    status = option.status
    if status == "eligible":
        return "open"
    reachable = changes.suggestions or (changes.time is not None and changes.time.after != status)
    if status == "undetermined" or (status == "ineligible" and reachable):
        return "could_open"
    return "closed"


def _money(fee: FeeResult, currency: str, as_of: dt.date) -> float | int | None:
    if fee.amount is None:
        return None
    return _num(fx.convert(fee.amount, fee.fee.currency, currency, as_of))


def _num(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _cost(option: Option, payer: Payer) -> dict[str, Any] | None:
    """Certain and most-possible totals; None when no source gives any fee at all."""
    if not option.fees:
        return None
    cost = option.costs.get(payer)
    if cost is None:
        return {"certain": 0, "possible": 0, "complete": True}
    return {
        "certain": _num(cost.certain),
        "possible": _num(cost.possible),
        "complete": cost.complete,
    }


def maybe_fees(program: Program, option: Option, currency: str, lang: Lang) -> list[dict[str, Any]]:
    """Fees that may be due, each with what leaves it open: a fact not given, or a reading
    of the sources that is not settled. They are why a cost shows as a range."""
    out = []
    for r in option.fees:
        if r.fee.optional or r.applies in ("pass", "fail"):
            continue
        readings = []
        for name in r.interpretations:
            param = program.parameters[name]
            if param.interpretation is not None:
                readings.append(
                    {
                        "description": param.description.get(lang),
                        "confidence": param.interpretation.confidence.value,
                    }
                )
        out.append(
            {
                "title": r.fee.title.get(lang),
                "payer": r.fee.payer.value,
                "amount": _money(r, currency, option.assessment.as_of),
                "currency": currency,
                "missing": [field_label(m, lang) for m in r.missing],
                "readings": readings,
            }
        )
    return out


def _citations(program: Program, option: Option) -> list[dict[str, Any]]:
    """Every source the answer rests on, once: the criteria's and the counted fees'."""
    seen: dict[str, dict[str, Any]] = {}
    cites = [c for crit in option.assessment.criteria for c in crit.citations]
    cites += [c for r in option.fees if r.possible and not r.fee.optional for c in r.fee.sources]
    for c in cites:
        if c.source not in seen:
            seen[c.source] = citation_dict(program, c)
    return list(seen.values())


def _native(
    program: Program, option: Option, profile: Profile, currency: str
) -> dict[str, Any] | None:
    """The totals in the currency the programme publishes its fees in, when that is one
    currency other than the person's: the figures a reader finds in the sources."""
    counted = {r.fee.currency for r in option.fees if r.possible and not r.fee.optional}
    if len(counted) != 1:
        return None
    (native,) = counted
    if native == currency:
        return None
    other = option_for(program, profile, option.assessment.as_of, native)
    return {
        "currency": native,
        "applicant": _cost(other, Payer.applicant),
        "employer": _cost(other, Payer.employer),
    }


def _door(
    program: Program,
    option: Option,
    changes: Changes,
    profile: Profile,
    currency: str,
    lang: Lang,
) -> dict[str, Any]:
    a = option.assessment
    sponsor = option.terms.get(TermKind.sponsor)
    return {
        "program": program.id,
        "name": program.name.get(lang),
        "country": program.country,
        "status": a.status,
        "group": group_of(option, changes),
        "verified": program.verified.isoformat(),
        "warnings": [w.text.get(lang) for w in warnings_for(program, a.as_of)],
        "sponsor": sponsor.value if sponsor is not None else None,
        "costs": {
            "applicant": _cost(option, Payer.applicant),
            "employer": _cost(option, Payer.employer),
        },
        "native": _native(program, option, profile, currency),
        "maybe_fees": maybe_fees(program, option, currency, lang),
        "chance": None if option.chance is None else chance_dict(option.chance, lang),
        "missing": [field_label(m, lang) for m in a.missing],
        "judgements": [
            c.judgement.get(lang)
            for c in a.criteria
            if a.status == "undetermined" and c.result == "judgement" and c.judgement
        ],
        "steps": [
            {
                "text": " + ".join(s.text.get(lang) for s in sug.steps),
                "months": _num(sug.effort_months),
            }
            for sug in changes.suggestions
        ],
        "time": None
        if changes.time is None
        else {
            "date": changes.time.date.isoformat(),
            "after": changes.time.after,
            "criteria": list(dict.fromkeys(t.get(lang) for t in changes.time.criteria)),
        },
        "processing": processing_dicts(program.id, lang),
        "citations": _citations(program, option),
    }


def summary_document(
    profile: Profile,
    programs: Sequence[Program],
    as_of: dt.date,
    currency: str,
    lang: Lang = "en",
) -> dict[str, Any]:
    """The summary as plain data: doors grouped open / could open / closed, in ``currency``."""
    doors = []
    rates: dict[tuple[str, str], fx.Rate] = {}
    for program in programs:
        option = option_for(program, profile, as_of, currency)
        changes = suggestions_for(profile, program, as_of)
        for r in option.rates:
            rates[(r.from_, r.to)] = r
        doors.append(_door(program, option, changes, profile, currency, lang))
    order = {g: i for i, g in enumerate(GROUPS)}
    doors.sort(key=lambda d: (order[d["group"]], d["program"]))
    verified = sorted(p.verified for p in programs)
    return {
        "as_of": as_of.isoformat(),
        "currency": currency,
        "verified": {
            "oldest": verified[0].isoformat() if verified else None,
            "newest": verified[-1].isoformat() if verified else None,
        },
        "processing_reviewed": processing_table().reviewed.isoformat(),
        "groups": {g: [d for d in doors if d["group"] == g] for g in GROUPS},
        "rates": [
            {
                "from": r.from_,
                "to": r.to,
                "rate": float(r.value),
                "published": [d.isoformat() for d in r.dates],
            }
            for r in rates.values()
        ],
    }


def pdf_of(html: str) -> bytes:
    """The summary page as PDF (WeasyPrint); the page links its font files by file URL."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(PROCESSING_FILE.parent)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
