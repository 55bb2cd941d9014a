"""``simulate`` counts what the scalar evaluator and the comparison say, chunk by chunk."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polars as pl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from talentvisa.compare import DEFAULT_PREFERENCES
from talentvisa.population.best import NONE
from talentvisa.population.layout import arrow_table
from talentvisa.population.simulate import BASELINE, runs_for, simulate
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.scenario import load_scenario
from tests.population.test_differential import best_by_compare, case_groups

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 29)
PROGRAMS = list(builtin_programs().values())


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Profile], Path]:
    """Every programme case's profile (273 people) as a Parquet population."""
    profiles = [p for group in case_groups().values() for p in group]
    path = tmp_path_factory.mktemp("pop") / "people.parquet"
    pq.write_table(arrow_table(profiles), path)
    return profiles, path


def scenarios() -> list:  # type: ignore[type-arg]
    return [
        load_scenario(ROOT / "scenarios" / name, PROGRAMS)
        for name in ("k-visa-age-40.yaml", "no-h1b-payment.yaml")
    ]


def test_counts_equal_the_scalar_evaluator_in_every_run(people: tuple[list[Profile], Path]) -> None:
    profiles, path = people
    runs = runs_for(PROGRAMS, scenarios())
    tables = simulate(path, runs, AS_OF, "polars", chunk=100).tables()  # three chunks
    rates = tables["rates"].group_by("run", "program", "status").agg(pl.col("people").sum())
    got = {(r["run"], r["program"], r["status"]): r["people"] for r in rates.to_dicts()}
    for run in runs:
        expected = Counter(
            (run.name, program.id, evaluate(p, program, AS_OF).status)
            for p in profiles
            for program in run.programs
        )
        assert {k: v for k, v in got.items() if k[0] == run.name} == dict(expected)
    # the K visa age scenario moves someone; the cases include people over 40
    k_eligible = {run: got.get((run, "cn-k", "eligible"), 0) for run in (BASELINE, "k-visa-age-40")}
    assert k_eligible["k-visa-age-40"] < k_eligible[BASELINE]


def test_best_options_and_switches_equal_compare(people: tuple[list[Profile], Path]) -> None:
    profiles, path = people
    runs = runs_for(PROGRAMS, scenarios())
    tables = simulate(path, runs, AS_OF, "polars", chunk=1_000).tables()
    best = {
        run.name: [
            best_by_compare(p, list(run.programs), AS_OF, DEFAULT_PREFERENCES) for p in profiles
        ]
        for run in runs
    }
    counts = tables["best"].group_by("run", "best").agg(pl.col("people").sum())
    got = {(r["run"], r["best"]): r["people"] for r in counts.to_dicts()}
    for run in runs:
        assert {k[1]: v for k, v in got.items() if k[0] == run.name} == Counter(best[run.name])
    assert any(b != NONE for b in best[BASELINE])
    switches = tables["switches"].filter(pl.col("before") != pl.col("after"))
    for run in runs[1:]:
        moved = Counter(
            (a, b) for a, b in zip(best[BASELINE], best[run.name], strict=True) if a != b
        )
        got_moves = {
            (r["before"], r["after"]): r["people"]
            for r in switches.filter(pl.col("scenario") == run.name)
            .group_by("before", "after")
            .agg(pl.col("people").sum())
            .to_dicts()
        }
        assert got_moves == dict(moved)


def test_csv_and_parquet_and_chunk_sizes_agree(
    people: tuple[list[Profile], Path], tmp_path: Path
) -> None:
    _, path = people
    csv = tmp_path / "people.csv"
    pacsv.write_csv(pq.read_table(path), csv)
    runs = runs_for(PROGRAMS, [])
    one = simulate(path, runs, AS_OF, "polars").tables()  # the whole file in the engine
    many = simulate(path, runs, AS_OF, "polars", chunk=150).tables()  # two chunks
    from_csv = simulate(csv, runs, AS_OF, "polars").tables()
    duckdb_chunks = simulate(path, runs, AS_OF, "duckdb", chunk=400).tables()
    for name in ("rates", "best", "overlaps", "costs"):  # fee totals are summed in cents
        assert one[name].equals(many[name]), name
        assert one[name].equals(from_csv[name]), name
        assert one[name].equals(duckdb_chunks[name]), name


