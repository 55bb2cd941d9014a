"""Strong hand-written baselines for the benchmark: all seven programmes' statuses, written
by hand from the programme files (src/talentvisa/programs/*.yaml, the version in force on
the benchmark date) and the population layout, independently of the compiler.

Each rule is written once against ``X``, a pair of the same expression as Polars and as
DuckDB SQL, choosing the cheapest form a person would write on the layout:

- age bounds and "less than N years ago" as comparisons of the date column with a date
  computed once (no whole years built from year, month and day);
- ordered levels ("bachelor or higher") as membership in the levels at or above;
- ``months_within`` as a sort of at most four periods by start and one merging sweep;
- pay conversions with factors fixed per period and currency;
- shared parts (pay, merged periods, flags used twice) named once as columns, in
  stages (Polars ``with_columns``; DuckDB nested projections).

The benchmark compares every person's status with the compiled path's, row by row,
before timing anything, so a faster baseline that is wrong cannot win.

Layout assumptions live in the "layout" section below (column names, slots, how enums
and counts are stored); today's layout stores enums as text and counts as floats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from talentvisa import fx

PROGRAMS = (
    "cn-k",
    "de-blue-card",
    "de-opportunity-card",
    "kr-d10-t",
    "kr-top-tier",
    "nz-smc",
    "us-h1b",
)

# ------------------------------------------------------------------ layout
# Everything the baselines assume about the layout (population/layout.py): list slots,
# the column of a list's length, how a nested field is named, and ordered enums' values.

SLOTS = {"citizenships": 3, "education": 3, "work": 4, "languages": 3, "family": 3}
SLOTS |= {"stays": 3, "registrations": 2}
LEVELS = ("secondary", "vocational", "short_cycle", "bachelor", "master", "doctorate")
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")


def field(*parts: str | int) -> str:
    """``("education", 0, "institution", "ranked")`` -> ``education_0__institution__ranked``."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"_{p}"
        else:
            out += ("__" if out else "") + p
    return out


def length(name: str) -> str:
    return f"{name}__n"


def at_least(levels: Sequence[str], lowest: str) -> tuple[str, ...]:
    """An ordered enum's values at or above ``lowest``: a set membership, not a rank."""
    return tuple(levels[levels.index(lowest) :])


# ------------------------------------------------------------------ one expression, two dialects


def _sql_value(v: Any) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float | Decimal):
        return repr(float(v))
    if isinstance(v, dt.date):
        return f"DATE '{v.isoformat()}'"
    return "'" + str(v).replace("'", "''") + "'"


class X:
    """The same expression in Polars and in DuckDB SQL; operators build both."""

    __slots__ = ("depth", "pl", "sql")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, polars: pl.Expr, sql: str, depth: int = 0) -> None:
        # depth: the stage after the latest named column this expression reads
        self.pl, self.sql, self.depth = polars, sql, depth

    def _bin(self, other: Any, py: Callable[[pl.Expr, pl.Expr], pl.Expr], op: str) -> X:
        o = lit(other)
        return X(py(self.pl, o.pl), f"({self.sql} {op} {o.sql})", max(self.depth, o.depth))

    def _same(self, polars: pl.Expr, sql: str) -> X:
        return X(polars, sql, self.depth)

    def __and__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a & b, "AND")

    def __or__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a | b, "OR")

    def __invert__(self) -> X:
        return self._same(~self.pl, f"(NOT {self.sql})")

    def __eq__(self, o: Any) -> X:  # type: ignore[override]
        return self._bin(o, lambda a, b: a == b, "=")

    def __ne__(self, o: Any) -> X:  # type: ignore[override]
        return self._bin(o, lambda a, b: a != b, "<>")

    def __lt__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a < b, "<")

    def __le__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a <= b, "<=")

    def __gt__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a > b, ">")

    def __ge__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a >= b, ">=")

    def __add__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a + b, "+")

    def __sub__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a - b, "-")

    def __mul__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a * b, "*")

    def __truediv__(self, o: Any) -> X:
        return self._bin(o, lambda a, b: a / b, "/")

    def isin(self, values: Iterable[Any]) -> X:
        vs = list(values)
        return self._same(
            self.pl.is_in(vs), f"({self.sql} IN ({', '.join(_sql_value(v) for v in vs)}))"
        )

    def starts(self, prefixes: Iterable[str]) -> X:
        return any_of(
            self._same(self.pl.str.starts_with(p), f"starts_with({self.sql}, {_sql_value(p)})")
            for p in prefixes
        )

    def is_null(self) -> X:
        return self._same(self.pl.is_null(), f"({self.sql} IS NULL)")

    def fill(self, value: bool) -> X:
        return self._same(self.pl.fill_null(value), f"coalesce({self.sql}, {_sql_value(value)})")

    def round6(self) -> X:
        return self._same(self.pl.round(6), f"round({self.sql}, 6)")


