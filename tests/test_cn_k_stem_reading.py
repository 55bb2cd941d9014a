"""The K visa's STEM reading (ISCED-F 05, 06, 07) can only pass a field or leave it to an officer.

The Q&A names "science, technology, engineering and mathematics fields" without a list, so no
field of study may be refused on our reading alone (issue 11, item 6).
"""

from __future__ import annotations

import datetime as dt

import pytest

from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.vocab import ISCED_F_BROAD, ISCED_F_NARROW

AS_OF = dt.date(2026, 12, 1)
STEM = ("05", "06", "07")
CODES = sorted(ISCED_F_BROAD) + sorted(ISCED_F_NARROW) + [f"{n}8" for n in ISCED_F_BROAD]


def _results(profile: dict[str, object]) -> dict[str, str]:
    a = evaluate(Profile.model_validate(profile), builtin_programs()["cn-k"], AS_OF)
    return {c.id: c.result for c in a.criteria}


@pytest.mark.parametrize("code", CODES)
def test_a_degree_field_passes_or_goes_to_an_officer(code: str) -> None:
    got = _results(
        {
            "citizenships": ["IN"],
            "age": 30,
            "education": [
                {
                    "level": "master",
                    "field": code,
                    "institution": {"world_rank": 28},
                    "completed": "2022-06-01",
                }
            ],
            "work": [],
        }
    )
    assert got["stem-degree"] == ("pass" if code.startswith(STEM) else "judgement")


@pytest.mark.parametrize("code", CODES)
def test_a_research_field_passes_or_goes_to_an_officer(code: str) -> None:
    got = _results(
        {
            "citizenships": ["IN"],
            "age": 30,
            "education": [],
            "work": [
                {
                    "kind": "research",
                    "field": code,
                    "employer": {"world_rank": 7},
                    "start": "2024-01-01",
                    "ongoing": True,
                }
            ],
        }
    )
    assert got["stem-teaching-research"] == ("pass" if code.startswith(STEM) else "judgement")
