"""The lowered core: the few operations every rule means, each in two translations.

The scalar evaluator (one person, with reasons) and the population compiler (Ibis, any
engine) used to interpret the rule tree separately. Both now compute values with the
operations below, so a meaning is written once, next to its translation:

- ``scalar``: Python values, ``None`` for unknown. Strict operations are unknown when an
  operand is; the connectives follow Kleene's strong logic (``logic.py``), as SQL's
  three-valued AND/OR/NOT do.
- ``ibis``: the same operation on Ibis expressions (nulls for unknown) or Python constants.

``LOWERING`` says which operations each construct of the rule language lowers to, and
``tests/test_core_coverage.py`` fails when a construct has no lowering or an operation lacks
either translation. The rewrites the compiler applies before translating (ordered levels as
one set membership, an age bound as one birth-date comparison) are here too, so their
agreement with the plain meaning is tested beside the operations.

Ibis is imported only when a translation runs: the scalar path does not need it.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Final

from talentvisa.rules.logic import UNKNOWN, Truth, t_and, t_not, t_or
from talentvisa.vocab import OrderedEnum, isced_within

Maybe = Any  # a Python value, or None when unknown


def _ibis() -> Any:
    import ibis

    return ibis


def _is_expr(value: Any) -> bool:
    import ibis.expr.types as ir

    return isinstance(value, ir.Value)


def lift(value: Any, dtype: str | None = None) -> Any:
    """A Python constant as an Ibis literal; expressions pass through."""
    if _is_expr(value):
        return value
    if isinstance(value, Decimal):
        value = float(value)
    ibis = _ibis()
    return ibis.null(dtype) if value is None else ibis.literal(value, dtype)


@dataclass(frozen=True, slots=True)
class CoreOp:
    """One operation: what it means on one person, and on a column."""

    name: str
    doc: str
    scalar: Callable[..., Any]
    ibis: Callable[..., Any]


OPS: dict[str, CoreOp] = {}


def op(name: str, doc: str, scalar: Callable[..., Any], ibis: Callable[..., Any]) -> CoreOp:
    if name in OPS:
        raise ValueError(f"core operation {name!r} defined twice")
    OPS[name] = CoreOp(name, doc, scalar, ibis)
    return OPS[name]


def scalar(name: str) -> Callable[..., Any]:
    return OPS[name].scalar


def ibis_of(name: str) -> Callable[..., Any]:
    return OPS[name].ibis


def _strict(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Unknown when any operand is unknown."""

    def run(*args: Any) -> Any:
        return None if any(a is None for a in args) else fn(*args)

    return run


# ---------------------------------------------------------------- Kleene connectives


def _truth(value: Maybe) -> Truth:
    return UNKNOWN if value is None or value is UNKNOWN else bool(value)


def _known(value: Truth) -> bool | None:
    return None if value is UNKNOWN else bool(value)


def _fold(fn: Callable[[Any, Any], Any], values: Sequence[Any], empty: Any) -> Any:
    if not values:
        return empty
    result = values[0]
    for v in values[1:]:
        result = fn(result, v)
    return result


op(
    "and",
    "Kleene conjunction: false wins over unknown",
    lambda a, b: _known(t_and(_truth(a), _truth(b))),
    lambda a, b: lift(a, "boolean") & lift(b, "boolean"),
)
op(
    "or",
    "Kleene disjunction: true wins over unknown",
    lambda a, b: _known(t_or(_truth(a), _truth(b))),
    lambda a, b: lift(a, "boolean") | lift(b, "boolean"),
)
op(
    "not",
    "Kleene negation: unknown stays unknown",
    lambda a: _known(t_not(_truth(a))),
    lambda a: ~lift(a, "boolean"),
)
op(
    "judgement",
    "a question only an officer can settle: unknown, with no missing fact",
    lambda: None,
    lambda: _ibis().null("boolean"),
)


def all_of(values: Sequence[Any]) -> Any:
    """Conjunction of many (Ibis), true when there are none."""
    return _fold(ibis_of("and"), list(values), lift(True))


def any_of(values: Sequence[Any]) -> Any:
    """Disjunction of many (Ibis), false when there are none."""
    return _fold(ibis_of("or"), list(values), lift(False))


# ---------------------------------------------------------------- values and comparisons


op("const", "a literal or a parameter", lambda v: v, lift)

CMP: Final[dict[str, str]] = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_PY_CMP: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
for _name, _fn in _PY_CMP.items():
    op(
        _name,
        f"comparison ({_name}); unknown when a side is",
        _strict(_fn),
        lambda a, b, _fn=_fn: _fn(lift(a), b),
    )


def compare(symbol: str, a: Any, b: Any) -> Any:
    """``a symbol b`` on known scalar values (the evaluator has handled unknowns)."""
    return bool(_PY_CMP[CMP[symbol]](a, b))


