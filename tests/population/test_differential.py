"""The compiled path gives exactly the evaluator's status and points, and the comparison's
best option, on every engine."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from talentvisa import register
from talentvisa.cases import case_files, load_cases
from talentvisa.compare import DEFAULT_PREFERENCES, PREFERENCES, compare
from talentvisa.population.best import NONE, best_options
from talentvisa.population.compile import STATUS_CODES
from talentvisa.population.layout import arrow_table
from talentvisa.population.run import ENGINES, connect, run, table_from
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import PROGRAMS_DIR, builtin_programs
from talentvisa.rules.model import Program

STATUS = {code: name for name, code in STATUS_CODES.items()}
DIR = Path(str(PROGRAMS_DIR))


def case_groups() -> dict[tuple[str, dt.date], list[Profile]]:
    groups: dict[tuple[str, dt.date], list[Profile]] = defaultdict(list)
    for path in case_files(DIR):
        program_id = path.name.removesuffix(".cases.yaml")
        for case in load_cases(path):
            if not case.findings:  # officer findings are not part of a population
                groups[(program_id, case.as_of)].append(Profile.model_validate(case.profile))
    return groups


def as_filed(profiles: list[Profile], as_of: dt.date) -> Any:
    """The profiles as a population file holds them: a population states an institution's
    list facts (synth writes them); ids picked from the register are read by the
    evaluator alone, so they are filled in from the editions in force first."""
    return arrow_table(register.on_date(p, as_of) for p in profiles)


def check(engine: str, program_id: str, as_of: dt.date, profiles: list[Profile]) -> None:
    program = builtin_programs()[program_id]
    con = connect(engine)  # type: ignore[arg-type]
    result = run(con, table_from(con, as_filed(profiles, as_of)), [program], as_of).columns
    for profile, row in zip(profiles, result.to_pylist(), strict=True):
        expected = evaluate(profile, program, as_of)
        assert STATUS[row[program_id]] == expected.status, (program_id, as_of, profile)
        if expected.points is not None and f"{program_id}__points" in row:
            assert row[f"{program_id}__points"] == expected.points.score, (program_id, profile)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_every_programme_case(engine: str) -> None:
    for (program_id, as_of), profiles in sorted(case_groups().items()):
        check(engine, program_id, as_of, profiles)


RANDOM_PROFILES = 10_000


@pytest.mark.slow
def test_ten_thousand_random_profiles() -> None:
    """Hypothesis draws the profiles; both engines run every programme over all of them."""
    from hypothesis import HealthCheck, given, settings

    from tests.population.strategies import profiles

    drawn: list[Profile] = []

    @settings(
        max_examples=RANDOM_PROFILES,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(profiles())
    def collect(data: dict[str, object]) -> None:
        drawn.append(Profile.model_validate(data))

    collect()
    assert len(drawn) >= RANDOM_PROFILES * 0.9  # Hypothesis may skip a few duplicates
    as_of = dt.date(2026, 11, 29)
    programs = list(builtin_programs().values())
    expected = [[evaluate(p, program, as_of) for program in programs] for p in drawn]
    arrow = arrow_table(drawn)
    for engine in ENGINES:
        con = connect(engine)
        result = run(con, table_from(con, arrow), programs, as_of).columns.to_pylist()
        for profile, row, wanted in zip(drawn, result, expected, strict=True):
            for program, ref in zip(programs, wanted, strict=True):
                got = STATUS[row[program.id]]
                assert got == ref.status, (engine, program.id, profile.model_dump_json())
                if ref.points is not None:
                    assert row[f"{program.id}__points"] == ref.points.score, (engine, program.id)


def best_by_compare(
    profile: Profile, programs: list[Program], as_of: dt.date, prefs: tuple[str, ...]
) -> str:
    top = compare(profile, programs, as_of, "USD", prefs).ranked[0]
    return top.option.program.id if top.option.status in ("eligible", "undetermined") else NONE


def check_best(engine: str, profiles: list[Profile], as_of: dt.date) -> int:
    """Under several preference orders, the compiled best option equals compare()'s;
    returns how many (person, order) pairs have an option at all."""
    programs = list(builtin_programs().values())
    con = connect(engine)  # type: ignore[arg-type]
    found = run(
        con, table_from(con, as_filed(profiles, as_of)), programs, as_of, tuple(PREFERENCES)
    )
    arrays = {
        n: found.columns[n].to_numpy(zero_copy_only=False) for n in found.columns.column_names
    }
    with_an_option = 0
    for prefs in PREFERENCE_ORDERS:
        got = best_options(programs, found.keys, arrays, len(profiles), prefs)
        for profile, best in zip(profiles, got, strict=True):
            assert best == best_by_compare(profile, programs, as_of, prefs), (
                engine,
                prefs,
                profile,
            )
        with_an_option += int((got != NONE).sum())
    return with_an_option


# The comparison's default, one that puts employer cost and the lottery first, and all ten.
PREFERENCE_ORDERS = [
    DEFAULT_PREFERENCES,
    ("low-employer-cost", "likely", "fast"),
    ("low-cost", "pr-path"),
    tuple(PREFERENCES),
]
# Before the H-1B payment, after it, and after the weighted lottery
BEST_DATES = (dt.date(2025, 6, 1), dt.date(2025, 12, 1), dt.date(2026, 11, 29))


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_best_option_on_every_case(engine: str) -> None:
    """Every case profile, on dates either side of the rule changes: the best option
    matches compare(), and some people do have one (so the test can fail)."""
    profiles = [p for group in case_groups().values() for p in group]
    assert sum(check_best(engine, profiles, as_of) for as_of in BEST_DATES) > 100
