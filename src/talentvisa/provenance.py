"""Where each rule comes from and how fresh it is: what rests on no published text, the
sources each rule rests on, and the one setting for how long a verification holds.

An assessment for a date more than ``horizon_days()`` after a programme's ``verified`` date
(its "rules verified on" date) carries a warning that the rules may have changed since. The
horizon is 180 days unless the environment variable ``TALENTVISA_VERIFIED_HORIZON_DAYS``
says otherwise; every surface (CLI, web pages, JSON API) reads it here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final, Literal

from talentvisa.rules.expr import Name
from talentvisa.rules.loader import conditions_in, criteria_in, walk
from talentvisa.rules.model import (
    Citation,
    Leaf,
    PointsNode,
    Program,
    Source,
    Text,
    Version,
)

DEFAULT_HORIZON_DAYS: Final = 180
HORIZON_ENV: Final = "TALENTVISA_VERIFIED_HORIZON_DAYS"
STALE: Final = "rules-may-have-changed"


class BadSetting(ValueError):
    """A setting read from the environment is unusable; the message names it."""


def horizon_days() -> int:
    """Days after a programme's verified date for which its rules are taken as current."""
    raw = os.environ.get(HORIZON_ENV, "").strip()
    if not raw:
        return DEFAULT_HORIZON_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise BadSetting(f"{HORIZON_ENV}: {raw!r} is not a whole number of days") from None
    if days < 0:
        raise BadSetting(f"{HORIZON_ENV}: {days} is negative; give a number of days >= 0")
    return days


@dataclass(frozen=True, slots=True)
class RuleWarning:
    code: str
    text: Text


def warnings_for(program: Program, as_of: dt.date) -> list[RuleWarning]:
    """What a reader must know before trusting an answer for ``as_of``: today, only staleness."""
    horizon = horizon_days()
    if (as_of - program.verified).days <= horizon:
        return []
    verified = program.verified.isoformat()
    return [
        RuleWarning(
            STALE,
            Text(
                en=f"The rules of {program.name.en} were last verified against their sources "
                f"on {verified}; this assessment is for {as_of.isoformat()}, more than "
                f"{horizon} days later. The rules may have changed since: check the sources "
                "before relying on this answer.",
                zh=f"{program.name.zh}的规则最后一次与来源核对是在{verified}；本次评估日期为"
                f"{as_of.isoformat()}，已超过{horizon}天。此后规则可能已有变化：请先核对来源，"
                "再依赖此结论。",
            ),
        )
    ]


# ---------------------------------------------------------------- no published text

ItemKind = Literal["criterion", "points", "parameter", "fee"]


@dataclass(frozen=True, slots=True)
class Unpublished:
    """A rule that rests on no published passage: the user is told it is our interpretation."""

    kind: ItemKind
    id: str
    title: Text
    reason: Text


def unpublished_in(program: Program, as_of: dt.date) -> list[Unpublished]:
    """The criteria in force on ``as_of`` with a ``no_text`` reason, and the parameters they
    read that have one: everything an assessment on that date rests on without a quote.

    Worked out once per (programme, version in force) and then read from a cache: it walks
    every condition, a third of ``POST /api/v1/assess``'s time before any HTTP work when
    done per request. Programmes are frozen, so the answer cannot go stale; the cache holds
    the programme, so an entry's ids are never reused while it is there."""
    version = program.version_at(as_of)
    if version is None:
        return []
    key = (id(program), id(version))
    found = _UNPUBLISHED.get(key)
    if found is None or found[0] is not program:
        if len(_UNPUBLISHED) >= _UNPUBLISHED_MAX:
            _UNPUBLISHED.clear()
        found = _UNPUBLISHED[key] = (program, tuple(_unpublished(program, version)))
    return list(found[1])


_UNPUBLISHED: dict[tuple[int, int], tuple[Program, tuple[Unpublished, ...]]] = {}
_UNPUBLISHED_MAX: Final = 256  # programmes loaded afresh (tests, edited files) start over


