"""What a programme costs this person, and their chance in any lottery.

Fees and chances are conditions like criteria, so an unknown fact leaves a fee as
"may apply" (counted in the upper bound of the total, never in the certain part), and
an interpretation behind an amount is flagged just as it is for eligibility. A fee whose
condition rests on an unconfirmed interpretation (a payment whose legal basis may have
lapsed) is never certain: where its condition holds it "may apply", since the sources do
not settle whether it is charged at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from talentvisa.profile import Profile
from talentvisa.rules import core
from talentvisa.rules.evaluator import Out, Result, environment, ev, evaluate, result_of
from talentvisa.rules.expr import Name
from talentvisa.rules.logic import UNKNOWN
from talentvisa.rules.model import Confidence, Fee, Program, Selection, Text, Version


@dataclass(frozen=True, slots=True)
class FeeResult:
    fee: Fee
    applies: Result  # pass: due; fail: not due; unknown/judgement: may be due
    amount: Decimal | None  # None when the amount itself depends on an unknown fact
    missing: tuple[str, ...]
    interpretations: tuple[str, ...]

    @property
    def due(self) -> bool:
        return self.applies == "pass"

    @property
    def possible(self) -> bool:
        return self.applies != "fail"


@dataclass(frozen=True, slots=True)
class Chance:
    applies: Result  # whether the selection applies to this person
    low: Decimal | None  # the chance if every unknown fact goes against the person
    high: Decimal | None
    missing: tuple[str, ...]
    interpretations: tuple[str, ...]
    basis: Text | None = None  # where the chances come from, e.g. a DHS projection
    estimate: bool = False  # a projection, not an outcome: never the person's own odds


def _facts(*outs: Out) -> tuple[tuple[str, ...], tuple[str, ...]]:
    missing: set[str] = set()
    interps: set[str] = set()
    for o in outs:
        missing |= o.missing
        interps |= o.interps
    return tuple(sorted(missing)), tuple(sorted(interps))


def _unconfirmed(program: Program, out: Out) -> bool:
    params = program.parameters
    return any(
        (i := params[n].interpretation) is not None and i.confidence == Confidence.unconfirmed
        for n in out.interps
    )


def fees_for(
    profile: Profile, program: Program, version: Version, as_of: dt.date
) -> tuple[FeeResult, ...]:
    env = environment(profile, program, as_of)
    results: list[FeeResult] = []
    for fee in version.fees:
        when = ev(fee.when.node, env)
        if when.value is False:
            results.append(FeeResult(fee, "fail", None, (), _facts(when)[1]))
            continue
        amount = ev(fee.amount.node, env)
        value = None if amount.value is UNKNOWN else Decimal(amount.value)
        missing, interps = _facts(when, amount)
        applies = result_of(when)
        if applies == "pass" and _unconfirmed(program, when):
            applies = "unknown"
        results.append(FeeResult(fee, applies, value, missing, interps))
    return tuple(results)


def _reads_points(selection: Selection) -> bool:
    from talentvisa.rules.loader import walk

    nodes = [
        selection.applies.node,
        *(n for r in selection.rows for n in (r.when.node, r.chance.node)),
    ]
    return any(isinstance(n, Name) and n.name == "points" for node in nodes for n in walk(node))


def chance_for(profile: Profile, program: Program, selection: Selection, as_of: dt.date) -> Chance:
    """The bounds are ``core``'s ``chance_bounds``, whose lowest is the ``chance`` that
    ``simulate`` compiles: one meaning for one person and for a population."""
    env = environment(profile, program, as_of)
    if _reads_points(selection):  # a ranking: the selection reads the programme's points
        assessed = evaluate(profile, program, as_of)
        if assessed.points is not None:
            scored = (assessed.points.score, assessed.points.max_possible)
            env = replace(env, points=(*scored, frozenset(assessed.missing)))
    applies = ev(selection.applies.node, env)
    flags = (selection.basis, selection.estimate)
    if applies.value is False:  # not subject to it: nothing else is read or asked for
        low, high = core.chance_bounds(False, ())
        return Chance("fail", Decimal(low), Decimal(high), (), (), *flags)
    outs = [applies]
    rows: list[tuple[Any, Any]] = []
    for row in selection.rows:
        when = ev(row.when.node, env)
        outs.append(when)
        if when.value is False:
            continue  # its chance is not read, nor its facts asked for
        chance = ev(row.chance.node, env)
        outs.append(chance)
        rows.append((_maybe(when.value), _maybe(chance.value, Decimal)))
    missing, interps = _facts(*outs)
    low, high = core.chance_bounds(_maybe(applies.value), rows)
    return Chance(
        result_of(applies), _maybe(low, Decimal), _maybe(high, Decimal), missing, interps, *flags
    )


def _maybe(value: Any, kind: Callable[[Any], Any] | None = None) -> Any:
    """The evaluator's UNKNOWN is the core's None."""
    if value is UNKNOWN or value is None:
        return None
    return value if kind is None else kind(value)