def lit(v: Any) -> X:
    if isinstance(v, X):
        return v
    dtype = pl.Boolean if v is None else None
    value = float(v) if isinstance(v, Decimal) else v
    return X(pl.lit(value, dtype=dtype), _sql_value(v))


def col(name: str, depth: int = 0) -> X:
    return X(pl.col(name), f'"{name}"', depth)


UNKNOWN = X(pl.lit(None, dtype=pl.Boolean), "CAST(NULL AS BOOLEAN)")


def when(*cases: tuple[X, Any], otherwise: Any) -> X:
    """CASE WHEN ... THEN ... ELSE ... END."""
    expr: Any = pl
    sql = "CASE"
    other = lit(otherwise)
    depth = other.depth
    for cond, then in cases:
        t = lit(then)
        expr = expr.when(cond.pl).then(t.pl)
        sql += f" WHEN {cond.sql} THEN {t.sql}"
        depth = max(depth, cond.depth, t.depth)
    return X(expr.otherwise(other.pl), f"{sql} ELSE {other.sql} END", depth)


def any_of(parts: Iterable[X]) -> X:
    items = list(parts)
    out = items[0]
    for p in items[1:]:
        out = out | p
    return out


def all_of(parts: Iterable[X]) -> X:
    items = list(parts)
    out = items[0]
    for p in items[1:]:
        out = out & p
    return out


def greatest(parts: Sequence[X]) -> X:
    return X(
        pl.max_horizontal([p.pl for p in parts]),
        f"greatest({', '.join(p.sql for p in parts)})",
        max(p.depth for p in parts),
    )


def status(root: X) -> X:
    """0 eligible, 1 ineligible, 2 undetermined (STATUS_CODES), as an 8-bit integer."""
    code = when((root.is_null(), 2), (root, 0), otherwise=1)
    return code._same(code.pl.cast(pl.Int8), f"CAST({code.sql} AS TINYINT)")


class Build:
    """Named intermediate columns, computed once and reused: with_columns stages on Polars,
    lateral column aliases in one DuckDB SELECT."""

    def __init__(self) -> None:
        self.stages: list[dict[str, X]] = [{}]
        self.count = 0

    def let(self, value: X) -> X:
        """``value`` as a named column, in the first stage after those it reads."""
        while len(self.stages) <= value.depth:
            self.stages.append({})
        self.count += 1
        name = f"_h{self.count}"
        self.stages[value.depth][name] = value
        return col(name, value.depth + 1)


# ------------------------------------------------------------------ shared rule pieces


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def months(start: X, end: X) -> X:
    """Whole months from start to end, as the rules count them."""
    p = (
        (end.pl.dt.year() - start.pl.dt.year()).cast(pl.Int32) * 12
        + end.pl.dt.month().cast(pl.Int32)
        - start.pl.dt.month().cast(pl.Int32)
        - (end.pl.dt.day() < start.pl.dt.day()).cast(pl.Int32)
    )
    s = (
        f"((year({end.sql}) - year({start.sql})) * 12 + month({end.sql}) - month({start.sql}) "
        f"- CASE WHEN day({end.sql}) < day({start.sql}) THEN 1 ELSE 0 END)"
    )
    return X(p, s, max(start.depth, end.depth))


