"""One person's statuses stay that person's: results are joined by a row key, never by
position, however an engine orders a Parquet file's row groups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from talentvisa.population.compile import STATUS_CODES
from talentvisa.population.layout import arrow_table
from talentvisa.population.run import ENGINES, connect, run, table_from
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from tests.population.test_differential import case_groups

AS_OF = dt.date(2026, 11, 29)
STATUS = {code: name for name, code in STATUS_CODES.items()}
COPIES = 8  # different people follow one another, so a moved row group changes statuses
REPEATS = 4  # the swap was seen in 2 runs of 10 on Polars; each repeat reads the file anew


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Profile], Path]:
    """Every programme case's profile, repeated, in a file of many small row groups."""
    profiles = [p for group in case_groups().values() for p in group]
    path = tmp_path_factory.mktemp("order") / "people.parquet"
    pq.write_table(arrow_table(profiles * COPIES), path, row_group_size=64)
    assert pq.ParquetFile(path).num_row_groups > 20
    return profiles, path


def expected(profiles: list[Profile]) -> dict[str, list[str]]:
    return {
        pid: [evaluate(p, program, AS_OF).status for p in profiles] * COPIES
        for pid, program in builtin_programs().items()
    }


@pytest.mark.parametrize(
    "engine",
    [e if e != "spark" else pytest.param(e, marks=pytest.mark.slow) for e in ENGINES],
)
def test_every_persons_statuses_stay_in_their_row(
    engine: str, people: tuple[list[Profile], Path]
) -> None:
    profiles, path = people
    want = expected(profiles)
    programs = list(builtin_programs().values())
    for _ in range(REPEATS if engine == "polars" else 1):
        con = connect(engine)  # type: ignore[arg-type]
        got = run(con, table_from(con, path), programs, AS_OF).columns
        for pid, statuses in want.items():
            names = [STATUS[c] for c in got[pid].to_pylist()]
            wrong = [i for i, (a, b) in enumerate(zip(names, statuses, strict=True)) if a != b]
            assert not wrong, (engine, pid, wrong[:5])
