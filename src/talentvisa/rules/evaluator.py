"""The reference evaluator: one profile, one programme, one date.

Every condition node yields an ``Out``: its value (or UNKNOWN) and its
*support*, the facts that decided it: missing profile fields, interpretation parameters
read, and the comparisons made. Connectives keep only the support of operands that agree
with their result, so a failed criterion is explained by what failed, and an undetermined
one lists only the facts that could still change the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Literal

from pydantic import BaseModel

from talentvisa import fx, register
from talentvisa.profile import Profile
from talentvisa.rules import core
from talentvisa.rules.core import DECIDE, union_months, whole_months, years_before
from talentvisa.rules.core import whole_years as whole_years  # read from here by inputs.py
from talentvisa.rules.expr import (
    Arith,
    Attr,
    BoolOp,
    Call,
    Compare,
    Index,
    Judgement,
    Lambda,
    ListLit,
    Name,
    Neg,
    Node,
    Not,
    takes_lambda,
)
from talentvisa.rules.expr import Literal as Lit
from talentvisa.rules.logic import UNKNOWN, Truth, Unknown, t_and, t_not, t_or
from talentvisa.rules.model import (
    AllOf,
    AnyOf,
    Citation,
    Criterion,
    Leaf,
    NoneOf,
    ParamValue,
    Points,
    PointsNode,
    Program,
    Text,
)
from talentvisa.vocab import OrderedEnum

Result = Literal["pass", "fail", "unknown", "judgement"]
Status = Literal["eligible", "ineligible", "undetermined", "not_in_force"]

EMPTY: Final[frozenset[str]] = frozenset()


@dataclass(frozen=True, slots=True)
class Check:
    """One comparison as it was made, for explanations: ``left op right -> result``."""

    left: str | None  # a field path or parameter name; None for a literal
    left_value: Any
    op: str
    right: str | None
    right_value: Any
    result: Truth
    # "at least" / "at most" when a side is a bound on a partly unknown count or total
    left_bound: str | None = None
    right_bound: str | None = None


@dataclass(frozen=True, slots=True)
class Out:
    value: Any
    missing: frozenset[str] = EMPTY
    interps: frozenset[str] = EMPTY
    checks: tuple[Check, ...] = ()
    label: str | None = None  # where a value came from (field path or parameter name)


JUDGED: Final = Check(None, None, "judgement", None, None, UNKNOWN)


@dataclass(frozen=True, slots=True)
class Bounds:
    """A number known only to lie between ``low`` and ``high`` (None: unbounded that side).

    Counts, sums and months over lists with some unknown entries are bounded by the entries
    that are known: the certain ones give the low bound, the certain and possible ones the
    high bound. ``low_why`` and ``high_why`` explain each bound and carry no missing fact:
    a comparison decided by a bound needs nothing more.
    """

    low: int | Decimal | None
    high: int | Decimal | None
    low_why: Out
    high_why: Out


def _bounded(
    low: int | Decimal | None, high: int | Decimal | None, low_why: Out, high_why: Out, rest: Out
) -> Out:
    """An aggregate's result: exact when the bounds meet, else Bounds with ``rest``'s support."""
    if low is not None and low == high:
        return replace(_merge([low_why, high_why], low), missing=EMPTY, label=rest.label)
    if low is None and high is None:
        return replace(rest, value=UNKNOWN)
    return replace(rest, value=Bounds(low, high, _settled(low_why), _settled(high_why)))


def _settled(out: Out) -> Out:
    return replace(out, missing=EMPTY)


def _interval(out: Out) -> Bounds:
    if isinstance(out.value, Bounds):
        return out.value
    plain = _settled(out)
    return Bounds(out.value, out.value, plain, plain)


def _maybe(value: Any) -> Any:
    """The core's unknown is None; the evaluator's is UNKNOWN (beside its support)."""
    return None if value is UNKNOWN else value


def needs_judgement(out: Out) -> bool:
    """Undetermined only because an officer must judge: no fact is missing."""
    return out.value is UNKNOWN and not out.missing and JUDGED in out.checks


def _merge(outs: Iterable[Out], value: Any) -> Out:
    missing: set[str] = set()
    interps: set[str] = set()
    checks: list[Check] = []
    for o in outs:
        missing |= o.missing
        interps |= o.interps
        checks.extend(o.checks)
    return Out(value, frozenset(missing), frozenset(interps), tuple(checks))


def _agreeing(outs: list[Out], result: Truth) -> list[Out]:
    """The operands that explain a result: those that agree with it, or all when unknown.

    An undetermined result keeps the determined operands too: they carry no missing facts,
    but their comparisons and interpretations say why it is not simply true or false
    (age 46 is above the assumed limit of 45, so an officer must judge).
    """
    if isinstance(result, Unknown):
        return outs
    return [o for o in outs if o.value is result]


@dataclass(frozen=True, slots=True)
class Env:
    profile: Profile
    as_of: dt.date
    params: Mapping[str, ParamValue | None]
    interpreted: frozenset[str]
    local: Mapping[str, tuple[Any, str]] = field(default_factory=dict)
    # The programme's points for the selection to read: certain, possible, and the facts
    # that could still move them (None where no points were counted).
    points: tuple[int, int, frozenset[str]] | None = None
    # Closed calls over a list (no lambda encloses them) already evaluated in this
    # assessment: the loader makes equal ones one node, and Express Entry asks "an
    # accompanying spouse?" in 64 rows. Keyed by the node and the points a selection reads.
    memo: dict[tuple[int, object], Out] = field(default_factory=dict, compare=False)

    def bind(self, name: str, value: Any, path: str) -> Env:
        return Env(
            self.profile,
            self.as_of,
            self.params,
            self.interpreted,
            {**self.local, name: (value, path)},
            self.points,
            self.memo,
        )


def _age(env: Env) -> Out:
    if env.profile.birth_date is not None:
        return Out(whole_years(env.profile.birth_date, env.as_of), label="age")
    if env.profile.age is not None:
        return Out(env.profile.age, label="age")
    return Out(UNKNOWN, frozenset({"birth_date"}), label="age")


def ev(node: Node, env: Env) -> Out:
    """A node's value; a number known only within bounds is UNKNOWN here (see ``_ev``)."""
    out = _ev(node, env)
    if isinstance(out.value, Bounds):
        return replace(out, value=UNKNOWN)
    return out