class Person:
    """Rule pieces on one population, against one date."""

    def __init__(self, as_of: dt.date, b: Build) -> None:
        self.as_of, self.b = as_of, b
        self.day = lit(as_of)

    # lists ----------------------------------------------------------
    def any(self, name: str, body: Callable[[int], X]) -> X:
        n = col(length(name))
        found = any_of((n > i) & body(i) for i in range(SLOTS[name]))
        return when((n.is_null(), UNKNOWN), otherwise=found)

    def citizen_of(self, country: str) -> X:
        return self.any("citizenships", lambda i: col(field("citizenships", i)) == country)

    def e(self, i: int, *f: str) -> X:
        return col(field("education", i, *f))

    def w(self, i: int, *f: str) -> X:
        return col(field("work", i, *f))

    # dates ----------------------------------------------------------
    def age_at_least(self, years: int) -> X:
        """age >= years: born on or before the day ``years`` before as_of."""
        return when(
            (col("birth_date").is_null(), col("age") >= years),
            otherwise=col("birth_date") <= years_before(self.as_of, years),
        )

    def age_at_most(self, years: int) -> X:
        return when(
            (col("birth_date").is_null(), col("age") <= years),
            otherwise=col("birth_date") > years_before(self.as_of, years + 1),
        )

    def age_below(self, years: int) -> X:
        return ~self.age_at_least(years)

    def age_is(self, years: int) -> X:
        return self.age_at_least(years) & self.age_at_most(years)

    def within_years(self, date: X, years: int) -> X:
        """years_since(date) < years."""
        return date > years_before(self.as_of, years)

    # pay ------------------------------------------------------------
    def pay(self, money: str, hours: str, target: str, per_hour: bool) -> X:
        """yearly() / hourly(): by period, converted at the rates published by as_of,
        compared at 6 decimals as the rules compare them."""
        amount, period, hrs = col(f"{money}__amount"), col(f"{money}__period"), col(hours)
        year_hours = hrs * 52
        if per_hour:
            value = when(
                (period == "hour", amount),
                (period == "year", amount * 1 / year_hours),
                (period == "month", amount * 12 / year_hours),
                (period == "week", amount * 52 / year_hours),
                otherwise=X(pl.lit(None, dtype=pl.Float64), "CAST(NULL AS DOUBLE)"),
            )
        else:
            value = when(
                (period == "hour", amount * year_hours),
                (period == "year", amount * 1),
                (period == "month", amount * 12),
                (period == "week", amount * 52),
                otherwise=X(pl.lit(None, dtype=pl.Float64), "CAST(NULL AS DOUBLE)"),
            )
        currency = col(f"{money}__currency")
        rates: list[tuple[X, Any]] = [(currency == target, 1.0)]
        for code in fx.currencies(self.as_of):
            if code == target:
                continue
            try:
                rate = fx.rate(code, target, self.as_of, published=True)
            except fx.NoRate:
                continue
            rates.append((currency == code, float(rate.value)))
        factor = when(*rates, otherwise=X(pl.lit(None, dtype=pl.Float64), "CAST(NULL AS DOUBLE)"))
        return self.b.let((value * factor).round6())

    def offer_pay(self, target: str, per_hour: bool = False) -> X:
        return self.pay("job_offer__salary", "job_offer__hours_per_week", target, per_hour)

    # months_within --------------------------------------------------
    def months_within(self, name: str, cond: Callable[[int], X], years: int) -> tuple[X, X]:
        """(certain, possible) months of the matching periods within the last ``years``:
        the union of the certain entries, and of every possible entry stretched as far as
        it could go (unknown start: the window's start; unknown end: as_of); an unknown
        list is 0 to the whole window."""
        window = years_before(self.as_of, years)
        cap = max((self.as_of.year - window.year) * 12 + self.as_of.month - window.month, 0)
        cap -= 1 if self.as_of.day < window.day else 0
        certain, possible = [], []
        for i in range(SLOTS[name]):
            c = self.b.let((col(length(name)) > i) & cond(i))
            start, end = col(field(name, i, "start")), col(field(name, i, "end"))
            if name == "work":
                end = when(
                    (end.is_null() & col(field(name, i, "ongoing")).fill(False), self.day),
                    otherwise=end,
                )
            end = self.b.let(end)
            lo = self.b.let(when((start > window, start), otherwise=lit(window)))
            hi = self.b.let(when((end < self.as_of, end), otherwise=self.day))
            sure = c.fill(False) & ~start.is_null() & ~end.is_null() & (lo < hi)
            certain.append((sure, lo, hi))
            # an unknown start or end already stretches lo to the window and hi to as_of
            possible.append((c.fill(True) & (lo < hi), lo, hi))
        n = col(length(name))
        low = when((n.is_null(), 0), otherwise=self._union(certain, window))
        high = when((n.is_null(), cap), otherwise=self._union(possible, window))
        return self.b.let(low), self.b.let(high)

    def _union(self, periods: list[tuple[X, X, X]], window: dt.date) -> X:
        """Whole months of a union of periods: invalid ones become empty at the window's
        start, a sorting network orders them by start, one sweep merges and counts."""
        empty = lit(window)
        ps = [
            (self.b.let(when((v, lo), otherwise=empty)), self.b.let(when((v, hi), otherwise=empty)))
            for v, lo, hi in periods
        ]
        network = {4: [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)], 3: [(0, 1), (1, 2), (0, 1)]}
        for a, c in network[len(ps)]:
            (alo, ahi), (clo, chi) = ps[a], ps[c]
            first = alo <= clo
            ps[a] = (
                self.b.let(when((first, alo), otherwise=clo)),
                self.b.let(when((first, ahi), otherwise=chi)),
            )
            ps[c] = (
                self.b.let(when((first, clo), otherwise=alo)),
                self.b.let(when((first, chi), otherwise=ahi)),
            )
        cur_lo, cur_hi = ps[0]
        total: X = lit(0)
        for lo, hi in ps[1:]:
            joins = self.b.let(lo <= cur_hi)
            total = self.b.let(total + when((joins, 0), otherwise=months(cur_lo, cur_hi)))
            cur_lo = self.b.let(when((joins, cur_lo), otherwise=lo))
            cur_hi = self.b.let(when((joins & (hi > cur_hi), hi), (joins, cur_hi), otherwise=hi))
        return total + months(cur_lo, cur_hi)


