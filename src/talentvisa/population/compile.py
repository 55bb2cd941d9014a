"""Compile a programme's typed rule tree to Ibis expressions over the population layout.

One rule set, many engines: the same expressions run on Polars, DuckDB or Spark. Unknown
facts are nulls, and SQL's three-valued AND/OR/NOT is exactly the Kleene logic the scalar
evaluator uses, so a null answer here is an ``undetermined`` there. The scalar evaluator
stays the reference; ``tests/population`` hold the two to the same answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import ibis
import ibis.expr.types as ir

from talentvisa import fx
from talentvisa.compare import UNKNOWN_KEY
from talentvisa.population.layout import COLUMNS, SEP, SLOTS
from talentvisa.rules.evaluator import DECIDE
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
    source_text,
)
from talentvisa.rules.expr import Literal as Lit
from talentvisa.rules.model import (
    AllOf,
    AnyOf,
    Criterion,
    Leaf,
    NoneOf,
    ParamValue,
    Payer,
    Points,
    PointsNode,
    Program,
)
from talentvisa.rules.types import PROFILE_FIELDS, Ty
from talentvisa.vocab import OrderedEnum

STATUS_CODES: Final = {"eligible": 0, "ineligible": 1, "undetermined": 2, "not_in_force": 3}
ROUND: Final = 6  # pay conversions are compared at 6 decimals, as in the evaluator
UNKNOWN: Final = float(UNKNOWN_KEY)  # an unknown preference key, as in the comparison


class NotCompilable(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Rec:
    """A record: its columns share the prefix."""

    prefix: str


@dataclass(frozen=True, slots=True)
class Lst:
    path: str
    slots: int
    elem: Ty


@dataclass(frozen=True, slots=True)
class Map:
    prefix: str


@dataclass(frozen=True, slots=True)
class Bnd:
    """A number known only within [low, high] (the evaluator's ``Bounds``): a count, sum or
    number of months over a list with unknown entries. A null or None bound is unbounded."""

    low: Any
    high: Any


Value = Any  # an Ibis expression, a Rec/Lst/Map/Bnd, or a Python constant (parameters)


class Compiler:
    """Compiles one programme on one date against one table."""

    def __init__(
        self,
        program: Program,
        as_of: dt.date,
        table: ir.Table,
        parameters: Mapping[str, ParamValue | None] | None = None,
        carry: tuple[str, ...] = (),
    ) -> None:
        """``carry`` names columns to keep beside the ones the rules read (a row key)."""
        self.program = program
        self.as_of = as_of
        self.t = table
        self.params = dict(program.parameter_values(as_of))
        self.params.update(parameters or {})
        self._staged: dict[str, str] = {}  # months_within call -> its precomputed column
        version = program.version_at(as_of)
        if version is not None:
            from talentvisa.rules.loader import version_conditions, walk

            # Only the facts this programme reads: narrower plans, faster on every engine.
            read = set(columns_read(program, as_of))
            keep = [c for c in table.columns if c in read or c in carry]
            if keep:
                self.t = table.select(*keep)
            for _, cond in version_conditions(version):
                for n in walk(cond):
                    if isinstance(n, Call) and n.func == "months_within":
                        self._stage_months_within(n)

    # ------------------------------------------------------------ outputs

    def status(self) -> ir.IntegerValue:
        """0 eligible, 1 ineligible, 2 undetermined, 3 not in force (codes in STATUS_CODES)."""
        version = self.program.version_at(self.as_of)
        if version is None:
            return ibis.literal(STATUS_CODES["not_in_force"], "int8")
        root = self._bool(self.criterion(version.criteria))
        return ibis.cases(
            (root.isnull(), STATUS_CODES["undetermined"]),
            (root, STATUS_CODES["eligible"]),
            else_=STATUS_CODES["ineligible"],
        ).cast("int8")

    def points(self) -> ir.IntegerValue | None:
        """Points already certain, for programmes with a points test."""
        version = self.program.version_at(self.as_of)
        if version is None:
            return None
        from talentvisa.rules.loader import criteria_in

        for c in criteria_in(version.criteria):
            if isinstance(c, PointsNode):
                certain, _ = self._scores(c.points)
                return certain.cast("int32")
        return None

    def cost_key(self, payer: Payer, currency: str) -> ir.FloatingValue:
        """The comparison's cost key for one payer, per person (see ``compare._costs``):
        fees that are or may be due, alternatives counted once (the due one, else the
        largest), each converted and rounded to cents; unknown when an amount that may be
        due is unknown, or when the programme publishes no fees at all."""
        version = self.program.version_at(self.as_of)
        if version is None or not version.fees:
            return ibis.literal(UNKNOWN, "float64")
        groups: dict[str, list[tuple[Any, Any, Any]]] = {}
        unknown = []
        for fee in version.fees:
            if fee.optional or fee.payer != payer:
                continue
            when = self._bool(self.ev(fee.when.node, {}))
            rate = fx.rate(fee.currency, currency, self.as_of)
            raw = self.ev(fee.amount.node, {})
            amount = (
                ibis.literal(float(rate.convert(Decimal(str(raw)))), "float64")
                if not isinstance(raw, ir.Value)  # a parameter: converted exactly, as compare does
                else (raw.cast("float64") * float(rate.value)).round(2)
            )
            possible = when.fill_null(True)
            unknown.append(possible & amount.isnull())
            groups.setdefault(fee.alternatives or fee.id, []).append(
                (when.fill_null(False) & amount.notnull(), possible & amount.notnull(), amount)
            )
        total: Any = ibis.literal(0.0)
        for members in groups.values():
            largest = _greatest([ibis.ifelse(ok, amt, -1.0) for _, ok, amt in members])
            chosen = ibis.cases(*((due, amt) for due, _, amt in members), else_=largest)
            total = total + ibis.ifelse(chosen < 0, 0.0, chosen)
        return ibis.ifelse(_any(unknown), UNKNOWN, total).cast("float64")

    def chance_key(self) -> ir.FloatingValue:
        """Minus the lowest chance of selection (see ``compare._chance_key``): -1 with no
        lottery or when it does not apply; unknown when no chance can be worked out."""
        version = self.program.version_at(self.as_of)
        if version is None or version.selection is None:
            return ibis.literal(-1.0, "float64")
        sel = version.selection
        applies = self._bool(self.ev(sel.applies.node, {}))
        none = 2.0  # above any probability: "no candidate"
        candidates = [ibis.ifelse(applies.isnull(), 1.0, none)]
        for row in sel.rows:
            when = self._bool(self.ev(row.when.node, {}))
            chance = _as_expr(self.ev(row.chance.node, {}), "float64").cast("float64")
            candidates.append(ibis.ifelse(when.fill_null(True) & chance.notnull(), chance, none))
        low = _least(candidates)
        return ibis.cases(
            (applies == False, -1.0),  # noqa: E712 (a column comparison, not a Python test)
            (low >= none, UNKNOWN),
            else_=-low,
        ).cast("float64")

    # ------------------------------------------------------------ criteria

    def criterion(self, node: Criterion) -> ir.BooleanValue:
        match node:
            case Leaf(when=w):
                return self._bool(self.ev(w.node, {}))
            case AllOf(all=items):
                return _fold(lambda a, b: a & b, [self.criterion(i) for i in items])
            case AnyOf(any=items):
                return _fold(lambda a, b: a | b, [self.criterion(i) for i in items])
            case NoneOf(not_=inner):
                return ~self.criterion(inner)
            case PointsNode(points=p):
                certain, possible = self._scores(p)
                threshold = self.ev(p.threshold.node, {})
                return ibis.cases(
                    (certain >= threshold, True),
                    (possible < threshold, False),
                    else_=ibis.null("boolean"),
                )
        raise NotCompilable(f"criterion {type(node).__name__}")  # pragma: no cover

    def _scores(self, p: Points) -> tuple[ir.NumericValue, ir.NumericValue]:
        certain_tables, possible_tables = [], []
        for table in p.tables:
            # int32: ibis types small literals int8, and Polars wraps a sum above 127
            rows = [
                (self._bool(self.ev(r.when.node, {})), ibis.literal(r.points, "int32"))
                for r in table.rows
            ]
            sure = [ibis.ifelse(cond.fill_null(False), pts, 0) for cond, pts in rows]
            maybe = [ibis.ifelse(cond.fill_null(True), pts, 0) for cond, pts in rows]
            combine = ibis.greatest if table.pick == "max" else _sum
            certain_tables.append(combine(*sure) if len(sure) > 1 else sure[0])
            possible_tables.append(combine(*maybe) if len(maybe) > 1 else maybe[0])
        top = ibis.greatest if p.pick == "max" else _sum
        certain = top(*certain_tables) if len(certain_tables) > 1 else certain_tables[0]
        possible = top(*possible_tables) if len(possible_tables) > 1 else possible_tables[0]
        return certain, possible

    # ------------------------------------------------------------ expressions

    def _bool(self, value: Value) -> ir.BooleanValue:
        return ibis.literal(value) if isinstance(value, bool) else value

    def column(self, name: str) -> ir.Value:
        if name not in COLUMNS:
            raise NotCompilable(f"no column {name!r} in the population layout")
        return self.t[name]

    def ev(self, node: Node, local: dict[str, Value]) -> Value:
        """A node's value; a bounded number is known only where its bounds meet."""
        value = self._ev(node, local)
        return _exact(value) if isinstance(value, Bnd) else value

    def _ev(self, node: Node, local: dict[str, Value]) -> Value:
        """Like ``ev``, but counts, sums and months stay ``Bnd`` for comparisons and
        arithmetic, which can decide on a bound as the evaluator does."""
        match node:
            case Lit(value=v):
                return _literal(v)
            case Judgement():
                return ibis.null("boolean")
            case Name(name=n):
                return self._name(n, node.ty, local)
            case Attr(obj=o, name=n):
                obj = self.ev(o, local)
                if not isinstance(obj, Rec):
                    raise NotCompilable(f"field {n!r} of a non-record")
                return self._ref(f"{obj.prefix}{SEP}{n}", node.ty, n)
            case Index(obj=o, key=k):
                obj = self.ev(o, local)
                assert isinstance(obj, Map)
                name = f"{obj.prefix}{SEP}{k}"
                return self.column(name) if name in COLUMNS else ibis.null()
            case Not(operand=o):
                return ~self._bool(self.ev(o, local))
            case Neg(operand=o):
                inner = self._ev(o, local)
                if isinstance(inner, Bnd):
                    return Bnd(_neg(inner.high), _neg(inner.low))
                return -inner
            case BoolOp(op=op, left=a, right=b):
                x, y = self._bool(self.ev(a, local)), self._bool(self.ev(b, local))
                return (x & y) if op == "and" else (x | y)
            case Compare():
                return self._compare(node, local)
            case Arith(op=op, left=a, right=b):
                x, y = self._ev(a, local), self._ev(b, local)
                if isinstance(x, Bnd) or isinstance(y, Bnd):
                    return _arith_bnd(op, x, y)
                return {
                    "+": lambda: x + y,
                    "-": lambda: x - y,
                    "*": lambda: x * y,
                    "/": lambda: x / y,
                }[op]()
            case ListLit(items=items):
                return tuple(self.ev(i, local) for i in items)
            case Call(func=f, args=args):
                return self._call(f, args, local)
        raise NotCompilable(f"cannot compile {type(node).__name__}")

    def _name(self, n: str, ty: Ty | None, local: dict[str, Value]) -> Value:
        if n in local:
            return local[n]
        if n in self.params:
            value = self.params[n]
            if value is None:
                return ibis.null()
            return float(value) if isinstance(value, Decimal) else value
        if n == "as_of":
            return ibis.date(self.as_of)
        if n == "age":
            born = self.column("birth_date")
            return ibis.ifelse(
                born.isnull(), self.column("age"), _whole_years(born, ibis.date(self.as_of))
            )
        return self._ref(n, ty, n)

    def _ref(self, path: str, ty: Ty | None, name: str) -> Value:
        if ty is not None and ty.kind == "record":
            return Rec(path)
        if ty is not None and ty.kind == "list":
            assert ty.elem is not None
            return Lst(path, SLOTS[name], ty.elem)
        if ty is not None and ty.kind == "map":
            return Map(path)
        return self.column(path)

    def _entries(self, lst: Lst) -> list[tuple[ir.BooleanValue, Value]]:
        """(present, entry) per slot; present is null when the list itself is unknown."""
        n = self.column(f"{lst.path}{SEP}n")
        out = []
        for i in range(lst.slots):
            entry: Value = (
                Rec(f"{lst.path}_{i}")
                if lst.elem.kind == "record"
                else self.column(f"{lst.path}_{i}")
            )
            out.append((n > i, entry))
        return out

    def _compare(self, node: Compare, local: dict[str, Value]) -> ir.BooleanValue:
        left, right = self._ev(node.left, local), self._ev(node.right, local)
        op = node.op
        if isinstance(left, Bnd) or isinstance(right, Bnd):
            if op in DECIDE:
                return _compare_bnd(op, _as_bnd(left), _as_bnd(right))
            left, right = (_exact(v) if isinstance(v, Bnd) else v for v in (left, right))
        if op in ("in", "not in"):
            if isinstance(right, Lst):
                n = self.column(f"{right.path}{SEP}n")
                found = _fold(
                    lambda a, b: a | b,
                    [present & (entry == left) for present, entry in self._entries(right)],
                )
                found = ibis.ifelse(n.isnull(), ibis.null("boolean"), found)
            else:
                values = tuple(v for v in right) if isinstance(right, tuple) else right
                column = left if not isinstance(left, str) else ibis.literal(left)
                # Spelled as a CASE: Spark's SQL parser rejects ``x IN (...) IS NULL``,
                # which Ibis writes for the unknown test of a bare IN.
                found = ibis.ifelse(column.isnull(), ibis.null("boolean"), column.isin(values))
            return found if op == "in" else ~found
        enum = next((t.enum for t in (node.left.ty, node.right.ty) if t and t.enum), None)
        if enum is not None and issubclass(enum, OrderedEnum) and op not in ("==", "!="):
            left, right = _rank(left, enum), _rank(right, enum)
        left = ibis.literal(left) if isinstance(left, bool | int | float | str | dt.date) else left
        return {
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: left < right,
            "<=": lambda: left <= right,
            ">": lambda: left > right,
            ">=": lambda: left >= right,
        }[op]()

    # ------------------------------------------------------------ functions

    def _call(self, f: str, args: tuple[Node, ...], local: dict[str, Value]) -> Value:
        if f in ("any", "all"):
            lst = self.ev(args[0], local)
            fn = args[1]
            assert isinstance(lst, Lst) and isinstance(fn, Lambda)
            n = self.column(f"{lst.path}{SEP}n")
            parts = []
            for present, entry in self._entries(lst):
                body = self._bool(self.ev(fn.body, {**local, fn.param: entry}))
                parts.append(present & body if f == "any" else ~present | body)
            combined = _fold((lambda a, b: a | b) if f == "any" else (lambda a, b: a & b), parts)
            return ibis.ifelse(n.isnull(), ibis.null("boolean"), combined)
        if f in ("count", "sum"):
            return self._aggregate(f == "count", args, local)
        if f == "years_since":
            return _whole_years(self.ev(args[0], local), ibis.date(self.as_of))
        if f == "years_between":
            return _whole_years(self.ev(args[0], local), self.ev(args[1], local))
        if f == "months_between":
            return _whole_months(self.ev(args[0], local), self.ev(args[1], local))
        if f == "isced_in":
            field, codes = self.ev(args[0], local), self.ev(args[1], local)
            return _fold(lambda a, b: a | b, [field.startswith(c) for c in codes])
        if f in ("yearly", "hourly"):
            return self._pay(f == "hourly", args, local)
        if f == "months_within":
            key = _key(args)
            if key not in self._staged:
                raise NotCompilable("months_within() inside a lambda is not compiled")
            tag = self._staged[key]
            return Bnd(self.t[f"{tag}_low"], self.t[f"{tag}_high"])
        raise NotCompilable(f"function {f}() is not compiled yet")

    def _aggregate(self, counting: bool, args: tuple[Node, ...], local: dict[str, Value]) -> Bnd:
        """count() or sum() bounded by the known entries, as in the evaluator: a count
        of an unknown list is at least 0, a sum of one is unbounded, and an unknown term
        makes a sum unbounded."""
        lst = self.ev(args[0], local)
        fn = args[1]
        assert isinstance(lst, Lst) and isinstance(fn, Lambda)
        n = self.column(f"{lst.path}{SEP}n")
        low: Any = ibis.literal(0)
        high: Any = ibis.literal(0)
        for present, entry in self._entries(lst):
            body = self._ev(fn.body, {**local, fn.param: entry})
            if counting:
                cond = self._bool(body)
                low = low + ibis.ifelse((present & cond).fill_null(False), 1, 0)
                high = high + ibis.ifelse((present & cond.fill_null(True)).fill_null(False), 1, 0)
                continue
            term = _as_bnd(body)
            for_low = ibis.null("float64") if term.low is None else term.low
            for_high = ibis.null("float64") if term.high is None else term.high
            low = low + ibis.ifelse(present, for_low, 0)
            high = high + ibis.ifelse(present, for_high, 0)
        unknown = n.isnull()
        if counting:
            return Bnd(ibis.ifelse(unknown, 0, low), ibis.ifelse(unknown, ibis.null("int64"), high))
        return Bnd(
            ibis.ifelse(unknown, ibis.null("float64"), low),
            ibis.ifelse(unknown, ibis.null("float64"), high),
        )

    def _pay(self, per_hour: bool, args: tuple[Node, ...], local: dict[str, Value]) -> Value:
        money = self.ev(args[0], local)
        assert isinstance(money, Rec)
        amount = self.column(f"{money.prefix}{SEP}amount")
        period = self.column(f"{money.prefix}{SEP}period")
        hours = self.ev(args[1], local)
        yearly_hours = hours * 52
        per_year = {"year": 1, "month": 12, "week": 52}
        if per_hour:
            value = ibis.cases(
                (period == "hour", amount),
                *((period == p, amount * k / yearly_hours) for p, k in per_year.items()),
                else_=ibis.null("float64"),
            )
        else:
            value = ibis.cases(
                (period == "hour", amount * yearly_hours),
                *((period == p, amount * k) for p, k in per_year.items()),
                else_=ibis.null("float64"),
            )
        target = args[2] if len(args) > 2 else None
        if isinstance(target, Lit):
            value = value * self._rate_to(target.value, self.column(f"{money.prefix}{SEP}currency"))
        return value.round(ROUND)

    def _rate_to(self, target: str, currency: Any) -> Any:
        """How many ``target`` one unit of the row's currency buys, at the rates published
        on or before as_of; null where there is none (the evaluator's judgement)."""
        rates = []
        for code in fx.currencies(self.as_of):
            if code == target:
                continue
            try:
                rate = fx.rate(code, target, self.as_of, published=True)
            except fx.NoRate:
                continue
            rates.append((currency == code, float(rate.value)))
        return ibis.cases((currency == target, 1.0), *rates, else_=ibis.null("float64"))

    def _stage_months_within(self, node: Call) -> None:
        """Months of the matching periods in the window, bounded as the evaluator bounds
        them: at least the union of the certain entries, at most the union with every
        unknown entry stretched as far as it could go (unknown start: the window's start;
        unknown end: as_of); an unknown list gives 0 to the whole window."""
        key = _key(node.args)
        if key in self._staged:
            return
        tag = f"_{self.program.id.replace('-', '_')}_mw{len(self._staged)}"
        lst = self.ev(node.args[0], {})
        fn = node.args[1]
        assert isinstance(lst, Lst) and isinstance(fn, Lambda)
        years = self.ev(node.args[2], {})
        if not isinstance(years, int | float):
            raise NotCompilable("months_within() needs a constant number of years")
        as_of = ibis.date(self.as_of)
        start_day = _years_before(self.as_of, int(years))
        window = ibis.date(start_day)
        cap = max(_months(start_day, self.as_of), 0)
        n = self.column(f"{lst.path}{SEP}n")
        has_ongoing = lst.elem.model is not None and "ongoing" in lst.elem.model.model_fields
        certain, possible = [], []
        for present, entry in self._entries(lst):
            assert isinstance(entry, Rec)
            cond = self._bool(self.ev(fn.body, {fn.param: entry}))
            start = self.column(f"{entry.prefix}{SEP}start")
            end = self.column(f"{entry.prefix}{SEP}end")
            if has_ongoing:
                ongoing = self.column(f"{entry.prefix}{SEP}ongoing")
                end = ibis.ifelse(end.isnull() & ongoing.fill_null(False), as_of, end)
            sure = (present & cond).fill_null(False) & start.notnull() & end.notnull()
            maybe = (present & cond.fill_null(True)).fill_null(False)
            lo = ibis.ifelse(start > window, start, window)
            hi = ibis.ifelse(end < as_of, end, as_of)
            certain.append((sure & (lo < hi), lo, hi))
            wide_lo = ibis.ifelse(start.isnull(), window, lo)
            wide_hi = ibis.ifelse(end.isnull(), as_of, hi)
            possible.append((maybe & (wide_lo < wide_hi), wide_lo, wide_hi))
        low = self._union_months(f"{tag}c", certain)
        high = self._union_months(f"{tag}p", possible)
        columns = {
            f"{tag}_low": ibis.ifelse(n.isnull(), 0, low),
            f"{tag}_high": ibis.ifelse(n.isnull(), cap, high),
        }
        self.t = self.t.mutate(**columns)
        self.t = self.t.select(
            *[c for c in self.t.columns if not c.startswith(tag) or c in columns]
        )
        self._staged[key] = tag

    def _union_months(self, tag: str, periods: list[tuple[Any, Any, Any]]) -> Any:
        """Whole months of the union of (valid, start, end) periods, overlapping runs
        counted once, merged exactly as the evaluator merges them.

        Built as successive projections (one per merging round) so each round refers to
        the previous one's columns instead of repeating its expression.
        """
        first: dict[str, Any] = {}
        for i, (valid, lo, hi) in enumerate(periods):
            first[f"{tag}_v{i}"] = valid
            first[f"{tag}_lo{i}"] = lo
            first[f"{tag}_e{i}"] = hi
        t = self.t.mutate(**first)
        k = len(periods)
        for _ in range(k):  # every round extends every chain by at least one period
            step = {}
            for i in range(k):
                end = t[f"{tag}_e{i}"]
                for j in range(k):
                    if j != i:
                        joins = (
                            t[f"{tag}_v{j}"]
                            & (t[f"{tag}_lo{j}"] >= t[f"{tag}_lo{i}"])
                            & (t[f"{tag}_lo{j}"] <= t[f"{tag}_e{i}"])
                        )
                        end = ibis.ifelse(joins & (t[f"{tag}_e{j}"] > end), t[f"{tag}_e{j}"], end)
                step[f"{tag}_e{i}"] = end
            t = t.mutate(**step)
        total: Any = ibis.literal(0)
        for i in range(k):
            lo_i = t[f"{tag}_lo{i}"]
            reached = _any(
                [
                    t[f"{tag}_v{j}"]
                    & (
                        (t[f"{tag}_lo{j}"] < lo_i)
                        | ((t[f"{tag}_lo{j}"] == lo_i) & ibis.literal(j < i))
                    )
                    & (lo_i <= t[f"{tag}_e{j}"])
                    for j in range(k)
                    if j != i
                ]
            )
            head = t[f"{tag}_v{i}"] & ~reached
            total = total + ibis.ifelse(head, _whole_months(lo_i, t[f"{tag}_e{i}"]), 0)
        self.t = t.mutate(**{f"{tag}_months": total})
        return self.t[f"{tag}_months"]


# Fields that functions read from the record they are given (yearly/hourly read pay,
# months_within reads periods), which no attribute in the rule text names.
_IMPLICIT_FIELDS: Final = frozenset({"amount", "period", "currency", "start", "end", "ongoing"})


def columns_read(program: Program, as_of: dt.date) -> list[str]:
    """The layout columns a programme's rules in force on ``as_of`` can read: those under
    a profile field the rules name whose every nested field is named too (a safe
    over-approximation; the compiler fails loudly if it ever needs one left out)."""
    version = program.version_at(as_of)
    if version is None:
        return []
    from talentvisa.rules.loader import version_conditions, walk

    nodes = [n for _, cond in version_conditions(version) for n in walk(cond)]
    names = {n.name for n in nodes if isinstance(n, Name)}
    fields = {n.name for n in nodes if isinstance(n, Attr)}
    fields |= {n.key for n in nodes if isinstance(n, Index) and isinstance(n.key, str)}
    fields |= _IMPLICIT_FIELDS | {"n"}
    roots = names & PROFILE_FIELDS.keys()
    if "age" in names:
        roots |= {"birth_date", "age"}
    return [c for c in COLUMNS if _root(c) in roots and all(f in fields for f in c.split(SEP)[1:])]


def _any(values: list[Any]) -> Any:
    return _fold(lambda a, b: a | b, values) if values else ibis.literal(False)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _whole_years(start: Any, end: Any) -> Any:
    before = (end.month() < start.month()) | (
        (end.month() == start.month()) & (end.day() < start.day())
    )
    return end.year() - start.year() - ibis.ifelse(before, 1, 0)


def _months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def _whole_months(start: Any, end: Any) -> Any:
    months = (end.year() - start.year()) * 12 + end.month() - start.month()
    return months - ibis.ifelse(end.day() < start.day(), 1, 0)


def _root(column: str) -> str:
    head = column.split(SEP, 1)[0]
    return head.rsplit("_", 1)[0] if head.rsplit("_", 1)[-1].isdigit() else head


def _key(args: tuple[Node, ...]) -> str:
    return " | ".join(source_text(a) for a in args)


def _rank(value: Any, enum: type[Enum]) -> Any:
    members = [m.value for m in enum]
    if isinstance(value, str):
        return members.index(value)
    return ibis.cases(*((value == m, i) for i, m in enumerate(members)), else_=ibis.null("int64"))


def _literal(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    return v


def _as_expr(value: Any, dtype: str) -> Any:
    """Parameters and literals are Python values; make them columns' peers."""
    return value if isinstance(value, ir.Value) else ibis.literal(_literal(value), dtype)


def _greatest(values: list[Any]) -> Any:
    return ibis.greatest(*values) if len(values) > 1 else values[0]


def _least(values: list[Any]) -> Any:
    return ibis.least(*values) if len(values) > 1 else values[0]


def _sum(*values: Any) -> Any:
    return _fold(lambda a, b: a + b, list(values))


def _fold(fn: Callable[[Any, Any], Any], values: list[Any]) -> Any:
    result = values[0]
    for v in values[1:]:
        result = fn(result, v)
    return result


_CMP: Final[dict[str, Callable[[Any, Any], Any]]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
}


def _as_bnd(value: Value) -> Bnd:
    if isinstance(value, Bnd):
        return value
    v = _as_expr(value, "float64") if not isinstance(value, ir.Value) else value
    return Bnd(v, v)


def _exact(value: Bnd) -> Any:
    """Known only where the bounds meet (the evaluator's Bounds are never equal)."""
    if value.low is None or value.high is None:
        return ibis.null("float64")
    return ibis.ifelse(value.low == value.high, value.low, ibis.null())


def _compare_bnd(op: str, x: Bnd, y: Bnd) -> ir.BooleanValue:
    """Decided when the whole interval is on one side (``evaluator.DECIDE``), else null."""
    conds = []
    for result, side_a, side_b, test in DECIDE[op]:
        a = x.low if side_a == "low" else x.high
        b = y.low if side_b == "low" else y.high
        if a is not None and b is not None:
            conds.append((_CMP[test](a, b), result))
    if not conds:
        return ibis.null("boolean")
    return ibis.cases(*conds, else_=ibis.null("boolean"))


def _neg(v: Any) -> Any:
    return None if v is None else -v


def _add(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


def _arith_bnd(op: str, x: Value, y: Value) -> Bnd:
    """Interval arithmetic as in the evaluator: sums and differences of bounds, bounds
    scaled by a number; anything else is unknown."""
    if op == "+":
        a, b = _as_bnd(x), _as_bnd(y)
        return Bnd(_add(a.low, b.low), _add(a.high, b.high))
    if op == "-":
        a, b = _as_bnd(x), _as_bnd(y)
        return Bnd(_add(a.low, _neg(b.high)), _add(a.high, _neg(b.low)))
    if isinstance(y, Bnd) and (op == "/" or isinstance(x, Bnd)):
        return Bnd(None, None)
    bounded, factor = (x, y) if isinstance(x, Bnd) else (y, x)

    def scale(v: Any) -> Any:
        if v is None:
            return ibis.null("float64")
        return v / factor if op == "/" else v * factor

    if not isinstance(factor, ir.Value):
        if factor < 0:
            return Bnd(
                None if bounded.high is None else scale(bounded.high),
                None if bounded.low is None else scale(bounded.low),
            )
        return Bnd(
            None if bounded.low is None else scale(bounded.low),
            None if bounded.high is None else scale(bounded.high),
        )
    negative = factor < 0
    low, high = scale(bounded.low), scale(bounded.high)
    return Bnd(ibis.ifelse(negative, high, low), ibis.ifelse(negative, low, high))