def _ev(node: Node, env: Env) -> Out:
    """Like ``ev``, but a partly known count, sum or number of months stays ``Bounds``,
    for the comparisons and arithmetic that can still decide on a bound."""
    match node:
        case Lit(value=v):
            return Out(v)
        case Judgement():
            return Out(UNKNOWN, checks=(JUDGED,))
        case Name(name=n):
            return _name(n, env)
        case Attr(obj=o, name=n):
            obj = ev(o, env)
            path = f"{obj.label}.{n}" if obj.label else n
            if obj.value is UNKNOWN:
                return Out(UNKNOWN, obj.missing, obj.interps, label=path)
            value = getattr(obj.value, n)
            if value is None:
                return Out(UNKNOWN, obj.missing | {path}, obj.interps, label=path)
            return Out(value, obj.missing, obj.interps, _flag(path, value), path)
        case Index(obj=o, key=k):
            obj = ev(o, env)
            path = f"{obj.label}.{k}"
            if obj.value is UNKNOWN:
                # An unknown map is missing the one entry asked for, not the whole map.
                missing = (
                    obj.missing - {obj.label} | {path} if obj.label in obj.missing else obj.missing
                )
                return Out(UNKNOWN, missing, obj.interps, label=path)
            value = obj.value.get(k)
            if value is None:
                return Out(UNKNOWN, obj.missing | {path}, obj.interps, label=path)
            return Out(value, obj.missing, obj.interps, label=path)
        case Not(operand=o):
            inner = ev(o, env)
            return Out(t_not(inner.value), inner.missing, inner.interps, inner.checks)
        case Neg(operand=o):
            inner = _ev(o, env)
            if isinstance(inner.value, Bounds):
                bd = inner.value
                neg = [None if v is None else -v for v in (bd.high, bd.low)]
                return replace(inner, value=Bounds(neg[0], neg[1], bd.high_why, bd.low_why))
            return Out(
                inner.value if inner.value is UNKNOWN else -inner.value,
                inner.missing,
                inner.interps,
            )
        case BoolOp(op=op, left=left, right=right):
            return _boolop(op, left, right, env)
        case Compare():
            return _compare(node, env)
        case Arith(op=op, left=left, right=right):
            a, b = _ev(left, env), _ev(right, env)
            if isinstance(a.value, Bounds) or isinstance(b.value, Bounds):
                return _arith_bounds(op, a, b)
            if a.value is UNKNOWN or b.value is UNKNOWN:
                return _merge([o for o in (a, b) if o.value is UNKNOWN], UNKNOWN)
            return _merge((a, b), core.arith(op, a.value, b.value))
        case ListLit(items=items):
            outs = [ev(i, env) for i in items]
            unknown = [o for o in outs if o.value is UNKNOWN]
            if unknown:
                return _merge(unknown, UNKNOWN)
            return _merge(outs, tuple(o.value for o in outs))
        case Call(func=f, args=args):
            if env.local or not takes_lambda(node):
                return _CALLS[f](args, env)
            key = (id(node), env.points)
            if (known := env.memo.get(key)) is None:
                known = env.memo[key] = _CALLS[f](args, env)
            return known
    raise TypeError(f"cannot evaluate {type(node).__name__}")  # pragma: no cover


