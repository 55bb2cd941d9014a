"""Every programme passes the table of cases that sits beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentvisa.cases import Case, case_files, load_cases
from talentvisa.profile import Profile
from talentvisa.rules.costs import chance_for, fees_for
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
    profile = Profile.model_validate(case.profile)
    result = evaluate(profile, program, case.as_of, case.findings)
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
    if case.expect.points_possible is not None:
        assert result.points is not None
        assert result.points.max_possible == case.expect.points_possible
    version = program.version_at(case.as_of)
    if case.expect.fees:
        assert version is not None
        fees = {r.fee.id: r for r in fees_for(profile, program, version, case.as_of)}
        for fee_id, expected in case.expect.fees.items():
            assert fee_id in fees, f"no fee {fee_id!r}; have {sorted(fees)}"
            fee = fees[fee_id]
            if expected is None:
                assert not fee.possible, f"{fee_id} is {fee.applies}, expected not due"
            elif expected == "maybe":
                assert fee.possible and not fee.due, f"{fee_id} is {fee.applies}, expected maybe"
            else:
                assert fee.due, f"{fee_id} is {fee.applies}, expected due"
                assert fee.amount == expected, f"{fee_id}: {fee.amount} != {expected}"
    if case.expect.chance is not None:
        assert version is not None and version.selection is not None
        chance = chance_for(profile, program, version.selection, case.as_of)
        low, high = (
            case.expect.chance
            if isinstance(case.expect.chance, tuple)
            else (case.expect.chance, case.expect.chance)
        )
        assert chance.low is not None and chance.high is not None
        assert (round(chance.low, 4), round(chance.high, 4)) == (round(low, 4), round(high, 4))