def _unpublished(program: Program, version: Version) -> list[Unpublished]:
    out: list[Unpublished] = []
    for crit in criteria_in(version.criteria):
        if isinstance(crit, Leaf) and crit.no_text is not None:
            out.append(Unpublished("criterion", crit.id, crit.title, crit.no_text))
        elif isinstance(crit, PointsNode) and crit.points.no_text is not None:
            p = crit.points
            out.append(Unpublished("points", p.id, p.title, crit.points.no_text))
    read = {
        n.name
        for _, node in conditions_in(version.criteria)
        for n in walk(node)
        if isinstance(n, Name)
    }
    for name, param in program.parameters.items():
        if name in read and param.no_text is not None:
            out.append(Unpublished("parameter", name, param.description, param.no_text))
    return out


# ---------------------------------------------------------------- sources and their uses

UseKind = Literal[
    "criterion", "points", "points-row", "parameter", "interpretation", "fee", "term", "selection"
]


@dataclass(frozen=True, slots=True)
class Use:
    """One rule that cites a source, over every version that holds it."""

    kind: UseKind
    id: str
    title: Text | None
    versions: tuple[dt.date, ...]  # empty for a parameter: it is dated by its own values
    at: tuple[str, ...]  # the pinpoints cited
    quoted: bool  # at least one citation of this source here quotes its passage


@dataclass(frozen=True, slots=True)
class SourceEntry:
    program: Program
    key: str
    source: Source
    uses: tuple[Use, ...]

    def age_days(self, as_of: dt.date) -> int:
        return (as_of - self.source.verified).days


_Cite = tuple[UseKind, str, Text | None, dt.date | None, Citation]


def _citations(program: Program) -> Iterator[_Cite]:
    for name, param in program.parameters.items():
        for c in param.sources:
            yield "parameter", name, param.description, None, c
        for c in param.interpretation.sources if param.interpretation else ():
            yield "interpretation", name, param.description, None, c
    for version in program.versions:
        day = version.from_
        for crit in criteria_in(version.criteria):
            if isinstance(crit, Leaf):
                for c in crit.sources:
                    yield "criterion", crit.id, crit.title, day, c
            elif isinstance(crit, PointsNode):
                p = crit.points
                for c in p.sources:
                    yield "points", p.id, p.title, day, c
                for table in p.tables:
                    for row in table.rows:
                        for c in row.sources:
                            yield "points-row", row.id, row.title, day, c
        for term in version.terms:
            for c in term.sources:
                yield "term", term.kind.value, None, day, c
        for fee in version.fees:
            for c in fee.sources:
                yield "fee", fee.id, fee.title, day, c
        if version.selection is not None:
            s = version.selection
            for c in s.sources:
                yield "selection", s.id, s.title, day, c


def uses_of(program: Program) -> dict[str, tuple[Use, ...]]:
    """For each source key, the rules that cite it, merged across versions."""
    found: dict[str, dict[tuple[UseKind, str], list[_Cite]]] = {k: {} for k in program.sources}
    for cite in _citations(program):
        found.setdefault(cite[4].source, {}).setdefault((cite[0], cite[1]), []).append(cite)
    out: dict[str, tuple[Use, ...]] = {}
    for key, uses in found.items():
        merged = []
        for (kind, ident), cites in uses.items():
            merged.append(
                Use(
                    kind,
                    ident,
                    cites[-1][2],
                    tuple(sorted({d for *_, d, _ in cites if d is not None})),
                    tuple(dict.fromkeys(c.at for *_, c in cites if c.at)),
                    any(c.quote is not None for *_, c in cites),
                )
            )
        out[key] = tuple(merged)
    return out


def source_entries(
    programs: Iterable[Program], as_of: dt.date, older_than: int | None = None
) -> list[SourceEntry]:
    """Every source of every programme, or only those last verified more than ``older_than``
    days before ``as_of``; in programme order, then as each file lists them."""
    out = []
    for program in programs:
        uses = uses_of(program)
        for key, source in program.sources.items():
            entry = SourceEntry(program, key, source, uses.get(key, ()))
            if older_than is None or entry.age_days(as_of) > older_than:
                out.append(entry)
    return out