def _name(n: str, env: Env) -> Out:
    if n in env.local:
        value, path = env.local[n]
        return Out(value, label=path)
    if n in env.params:
        value = env.params[n]
        interps = frozenset({n}) if n in env.interpreted else EMPTY
        return Out(UNKNOWN if value is None else value, interps=interps, label=n)
    if n == "as_of":
        return Out(env.as_of, label="as_of")
    if n == "age":
        return _age(env)
    if n == "points":
        return _points_name(env)
    value = getattr(env.profile, n)
    if value is None:
        return Out(UNKNOWN, frozenset({n}), label=n)
    return Out(value, checks=_flag(n, value), label=n)


def _points_name(env: Env) -> Out:
    """The programme's points: exact when certain, else a bound from the certain points to
    the points if every undetermined row held (a cut-off above both is decided)."""
    if env.points is None:
        return Out(UNKNOWN, label="points")
    low, high, missing = env.points
    if low == high:
        return Out(low, label="points")
    why = Out(low, label="points"), Out(high, label="points")
    return Out(Bounds(low, high, *why), frozenset(missing), label="points")


def _flag(path: str, value: Any) -> tuple[Check, ...]:
    """A yes/no fact read directly is itself a check worth showing in explanations."""
    return (Check(path, value, "is", None, True, value),) if isinstance(value, bool) else ()


def _boolop(op: str, left: Node, right: Node, env: Env) -> Out:
    a = ev(left, env)
    stop = op == "or"  # the value that decides the connective on its own
    if a.value is stop:
        return Out(stop, a.missing, a.interps, a.checks)
    b = ev(right, env)
    result = (t_and if op == "and" else t_or)(a.value, b.value)
    return _merge(_agreeing([a, b], result), result)


def _rank(value: Any, enum: type[Enum] | None) -> Any:
    if enum is not None and issubclass(enum, OrderedEnum):
        return core.scalar("rank")(value, enum)
    return value


# Which bound of each side explains each bound of a sum or difference.
_WHY: Final = {
    "+": (("low_why", "low_why"), ("high_why", "high_why")),
    "-": (("low_why", "high_why"), ("high_why", "low_why")),
}