def decide_at_least(bounds: tuple[X, X], threshold: float) -> X:
    """``months_within(...) >= threshold``: decided when both bounds are on one side."""
    low, high = bounds
    return when((low >= threshold, True), (high < threshold, False), otherwise=UNKNOWN)


def points(tables: Sequence[tuple[str, Sequence[tuple[X, int]]]], threshold: int) -> X:
    """A points test: certain points count rows that surely hold, possible points rows that
    may; passed when the certain reach the threshold, failed when the possible cannot."""

    def score(fill: bool) -> X:
        total: X = lit(0)
        for pick, rows in tables:
            parts = [when((c.fill(fill), pts), otherwise=0) for c, pts in rows]
            total = total + (greatest(parts) if pick == "max" and len(parts) > 1 else _sum(parts))
        return total

    return when(
        (score(False) >= threshold, True), (score(True) < threshold, False), otherwise=UNKNOWN
    )


def _sum(parts: Sequence[X]) -> X:
    out = parts[0]
    for p in parts[1:]:
        out = out + p
    return out


# ------------------------------------------------------------------ the programmes


def cn_k(p: Person) -> X:
    stem = ("05", "06", "07")

    def degree(i: int) -> X:
        return (
            p.e(i, "level").isin(at_least(LEVELS, "bachelor"))
            & (p.e(i, "completed") <= p.as_of)
            & (p.e(i, "field").starts(stem) | UNKNOWN)
            & (
                (p.e(i, "institution", "ranked") & (p.e(i, "institution", "world_rank") <= 500))
                | UNKNOWN
            )
        )

    def work(i: int) -> X:
        return (
            p.w(i, "kind").isin(["teaching", "research", "postdoc"])
            & (p.w(i, "start") <= p.as_of)
            & (p.w(i, "ongoing") | (p.w(i, "end") >= p.as_of))
            & (p.w(i, "field").starts(stem) | UNKNOWN)
            & ((p.w(i, "employer", "ranked") & (p.w(i, "employer", "world_rank") <= 500)) | UNKNOWN)
        )

    young = (p.age_at_least(18) & p.age_at_most(45)) | UNKNOWN
    return ~p.citizen_of("CN") & young & (p.any("education", degree) | p.any("work", work))


