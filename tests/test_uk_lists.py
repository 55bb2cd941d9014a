"""The UK's HPI Global Universities Lists in the register: one list per award year (list N
covers degrees awarded 1 November N to 31 October N+1), read in the edition in force on the
application date; from 4 November 2025 the expanded re-issue keeps the original's members.
A university not on the part of a list we hold is asked about, never refused."""

from __future__ import annotations

import datetime as dt

import pytest

from talentvisa.profile import Institution, ListMembership, Profile
from talentvisa.register import _in_force, fill, lists
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import TermKind

DAY = dt.date(2026, 12, 1)
D = dt.date


def _graduate(institution: dict[str, object], completed: str) -> Profile:
    return Profile.model_validate(
        {
            "citizenships": ["IN"],
            "birth_date": "1999-03-10",
            "location": "IN",
            "education": [
                {
                    "level": "master",
                    "field": "0613",
                    "institution": institution,
                    "completed": completed,
                    "recognition": {"GB": "full"},
                }
            ],
            "languages": [{"language": "en", "cefr": "C1"}],
            "funds": {"amount": 1270, "currency": "GBP"},
            "uk_prior_graduate_des_hpi": False,
        }
    )


def _hpi(profile: Profile, as_of: dt.date = DAY) -> tuple[str, str]:
    result = evaluate(profile, builtin_programs()["uk-hpi"], as_of)
    degree = next(c.result for c in result.criteria if c.id == "listed-recent-degree")
    return str(result.status), str(degree)


def _listed(iid: str, awarded: dt.date, as_of: dt.date = DAY) -> bool | None:
    return fill(Institution(id=iid), as_of, awarded).uk_hpi_list


def test_tsinghua_graduate_of_june_2022_is_on_list_2021_and_opens_hpi() -> None:
    """Awarded 30 June 2022: list 2021 (1 Nov 2021 - 31 Oct 2022), which names Tsinghua."""
    assert _hpi(_graduate({"id": "tsinghua"}, "2022-06-30")) == ("eligible", "pass")


def test_the_list_is_the_award_years_not_the_application_days() -> None:
    """Fudan is named as new on list 2023 only: a degree of 31 Oct 2023 (list 2022) is
    unknown, one of 1 Nov 2023 (list 2023) is listed, whatever the application date."""
    assert _listed("fudan", D(2023, 10, 31)) is None
    assert _listed("fudan", D(2023, 11, 1)) is True
    assert _listed("fudan", D(2024, 10, 31)) is True
    assert _listed("fudan", D(2024, 11, 1)) is None


def test_no_award_date_no_list() -> None:
    assert _listed("tsinghua", None) is None  # type: ignore[arg-type]


def test_a_university_not_on_the_part_we_hold_is_asked_about_not_refused() -> None:
    profile = _graduate({"id": "iit-delhi"}, "2024-06-30")
    assert _hpi(profile) == ("undetermined", "unknown")
    result = evaluate(profile, builtin_programs()["uk-hpi"], DAY)
    assert "education[0].institution.uk_hpi_list" in result.missing


def test_a_degree_after_the_last_list_we_hold_is_asked_about() -> None:
    """List 2026 (awards from 1 November 2026) was not found."""
    assert _listed("tsinghua", D(2026, 11, 1)) is None


def test_what_the_person_says_about_the_list_is_kept() -> None:
    profile = _graduate({"id": "tsinghua", "uk_hpi_list": False}, "2022-06-30")
    assert _hpi(profile) == ("ineligible", "fail")


def test_the_expanded_re_issue_applies_from_4_november_2025_and_keeps_the_original() -> None:
    for year, original in ((2021, "2022-05"), (2023, "2023-11"), (2024, "2024-11")):
        list_id = f"uk-hpi-gul-{year}"
        before = _in_force(list_id, D(2025, 11, 3))
        on_the_day = _in_force(list_id, D(2025, 11, 4))
        assert before is not None and before.edition == original
        assert on_the_day is not None and on_the_day.edition == "2025-11"
    assert _listed("tsinghua", D(2022, 6, 30), D(2025, 11, 3)) is True
    assert _listed("tsinghua", D(2022, 6, 30), D(2025, 11, 4)) is True
    assert _listed("melbourne", D(2025, 1, 15), D(2025, 11, 3)) is True
    assert _listed("melbourne", D(2025, 1, 15), D(2025, 11, 4)) is True


def test_list_2024_applies_from_the_day_we_take_for_it() -> None:
    assert _in_force("uk-hpi-gul-2024", D(2024, 11, 5)) is None
    edition = _in_force("uk-hpi-gul-2024", D(2024, 11, 6))
    assert edition is not None and edition.edition == "2024-11"


@pytest.mark.parametrize(("as_of", "cap"), [(D(2025, 11, 3), None), (D(2025, 11, 4), 8000)])
def test_the_8000_cap_is_stated_from_4_november_2025(as_of: dt.date, cap: int | None) -> None:
    version = builtin_programs()["uk-hpi"].version_at(as_of)
    assert version is not None
    caps = [t.value for t in version.terms if t.kind == TermKind.cap]
    assert caps == ([] if cap is None else [cap])


def test_hpi_lists_are_not_the_korean_named_list_nor_japans() -> None:
    tsinghua = fill(Institution(id="tsinghua"), DAY, D(2022, 6, 30))
    assert tsinghua.uk_hpi_list is True
    assert tsinghua.named_list == ListMembership.not_said
    assert fill(Institution(id="tsinghua"), DAY).uk_hpi_list is None


def test_every_hpi_edition_is_marked_partial_and_covers_one_award_year() -> None:
    hpi = {k: v for k, v in lists().items() if k.startswith("uk-hpi-gul-")}
    assert sorted(hpi) == [f"uk-hpi-gul-{y}" for y in range(2016, 2026)]
    for list_id, meta in hpi.items():
        year = int(list_id.rsplit("-", 1)[1])
        assert meta["fills"] == "uk_hpi_list"
        assert meta["awarded"] == {"from": f"{year}-11-01", "until": f"{year + 1}-10-31"}
        assert all(e["whole"] is False and e["seen_in"] for e in meta["editions"].values())