def _arith_bounds(op: str, a: Out, b: Out) -> Out:
    """Interval arithmetic on bounds (``core``'s ``interval``); the entries behind each
    bound explain it."""
    if a.value is UNKNOWN or b.value is UNKNOWN:
        return _merge(
            [o for o in (a, b) if o.value is UNKNOWN or isinstance(o.value, Bounds)], UNKNOWN
        )
    x, y = _interval(a), _interval(b)
    rest = _merge((a, b), None)
    a_bounded, b_bounded = isinstance(a.value, Bounds), isinstance(b.value, Bounds)
    result = core.scalar("interval")(op, (x.low, x.high), (y.low, y.high), a_bounded, b_bounded)
    if result is None:
        return replace(rest, value=UNKNOWN)
    low, high = result
    if op in _WHY:
        (xl, yl), (xh, yh) = _WHY[op]
        return _bounded(
            low,
            high,
            _merge((getattr(x, xl), getattr(y, yl)), None),
            _merge((getattr(x, xh), getattr(y, yh)), None),
            rest,
        )
    bounded, factor = (x, b.value) if a_bounded else (y, a.value)
    if factor < 0:
        return _bounded(low, high, bounded.high_why, bounded.low_why, rest)
    return _bounded(low, high, bounded.low_why, bounded.high_why, rest)


_BOUND_WORD: Final = {"low": "at least", "high": "at most"}


def _compare_bounds(node: Compare, a: Out, b: Out) -> Out:
    """A comparison with a bounded side is decided when the whole interval is on one side
    (``core.decide``); the bound that decided it, and the entries behind that bound,
    explain it."""
    x, y = _interval(a), _interval(b)
    decided = core.decide(node.op, (x.low, x.high), (y.low, y.high))
    if decided is None:
        return _merge((a, b), UNKNOWN)
    result, side_a, side_b = decided
    why = _merge((getattr(x, f"{side_a}_why"), getattr(y, f"{side_b}_why")), result)
    check = Check(
        a.label,
        getattr(x, side_a),
        node.op,
        b.label,
        getattr(y, side_b),
        result,
        _BOUND_WORD[side_a] if isinstance(a.value, Bounds) else None,
        _BOUND_WORD[side_b] if isinstance(b.value, Bounds) else None,
    )
    return Out(result, EMPTY, why.interps, (*why.checks, check))


def _compare(node: Compare, env: Env) -> Out:
    a, b = _ev(node.left, env), _ev(node.right, env)
    if isinstance(a.value, Bounds) or isinstance(b.value, Bounds):
        if a.value is not UNKNOWN and b.value is not UNKNOWN and node.op in DECIDE:
            return _compare_bounds(node, a, b)
        a, b = (replace(o, value=UNKNOWN) if isinstance(o.value, Bounds) else o for o in (a, b))
    if a.value is UNKNOWN or b.value is UNKNOWN:
        return _merge([o for o in (a, b) if o.value is UNKNOWN], UNKNOWN)
    if node.op in ("in", "not in"):
        found = core.scalar("isin")(a.value, b.value)
        result = found if node.op == "in" else not found
    else:
        enum = next((t.enum for t in (node.left.ty, node.right.ty) if t and t.enum), None)
        result = core.compare(node.op, _rank(a.value, enum), _rank(b.value, enum))
    check = Check(a.label, a.value, node.op, b.label, b.value, result)
    merged = _merge((a, b), result)
    return Out(result, merged.missing, merged.interps, (*merged.checks, check))


def _items(args: tuple[Node, ...], env: Env) -> tuple[Out, Lambda | None]:
    lst = ev(args[0], env)
    fn = args[1] if len(args) > 1 and isinstance(args[1], Lambda) else None
    return lst, fn


def _each(lst: Out, fn: Lambda, env: Env) -> list[Out]:
    return [
        ev(fn.body, env.bind(fn.param, item, f"{lst.label}[{i}]"))
        for i, item in enumerate(lst.value)
    ]


def _quantifier(op: str) -> Callable[[tuple[Node, ...], Env], Out]:
    combine = t_or if op == "any" else t_and
    unit: Truth = op != "any"

    def run(args: tuple[Node, ...], env: Env) -> Out:
        lst, fn = _items(args, env)
        if lst.value is UNKNOWN:
            return lst
        assert fn is not None
        outs = _each(lst, fn, env)
        result: Truth = unit
        for o in outs:
            result = combine(result, o.value)
        support = _agreeing(outs, result)
        if result is (op == "any") and support:
            support = support[:1]  # one witness is enough to explain a success
        if not outs:
            checks = (Check(lst.label, (), "is empty", None, None, result),)
            return Out(result, lst.missing, lst.interps, checks)
        return _merge([lst, *support], result)

    return run