def kr_d10_t(p: Person) -> X:
    # open-on-date: as_of >= 2025-05-01 holds on any benchmark date after it.
    assert p.as_of >= dt.date(2025, 5, 1)

    def degree(i: int) -> X:
        return (
            p.e(i, "level").isin(at_least(LEVELS, "master"))
            & (p.e(i, "completed") <= p.as_of)
            & p.within_years(p.e(i, "completed"), 5)
            & p.e(i, "institution", "ranked")
            & (p.e(i, "institution", "world_rank") <= 100)
        )

    return ~p.citizen_of("KR") & p.any("education", degree)


def us_h1b(p: Person) -> X:
    offer = p.b.let(col("has_job_offer") & (col("job_offer__country") == "US"))
    bachelor = p.b.let(
        p.any(
            "education",
            lambda i: (
                p.e(i, "level").isin(at_least(LEVELS, "bachelor"))
                & (p.e(i, "completed") <= p.as_of)
            ),
        )
    )
    related = bachelor & UNKNOWN
    evaluated = (
        ~bachelor
        & col("us_degree_equivalence__level").isin(at_least(LEVELS, "bachelor"))
        & col("us_degree_equivalence__basis").isin(
            [
                "college_official",
                "equivalency_exam",
                "credential_evaluation",
                "professional_body",
                "uscis",
            ]
        )
        & UNKNOWN
    )
    worked = p.months_within("work", lambda i: lit(True), 100)
    need = 12 * 3 * 4

    def short_cycle(i: int) -> X:
        # months >= 12 * 3 * (4 - duration) with months bounded: decided on a bound
        threshold = (lit(4) - p.e(i, "duration_years")) * 36
        low, high = worked
        enough = when((low >= threshold, True), (high < threshold, False), otherwise=UNKNOWN)
        return (p.e(i, "level") == "short_cycle") & (p.e(i, "completed") <= p.as_of) & enough

    experience = (
        ~bachelor & (decide_at_least(worked, need) | p.any("education", short_cycle)) & UNKNOWN
    )
    return ~p.citizen_of("US") & offer & (offer & UNKNOWN) & (related | evaluated | experience)


def _recognised_de(p: Person, i: int) -> X:
    rec = p.e(i, "recognition", "DE")
    return (
        (rec == "full")
        | (p.e(i, "institution", "country") == "DE")
        | ((rec == "pending") & UNKNOWN)
    )


def de_blue_card(p: Person) -> X:
    ict = (
        "133", "1330", "25", "251", "2511", "2512", "2513", "2514", "2519",
        "252", "2521", "2522", "2523", "2529",
    )  # fmt: skip
    pay = p.offer_pay("EUR")
    degree = p.any(
        "education",
        lambda i: p.e(i, "level").isin(at_least(LEVELS, "bachelor")) & _recognised_de(p, i),
    )
    new_entrant = p.any(
        "education",
        lambda i: (
            p.e(i, "level").isin(at_least(LEVELS, "bachelor"))
            & _recognised_de(p, i)
            & (p.e(i, "completed") <= p.as_of)
            & p.within_years(p.e(i, "completed"), 3)
        ),
    )
    reduced = pay >= 45934.20
    salary = (pay >= 50700) | (reduced & (col("job_offer__shortage_occupation") | new_entrant))
    it_months = p.months_within(
        "work", lambda i: p.w(i, "occupation").isin(ict) | p.w(i, "field").starts(["06"]), 7
    )
    it_route = decide_at_least(it_months, 36) & col("job_offer__occupation").isin(ict) & reduced
    return (
        ~p.citizen_of("DE")
        & col("has_job_offer")
        & (col("job_offer__country") == "DE")
        & (col("job_offer__duration_months") >= 6)
        & ((degree & salary) | it_route)
    )


