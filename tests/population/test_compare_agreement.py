"""``compare`` and ``simulate`` say the same fees and the same chance of selection for the
same person, row for row: the applicant's and the employer's cost keys and the lottery key
that ``simulate`` compiles (and sums into its ``costs`` table) equal the ones ``compare``
ranks one person's options by. Both read ``rules.core``'s ``fee_totals``/``cost`` and
``chance_bounds``/``chance``, so a fee or lottery rule changed once changes both; this test
fails if they ever part (a payer's alternatives chosen differently, a conversion rounded
differently, a lottery row read on one side only).

The people are every programme case's profile and a Hypothesis sample; the dates are
either side of the H-1B payment and the weighted lottery; the currencies are the
comparison's default and two that every fee is converted into."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import pytest

from talentvisa.compare import PREFERENCES, UNKNOWN_KEY, Option, option_for, priced
from talentvisa.population.best import COSTS, cost_column
from talentvisa.population.layout import arrow_table
from talentvisa.population.run import connect, run, table_from
from talentvisa.population.simulate import BASELINE, runs_for, simulate
from talentvisa.profile import Profile
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from tests.population.test_differential import BEST_DATES, case_groups

SAMPLE = 120  # random profiles beside the cases
CENT = Decimal("0.01")


@cache
def people() -> tuple[Profile, ...]:
    from hypothesis import HealthCheck, given, settings

    from tests.population.strategies import profiles

    drawn: list[Profile] = []

    @settings(
        max_examples=SAMPLE,
        database=None,
        deadline=None,
        derandomize=True,  # the same sample every run: a failure can be read again
        suppress_health_check=list(HealthCheck),
    )
    @given(profiles())
    def collect(data: dict[str, object]) -> None:
        drawn.append(Profile.model_validate(data))

    collect()
    cases = [p for group in case_groups().values() for p in group]
    return (*cases, *drawn)


def programs() -> list[Program]:
    return list(builtin_programs().values())


def compared(option: Option) -> dict[str, Decimal]:
    """The comparison's own keys for one option: what ``compare`` ranks by."""
    return {name: PREFERENCES[name].key(option) for name in KEYS}


KEYS = ("low-cost", "low-employer-cost", "likely")
PAYERS = (("applicant", "low-cost"), ("employer", "low-employer-cost"))


@cache
def expected(as_of: dt.date, currency: str) -> dict[str, list[dict[str, Decimal]]]:
    """Per programme, per person, ``compare``'s keys (its fees and chance, as
    ``compare.priced`` works them out for ``option_for``; the status is not needed)."""
    out = {}
    for program in programs():
        keys = []
        for profile in people():
            fees, chance, costs, rates = priced(program, profile, as_of, currency)
            option = Option(program, None, fees, chance, costs, {}, rates)  # type: ignore[arg-type]
            keys.append(compared(option))
        out[program.id] = keys
    return out


def _cents(value: float | None) -> Decimal | None:
    """A compiled fee total (a float) to the cent: fees are whole cents in both paths; an
    unknown total stays unknown."""
    return None if value is None else Decimal(str(value)).quantize(CENT)


def _same_chance(got: float, want: Decimal) -> bool:
    """A chance worked out by division (a share of the cap) is a float on the engine and
    a decimal in ``compare``: the same to 12 significant digits."""
    return math.isclose(got, float(want), rel_tol=1e-12)


# Polars on every date and currency; DuckDB (SQL generation costs it about 30 s for all
# programmes here) and Spark on one, Spark with the slow suites.
RUNS = [
    *(pytest.param("polars", d, "USD", id=f"polars-{d}-USD") for d in BEST_DATES),
    pytest.param("polars", BEST_DATES[-1], "EUR", id="polars-EUR"),
    pytest.param("polars", BEST_DATES[1], "CNY", id="polars-CNY"),
    pytest.param("duckdb", BEST_DATES[-1], "EUR", id="duckdb-EUR"),
    pytest.param("spark", BEST_DATES[1], "USD", id="spark-USD", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("engine", "as_of", "currency"), RUNS)
def test_fees_and_chance_row_for_row(engine: str, as_of: dt.date, currency: str) -> None:
    profiles = people()
    progs = programs()
    con = connect(engine)  # type: ignore[arg-type]
    found = run(
        con, table_from(con, arrow_table(profiles)), progs, as_of, ("likely",), currency, True
    )
    columns = found.columns.to_pydict()
    lotteries = 0
    for program in progs:
        pid = program.id
        got_cost = {payer: columns[cost_column(pid, payer)] for payer in COSTS}
        got_chance = columns[f"{pid}__chance"]
        for i, want in enumerate(expected(as_of, currency)[pid]):
            where = (
                engine,
                pid,
                as_of,
                currency,
                i,
                profiles[i].model_dump_json(exclude_none=True),
            )
            for payer, pref in PAYERS:
                assert _cents(got_cost[payer][i]) == want[pref], (payer, *where)
            assert _same_chance(got_chance[i], want["likely"]), ("chance", *where)
            lotteries += -1 < want["likely"] < 0
    assert lotteries, "no one with a chance below certain: the test could not fail"


def test_simulate_costs_table_sums_what_compare_says(tmp_path: Path) -> None:
    """The ``costs`` table ``simulate`` writes: per programme, people it may be open to,
    how many of them have a known total per payer, and the sum of those totals, equal the
    sums of ``compare``'s own figures over the same people."""
    profiles = people()
    progs = programs()
    as_of = BEST_DATES[-1]
    path = tmp_path / "people.parquet"
    pq.write_table(arrow_table(profiles), path)
    tables = simulate(path, runs_for(progs, []), as_of, "polars").tables()
    costs = (
        tables["costs"]
        .filter(pl.col("run") == BASELINE)
        .group_by("program")
        .agg(pl.exclude("run", "program", "country", "degree", "field", "age_band").sum())
    )
    got = {r["program"]: r for r in costs.to_dicts()}
    for program in progs:
        counts: Counter[str] = Counter()
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for profile in profiles:
            option = option_for(program, profile, as_of, "USD")
            if option.status not in ("eligible", "undetermined"):
                continue
            counts["may_be_open"] += 1
            keys = compared(option)
            for payer, pref in PAYERS:
                if keys[pref] < UNKNOWN_KEY:
                    counts[f"{payer}_known"] += 1
                    totals[payer] += keys[pref]
        row: dict[str, Any] = got[program.id]
        assert row["may_be_open"] == counts["may_be_open"], program.id
        for payer in COSTS:
            assert row[f"{payer}_known"] == counts[f"{payer}_known"], (program.id, payer)
            assert Decimal(str(row[f"{payer}_total"])).quantize(CENT) == totals[payer], (
                program.id,
                payer,
            )