def _aggregate(counting: bool) -> Callable[[tuple[Node, ...], Env], Out]:
    """count(list, x => cond) or sum(list, x => number), bounded by the known entries.

    A count is at least the entries that certainly match and at most those that may; an
    unknown list is counted as at least none. A sum of terms of which some are unknown is
    unbounded (a term may be any number), unless the unknown terms are themselves bounded.
    """

    def run(args: tuple[Node, ...], env: Env) -> Out:
        lst, fn = _items(args, env)
        label = f"{lst.label}.{'count' if counting else 'sum'}"
        if lst.value is UNKNOWN:
            if not counting:
                return lst
            low, high = core.scalar("count")(None)
            return _bounded(low, high, Out(0), Out(0), replace(lst, label=label))
        assert fn is not None
        outs = (
            _each(lst, fn, env)
            if counting
            else [
                _ev(fn.body, env.bind(fn.param, item, f"{lst.label}[{i}]"))
                for i, item in enumerate(lst.value)
            ]
        )
        if counting:
            low, high = core.scalar("count")(
                [None if o.value is UNKNOWN else o.value for o in outs]
            )
        else:
            terms = [
                (None, None) if o.value is UNKNOWN else (_interval(o).low, _interval(o).high)
                for o in outs
            ]
            low, high = core.scalar("sum")(terms)
        if not any(o.value is UNKNOWN or isinstance(o.value, Bounds) for o in outs):
            return replace(_merge(outs, low), label=label)
        rest = replace(_merge([lst, *outs], None), label=label)
        known = _merge([_settled(o) for o in outs], None)
        sure = _merge([o for o in outs if o.value is True], None) if counting else known
        return _bounded(low, high, sure, known, rest)

    return run


def _dates(args: tuple[Node, ...], env: Env, fn: Callable[..., Any]) -> Out:
    outs = [ev(a, env) for a in args]
    unknown = [o for o in outs if o.value is UNKNOWN]
    if unknown:
        return _merge(unknown, UNKNOWN)
    return _merge(outs, fn(*(o.value for o in outs)))


def _within(args: tuple[Node, ...], env: Env) -> Out:
    code, fields = ev(args[0], env), ev(args[1], env)
    if code.value is UNKNOWN or fields.value is UNKNOWN:
        return _merge([o for o in (code, fields) if o.value is UNKNOWN], UNKNOWN)
    result = core.scalar("isced_within")(code.value, fields.value)
    merged = _merge((code, fields), result)
    check = Check(code.label, code.value, "within", fields.label, fields.value, result)
    return Out(result, merged.missing, merged.interps, (*merged.checks, check))


