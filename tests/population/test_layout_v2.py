"""Layout version 2: typed columns written by synth, version 1 files refused with the
command that converts them, and the conversion keeps every person's statuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from talentvisa.cli import app
from talentvisa.population.layout import COLUMNS, VERSION_KEY, LayoutError, arrow_table
from talentvisa.population.run import ROW, connect, run
from talentvisa.population.synth import synthesize
from talentvisa.population.upgrade import upgrade
from talentvisa.profile import Profile
from talentvisa.rules.loader import builtin_programs

DAY = dt.date(2026, 11, 29)
ENUM = pa.dictionary(pa.int32(), pa.string())
V1_TYPES = {"bool": pa.bool_(), "string": pa.string(), "date": pa.date32()}  # else float64


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


def write_v1(path: Path, n: int, seed: int, row_group: int = 1_000) -> None:
    """A population as version 1 wrote it: enums as text, every number a float, no
    version in the metadata."""
    table = synthesize(n, seed, DAY)
    schema = pa.schema(
        [
            (name, V1_TYPES.get(kind, pa.string() if kind == "enum" else pa.float64()))
            for name, kind in COLUMNS.items()
        ]
    )
    pq.write_table(table.cast(schema), path, row_group_size=row_group)


def test_synth_writes_typed_columns_and_the_version(tmp_path: Path) -> None:
    out = tmp_path / "people.parquet"
    code, stderr = invoke(
        "population", "synth", "--n", "2000", "--out", str(out), "--as-of", "2026-11-29"
    )
    assert code == 0, stderr
    schema = pq.read_schema(out)
    assert schema.metadata[VERSION_KEY] == b"2"
    expected = {
        "education_0__level": ENUM,  # an enum
        "job_offer__salary__period": ENUM,
        "citizenships_0": pa.string(),  # a country code: free text in the profile
        "education_0__field": pa.string(),
        "education__n": pa.int64(),  # a count
        "job_offer__us_wage_level": pa.int64(),  # an ordinal
        "education_0__institution__world_rank": pa.int64(),
        "job_offer__salary__amount": pa.float64(),  # money, chosen by measurement
        "funds__amount": pa.float64(),
        "work_0__hours_per_week": pa.float64(),  # a measure, not money
        "birth_date": pa.date32(),
        "has_job_offer": pa.bool_(),
    }
    assert {name: schema.field(name).type for name in expected} == expected
    people = pq.read_table(out)
    assert people["education__n"].to_pylist()[:3] == [1, 1, 1]
    assert set(people["education_0__level"].to_pylist()) == {
        "vocational",
        "bachelor",
        "master",
        "doctorate",
    }


def test_a_version_1_file_is_refused_with_the_command_that_converts_it(tmp_path: Path) -> None:
    old = tmp_path / "old.parquet"
    write_v1(old, 500, 1)
    code, stderr = invoke(
        "simulate", str(old), "--as-of", "2026-11-29", "--out", str(tmp_path / "sim")
    )
    assert code == 2
    assert "Traceback" not in stderr
    line = " ".join(stderr.split())  # Rich wraps long lines at the terminal's width
    assert "layout version 1" in line
    assert f"talentvisa population upgrade {old} OUT.parquet" in line
    assert not (tmp_path / "sim").exists()


def statuses(path: Path, engine: str, programs: tuple[str, ...]) -> pa.Table:
    """The programmes' statuses and points, in the file's row order."""
    people = pq.read_table(path)
    people = people.append_column(ROW, pa.array(np.arange(people.num_rows, dtype=np.int64)))
    con = connect(engine)  # type: ignore[arg-type]
    chosen = [builtin_programs()[p] for p in programs]
    return run(con, ibis.memtable(people), chosen, DAY).columns


ALL = tuple(builtin_programs())
# DuckDB's SQL takes Ibis seconds per programme to generate: three that read enums, counts,
# ordinals and money stand for all of them here; the slow differential suite runs the rest.
FEW = ("cn-k", "de-blue-card", "us-h1b")


@pytest.mark.parametrize(("engine", "programs"), [("polars", ALL), ("duckdb", FEW)])
def test_upgrade_keeps_every_persons_statuses(
    tmp_path: Path, engine: str, programs: tuple[str, ...]
) -> None:
    old, new = tmp_path / "old.parquet", tmp_path / "new.parquet"
    write_v1(old, 1_500, 5, row_group=400)
    rows = upgrade(old, new, batch_rows=500)  # several batches, as a large file would be
    assert rows == 1_500
    assert pq.read_schema(new).metadata[VERSION_KEY] == b"2"
    assert pq.ParquetFile(new).metadata.num_row_groups > 1
    # the same people as synth writes directly in version 2
    direct = synthesize(1_500, 5, DAY)
    upgraded = pq.read_table(new)
    assert upgraded.schema.remove_metadata() == direct.schema.remove_metadata()
    assert upgraded.to_pylist() == direct.to_pylist()
    before, after = statuses(old, engine, programs), statuses(new, engine, programs)
    assert before.column_names == after.column_names
    assert before.to_pylist() == after.to_pylist()  # row for row, not only counts
    k = before["cn-k"].to_pylist()
    assert 0 < k.count(0) < len(k)  # the comparison is not vacuous


def test_upgrade_on_the_command_line(tmp_path: Path) -> None:
    old, new = tmp_path / "old.parquet", tmp_path / "new.parquet"
    write_v1(old, 1_200, 2)
    code, stderr = invoke("population", "upgrade", str(old), str(new))
    assert code == 0, stderr
    assert "1,200 people" in stderr


@pytest.mark.slow
def test_simulate_reads_an_upgraded_file(tmp_path: Path) -> None:
    old, new = tmp_path / "old.parquet", tmp_path / "new.parquet"
    write_v1(old, 1_200, 2)
    upgrade(old, new)
    code, stderr = invoke(
        "simulate",
        str(new),
        "--as-of",
        "2026-11-29",
        "--program",
        "cn-k",
        "--program",
        "kr-d10-t",
        "--out",
        str(tmp_path / "sim"),
    )
    assert code == 0, stderr


def test_upgrade_refuses_what_it_cannot_convert(tmp_path: Path) -> None:
    old, new = tmp_path / "old.parquet", tmp_path / "new.parquet"
    write_v1(old, 300, 2)
    upgrade(old, new)
    cases = {
        "missing": ([str(tmp_path / "nope.parquet"), str(tmp_path / "x.parquet")], "no such file"),
        "already current": ([str(new), str(tmp_path / "again.parquet")], "nothing to upgrade"),
        "same file": ([str(old), str(old)], "another file"),
    }
    text = tmp_path / "people.csv"
    text.write_text("education__n\n1\n")
    cases["not parquet"] = ([str(text), str(tmp_path / "y.parquet")], "not a Parquet file")
    half = tmp_path / "half.parquet"
    pq.write_table(pa.table({"education__n": pa.array([1.0, 2.5])}), half)
    cases["not whole"] = ([str(half), str(tmp_path / "z.parquet")], "column education__n")
    for name, (args, words) in cases.items():
        code, stderr = invoke("population", "upgrade", *args)
        assert code == 2, name
        assert words in " ".join(stderr.split()), (name, stderr)
        assert "Traceback" not in stderr, name
    assert not (tmp_path / "z.parquet").exists()  # nothing half-written is left behind
    assert not list(tmp_path.glob(".*.partial"))


def test_money_is_held_exactly_or_refused() -> None:
    def offer(amount: str) -> Profile:
        salary = {"amount": amount, "currency": "EUR", "period": "year"}
        return Profile.model_validate({"job_offer": {"salary": salary}})

    table = arrow_table([offer("65432.10"), offer("9999999999999.99")])
    assert [Decimal(repr(v)) for v in table["job_offer__salary__amount"].to_pylist()] == [
        Decimal("65432.10"),
        Decimal("9999999999999.99"),
    ]
    with pytest.raises(LayoutError, match=r"job_offer__salary__amount: 1234567890\.123456789"):
        arrow_table([offer("1234567890.123456789")])