def _isin_ibis(value: Any, values: Sequence[Any]) -> Any:
    ibis = _ibis()
    column = lift(value)
    # Spelled as a CASE: Spark's SQL parser rejects ``x IN (...) IS NULL``, which Ibis
    # writes for the unknown test of a bare IN.
    return ibis.ifelse(column.isnull(), ibis.null("boolean"), column.isin(tuple(values)))


op(
    "isin",
    "membership in a constant set; unknown when the value is",
    lambda v, values: None if v is None else v in values,
    _isin_ibis,
)


def _rank_ibis(value: Any, enum: type[Enum]) -> Any:
    ibis = _ibis()
    members = [m.value for m in enum]
    if isinstance(value, str):
        return members.index(value)
    return ibis.cases(*((value == m, i) for i, m in enumerate(members)), else_=ibis.null("int64"))


op(
    "rank",
    "an ordered level's position, lowest first",
    lambda v, enum: None if v is None else enum.rank(v),
    _rank_ibis,
)


def level_set(
    enum: type[OrderedEnum], symbol: str, level: str, level_on_right: bool
) -> tuple[str, ...]:
    """Rewrite: ``x >= "master"`` is ``x in (master, doctorate)``, one set membership
    instead of ranking every row (``level_on_right`` False: ``"master" <= x``)."""
    fixed = enum.rank(level)
    return tuple(
        m.value
        for m in enum
        if (
            compare(symbol, enum.rank(m.value), fixed)
            if level_on_right
            else compare(symbol, fixed, enum.rank(m.value))
        )
    )


# ---------------------------------------------------------------- arithmetic


def _div(a: Any, b: Any) -> Any:
    return Decimal(a) / Decimal(b)


ARITH: Final[dict[str, str]] = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
_PY_ARITH: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": _div,
}
_IBIS_ARITH: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
}
for _name, _fn in _PY_ARITH.items():
    op(_name, f"arithmetic ({_name}); unknown when a side is", _strict(_fn), _IBIS_ARITH[_name])
op("neg", "minus a number", _strict(operator.neg), operator.neg)


def arith(symbol: str, a: Any, b: Any) -> Any:
    """``a symbol b`` on known scalar values."""
    return _PY_ARITH[ARITH[symbol]](a, b)


# ---------------------------------------------------------------- dates