def _months_within(args: tuple[Node, ...], env: Env) -> Out:
    """Union of matching periods clipped to the window, so overlapping jobs count once.

    With some entries unknown (their condition, start or end), the months are bounded: at
    least those of the certain entries, at most those with every unknown entry matching
    and spanning as far as it could (an unknown start from the window's start, an unknown
    end to ``as_of``). An unknown entry that could add nothing is not asked about.
    """
    lst, fn = _items(args, env)
    years = ev(args[2], env)
    if years.value is UNKNOWN:
        return _merge([o for o in (lst, years) if o.value is UNKNOWN], UNKNOWN)
    window_start = years_before(env.as_of, int(years.value))
    label = f"{lst.label}.months_in_last_{years.value}_years"
    cap = max(whole_months(window_start, env.as_of), 0)
    if lst.value is UNKNOWN:
        return _bounded(
            0,
            cap,
            _settled(years),
            _settled(years),
            replace(_merge([lst, years], None), label=label),
        )
    assert fn is not None
    certain: list[tuple[dt.date, dt.date]] = []
    possible: list[tuple[tuple[dt.date, dt.date], Out]] = []
    used: list[Out] = [years]
    for i, (item, out) in enumerate(zip(lst.value, _each(lst, fn, env), strict=True)):
        if out.value is False:
            continue
        path = f"{lst.label}[{i}]"
        start, end = item.start, _period_end(item, env.as_of)
        gaps = frozenset(
            f"{path}.{name}" for name, v in (("start", start), ("end", end)) if v is None
        )
        lo, hi = max(start or window_start, window_start), min(end or env.as_of, env.as_of)
        if out.value is True and not gaps:
            used.append(out)
            if lo < hi:
                certain.append((lo, hi))
        elif lo < hi:  # an unknown entry outside the window adds nothing
            possible.append(((lo, hi), Out(UNKNOWN, out.missing | gaps, out.interps, out.checks)))
    low, runs = union_months(certain)
    # An unknown entry within a run of certain months cannot add to them either.
    open_ = [(p, o) for p, o in possible if not any(r[0] <= p[0] and p[1] <= r[1] for r in runs)]
    if not open_:
        return replace(_merge(used, low), label=label)
    high, _ = union_months(certain + [p for p, _ in open_])
    why = _merge(used, None)
    rest = replace(_merge([*used, *(o for _, o in open_)], None), label=label)
    return _bounded(low, high, why, _merge([*used, *(_settled(o) for _, o in open_)], None), rest)


def _period_end(item: Any, as_of: dt.date) -> dt.date | None:
    end: dt.date | None = item.end
    if end is None and getattr(item, "ongoing", None):
        return as_of
    return end


def _pay(per_hour: bool) -> Callable[[tuple[Node, ...], Env], Out]:
    """Convert pay between periods; hours per week are needed only to cross to or from hours.

    With a currency, pay in another currency is converted at the ECB reference rate
    published on or before ``as_of`` (the conversion is a check, so reasons and the
    assessment's notes say which rate); with no such rate an officer must convert it, so
    the pay is a judgement, never a failure.
    """

    def run(args: tuple[Node, ...], env: Env) -> Out:
        money = ev(args[0], env)
        if money.value is UNKNOWN:
            return money
        period = money.value.period
        if period is None:
            return Out(UNKNOWN, money.missing | {f"{money.label}.period"}, money.interps)
        outs = [money]
        hours_value = None
        if core.needs_hours(period, per_hour):
            hours = ev(args[1], env)
            if hours.value is UNKNOWN:
                return _merge([hours], UNKNOWN)
            outs.append(hours)
            hours_value = hours.value
        amount: Decimal = core.scalar("pay")(money.value.amount, period, hours_value, per_hour)
        suffix = "per_hour" if per_hour else "per_year"
        label = f"{money.label}.{suffix}"
        checks: tuple[Check, ...] = ()
        target = args[2] if len(args) > 2 else None
        if isinstance(target, Lit) and target.value != money.value.currency:
            source = money.value.currency
            try:
                rate = fx.rate(source, target.value, env.as_of, published=True)
            except fx.NoRate:
                none = Check(
                    f"{money.label}.currency", source, "no rate", None, target.value, UNKNOWN
                )
                return replace(_merge(outs, UNKNOWN), checks=(none, JUDGED), label=label)
            checks = (Check(money.label, amount, "converted", None, rate, True),)
            amount = core.scalar("convert")(amount, rate.value)
            label = f"{label}_in_{target.value.lower()}"
        amount = core.scalar("round_pay")(amount)
        merged = _merge(outs, amount)
        return replace(merged, checks=(*merged.checks, *checks), label=label)

    return run


_CALLS: Final[dict[str, Callable[[tuple[Node, ...], Env], Out]]] = {
    "any": _quantifier("any"),
    "all": _quantifier("all"),
    "count": _aggregate(counting=True),
    "sum": _aggregate(counting=False),
    "years_since": lambda args, env: _dates(
        args, env, lambda d: core.scalar("whole_years")(d, env.as_of)
    ),
    "years_between": lambda args, env: _dates(args, env, core.scalar("whole_years")),
    "isced_in": lambda args, env: _within(args, env),
    "months_between": lambda args, env: _dates(args, env, core.scalar("whole_months")),
    "months_within": _months_within,
    "yearly": _pay(per_hour=False),
    "hourly": _pay(per_hour=True),
}