def de_opportunity_card(p: Person) -> X:
    def lang(code: str, lowest: str) -> X:
        return p.any(
            "languages",
            lambda i: (
                (col(field("languages", i, "language")) == code)
                & col(field("languages", i, "cefr")).isin(at_least(CEFR, lowest))
            ),
        )

    fachkraft = p.any(
        "education",
        lambda i: (
            p.e(i, "level").isin(at_least(LEVELS, "vocational"))
            & ((p.e(i, "recognition", "DE") == "full") | (p.e(i, "institution", "country") == "DE"))
        ),
    )
    partial = p.b.let(p.any("education", lambda i: p.e(i, "recognition", "DE") == "partial"))
    baseline = (
        p.any(
            "education",
            lambda i: (
                (
                    (
                        p.e(i, "level").isin(["vocational", "short_cycle"])
                        & (p.e(i, "duration_years") >= 2)
                    )
                    | p.e(i, "level").isin(at_least(LEVELS, "bachelor"))
                )
                & p.e(i, "state_recognised")
            ),
        )
        | partial
    )
    basic = lang("de", "A1") | lang("en", "B2")
    kinds = ["employment", "teaching", "research", "postdoc"]
    five = p.months_within("work", lambda i: p.w(i, "kind").isin(kinds), 7)
    two = p.months_within("work", lambda i: p.w(i, "kind").isin(kinds), 5)
    stay = p.any(
        "stays",
        lambda i: (
            (col(field("stays", i, "country")) == "DE")
            & col(field("stays", i, "lawful"))
            & (col(field("stays", i, "purpose")) != "tourism")
            & (months(col(field("stays", i, "start")), col(field("stays", i, "end"))) >= 6)
            & p.within_years(col(field("stays", i, "end")), 5)
        ),
    )
    partner = p.any(
        "family",
        lambda i: (
            col(field("family", i, "relation")).isin(["spouse", "partner"])
            & col(field("family", i, "applying_jointly"))
        ),
    )
    score = points(
        [
            ("sum", [(partial, 4)]),
            ("max", [(lang("de", "B2"), 3), (lang("de", "B1"), 2), (lang("de", "A2"), 1)]),
            ("sum", [(lang("en", "C1"), 1)]),
            ("max", [(decide_at_least(five, 60), 3), (decide_at_least(two, 24), 2)]),
            ("sum", [(p.any("education", lambda i: p.e(i, "shortage_occupation", "DE")), 1)]),
            (
                "max",
                [
                    (p.age_below(35) | (p.age_is(35) & UNKNOWN), 2),
                    (p.age_below(40) | (p.age_is(40) & UNKNOWN), 1),
                ],
            ),
            ("sum", [(stay, 1), (partner, 1)]),
        ],
        6,
    )
    amount, currency, period = col("funds__amount"), col("funds__currency"), col("funds__period")

    def enough(monthly: int) -> X:
        return (
            (amount >= 12 * monthly)
            | ((period == "month") & (amount >= monthly))
            | ((period == "week") & (amount * 52 >= 12 * monthly))
        )

    eur = currency == "EUR"
    livelihood = (
        (eur & enough(1091)) | ((currency != "EUR") & UNKNOWN) | (eur & enough(975) & UNKNOWN)
    )
    return ~p.citizen_of("DE") & (fachkraft | (baseline & basic & score)) & livelihood


