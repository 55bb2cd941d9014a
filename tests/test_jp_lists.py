"""Japan's university lists in the register: a university on the ISA list in force opens
J-Find; one not on the part of the list we hold is asked about, never refused; the lists
are read by the Japanese programmes only."""

from __future__ import annotations

import datetime as dt

from talentvisa.profile import Institution, ListMembership, Profile
from talentvisa.register import fill, lists
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs

DAY = dt.date(2026, 12, 1)


def _graduate(institution: dict[str, object], completed: str = "2024-06-30") -> Profile:
    return Profile.model_validate(
        {
            "citizenships": ["IN"],
            "birth_date": "2001-03-10",
            "education": [
                {
                    "level": "master",
                    "field": "0613",
                    "institution": institution,
                    "completed": completed,
                }
            ],
            "work": [],
            "funds": {"amount": 300000, "currency": "JPY"},
        }
    )


def _j_find(profile: Profile, as_of: dt.date = DAY) -> tuple[str, str]:
    result = evaluate(profile, builtin_programs()["jp-j-find"], as_of)
    degree = next(c.result for c in result.criteria if c.id == "recent-top-degree")
    return str(result.status), str(degree)


def _listed(iid: str, as_of: dt.date) -> tuple[bool | None, bool | None]:
    institution = fill(Institution(id=iid), as_of)
    return institution.jp_jfind_list, institution.jp_hsp_list


def test_tsinghua_picked_by_name_is_on_the_january_2025_list_and_opens_j_find() -> None:
    assert _j_find(_graduate({"id": "tsinghua"})) == ("eligible", "pass")


def test_a_university_not_on_the_part_of_the_list_we_hold_is_asked_about_not_refused() -> None:
    status, degree = _j_find(_graduate({"id": "iit-delhi"}))
    assert (status, degree) == ("undetermined", "unknown")
    result = evaluate(_graduate({"id": "iit-delhi"}), builtin_programs()["jp-j-find"], DAY)
    assert "education[0].institution.jp_jfind_list" in result.missing


def test_what_the_person_says_about_the_list_is_kept() -> None:
    assert _j_find(_graduate({"id": "tsinghua", "jp_jfind_list": False}))[1] == "judgement"


def test_each_edition_applies_from_the_day_we_take_for_it() -> None:
    """Caltech is on the part of the September 2023 list we hold (taken from 30 Sep 2023);
    the January 2025 edition (from 19 Feb 2025) is held without it, so it is unknown again."""
    assert _listed("caltech", dt.date(2023, 9, 29))[0] is None
    assert _listed("caltech", dt.date(2023, 9, 30))[0] is True
    assert _listed("caltech", dt.date(2025, 2, 18))[0] is True
    assert _listed("caltech", dt.date(2025, 2, 19))[0] is None


def test_the_hsp_specified_list_of_2019_names_keio_until_the_2025_edition() -> None:
    assert _listed("keio", dt.date(2019, 3, 30))[1] is None
    assert _listed("keio", dt.date(2019, 3, 31))[1] is True
    assert _listed("keio", dt.date(2025, 1, 31))[1] is None


def test_japanese_lists_are_not_the_korean_named_list() -> None:
    """Keio is on the J-Find list; Korea's Top-Tier visa must not read that as its own list."""
    keio = fill(Institution(id="keio"), DAY)
    assert keio.jp_jfind_list is True
    assert keio.named_list == ListMembership.not_said


def test_every_japanese_edition_is_marked_partial() -> None:
    for list_id in ("jp-jfind", "jp-hsp-specified"):
        editions = lists()[list_id]["editions"].values()
        assert editions and all(e["whole"] is False for e in editions)