# ---------------------------------------------------------------- criteria


def result_of(out: Out) -> Result:
    if out.value is True:
        return "pass"
    if out.value is False:
        return "fail"
    return "judgement" if needs_judgement(out) else "unknown"


@dataclass(frozen=True, slots=True)
class PointsRowResult:
    table: str
    row: str
    title: Text
    points: int
    result: Result
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class PointsResult:
    score: int  # points already certain
    max_possible: int  # points if every unknown row turned out true
    threshold: int | Decimal | None
    rows: tuple[PointsRowResult, ...]
    exclusive: frozenset[str] = frozenset()  # tables of exclusive tiers: only the best counts


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    kind: Literal["criterion", "all", "any", "not", "points"]
    depth: int
    title: Text | None
    result: Result
    checks: tuple[Check, ...]
    missing: tuple[str, ...]
    interpretations: tuple[str, ...]
    citations: tuple[Citation, ...]
    judgement: Text | None = None
    finding: bool | None = None  # an officer's finding that settled a judgement
    points: PointsResult | None = None
    # The programme's parameters by name, so a reason can say "the highest age" in words.
    names: Mapping[str, Text] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Assessment:
    program: Program
    as_of: dt.date
    status: Status
    version_from: dt.date | None
    criteria: tuple[CriterionResult, ...]
    missing: tuple[str, ...]
    interpretations: tuple[str, ...]
    points: PointsResult | None
    conversions: tuple[fx.Rate, ...] = ()  # exchange rates the answer used, for its notes

    @property
    def program_id(self) -> str:
        return self.program.id


class _Walker:
    def __init__(self, env: Env, findings: Mapping[str, bool]) -> None:
        self.env = env
        self.findings = findings
        self.results: list[CriterionResult] = []
        self.points: PointsResult | None = None

    def run(self, node: Criterion, depth: int = 0) -> Out:
        match node:
            case Leaf():
                return self._leaf(node, depth)
            case AllOf(id=i, title=t, all=items) | AnyOf(id=i, title=t, any=items):
                kind: Literal["all", "any"] = "all" if isinstance(node, AllOf) else "any"
                slot = self._reserve()
                outs = [self.run(c, depth + 1) for c in items]
                result: Truth = kind == "all"
                for o in outs:
                    result = (t_and if kind == "all" else t_or)(result, o.value)
                out = _merge(_agreeing(outs, result), result)
                self._fill(
                    slot,
                    CriterionResult(i, kind, depth, t, result_of(out), (), *self._support(out), ()),
                )
                return out
            case NoneOf(id=i, title=t, not_=inner):
                slot = self._reserve()
                o = self.run(inner, depth + 1)
                out = Out(t_not(o.value), o.missing, o.interps, o.checks)
                self._fill(
                    slot,
                    CriterionResult(
                        i, "not", depth, t, result_of(out), (), *self._support(out), ()
                    ),
                )
                return out
            case PointsNode(points=p):
                return self._points(p, depth)
        raise TypeError(node)  # pragma: no cover

    def _reserve(self) -> int:
        self.results.append(None)  # type: ignore[arg-type]
        return len(self.results) - 1

    def _fill(self, slot: int, result: CriterionResult) -> None:
        self.results[slot] = result

    @staticmethod
    def _support(out: Out) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return tuple(sorted(out.missing)), tuple(sorted(out.interps))

    def _leaf(self, leaf: Leaf, depth: int) -> Out:
        out = ev(leaf.when.node, self.env)
        finding = None
        if needs_judgement(out) and leaf.id in self.findings:
            finding = self.findings[leaf.id]
            out = Out(finding, out.missing, out.interps, out.checks)
        self.results.append(
            CriterionResult(
                leaf.id,
                "criterion",
                depth,
                leaf.title,
                result_of(out),
                out.checks,
                *self._support(out),
                leaf.sources,
                leaf.judgement,
                finding,
            )
        )
        return out

    def _points(self, p: Points, depth: int) -> Out:
        rows: list[PointsRowResult] = []
        table_outs: list[tuple[int, int, list[Out]]] = []
        for table in p.tables:
            outs = [ev(r.when.node, self.env) for r in table.rows]
            lo, hi = core.scalar("points_table")(
                table.pick,
                [(_maybe(o.value), r.points) for r, o in zip(table.rows, outs, strict=True)],
            )
            table_outs.append((lo, hi, outs))
            rows.extend(
                PointsRowResult(table.id, r.id, r.title, r.points, result_of(o), o.checks)
                for r, o in zip(table.rows, outs, strict=True)
            )
        lo, hi = core.scalar("points_total")(p.pick, [t[:2] for t in table_outs])
        threshold = ev(p.threshold.node, self.env)
        passed = core.scalar("points_pass")(lo, hi, _maybe(threshold.value))
        result: Truth = UNKNOWN if passed is None else passed
        all_outs = [o for t in table_outs for o in t[2]]
        if result is UNKNOWN:
            support = [o for o in all_outs if isinstance(o.value, Unknown)] + [threshold]
        else:
            support = [o for o in all_outs if o.value is True] + [threshold]
        out = _merge(support, result)
        finding = None
        if needs_judgement(out) and p.id in self.findings:
            finding = self.findings[p.id]
            out = Out(finding, out.missing, out.interps, out.checks)
        t_value = None if threshold.value is UNKNOWN else threshold.value
        exclusive = frozenset(t.id for t in p.tables if t.pick == "max")
        self.points = PointsResult(lo, hi, t_value, tuple(rows), exclusive)
        self.results.append(
            CriterionResult(
                p.id,
                "points",
                depth,
                p.title,
                result_of(out),
                out.checks,
                *self._support(out),
                p.sources,
                p.judgement,
                finding,
                points=self.points,
            )
        )
        return out


