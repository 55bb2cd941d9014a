"""A saved case profile is checked on the day it is saved, as the checker checks on its date."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from talentvisa.casework.service import Actor, CaseService, Invalid


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"birth_date": "1996-11-30", "age": 30}, "profile.age: age 30 disagrees with birth_date"),
        ({"birth_date": "2026-11-30"}, "profile.birth_date: birth_date 2026-11-30 is after"),
        ({"citizenships": []}, "list at least one nationality"),
    ],
)
def test_a_profile_that_cannot_be_true_on_the_day_is_not_saved(
    service: CaseService, person: Callable[[str], Actor], profile: dict[str, object], message: str
) -> None:
    applicant = person("applicant")  # the clock says 2026-11-29
    app_id = service.create(applicant)
    with pytest.raises(Invalid, match=message):
        service.update(applicant, app_id, 1, profile, {})
    assert service.update(applicant, app_id, 1, {"birth_date": "1996-11-29", "age": 30}, {}) == 2
