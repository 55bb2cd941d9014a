"""Compile a programme's typed rule tree to Ibis expressions over the population layout.

One rule set, many engines: the same expressions run on Polars, DuckDB or Spark. Unknown
facts are nulls, and SQL's three-valued AND/OR/NOT is exactly the Kleene logic the scalar
evaluator uses, so a null answer here is an ``undetermined`` there. This module lowers the
tree to the operations of ``rules.core``, with which the evaluator computes too, and lays
them out on the columns; the meanings themselves live there. ``tests/population`` hold the
two paths to the same answers.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import ibis
import ibis.expr.types as ir

from talentvisa import fx
from talentvisa.compare import UNKNOWN_KEY
from talentvisa.population.layout import COLUMNS, SEP, SLOTS
from talentvisa.rules import core
from talentvisa.rules.core import DECIDE
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

STATUS_CODES: Final = core.STATUS_CODES
ROUND: Final = core.PAY_DECIMALS  # pay is compared at 6 decimals, as in the evaluator
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


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled programme: ``final`` reads the last of ``stages``, each of which is a
    projection that reads the one before it by name (the first reads the given table).

    Each stage is translated on its own and the engine is given them as views: Ibis
    merges a chain of projections by walking the whole chain at every link, so Express
    Entry's thirteen stages as one expression took 4.6 s to turn into SQL."""

    stages: tuple[tuple[str, ir.Table], ...]
    final: ir.Table