def test_overlaps_count_eligible_for_one_and_not_the_other(
    people: tuple[list[Profile], Path],
) -> None:
    profiles, path = people
    tables = simulate(path, runs_for(PROGRAMS, []), AS_OF, "polars").tables()
    pair = tables["overlaps"].filter(
        (pl.col("program_a") == "cn-k") & (pl.col("program_b") == "us-h1b")
    )
    status = {
        (i, p.id): evaluate(person, p, AS_OF).status
        for i, person in enumerate(profiles)
        for p in PROGRAMS
        if p.id in ("cn-k", "us-h1b")
    }
    expected = sum(
        status[(i, "cn-k")] == "eligible" and status[(i, "us-h1b")] != "eligible"
        for i in range(len(profiles))
    )
    assert expected > 0
    assert pair["a_not_b"].sum() == expected


def test_the_command_writes_tables_charts_and_a_report(
    people: tuple[list[Profile], Path], tmp_path: Path
) -> None:
    _, path = people
    out = tmp_path / "sim"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "talentvisa.cli",
            "simulate",
            str(path),
            "--scenario",
            str(ROOT / "scenarios" / "k-visa-age-40.yaml"),
            "--as-of",
            AS_OF.isoformat(),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == out / "report.html"
    for name in ("eligibility.png", "best_option.png", "switches.png", "fees.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    rates = pl.read_parquet(out / "summary_rates.parquet")
    assert set(rates["run"]) == {BASELINE, "k-visa-age-40"}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "k-visa-age-40" in html and "cn-k: max_age = 40 from 2026-01-01" in html
    assert "data:image/png;base64," in html and "<script" not in html  # self-contained, static
    k = rates.filter((pl.col("run") == BASELINE) & (pl.col("program") == "cn-k")).row(0, named=True)
    assert f"{k['eligible_pct']:.2f}" in html  # the report prints what the table holds
    assert pl.read_csv(out / "rates.csv").height == pl.read_parquet(out / "rates.parquet").height


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "pandas"], "--engine: 'pandas' is not one of polars, duckdb, spark"),
        (["--preferences", "cheap"], "unknown preference cheap"),
        (["--currency", "XYZ"], "no exchange rate for XYZ"),
    ],
)
def test_the_command_refuses_bad_options(
    people: tuple[list[Profile], Path], tmp_path: Path, args: list[str], message: str
) -> None:
    _, path = people
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "talentvisa.cli",
            "simulate",
            str(path),
            "--out",
            str(tmp_path),
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "report.html").exists()


def test_a_bad_scenario_or_population_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "title: t\nparameters:\n  - {program: cn-k, parameter: nope, from: 2026-01-01, value: 1}\n"
    )
    junk = tmp_path / "people.parquet"
    junk.write_text("not parquet")
    done = subprocess.run(
        [sys.executable, "-m", "talentvisa.cli", "simulate", str(junk), "-s", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (
        done.returncode == 2
        and "bad.yaml:3:" in done.stderr
        and "unknown parameter 'nope'" in done.stderr
    )
    done = subprocess.run(
        [sys.executable, "-m", "talentvisa.cli", "simulate", str(junk)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "not a Parquet file" in done.stderr, done.stderr


@pytest.mark.slow
def test_spark_tables_equal_the_polars_tables_row_for_row(
    people: tuple[list[Profile], Path], tmp_path: Path
) -> None:
    """A distributed job: Spark reads the Parquet itself, over several partitions, and
    every table it returns is the Polars run's, row for row (fee totals too, in cents)."""
    _, path = people
    runs = runs_for(PROGRAMS, scenarios())
    polars = simulate(path, runs, AS_OF, "polars").tables()
    spark = simulate(path, runs, AS_OF, "spark", spark_master="local[2]", partitions=4).tables()
    table = pq.read_table(path)  # the same people as partitioned Parquet: three files
    parts = tmp_path / "people"
    parts.mkdir()
    for i, start in enumerate(range(0, table.num_rows, 100)):
        pq.write_table(table.slice(start, 100), parts / f"part-{i}.parquet")
    from_parts = simulate(parts, runs, AS_OF, "spark", partitions=5).tables()
    for name, frame in polars.items():
        assert frame.height, name
        assert_frame_equal(spark[name], frame, check_exact=True)
        assert_frame_equal(from_parts[name], frame, check_exact=True)
