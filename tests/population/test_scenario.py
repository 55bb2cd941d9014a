"""Scenarios edit the cited rules from a date, and say exactly where a file is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.scenario import Scenario, apply, load_scenario
from talentvisa.yamlpos import InputError

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = list(builtin_programs().values())


def k_visa_applicant(age: int, on: dt.date) -> Profile:
    born = on.replace(year=on.year - age) - dt.timedelta(days=30)
    return Profile.model_validate(
        {
            "birth_date": born.isoformat(),
            "citizenships": ["IN"],
            "education": [
                {
                    "level": "master",
                    "field": "0613",
                    "institution": {"name": "IIT Bombay", "world_rank": 118},
                    "completed": "2020-06-30",
                }
            ],
        }
    )


def test_shipped_scenarios_load() -> None:
    names = {load_scenario(p, PROGRAMS).name for p in sorted((ROOT / "scenarios").glob("*.yaml"))}
    assert {"k-visa-age-40", "no-h1b-payment"} <= names


def test_a_parameter_changes_from_its_date_and_not_before() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "k-visa-age-40.yaml", PROGRAMS)
    k_visa = {p.id: p for p in apply(scenario, PROGRAMS)}["cn-k"]
    before, after = dt.date(2025, 12, 31), dt.date(2026, 1, 1)
    assert k_visa.parameter_values(before)["max_age"] == 45
    assert k_visa.parameter_values(after)["max_age"] == 40
    person = k_visa_applicant(42, after)
    baseline = builtin_programs()["cn-k"]
    assert evaluate(person, baseline, after).status == "eligible"
    # above the age the scenario publishes, the K visa leaves age to an officer
    assert evaluate(person, k_visa, after).status == "undetermined"
    assert evaluate(k_visa_applicant(42, before), k_visa, before).status == "eligible"
    assert baseline.parameter_values(after)["max_age"] == 45, "the loaded rules are untouched"


def test_switching_a_programme_off_from_a_date() -> None:
    scenario = Scenario.model_validate(
        {
            "name": "no-h1b",
            "title": "No H-1B",
            "switch_off": [{"program": "us-h1b", "from": "2026-03-01"}],
        }
    )
    h1b = {p.id: p for p in apply(scenario, PROGRAMS)}["us-h1b"]
    assert h1b.version_at(dt.date(2026, 2, 28)) is not None
    assert h1b.version_at(dt.date(2026, 3, 1)) is None
    assert h1b.version_at(dt.date(2027, 1, 1)) is None
    person = k_visa_applicant(30, dt.date(2026, 6, 1))
    assert evaluate(person, h1b, dt.date(2026, 6, 1)).status == "not_in_force"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "title: t\nparameters:\n  - {program: cn-x, parameter: max_age, from: 2026-01-01, value: 40}\n",
            ":3:",
            "unknown programme 'cn-x'",
        ),
        (
            "title: t\nparameters:\n  - {program: cn-k, parameter: max_agee, from: 2026-01-01, value: 40}\n",
            ":3:",
            "unknown parameter 'max_agee'",
        ),
        (
            "title: t\nparameters:\n  - program: cn-k\n    parameter: max_age\n    from: 2026-01-01\n    value: forty\n",
            ":6:",
            "max_age is a number, not string",
        ),
        (
            "title: t\nparameters:\n  - {program: cn-k, parameter: max_age, from: 2026-02-30, value: 40}\n",
            ":3:",
            "from",
        ),
        ("title: t\nswitch_of: []\n", ":2:", "unknown key 'switch_of'"),
    ],
)
def test_a_bad_scenario_says_where(tmp_path: Path, text: str, where: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path, PROGRAMS)
    rendered = info.value.render()
    assert where in rendered and message in rendered, rendered