def whole_years(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February becomes the 28th in other years."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _whole_years_ibis(start: Any, end: Any) -> Any:
    ibis = _ibis()
    start, end = lift(start), lift(end)
    before = (end.month() < start.month()) | (
        (end.month() == start.month()) & (end.day() < start.day())
    )
    return end.year() - start.year() - ibis.ifelse(before, 1, 0)


def _whole_months_ibis(start: Any, end: Any) -> Any:
    ibis = _ibis()
    start, end = lift(start), lift(end)
    months = (end.year() - start.year()) * 12 + end.month() - start.month()
    return months - ibis.ifelse(end.day() < start.day(), 1, 0)


op("whole_years", "whole years from a date to another", _strict(whole_years), _whole_years_ibis)
op("whole_months", "whole months from a date to another", _strict(whole_months), _whole_months_ibis)


def age_bound(symbol: str, years: Any, as_of: dt.date) -> tuple[str, dt.date] | None:
    """Rewrite: ``age >= 45`` on ``as_of`` is ``birth_date <= as_of 45 years earlier``: one
    date comparison instead of building whole years from year, month and day. Returns
    (comparison on birth_date, date), or None where no such rewrite holds (a bound that is
    not a whole number, or ``==``/``!=``)."""
    if isinstance(years, bool) or not isinstance(years, int | float | Decimal):
        return None
    if years != int(years) or symbol not in (">=", ">", "<=", "<"):
        return None
    n = int(years)
    # whole_years(b, as_of) >= n  <=>  b <= years_before(as_of, n)
    if symbol in (">", "<="):
        n += 1  # age > n is age >= n+1; age <= n is not age >= n+1
    if n < 0 or n > as_of.year - 1:
        return None
    cutoff = years_before(as_of, n)
    return ("<=", cutoff) if symbol in (">=", ">") else (">", cutoff)


op(
    "age_bound",
    "an age compared with a whole number, as one comparison of the birth date",
    lambda born, symbol, years, as_of: _age_bound_scalar(born, symbol, years, as_of),
    lambda born, symbol, years, as_of: _age_bound_ibis(born, symbol, years, as_of),
)


def _age_bound_scalar(born: dt.date | None, symbol: str, years: Any, as_of: dt.date) -> Any:
    rewritten = age_bound(symbol, years, as_of)
    if born is None or rewritten is None:
        return None
    return compare(rewritten[0], born, rewritten[1])


def _age_bound_ibis(born: Any, symbol: str, years: Any, as_of: dt.date) -> Any:
    rewritten = age_bound(symbol, years, as_of)
    assert rewritten is not None, "age_bound() is used only where it applies"
    return ibis_of(CMP[rewritten[0]])(born, _ibis().date(rewritten[1]))


# ---------------------------------------------------------------- fields of study


def _isced_ibis(code: Any, prefixes: Sequence[str]) -> Any:
    return any_of([lift(code).startswith(p) for p in prefixes])


op(
    "isced_within",
    "an ISCED-F field under one of the given codes",
    _strict(isced_within),
    _isced_ibis,
)


# ---------------------------------------------------------------- pay

PAY_PRECISION: Final = Decimal("0.000001")
PAY_DECIMALS: Final = 6  # pay is compared at 6 decimals in both paths
PER_YEAR: Final[dict[str, int]] = {"year": 1, "month": 12, "week": 52}


def needs_hours(period: str, per_hour: bool) -> bool:
    """Hours per week matter only to cross to or from pay per hour."""
    return (period == "hour") != per_hour


def _pay_scalar(amount: Any, period: Any, hours: Any, per_hour: bool) -> Any:
    if amount is None or period is None:
        return None
    amount = Decimal(amount)
    if needs_hours(period, per_hour):
        if hours is None:
            return None
        yearly_hours = Decimal(hours) * 52
        if period == "hour":
            return amount * yearly_hours
        return amount / yearly_hours * PER_YEAR[period]
    return amount if per_hour else amount * PER_YEAR[period]


def _pay_ibis(amount: Any, period: Any, hours: Any, per_hour: bool) -> Any:
    ibis = _ibis()
    yearly_hours = lift(hours, "float64") * 52
    if per_hour:
        cases = [(period == "hour", amount)]
        cases += [(period == p, amount / yearly_hours * k) for p, k in PER_YEAR.items()]
    else:
        cases = [(period == "hour", amount * yearly_hours)]
        cases += [(period == p, amount * k) for p, k in PER_YEAR.items()]
    return ibis.cases(*cases, else_=ibis.null("float64"))


op(
    "pay",
    "pay per year (or per hour) from pay per hour, week, month or year and weekly hours",
    _pay_scalar,
    _pay_ibis,
)
op(
    "convert",
    "an amount times an exchange rate (unknown where there is no rate)",
    _strict(lambda amount, rate: amount * rate),
    lambda amount, rate: amount * rate,
)
op(
    "round_pay",
    "pay rounded to 6 decimals, where both paths compare it",
    _strict(lambda amount: Decimal(amount).quantize(PAY_PRECISION)),
    lambda amount: amount.round(PAY_DECIMALS),
)


# ---------------------------------------------------------------- lists (slots)
#
# On one person a list is a Python list, or None when unknown. In the layout it is ``n``
# (null when unknown) and one value per slot, entry i present where n > i; the Ibis side
# takes (n, [(present, value), ...]).


def _exists_scalar(truths: Sequence[Maybe] | None) -> Any:
    if truths is None:
        return None
    return _known(_fold(t_or, [_truth(t) for t in truths], False))


def _forall_scalar(truths: Sequence[Maybe] | None) -> Any:
    if truths is None:
        return None
    return _known(_fold(t_and, [_truth(t) for t in truths], True))


def _unknown_list(n: Any, value: Any) -> Any:
    ibis = _ibis()
    return ibis.ifelse(n.isnull(), ibis.null("boolean"), value)


op(
    "exists",
    "some entry satisfies a condition (any); unknown for an unknown list",
    _exists_scalar,
    lambda n, entries: _unknown_list(n, any_of([p & c for p, c in entries])),
)
op(
    "forall",
    "every entry satisfies a condition (all); unknown for an unknown list",
    _forall_scalar,
    lambda n, entries: _unknown_list(n, all_of([~p | c for p, c in entries])),
)
op(
    "contains",
    "a list holds a value (x in list); unknown for an unknown list",
    lambda values, v: None if values is None or v is None else v in values,
    lambda n, entries, v: _unknown_list(n, any_of([p & (e == v) for p, e in entries])),
)


def _count_scalar(truths: Sequence[Maybe] | None) -> tuple[int, int | None]:
    if truths is None:
        return 0, None
    return sum(t is True for t in truths), sum(t is not False for t in truths)


def _count_ibis(n: Any, entries: Sequence[tuple[Any, Any]]) -> tuple[Any, Any]:
    ibis = _ibis()
    low: Any = ibis.literal(0)
    high: Any = ibis.literal(0)
    for present, cond in entries:
        cond = lift(cond, "boolean")
        low = low + ibis.ifelse((present & cond).fill_null(False), 1, 0)
        high = high + ibis.ifelse((present & cond.fill_null(True)).fill_null(False), 1, 0)
    return ibis.ifelse(n.isnull(), 0, low), ibis.ifelse(n.isnull(), ibis.null("int64"), high)


op(
    "count",
    "(at least, at most) how many entries satisfy a condition; an unknown list is at "
    "least 0 and unbounded above",
    _count_scalar,
    _count_ibis,
)


def _add_bound(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


def _sum_scalar(terms: Sequence[tuple[Any, Any]] | None) -> tuple[Any, Any]:
    """Each term is (low, high); an unknown term is (None, None), unbounded."""
    if terms is None:
        return None, None
    low: Any = 0
    high: Any = 0
    for t_low, t_high in terms:
        low, high = _add_bound(low, t_low), _add_bound(high, t_high)
    return low, high


def _sum_ibis(n: Any, entries: Sequence[tuple[Any, tuple[Any, Any]]]) -> tuple[Any, Any]:
    ibis = _ibis()
    low: Any = ibis.literal(0)
    high: Any = ibis.literal(0)
    for present, (t_low, t_high) in entries:
        low = low + ibis.ifelse(present, lift(t_low, "float64"), 0)
        high = high + ibis.ifelse(present, lift(t_high, "float64"), 0)
    unknown = n.isnull()
    return (
        ibis.ifelse(unknown, ibis.null("float64"), low),
        ibis.ifelse(unknown, ibis.null("float64"), high),
    )


op(
    "sum",
    "(at least, at most) the sum over the entries; unbounded where a term or the list is unknown",
    _sum_scalar,
    _sum_ibis,
)


def union_months(
    periods: Sequence[tuple[dt.date, dt.date]],
) -> tuple[int, list[tuple[dt.date, dt.date]]]:
    """Whole months of the union of periods, each run of overlapping ones counted once."""
    merged: list[tuple[dt.date, dt.date]] = []
    for lo, hi in sorted(periods):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return sum(whole_months(lo, hi) for lo, hi in merged), merged


def sorting_network(k: int) -> list[list[tuple[int, int]]]:
    """Compare-exchange layers that sort ``k`` items (each layer's pairs are disjoint, so a
    layer is one projection): the optimal networks up to four, odd-even transposition above."""
    known = {
        0: [],
        1: [],
        2: [[(0, 1)]],
        3: [[(0, 1)], [(1, 2)], [(0, 1)]],
        4: [[(0, 1), (2, 3)], [(0, 2), (1, 3)], [(1, 2)]],
    }
    if k in known:
        return known[k]
    return [[(i, i + 1) for i in range(r % 2, k - 1, 2)] for r in range(k)]


def union_months_ibis(
    table: Any,
    groups: dict[str, Sequence[tuple[Any, Any, Any]]],
    stage: Callable[[Any], Any] = lambda t: t,
) -> Any:
    """``union_months`` for several sets of (valid, start, end) periods at once: the table
    with a ``{tag}_months`` column per group (and working columns named ``{tag}_...``).

    As the scalar does, sorted and merged in one sweep: a sorting network orders each
    group's periods (valid ones first, then by start), one projection per layer of
    compare-exchanges, then one sweep over the sorted slots extends the current run while
    the next period starts on or before its end, and counts a run's whole months when the
    next one starts after it. Every group shares the projections; k periods need at most
    five layers for k <= 4 and k - 1 sweep steps, each expression a few comparisons deep
    (the earlier all-pairs merging took k - 1 rounds of k^2 nested choices). ``stage``
    is given each projection and returns the table the next one reads (the compiler
    makes each its own query stage).
    """
    ibis = _ibis()
    t = stage(
        table.mutate(
            **{
                f"{tag}_{part}{i}": value
                for tag, periods in groups.items()
                for i, (valid, lo, hi) in enumerate(periods)
                for part, value in (("v", lift(valid).fill_null(False)), ("a", lo), ("b", hi))
            }
        )
    )
    layers: dict[int, list[list[tuple[int, int]]]] = {}
    for periods in groups.values():
        layers.setdefault(len(periods), sorting_network(len(periods)))
    for depth in range(max((len(n) for n in layers.values()), default=0)):
        first, swap = {}, {}
        for tag, periods in groups.items():
            network = layers[len(periods)]
            if depth >= len(network):
                continue
            for a, c in network[depth]:
                va, vc = t[f"{tag}_v{a}"], t[f"{tag}_v{c}"]
                first[f"{tag}_f{a}"] = ~vc | (va & (t[f"{tag}_a{a}"] <= t[f"{tag}_a{c}"]))
        if not first:
            continue
        t = stage(t.mutate(**first))
        for tag, periods in groups.items():
            network = layers[len(periods)]
            if depth >= len(network):
                continue
            for a, c in network[depth]:
                keep = t[f"{tag}_f{a}"]
                for part in "vab":
                    x, y = t[f"{tag}_{part}{a}"], t[f"{tag}_{part}{c}"]
                    swap[f"{tag}_{part}{a}"] = ibis.ifelse(keep, x, y)
                    swap[f"{tag}_{part}{c}"] = ibis.ifelse(keep, y, x)
        t = stage(t.mutate(**swap))
    # The sweep: valid periods are first, so a valid one always follows a valid run.
    t = t.mutate(
        **{
            name: value
            for tag, periods in groups.items()
            if periods
            for name, value in (
                (f"{tag}_lo", t[f"{tag}_a0"]),
                (f"{tag}_hi", t[f"{tag}_b0"]),
                (f"{tag}_total", ibis.literal(0, "int64")),
            )
        }
    )
    for i in range(1, max((len(p) for p in groups.values()), default=0)):
        new = {}
        for tag, periods in groups.items():
            if i < len(periods):
                v, lo = t[f"{tag}_v{i}"], t[f"{tag}_a{i}"]
                new[f"{tag}_j"] = v & (lo <= t[f"{tag}_hi"])
                new[f"{tag}_n"] = v & (lo > t[f"{tag}_hi"])
        if not new:
            continue
        t = stage(t.mutate(**new))
        step = {}
        for tag, periods in groups.items():
            if i < len(periods):
                lo, hi = t[f"{tag}_a{i}"], t[f"{tag}_b{i}"]
                cur_lo, cur_hi = t[f"{tag}_lo"], t[f"{tag}_hi"]
                joins, starts = t[f"{tag}_j"], t[f"{tag}_n"]
                run = _whole_months_ibis(cur_lo, cur_hi)
                step[f"{tag}_total"] = t[f"{tag}_total"] + ibis.ifelse(starts, run, 0)
                step[f"{tag}_lo"] = ibis.ifelse(starts, lo, cur_lo)
                step[f"{tag}_hi"] = ibis.ifelse(starts | (joins & (hi > cur_hi)), hi, cur_hi)
        t = stage(t.mutate(**step))
    totals = {}
    for tag, periods in groups.items():
        if not periods:
            totals[f"{tag}_months"] = ibis.literal(0, "int64")
            continue
        last = _whole_months_ibis(t[f"{tag}_lo"], t[f"{tag}_hi"])
        totals[f"{tag}_months"] = t[f"{tag}_total"] + ibis.ifelse(t[f"{tag}_v0"], last, 0)
    return t.mutate(**totals)


op(
    "union_months",
    "whole months of the union of periods, overlapping ones counted once",
    lambda periods: union_months(periods)[0],
    union_months_ibis,
)


# ---------------------------------------------------------------- bounds
#
# A count, sum or number of months over a list with unknown entries is known only to lie
# in [low, high] (None: unbounded that side). A comparison is decided when the whole
# interval is on one side.

# For each comparison, the ways a bound settles it: (result, the left side's bound, the
# right side's bound, the test on those two bounds that must hold).
DECIDE: Final[dict[str, tuple[tuple[bool, str, str, str], ...]]] = {
    ">=": ((True, "low", "high", ">="), (False, "high", "low", "<")),
    ">": ((True, "low", "high", ">"), (False, "high", "low", "<=")),
    "<=": ((True, "high", "low", "<="), (False, "low", "high", ">")),
    "<": ((True, "high", "low", "<"), (False, "low", "high", ">=")),
    "==": ((False, "high", "low", "<"), (False, "low", "high", ">")),
    "!=": ((True, "high", "low", "<"), (True, "low", "high", ">")),
}


def decide(symbol: str, x: tuple[Any, Any], y: tuple[Any, Any]) -> tuple[bool, str, str] | None:
    """How bounds (low, high) settle ``x symbol y``: (result, x's side, y's side), or None."""
    sides = {"low": 0, "high": 1}
    for result, side_a, side_b, test in DECIDE[symbol]:
        va, vb = x[sides[side_a]], y[sides[side_b]]
        if va is not None and vb is not None and compare(test, va, vb):
            return result, side_a, side_b
    if symbol in EXACT_EQUAL and _met(x) and _met(y) and x[0] == y[0]:
        return EXACT_EQUAL[symbol], "low", "low"  # both exact and equal: 0 == 0
    return None


# Equality is also settled when both sides' bounds meet at the same number.
EXACT_EQUAL: Final = {"==": True, "!=": False}


def _met(bounds: tuple[Any, Any]) -> bool:
    return bounds[0] is not None and bounds[0] == bounds[1]


def _decide_scalar(symbol: str, x: tuple[Any, Any], y: tuple[Any, Any]) -> Any:
    found = decide(symbol, x, y)
    return None if found is None else found[0]


def _decide_ibis(symbol: str, x: tuple[Any, Any], y: tuple[Any, Any]) -> Any:
    ibis = _ibis()
    sides = {"low": 0, "high": 1}
    conds = []
    for result, side_a, side_b, test in DECIDE[symbol]:
        a, b = x[sides[side_a]], y[sides[side_b]]
        if a is not None and b is not None:
            conds.append((ibis_of(CMP[test])(a, b), result))
    if symbol in EXACT_EQUAL and all(v is not None for v in (*x, *y)):
        met = (lift(x[0]) == x[1]) & (lift(y[0]) == y[1]) & (lift(x[0]) == y[0])
        conds.append((met.fill_null(False), EXACT_EQUAL[symbol]))
    if not conds:
        return ibis.null("boolean")
    return ibis.cases(*conds, else_=ibis.null("boolean"))


op(
    "decide",
    "a comparison of bounded numbers, decided on their bounds",
    _decide_scalar,
    _decide_ibis,
)


def _exact_scalar(low: Any, high: Any) -> Any:
    return low if low is not None and low == high else None


def _exact_ibis(low: Any, high: Any) -> Any:
    ibis = _ibis()
    if low is None or high is None:
        return ibis.null("float64")
    low = lift(low)
    # a typed null: an untyped one makes the whole expression null on some engines
    return ibis.ifelse(low == high, low, ibis.null(low.type()))


op(
    "exact",
    "a bounded number's value: known only where its bounds meet",
    _exact_scalar,
    _exact_ibis,
)


def interval_known(symbol: str, x_bounded: bool, y_bounded: bool) -> bool:
    """Interval arithmetic keeps bounds for sums, differences and a bound scaled by a
    known number (swapped by a negative one); bounds times bounds, or a number divided by
    bounds, is simply unknown."""
    return symbol in ("+", "-") or not (y_bounded and (symbol == "/" or x_bounded))


def _interval_scalar(
    symbol: str, x: tuple[Any, Any], y: tuple[Any, Any], x_bounded: bool, y_bounded: bool
) -> tuple[Any, Any] | None:
    if not interval_known(symbol, x_bounded, y_bounded):
        return None
    if symbol == "+":
        return _add_bound(x[0], y[0]), _add_bound(x[1], y[1])
    if symbol == "-":
        neg = (None if y[1] is None else -y[1], None if y[0] is None else -y[0])
        return _add_bound(x[0], neg[0]), _add_bound(x[1], neg[1])
    bounded, factor = (x, y[0]) if x_bounded else (y, x[0])

    def scale(v: Any) -> Any:
        if v is None:
            return None
        return arith(symbol, v, factor) if x_bounded else v * factor

    if factor < 0:
        return scale(bounded[1]), scale(bounded[0])
    return scale(bounded[0]), scale(bounded[1])


def _interval_ibis(
    symbol: str, x: tuple[Any, Any], y: tuple[Any, Any], x_bounded: bool, y_bounded: bool
) -> tuple[Any, Any] | None:
    """As the scalar; a factor that is a column picks its order per row."""
    ibis = _ibis()
    if not interval_known(symbol, x_bounded, y_bounded):
        return None
    if symbol in ("+", "-"):
        return _interval_scalar(symbol, x, y, x_bounded, y_bounded)
    bounded, factor = (x, y[0]) if x_bounded else (y, x[0])

    def scale(v: Any) -> Any:
        if v is None:
            return ibis.null("float64")
        return v / factor if symbol == "/" else v * factor

    if not _is_expr(factor):
        if factor < 0:
            return (
                None if bounded[1] is None else scale(bounded[1]),
                None if bounded[0] is None else scale(bounded[0]),
            )
        return (
            None if bounded[0] is None else scale(bounded[0]),
            None if bounded[1] is None else scale(bounded[1]),
        )
    negative = factor < 0
    low, high = scale(bounded[0]), scale(bounded[1])
    return ibis.ifelse(negative, high, low), ibis.ifelse(negative, low, high)


op(
    "interval",
    "interval arithmetic on bounded numbers: sums, differences, scaling by a number",
    _interval_scalar,
    _interval_ibis,
)


# ---------------------------------------------------------------- points and status


def _points_table_scalar(pick: str, rows: Sequence[tuple[Maybe, int]]) -> tuple[int, int]:
    """(certain, possible) points of one table: rows sure to hold, and those that may."""
    sure = [pts for truth, pts in rows if truth is True]
    maybe = [pts for truth, pts in rows if truth is None or truth is UNKNOWN]
    if pick == "max":
        lo = max(sure, default=0)
        return lo, max([lo, *maybe])
    return sum(sure), sum(sure) + sum(maybe)


def _combine_ibis(pick: str, values: Sequence[Any]) -> Any:
    ibis = _ibis()
    if len(values) == 1:
        return values[0]
    if pick == "max":
        return ibis.greatest(*values)
    if pick == "min":
        return ibis.least(*values)
    return _fold(operator.add, list(values), 0)


def _points_table_ibis(pick: str, rows: Sequence[tuple[Any, int]]) -> tuple[Any, Any]:
    ibis = _ibis()
    # int32: Ibis types small literals int8, and Polars wraps a sum above 127
    lits = [(lift(c, "boolean"), ibis.literal(pts, "int32")) for c, pts in rows]
    sure = [ibis.ifelse(c.fill_null(False), pts, 0) for c, pts in lits]
    maybe = [ibis.ifelse(c.fill_null(True), pts, 0) for c, pts in lits]
    return _combine_ibis(pick, sure), _combine_ibis(pick, maybe)


op(
    "points_table",
    "(certain, possible) points of one table: the best row (pick max) or the sum",
    _points_table_scalar,
    _points_table_ibis,
)


def _points_total_scalar(pick: str, tables: Sequence[tuple[int, int]]) -> tuple[int, int]:
    if pick == "max":
        return max(t[0] for t in tables), max(t[1] for t in tables)
    return sum(t[0] for t in tables), sum(t[1] for t in tables)


op(
    "points_total",
    "(certain, possible) points over the tables: the best table (pick max) or the sum",
    _points_total_scalar,
    lambda pick, tables: (
        _combine_ibis(pick, [t[0] for t in tables]),
        _combine_ibis(pick, [t[1] for t in tables]),
    ),
)


def _points_pass_scalar(certain: int, possible: int, threshold: Any) -> Any:
    if threshold is None:
        return None
    if certain >= threshold:
        return True
    if possible < threshold:
        return False
    return None


def _points_pass_ibis(certain: Any, possible: Any, threshold: Any) -> Any:
    ibis = _ibis()
    return ibis.cases(
        (certain >= threshold, True),
        (possible < threshold, False),
        else_=ibis.null("boolean"),
    )


op(
    "points_pass",
    "a points test: passed when the certain points reach the threshold, failed when even "
    "the possible ones do not",
    _points_pass_scalar,
    _points_pass_ibis,
)

STATUS_CODES: Final = {"eligible": 0, "ineligible": 1, "undetermined": 2, "not_in_force": 3}


def _status_scalar(root: Maybe) -> str:
    return "eligible" if root is True else "ineligible" if root is False else "undetermined"


def _status_ibis(root: Any) -> Any:
    # true -> 0, false -> 1, null -> 2, reading the root once: a CASE with a branch per
    # outcome would emit the whole rule tree twice.
    return (
        (1 - lift(root, "boolean").cast("int8"))
        .fill_null(STATUS_CODES["undetermined"])
        .cast("int8")
    )


op("status", "the programme's status from its root criterion", _status_scalar, _status_ibis)


# ---------------------------------------------------------------- fees and chance


@dataclass(frozen=True, slots=True)
class FeeTotals:
    """What a payer's fees add up to (``fee_totals``)."""

    certain: Any  # fees sure to be due
    possible: Any  # the most that may be due, of the amounts known
    recurring: Any  # the yearly fees within ``possible``
    complete: bool  # False when a fee that may be due has an unknown amount


def fee_totals(groups: Sequence[Sequence[tuple[Maybe, Maybe, bool]]]) -> FeeTotals:
    """One payer's fees in groups of alternatives, each member (due: Kleene, amount or
    None, yearly): per group the member that is due, else the largest that may be, counts
    once. A member that may be due with an unknown amount makes the totals incomplete and
    adds nothing. ``compare`` shows all four figures; ``cost`` below is the possible one,
    unknown when incomplete, on one person and on a column."""
    certain: Any = 0
    possible: Any = 0
    recurring: Any = 0
    complete = True
    for members in groups:
        may = [m for m in members if m[0] is not False]
        if any(amount is None for _, amount, _ in may):
            complete = False
        known = [m for m in may if m[1] is not None]
        if not known:
            continue
        due = [m for m in known if m[0] is True]
        # the first that is due, else the first of the largest
        _, amount, yearly = due[0] if due else max(known, key=lambda m: m[1])
        certain += amount if due else 0
        possible += amount
        recurring += amount if yearly else 0
    return FeeTotals(certain, possible, recurring, complete)


def _cost_scalar(groups: Sequence[Sequence[tuple[Maybe, Maybe]]]) -> Any:
    """The most that may be due: per group of alternatives (due: Kleene, amount) the one
    that is due, else the largest that may be; unknown when an amount that may be due is."""
    totals = fee_totals([[(due, amount, False) for due, amount in m] for m in groups])
    return totals.possible if totals.complete else None


def _cost_ibis(groups: Sequence[Sequence[tuple[Any, Any]]]) -> Any:
    ibis = _ibis()
    unknown = []
    total: Any = ibis.literal(0.0)
    for members in groups:
        rows = []
        for due, amount in members:
            due, amount = lift(due, "boolean"), lift(amount, "float64")
            possible = due.fill_null(True)
            unknown.append(possible & amount.isnull())
            rows.append(
                (due.fill_null(False) & amount.notnull(), possible & amount.notnull(), amount)
            )
        largest = _combine_ibis("max", [ibis.ifelse(ok, amt, -1.0) for _, ok, amt in rows])
        chosen = ibis.cases(*((due, amt) for due, _, amt in rows), else_=largest)
        total = total + ibis.ifelse(chosen < 0, 0.0, chosen)
    return ibis.ifelse(any_of(unknown), ibis.null("float64"), total)


op(
    "cost",
    "fees that are or may be due, alternatives counted once (the due one, else the largest)",
    _cost_scalar,
    _cost_ibis,
)


def chance_bounds(applies: Maybe, rows: Sequence[tuple[Maybe, Maybe]]) -> tuple[Any, Any]:
    """(lowest, highest) chance of selection over the rows (when: Kleene, chance or None)
    that may apply, (None, None) when none can be worked out; 1 when the selection does
    not apply (``applies`` false: certain once eligible), and a candidate when it may not.
    ``compare`` shows both bounds; ``chance`` below is the lowest, on one person and on a
    column."""
    if applies is False:
        return 1, 1
    candidates = [chance for when, chance in rows if when is not False and chance is not None]
    if applies is None:
        candidates.append(1)  # perhaps not subject to the selection at all
    if not candidates:
        return None, None
    return min(candidates), max(candidates)


def _chance_scalar(applies: Maybe, rows: Sequence[tuple[Maybe, Maybe]]) -> Any:
    """The lowest chance of selection, or None when none can be worked out; 1 when the
    selection does not apply (``applies`` false: certain once eligible)."""
    return chance_bounds(applies, rows)[0]


def _chance_ibis(applies: Any, rows: Sequence[tuple[Any, Any]]) -> Any:
    ibis = _ibis()
    applies = lift(applies, "boolean")
    none = 2.0  # above any probability: "no candidate"
    candidates = [ibis.ifelse(applies.isnull(), 1.0, none)]
    for when, chance in rows:
        chance = lift(chance, "float64").cast("float64")
        candidates.append(
            ibis.ifelse(lift(when, "boolean").fill_null(True) & chance.notnull(), chance, none)
        )
    low = _combine_ibis("min", candidates) if len(candidates) > 1 else candidates[0]
    return ibis.cases(
        (applies == False, 1.0),  # noqa: E712 (a column comparison, not a Python test)
        (low >= none, ibis.null("float64")),
        else_=low,
    )


op(
    "chance",
    "the lowest chance of selection in a lottery; 1 where it does not apply",
    _chance_scalar,
    _chance_ibis,
)


# ---------------------------------------------------------------- the coverage table

# What each construct of the rule language lowers to. A construct is a node kind
# (``Literal``), a node kind with its operator (``Compare >=``), a function (``count()``)
# or a criterion kind (``points``).
LOWERING: Final[dict[str, tuple[str, ...]]] = {
    "Literal": ("const",),
    "Judgement": ("judgement",),
    "Name": ("const",),  # a fact (a column), a parameter or a local
    "Name age": ("whole_years", "age_bound"),
    # the programme's points, read by a selection (a ranking against cut-offs): the certain
    # and possible totals of the last points test, compared as a bound
    "Name points": ("points_table", "points_total", "decide"),
    "Attr": ("const",),
    "Index": ("const",),
    "Not": ("not",),
    "Neg": ("neg", "interval"),
    "BoolOp and": ("and",),
    "BoolOp or": ("or",),
    **{f"Compare {s}": (n, "rank", "decide") for s, n in CMP.items()},
    "Compare in": ("isin", "contains"),
    "Compare not in": ("isin", "contains", "not"),
    **{f"Arith {s}": (n, "interval") for s, n in ARITH.items()},
    "ListLit": ("const",),
    "Lambda": ("exists", "forall", "count", "sum"),  # only as a function's argument
    "Call any()": ("exists",),
    "Call all()": ("forall",),
    "Call count()": ("count", "decide", "exact"),
    "Call sum()": ("sum", "decide", "exact"),
    "Call years_since()": ("whole_years",),
    "Call years_between()": ("whole_years",),
    "Call months_between()": ("whole_months",),
    "Call isced_in()": ("isced_within",),
    "Call months_within()": ("union_months", "decide", "exact"),
    "Call yearly()": ("pay", "convert", "round_pay"),
    "Call hourly()": ("pay", "convert", "round_pay"),
    "criterion": ("status",),
    "all": ("and",),
    "any": ("or",),
    "not": ("not",),
    "points": ("points_table", "points_total", "points_pass"),
    "fees": ("cost",),
    "selection": ("chance",),
}