_STAGE_NAMES: Final = itertools.count()


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
        self._quantified: dict[str, str] = {}  # any()/all() call -> its precomputed column
        self._scored: dict[int, tuple[str, str]] = {}  # a points test -> its staged columns
        self._row_whens: dict[int, str] = {}  # a points row -> its staged condition
        self._age: str | None = None  # the staged age in whole years, where rules read it
        self._stages: list[tuple[str, ir.Table]] = []
        version = program.version_at(as_of)
        if version is not None:
            from talentvisa.rules.loader import version_conditions, walk

            # Only the facts this programme reads: narrower plans, faster on every engine.
            read = set(columns_read(program, as_of))
            keep = [c for c in table.columns if c in read or c in carry]
            if keep:
                self.t = table.select(*keep)
            calls = [
                n
                for _, cond in version_conditions(version)
                for n in walk(cond)
                if isinstance(n, Call) and n.func == "months_within"
            ]
            if calls:
                self._stage_months_within(calls)
            if "age" in read:
                self._stage_age()
            quantifiers = [
                n for _, cond in version_conditions(version) for n in _top_level_quantifiers(cond)
            ]
            if quantifiers:
                self._stage_quantifiers(quantifiers)
            if quantifiers or "age" in read:
                self._stage(self.t)
            from talentvisa.rules.loader import criteria_in

            tests = [c.points for c in criteria_in(version.criteria) if isinstance(c, PointsNode)]
            if tests:
                self._stage_points(tests)

    def _stage(self, t: ir.Table) -> ir.Table:
        """End a stage with ``t``: what follows reads its columns from a table of that
        name, which is returned (and is ``self.t``)."""
        name = f"talentvisa_stage{next(_STAGE_NAMES)}"
        self._stages.append((name, t))
        self.t = ibis.table(t.schema(), name=name)
        return self.t

    # ------------------------------------------------------------ outputs

    def query(self, *carry: str, **values: ir.Value) -> Query:
        """The stages and, over the last, the columns asked for."""
        return Query(tuple(self._stages), self.t.select(*carry, **values))

    def status(self) -> ir.IntegerValue:
        """0 eligible, 1 ineligible, 2 undetermined, 3 not in force (codes in STATUS_CODES)."""
        version = self.program.version_at(self.as_of)
        if version is None:
            return ibis.literal(STATUS_CODES["not_in_force"], "int8")
        result: ir.IntegerValue = core.ibis_of("status")(self.criterion(version.criteria))
        return result

    def points(self) -> ir.IntegerValue | None:
        """Points already certain, for programmes with a points test."""
        scores = self._last_scores()
        if scores is None:
            return None
        result: ir.IntegerValue = scores[0].cast("int32")
        return result

    def _last_scores(self) -> tuple[ir.NumericValue, ir.NumericValue] | None:
        """Certain and possible points of the last points test, as the evaluator's
        assessment reports it (a programme may have an eligibility grid before the points
        that rank it, as Express Entry does)."""
        version = self.program.version_at(self.as_of)
        if version is None:
            return None
        from talentvisa.rules.loader import criteria_in

        for c in reversed(list(criteria_in(version.criteria))):
            if isinstance(c, PointsNode):
                return self._scores(c.points)
        return None

    def cost_key(self, payer: Payer, currency: str) -> ir.FloatingValue:
        """The comparison's cost key for one payer, per person (see ``compare._costs``):
        fees that are or may be due, alternatives counted once (``core``'s ``cost``), each
        converted and rounded to cents; unknown when an amount that may be due is unknown,
        or when the programme publishes no fees at all."""
        version = self.program.version_at(self.as_of)
        if version is None or not version.fees:
            return ibis.literal(UNKNOWN, "float64")
        groups: dict[str, list[tuple[Any, Any]]] = {}
        for fee in version.fees:
            if fee.optional or fee.payer != payer:
                continue
            when = self.ev(fee.when.node, {})
            rate = fx.rate(fee.currency, currency, self.as_of)
            raw = self.ev(fee.amount.node, {})
            amount = (
                float(rate.convert(Decimal(str(raw))))
                if not isinstance(raw, ir.Value)  # a parameter: converted exactly, as compare does
                else (raw.cast("float64") * float(rate.value)).round(2)
            )
            groups.setdefault(fee.alternatives or fee.id, []).append((when, amount))
        total = core.ibis_of("cost")(list(groups.values()))
        result: ir.FloatingValue = total.fill_null(UNKNOWN).cast("float64")
        return result

    def chance_key(self) -> ir.FloatingValue:
        """Minus the lowest chance of selection (see ``compare._chance_key``): -1 with no
        lottery or when it does not apply; unknown when no chance can be worked out."""
        version = self.program.version_at(self.as_of)
        if version is None or version.selection is None:
            return ibis.literal(-1.0, "float64")
        sel = version.selection
        rows = [(self.ev(r.when.node, {}), self.ev(r.chance.node, {})) for r in sel.rows]
        low = core.ibis_of("chance")(self.ev(sel.applies.node, {}), rows)
        result: ir.FloatingValue = (-low).fill_null(UNKNOWN).cast("float64")
        return result

    # ------------------------------------------------------------ criteria

    def criterion(self, node: Criterion) -> ir.BooleanValue:
        match node:
            case Leaf(when=w):
                return core.lift(self.ev(w.node, {}), "boolean")
            case AllOf(all=items):
                return core.all_of([self.criterion(i) for i in items])
            case AnyOf(any=items):
                return core.any_of([self.criterion(i) for i in items])
            case NoneOf(not_=inner):
                return core.ibis_of("not")(self.criterion(inner))
            case PointsNode(points=p):
                certain, possible = self._scores(p)
                threshold = self.ev(p.threshold.node, {})
                return core.ibis_of("points_pass")(certain, possible, threshold)
        raise NotCompilable(f"criterion {type(node).__name__}")  # pragma: no cover

    def _stage_age(self) -> None:
        """Age in whole years as one column: the CRS gives points for each age from 18 to
        45, and each spelled-out age is a dozen date operations."""
        self._age = f"_{self.program.id.replace('-', '_')}_age"
        born = self.column("birth_date")
        years = core.ibis_of("whole_years")(born, ibis.date(self.as_of))
        self.t = self.t.mutate(**{self._age: ibis.ifelse(born.isnull(), self.column("age"), years)})

    def _stage_quantifiers(self, calls: list[Call]) -> None:
        """Each distinct ``any``/``all`` over a list, outside any lambda, as a column of one
        projection. A points table reads every row's condition twice (certain and possible
        points) and Express Entry's CRS asks "an accompanying spouse?" in 16 rows: spelled
        out per slot at every use, its query was 1 MB of SQL that took DuckDB and Spark
        seconds to plan; read from a column, each is computed once."""
        prefix = f"_{self.program.id.replace('-', '_')}_q"
        staged: dict[str, Any] = {}
        for node in calls:
            key = _call_key(node.func, node.args)
            if key not in self._quantified:
                name = f"{prefix}{len(self._quantified)}"
                staged[name] = self._call(node.func, node.args, {})
                self._quantified[key] = name
        self.t = self.t.mutate(**staged)

    def _stage_points(self, tests: list[Points]) -> None:
        """Each points test's certain and possible points as columns of one projection,
        so the status and the points column read them instead of each spelling the
        tables out (the engine computes them once)."""
        prefix = f"_{self.program.id.replace('-', '_')}_points"
        whens: dict[str, Any] = {}
        for row in (r for p in tests for table in p.tables for r in table.rows):
            when = self.ev(row.when.node, {})
            if isinstance(when, ir.Value):  # each row's condition is read twice: once here
                self._row_whens[id(row)] = name = f"{prefix}_r{len(whens)}"
                whens[name] = when
        self._stage(self.t.mutate(**whens))
        staged: dict[str, Any] = {}
        for k, p in enumerate(tests):
            certain, possible = self._scores(p)
            staged[f"{prefix}{k}_c"], staged[f"{prefix}{k}_p"] = certain, possible
            self._scored[id(p)] = (f"{prefix}{k}_c", f"{prefix}{k}_p")
        self._stage(self.t.mutate(**staged))

    def _scores(self, p: Points) -> tuple[ir.NumericValue, ir.NumericValue]:
        if id(p) in self._scored:
            certain_column, possible_column = self._scored[id(p)]
            return self.t[certain_column], self.t[possible_column]

        def when(row: Any) -> Any:
            name = self._row_whens.get(id(row))
            return self.ev(row.when.node, {}) if name is None else self.t[name]

        tables = [
            core.ibis_of("points_table")(table.pick, [(when(r), r.points) for r in table.rows])
            for table in p.tables
        ]
        certain, possible = core.ibis_of("points_total")(p.pick, tables)
        return certain, possible

    # ------------------------------------------------------------ expressions

    def column(self, name: str) -> ir.Value:
        """The one place a fact is read from the layout."""
        if name not in COLUMNS:
            raise NotCompilable(f"no column {name!r} in the population layout")
        return self.t[name]

    def ev(self, node: Node, local: dict[str, Value]) -> Value:
        """A node's value; a bounded number is known only where its bounds meet."""
        value = self._ev(node, local)
        return core.ibis_of("exact")(value.low, value.high) if isinstance(value, Bnd) else value

    def _ev(self, node: Node, local: dict[str, Value]) -> Value:
        """Like ``ev``, but counts, sums and months stay ``Bnd`` for comparisons and
        arithmetic, which can decide on a bound as the evaluator does."""
        match node:
            case Lit(value=v):
                return _literal(v)
            case Judgement():
                return core.ibis_of("judgement")()
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
                return core.ibis_of("not")(self.ev(o, local))
            case Neg(operand=o):
                inner = self._ev(o, local)
                if isinstance(inner, Bnd):
                    return Bnd(_neg(inner.high), _neg(inner.low))
                return core.ibis_of("neg")(inner)
            case BoolOp(op=op, left=a, right=b):
                return core.ibis_of(op)(self.ev(a, local), self.ev(b, local))
            case Compare():
                return self._compare(node, local)
            case Arith(op=op, left=a, right=b):
                x, y = self._ev(a, local), self._ev(b, local)
                if isinstance(x, Bnd) or isinstance(y, Bnd):
                    bx, by = _as_bnd(x), _as_bnd(y)
                    bounds = core.ibis_of("interval")(
                        op,
                        (bx.low, bx.high),
                        (by.low, by.high),
                        isinstance(x, Bnd),
                        isinstance(y, Bnd),
                    )
                    return Bnd(None, None) if bounds is None else Bnd(*bounds)
                return core.ibis_of(core.ARITH[op])(x, y)
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
        if n == "points":  # the selection reads the programme's points, as a bound
            scores = self._last_scores()
            return ibis.null() if scores is None else Bnd(*scores)
        if n == "age" and self._age is not None:
            return self.t[self._age]
        if n == "age":
            born = self.column("birth_date")
            years = core.ibis_of("whole_years")(born, ibis.date(self.as_of))
            return ibis.ifelse(born.isnull(), self.column("age"), years)
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

    def _count(self, lst: Lst) -> ir.Value:
        return self.column(f"{lst.path}{SEP}n")

    def _compare(self, node: Compare, local: dict[str, Value]) -> ir.BooleanValue:
        op = node.op
        age = self._age_bound(node, local)
        if age is not None:
            return age
        left, right = self._ev(node.left, local), self._ev(node.right, local)
        if isinstance(left, Bnd) or isinstance(right, Bnd):
            if op in DECIDE:
                x, y = _as_bnd(left), _as_bnd(right)
                return core.ibis_of("decide")(op, (x.low, x.high), (y.low, y.high))
            left, right = (
                core.ibis_of("exact")(v.low, v.high) if isinstance(v, Bnd) else v
                for v in (left, right)
            )
        if op in ("in", "not in"):
            if isinstance(right, Lst):
                found = core.ibis_of("contains")(self._count(right), self._entries(right), left)
            else:
                values = tuple(right) if isinstance(right, tuple) else right
                found = core.ibis_of("isin")(left, values)
            return found if op == "in" else core.ibis_of("not")(found)
        enum = next((t.enum for t in (node.left.ty, node.right.ty) if t and t.enum), None)
        if enum is not None and issubclass(enum, OrderedEnum) and op not in ("==", "!="):
            # Rewrite: an ordered level against a fixed one is one set membership.
            if isinstance(right, str) and not isinstance(left, str):
                return core.ibis_of("isin")(left, core.level_set(enum, op, right, True))
            if isinstance(left, str) and not isinstance(right, str):
                return core.ibis_of("isin")(right, core.level_set(enum, op, left, False))
            left = core.ibis_of("rank")(left, enum)
            right = core.ibis_of("rank")(right, enum)
        return core.ibis_of(core.CMP[op])(left, right)

    def _age_bound(self, node: Compare, local: dict[str, Value]) -> ir.BooleanValue | None:
        """Rewrite: ``age >= 45`` is one comparison of the birth date (``core.age_bound``),
        or of the stated age where the birth date is unknown."""
        flipped = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
        if node.op not in flipped or "age" in local or "age" in self.params:
            return None
        if isinstance(node.left, Name) and node.left.name == "age":
            symbol, other = node.op, node.right
        elif isinstance(node.right, Name) and node.right.name == "age":
            symbol, other = flipped[node.op], node.left
        else:
            return None
        years = self.ev(other, local)
        if isinstance(years, ir.Value) or core.age_bound(symbol, years, self.as_of) is None:
            return None
        born = self.column("birth_date")
        stated = core.ibis_of(core.CMP[symbol])(self.column("age"), years)
        by_date = core.ibis_of("age_bound")(born, symbol, years, self.as_of)
        result: ir.BooleanValue = ibis.ifelse(born.isnull(), stated, by_date)
        return result

    # ------------------------------------------------------------ functions

    def _call(self, f: str, args: tuple[Node, ...], local: dict[str, Value]) -> Value:
        if f in ("any", "all") and not local:
            name = self._quantified.get(_call_key(f, args))
            if name is not None:
                return self.t[name]
        if f in ("any", "all", "count", "sum"):
            lst, fn = self.ev(args[0], local), args[1]
            assert isinstance(lst, Lst) and isinstance(fn, Lambda)
            entries = [
                (present, self._ev(fn.body, {**local, fn.param: entry}))
                for present, entry in self._entries(lst)
            ]
            if f == "sum":
                terms = [(p, (b.low, b.high)) for p, b in ((p, _as_bnd(v)) for p, v in entries)]
                return Bnd(*core.ibis_of("sum")(self._count(lst), terms))
            entries = [
                (p, core.ibis_of("exact")(v.low, v.high) if isinstance(v, Bnd) else v)
                for p, v in entries
            ]
            if f == "count":
                return Bnd(*core.ibis_of("count")(self._count(lst), entries))
            return core.ibis_of("exists" if f == "any" else "forall")(self._count(lst), entries)
        if f == "years_since":
            return core.ibis_of("whole_years")(self.ev(args[0], local), ibis.date(self.as_of))
        if f in ("years_between", "months_between"):
            op = "whole_years" if f == "years_between" else "whole_months"
            return core.ibis_of(op)(self.ev(args[0], local), self.ev(args[1], local))
        if f == "isced_in":
            return core.ibis_of("isced_within")(self.ev(args[0], local), self.ev(args[1], local))
        if f in ("yearly", "hourly"):
            return self._pay(f == "hourly", args, local)
        if f == "months_within":
            key = _key(args)
            if key not in self._staged:
                raise NotCompilable("months_within() inside a lambda is not compiled")
            tag = self._staged[key]
            return Bnd(self.t[f"{tag}_low"], self.t[f"{tag}_high"])
        raise NotCompilable(f"function {f}() is not compiled yet")

    def _pay(self, per_hour: bool, args: tuple[Node, ...], local: dict[str, Value]) -> Value:
        money = self.ev(args[0], local)
        assert isinstance(money, Rec)
        amount = self.column(f"{money.prefix}{SEP}amount")
        period = self.column(f"{money.prefix}{SEP}period")
        value = core.ibis_of("pay")(amount, period, self.ev(args[1], local), per_hour)
        target = args[2] if len(args) > 2 else None
        if isinstance(target, Lit):
            rate = self._rate_to(target.value, self.column(f"{money.prefix}{SEP}currency"))
            value = core.ibis_of("convert")(value, rate)
        return core.ibis_of("round_pay")(value)

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

    def _stage_months_within(self, calls: list[Call]) -> None:
        """Months of the matching periods in the window, bounded as the evaluator bounds
        them: at least the union of the certain entries, at most the union with every
        unknown entry stretched as far as it could go (unknown start: the window's start;
        unknown end: as_of); an unknown list gives 0 to the whole window.

        Staged in projections, so the engine computes each part once however many calls
        read it: first every slot's start and end (an ongoing period ends on as_of, shared
        by every call on the list) and each call's condition per slot; then each window's
        clipped periods; then every call's unions together (``core.union_months``, one
        sort and one sweep for all of them). The working columns are dropped after."""
        prefix = f"_{self.program.id.replace('-', '_')}_mw"
        todo: list[tuple[str, Lst, Lambda, dt.date]] = []
        bounds: dict[str, tuple[Lst, int]] = {}
        for node in calls:
            key = _key(node.args)
            if key in self._staged:
                continue
            tag = f"{prefix}{len(self._staged)}"
            self._staged[key] = tag
            lst = self.ev(node.args[0], {})
            fn = node.args[1]
            assert isinstance(lst, Lst) and isinstance(fn, Lambda)
            years = self.ev(node.args[2], {})
            if not isinstance(years, int | float):
                raise NotCompilable("months_within() needs a constant number of years")
            start_day = core.years_before(self.as_of, int(years))
            todo.append((tag, lst, fn, start_day))
            bounds[tag] = (lst, max(core.whole_months(start_day, self.as_of), 0))
        as_of = ibis.date(self.as_of)

        def slot(lst: Lst, i: int) -> str:
            return f"{prefix}_{lst.path}{i}"

        # 1. each slot's start and end, each call's condition per slot
        first: dict[str, Any] = {}
        for tag, lst, fn, _ in todo:
            has_ongoing = lst.elem.model is not None and "ongoing" in lst.elem.model.model_fields
            for i, (_, entry) in enumerate(self._entries(lst)):
                assert isinstance(entry, Rec)
                first[f"{tag}_k{i}"] = core.lift(self.ev(fn.body, {fn.param: entry}), "boolean")
                end = self.column(f"{entry.prefix}{SEP}end")
                if has_ongoing:
                    ongoing = self.column(f"{entry.prefix}{SEP}ongoing")
                    end = ibis.ifelse(end.isnull() & ongoing.fill_null(False), as_of, end)
                first[f"{slot(lst, i)}_s"] = self.column(f"{entry.prefix}{SEP}start")
                first[f"{slot(lst, i)}_e"] = end
        t = self._stage(self.t.mutate(**first))
        # 2. each window's periods, clipped to it, and stretched where an end is unknown
        second: dict[str, Any] = {}
        for _, lst, _, start_day in todo:
            window = ibis.date(start_day)
            for i in range(lst.slots):
                name = f"{slot(lst, i)}_w{start_day:%Y%m%d}"
                start, end = t[f"{slot(lst, i)}_s"], t[f"{slot(lst, i)}_e"]
                lo = ibis.ifelse(start > window, start, window)
                hi = ibis.ifelse(end < as_of, end, as_of)
                second[f"{name}_lo"], second[f"{name}_hi"] = lo, hi
                second[f"{name}_wlo"] = ibis.ifelse(start.isnull(), window, lo)
                second[f"{name}_whi"] = ibis.ifelse(end.isnull(), as_of, hi)
        t = self._stage(t.mutate(**second))
        # 3. the certain and the possible periods of every call, merged together
        groups: dict[str, list[tuple[Any, Any, Any]]] = {}
        for tag, lst, _, start_day in todo:
            certain, possible = [], []
            n = self._count(lst)
            for i in range(lst.slots):
                name = f"{slot(lst, i)}_w{start_day:%Y%m%d}"
                present, cond = n > i, t[f"{tag}_k{i}"]
                start, end = t[f"{slot(lst, i)}_s"], t[f"{slot(lst, i)}_e"]
                lo, hi = t[f"{name}_lo"], t[f"{name}_hi"]
                sure = (present & cond).fill_null(False) & start.notnull() & end.notnull()
                certain.append((sure & (lo < hi), lo, hi))
                maybe = (present & cond.fill_null(True)).fill_null(False)
                wide_lo, wide_hi = t[f"{name}_wlo"], t[f"{name}_whi"]
                possible.append((maybe & (wide_lo < wide_hi), wide_lo, wide_hi))
            groups[f"{tag}c"], groups[f"{tag}p"] = certain, possible
        t = self._stage(core.ibis_of("union_months")(t, groups, self._stage))
        columns = {}
        for tag, (lst, cap) in bounds.items():
            n = self._count(lst)
            columns[f"{tag}_low"] = ibis.ifelse(n.isnull(), 0, t[f"{tag}c_months"])
            columns[f"{tag}_high"] = ibis.ifelse(n.isnull(), cap, t[f"{tag}p_months"])
        t = t.mutate(**columns)
        self._stage(t.select(*[c for c in t.columns if not c.startswith(prefix) or c in columns]))


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


def _root(column: str) -> str:
    head = column.split(SEP, 1)[0]
    return head.rsplit("_", 1)[0] if head.rsplit("_", 1)[-1].isdigit() else head


def _top_level_quantifiers(node: Node) -> list[Call]:
    """The ``any``/``all`` calls of a condition that no lambda encloses (a call inside one
    may read the lambda's parameter, so it cannot be a column of its own)."""
    from talentvisa.rules.loader import children

    if isinstance(node, Call) and any(isinstance(a, Lambda) for a in node.args):
        return [node] if node.func in ("any", "all") else []
    return [c for child in children(node) for c in _top_level_quantifiers(child)]


def _call_key(func: str, args: tuple[Node, ...]) -> str:
    return f"{func}({_key(args)})"


def _key(args: tuple[Node, ...]) -> str:
    return " | ".join(source_text(a) for a in args)


def _literal(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v)
    return v


def _as_bnd(value: Value) -> Bnd:
    if isinstance(value, Bnd):
        return value
    v = core.lift(_literal(value), "float64")
    return Bnd(v, v)


def _neg(v: Any) -> Any:
    return None if v is None else -v