def environment(profile: Profile, program: Program, as_of: dt.date) -> Env:
    """What conditions read: the profile, the date, and the parameters in force then."""
    interpreted = frozenset(n for n, p in program.parameters.items() if p.interpretation)
    return Env(profile, as_of, program.parameter_values(as_of), interpreted)


def evaluate(
    profile: Profile,
    program: Program,
    as_of: dt.date,
    findings: Mapping[str, bool] | None = None,
) -> Assessment:
    """Assess one profile against one programme on one date.

    ``findings`` maps criterion ids to an officer's decision on criteria whose result
    would otherwise be ``judgement``. Institutions picked from the register are read with
    its editions in force on ``as_of`` (every surface evaluates here, so none can skip it).
    """
    version = program.version_at(as_of)
    if version is None:
        return Assessment(program, as_of, "not_in_force", None, (), (), (), None)
    profile = register.on_date(profile, as_of)
    walker = _Walker(environment(profile, program, as_of), findings or {})
    root = walker.run(version.criteria)
    names = {name: p.description for name, p in program.parameters.items()}
    results = tuple(replace(c, names=names) for c in walker.results)
    status: Status = core.scalar("status")(_maybe(root.value))
    return Assessment(
        program,
        as_of,
        status,
        version.from_,
        results,
        tuple(sorted(root.missing)),
        tuple(sorted(root.interps)),
        walker.points,
        _conversions(walker.results, walker.points),
    )


def _conversions(
    results: Iterable[CriterionResult], points: PointsResult | None
) -> tuple[fx.Rate, ...]:
    checks = [k for c in results for k in c.checks]
    checks += [k for r in (points.rows if points else ()) for k in r.checks]
    rates = (k.right_value for k in checks if k.op == "converted")
    return tuple(dict.fromkeys(rates))


def profile_value(profile: BaseModel, path: str) -> Any:
    """Read a dotted/indexed path such as ``education[0].institution.world_rank``."""
    value: Any = profile
    for part in path.replace("]", "").replace("[", ".").split("."):
        if value is None:
            return None
        if part.isdigit():
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            value = getattr(value, part)
    return value