def kr_top_tier(p: Person) -> X:
    pay = p.offer_pay("KRW")
    industries = ["semiconductors", "bio", "secondary-batteries", "displays"]
    salary = ((pay >= 149865000) | ((pay >= 140000000) & UNKNOWN)) & (
        (pay >= 140000000) & ((pay >= 3 * 52416000) | UNKNOWN)
    )
    universities = _param("kr-top-tier", "domestic_universities", p.as_of)
    companies = _param("kr-top-tier", "domestic_companies", p.as_of)

    def degree(i: int) -> X:
        inst = ("institution",)
        return (
            p.e(i, "level").isin(at_least(LEVELS, "master"))
            & (p.e(i, "completed") <= p.as_of)
            & (
                (p.e(i, *inst, "ranked") & (p.e(i, *inst, "world_rank") <= 100))
                | (p.e(i, *inst, "named_list") == "listed")
                | (
                    (p.e(i, *inst, "named_list") == "not_said")
                    & p.e(i, *inst, "name").isin(universities)
                )
            )
        )

    top_degree = p.b.let(p.any("education", degree))
    worked = p.months_within("work", lambda i: lit(True), 100)
    at_company = p.months_within(
        "work",
        lambda i: (
            (p.w(i, "kind") == "employment")
            & (
                (p.w(i, "employer", "ranked") & (p.w(i, "employer", "world_rank") <= 500))
                | (p.w(i, "employer", "named_list") == "listed")
                | (
                    (p.w(i, "employer", "named_list") == "not_said")
                    & p.w(i, "employer", "name").isin(companies)
                )
            )
        ),
        100,
    )
    company = p.b.let(decide_at_least(worked, 96) & decide_at_least(at_company, 36))

    def research_work(i: int) -> X:
        after_doctorate = p.any(
            "education",
            lambda j: (p.e(j, "level") == "doctorate") & (p.e(j, "completed") <= p.w(i, "start")),
        )
        return (p.w(i, "kind") == "postdoc") | ((p.w(i, "kind") == "research") & after_doctorate)

    research_all = p.months_within("work", research_work, 100)
    research_top = p.months_within(
        "work",
        lambda i: (
            research_work(i)
            & p.w(i, "employer", "ranked")
            & (p.w(i, "employer", "world_rank") <= 100)
        ),
        100,
    )
    research = p.b.let(
        decide_at_least(research_all, 60) & (decide_at_least(research_top, 36) | UNKNOWN)
    )
    waiver = (pay >= 199820000) & ((pay >= 199820000) & ((pay >= 4 * 52416000) | UNKNOWN))
    return (
        ~p.citizen_of("KR")
        & col("has_job_offer")
        & (col("job_offer__country") == "KR")
        & (col("job_offer__industry").isin(industries) | UNKNOWN)
        & salary
        & ((top_degree & (company | research)) | (waiver & (top_degree | company | research)))
    )


def nz_smc(p: Person) -> X:
    hourly = p.offer_pay("NZD", per_hour=True)

    def test(i: int) -> X:
        t, s = col(field("languages", i, "test")), col(field("languages", i, "score"))
        return (
            ((t == "ielts") & (s >= 6.5))
            | ((t == "toefl_ibt") & (s >= 79))
            | ((t == "pte_academic") & (s >= 58))
            | ((t == "other") & UNKNOWN)
        )

    ongoing_nz = p.any("work", lambda i: (p.w(i, "country") == "NZ") & p.w(i, "ongoing"))
    job = (
        col("has_job_offer")
        & (col("job_offer__country") == "NZ")
        & col("job_offer__employer__accredited")
        & (col("job_offer__hours_per_week") >= 30)
        & (
            (hourly >= 52.50)
            | ((col("job_offer__skill_level") <= 3) & (hourly >= 35.00))
            | (ongoing_nz & UNKNOWN)
        )
    )

    def registered(years: int, below: int | None = None) -> X:
        def body(i: int) -> X:
            r = ("registrations", i)
            ok = (
                (col(field(*r, "country")) == "NZ")
                & col(field(*r, "status")).isin(["full", "provisional"])
                & (col(field(*r, "training_years")) >= years)
            )
            return ok & (col(field(*r, "training_years")) < below) if below else ok

        return p.any("registrations", body)

    has_bachelor = p.b.let(p.any("education", lambda i: p.e(i, "level") == "bachelor"))

    def comparable(i: int) -> X:
        return (p.e(i, "institution", "country") == "NZ") | p.e(i, "recognition", "NZ").isin(
            ["full"]
        )

    def no_equivalent(i: int) -> X:
        return (p.e(i, "institution", "country") != "NZ") & p.e(i, "recognition", "NZ").isin(
            ["partial"]
        )

    def qual(level: str, recognised: Callable[[int], X], bachelor: bool) -> X:
        found = p.any(
            "education",
            lambda i: (p.e(i, "level") == level) & (p.e(i, "completed") <= p.as_of) & recognised(i),
        )
        return found & (has_bachelor | UNKNOWN) if bachelor else found

    honours = p.any(
        "education",
        lambda i: (
            (p.e(i, "level") == "bachelor")
            & (p.e(i, "nzqf_level") == 8)
            & (p.e(i, "completed") <= p.as_of)
            & comparable(i)
        ),
    )
    level8 = p.any(
        "education",
        lambda i: (p.e(i, "nzqf_level") == 8) & (p.e(i, "completed") <= p.as_of) & no_equivalent(i),
    )

    def nz_skilled(i: int) -> X:
        return (p.w(i, "country") == "NZ") & p.w(i, "skilled", "NZ")

    score = points(
        [
            (
                "max",
                [
                    (registered(6), 6),
                    (registered(5), 5),
                    (registered(4), 4),
                    (registered(2, below=4), 3),
                    (qual("doctorate", comparable, True), 6),
                    (qual("master", comparable, True), 5),
                    (honours, 4),
                    (qual("bachelor", comparable, False), 3),
                    (qual("doctorate", no_equivalent, True), 5),
                    (qual("master", no_equivalent, True), 4),
                    (level8, 3),
                    (hourly >= 105.00, 6),
                    (hourly >= 70.00, 4),
                    (hourly >= 52.50, 3),
                ],
            ),
            (
                "max",
                [
                    (decide_at_least(p.months_within("work", nz_skilled, 5), 36), 3),
                    (decide_at_least(p.months_within("work", nz_skilled, 4), 24), 2),
                    (decide_at_least(p.months_within("work", nz_skilled, 2), 12), 1),
                ],
            ),
        ],
        6,
    )
    pathways = (
        p.any(
            "education",
            lambda i: (
                (p.e(i, "institution", "country") == "NZ")
                & p.e(i, "level").isin(at_least(LEVELS, "bachelor"))
            ),
        )
        | decide_at_least(p.months_within("work", lambda i: p.w(i, "country") == "NZ", 100), 12)
        | (
            p.any("education", lambda i: p.e(i, "level").isin(at_least(LEVELS, "master")))
            & ~has_bachelor
        )
    ) & UNKNOWN
    # smc_reform_unconfirmed is true on the benchmark date: "reform-notice" holds and
    # "reform-rules" (not smc_reform_unconfirmed) fails.
    assert _param("nz-smc", "smc_reform_unconfirmed", p.as_of) is True
    return (
        ~p.citizen_of("NZ")
        & p.age_at_most(55)
        & p.any("languages", test)
        & job
        & (score | pathways)
    )


