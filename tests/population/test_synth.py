"""Synthetic populations: reproducible, in the layout, and read the same by every engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from talentvisa.cli import app
from talentvisa.population.layout import COLUMNS
from talentvisa.population.run import connect, run, table_from
from talentvisa.population.synth import synthesize
from talentvisa.rules.loader import builtin_programs

DAY = dt.date(2026, 11, 29)


def test_same_seed_same_people_other_seed_others() -> None:
    a, b, c = synthesize(500, 7, DAY), synthesize(500, 7, DAY), synthesize(500, 8, DAY)
    assert a.equals(b) and not a.equals(c)
    assert a.column_names == list(COLUMNS)


@pytest.mark.slow
def test_cli_writes_parquet_that_every_engine_reads_alike(tmp_path: Path) -> None:
    out = tmp_path / "people.parquet"
    result = CliRunner().invoke(
        app,
        [
            "population",
            "synth",
            "--n",
            "3000",
            "--seed",
            "3",
            "--out",
            str(out),
            "--as-of",
            "2026-11-29",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert pq.read_metadata(out).num_rows == 3000
    programs = list(builtin_programs().values())
    results = []
    for engine in ("polars", "duckdb"):  # Spark reads it in the slow differential suite
        con = connect(engine)
        results.append(run(con, table_from(con, out), programs, DAY).columns.to_pylist())
    assert results[0] == results[1]
    k_eligible = sum(1 for row in results[0] if row["cn-k"] == 0)
    assert 0 < k_eligible < 3000  # the assumptions make some, not all, eligible


def test_japanese_facts_decide_the_japanese_programmes_both_ways() -> None:
    """JLPT/BJT results, the two university lists, offers and savings in Japan: each
    Japanese programme finds some people eligible and some not (synth's Japan block)."""
    people = synthesize(5000, 3, DAY)  # J-Find: about 1 in 1,000 eligible
    tests = set(people["languages_1__test"].to_pylist() + people["languages_2__test"].to_pylist())
    assert {"jlpt_n1", "jlpt_n5", "bjt"} <= tests
    for column in ("jp_jfind_list", "jp_hsp_list"):
        assert set(people[f"education_0__institution__{column}"].to_pylist()) == {True, False}
    assert "JP" in people["job_offer__country"].to_pylist()
    assert "JPY" in people["funds__currency"].to_pylist()
    programs = [p for pid, p in builtin_programs().items() if pid.startswith("jp-")]
    assert len(programs) == 3
    con = connect("polars")
    found = run(con, table_from(con, people), programs, DAY).columns
    for program in programs:
        statuses = set(found[program.id].to_pylist())
        assert {0, 1} <= statuses, (program.id, statuses)  # eligible and ineligible
