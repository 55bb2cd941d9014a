"""Every programme passes the table of cases that sits beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentvisa.cases import Case, case_files, load_cases
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import PROGRAMS_DIR, builtin_programs

DIR = Path(str(PROGRAMS_DIR))
CASES = [
    pytest.param(path.name.removesuffix(".cases.yaml"), case, id=f"{path.name}:{case.name}")
    for path in case_files(DIR)
    for case in load_cases(path)
]


def test_every_programme_has_cases() -> None:
    with_cases = {p.name.removesuffix(".cases.yaml") for p in case_files(DIR)}
    assert set(builtin_programs()) <= with_cases


@pytest.mark.parametrize(("program_id", "case"), CASES)
def test_case(program_id: str, case: Case) -> None:
    program = builtin_programs()[program_id]
    result = evaluate(Profile.model_validate(case.profile), program, case.as_of, case.findings)
    assert result.status == case.expect.status
    got = {c.id: c.result for c in result.criteria}
    for criterion, expected in case.expect.criteria.items():
        assert criterion in got, f"no criterion {criterion!r}; have {sorted(got)}"
        assert got[criterion] == expected, f"{criterion}: {got[criterion]} != {expected}"
    if case.expect.missing is not None:
        assert sorted(result.missing) == sorted(case.expect.missing)
    if case.expect.interpretations is not None:
        assert sorted(result.interpretations) == sorted(case.expect.interpretations)
    if case.expect.points is not None:
        assert result.points is not None and result.points.score == case.expect.points