def _param(program: str, name: str, as_of: dt.date) -> Any:
    """A list or flag read from the programme file (long lists are not retyped by hand)."""
    from talentvisa.rules.loader import builtin_programs

    return builtin_programs()[program].parameters[name].at(as_of)


RULES: dict[str, Callable[[Person], X]] = {
    "cn-k": cn_k,
    "de-blue-card": de_blue_card,
    "de-opportunity-card": de_opportunity_card,
    "kr-d10-t": kr_d10_t,
    "kr-top-tier": kr_top_tier,
    "nz-smc": nz_smc,
    "us-h1b": us_h1b,
}


def _built(as_of: dt.date, programs: Sequence[str]) -> tuple[Build, dict[str, X]]:
    b = Build()
    person = Person(as_of, b)
    return b, {pid: status(RULES[pid](person)) for pid in programs}


def polars_query(
    frame: pl.LazyFrame, as_of: dt.date, programs: Sequence[str], keep: Sequence[str] = ()
) -> pl.LazyFrame:
    """The statuses as one lazy Polars query over ``frame``, beside the columns ``keep``
    (a row key: Polars' streaming engine may return rows in any order)."""
    b, statuses = _built(as_of, programs)
    for stage in b.stages:
        if stage:
            frame = frame.with_columns(**{k: v.pl for k, v in stage.items()})
    return frame.select(*keep, **{k: v.pl for k, v in statuses.items()})


def duckdb_query(source: str, as_of: dt.date, programs: Sequence[str]) -> str:
    """The statuses as one DuckDB SELECT over ``source`` (a table or a read_parquet call),
    each stage of intermediate columns one nested projection (DuckDB expands lateral
    column aliases in place, which repeats a chain of them exponentially)."""
    b, statuses = _built(as_of, programs)
    query = f"SELECT * FROM {source}"
    for stage in b.stages:
        if stage:
            named = ", ".join(f'{v.sql} AS "{k}"' for k, v in stage.items())
            query = f"SELECT *, {named} FROM ({query})"
    selected = ", ".join(f'{v.sql} AS "{k}"' for k, v in statuses.items())
    return f"SELECT {selected} FROM ({query})"
