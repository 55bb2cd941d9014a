"""The institution register decides what the rules read about a university: a person picks
it by name, and its rank comes from the ranking edition in force on the assessment date."""

from __future__ import annotations

import datetime as dt

import pytest

from talentvisa.inputs import parse_profile
from talentvisa.profile import Profile
from talentvisa.register import entries, lists, on_date
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.yamlpos import InputError


def _master_from(institution: dict[str, object], completed: str = "2024-06-30") -> Profile:
    return Profile.model_validate(
        {
            "citizenships": ["IN"],
            "birth_date": "1999-03-01",
            "education": [
                {
                    "level": "master",
                    "field": "0613",
                    "institution": institution,
                    "completed": completed,
                }
            ],
            "work": [],
        }
    )


def _status(program: str, profile: Profile, as_of: dt.date) -> str:
    return str(evaluate(profile, builtin_programs()[program], as_of).status)


def _criterion(program: str, profile: Profile, as_of: dt.date, cid: str) -> str:
    a = evaluate(profile, builtin_programs()[program], as_of)
    return str(next(c.result for c in a.criteria if c.id == cid))


def test_an_iit_picked_by_id_gets_its_cited_rank_and_opens_the_k_visa() -> None:
    when = dt.date(2026, 12, 1)
    profile = on_date(_master_from({"id": "iit-delhi"}), when)
    institution = profile.education[0].institution  # type: ignore[index]
    assert institution is not None
    assert institution.name == "Indian Institute of Technology Delhi"
    assert institution.country == "IN"
    # QS 2027 (published 2026-06-18) is the edition in force: position 118
    assert (institution.world_rank, institution.ranking, institution.ranking_year) == (
        118,
        "qs",
        2027,
    )
    assert institution.ranked is True
    assert _criterion("cn-k", _master_from({"id": "iit-delhi"}), when, "stem-degree") == "pass"
    assert _status("cn-k", _master_from({"id": "iit-delhi"}), when) == "eligible"


def test_the_rank_changes_on_the_day_a_new_edition_is_published() -> None:
    profile = _master_from({"id": "iit-delhi"})
    before = on_date(profile, dt.date(2026, 6, 17)).education[0].institution  # type: ignore[index]
    on = on_date(profile, dt.date(2026, 6, 18)).education[0].institution  # type: ignore[index]
    assert before is not None and on is not None
    assert (before.world_rank, before.ranking_year) == (123, 2026)
    assert (on.world_rank, on.ranking_year) == (118, 2027)


def test_korea_d10t_reads_the_edition_in_force_on_both_sides_of_its_date() -> None:
    """Sungkyunkwan: THE 2025 (9 Oct 2024) =102nd, THE 2026 (9 Oct 2025) 87th; no other
    ranking position recorded. The day before THE 2026, it is outside the top 100."""
    skku = _master_from({"id": "skku"})
    assert _status("kr-d10-t", skku, dt.date(2025, 10, 8)) == "ineligible"
    assert _status("kr-d10-t", skku, dt.date(2025, 10, 9)) == "eligible"
    on = on_date(skku, dt.date(2025, 10, 9)).education[0].institution  # type: ignore[index]
    assert on is not None and (on.world_rank, on.ranking, on.ranking_year) == (87, "the", 2026)


def test_an_edition_without_the_institution_leaves_the_others_in_force() -> None:
    """KAIST was excluded from QS 2026 (19 Jun 2025): from that day its QS 2025 position no
    longer counts, and THE 2025's 82nd is the best position in force."""
    kaist = _master_from({"id": "kaist"})
    before = on_date(kaist, dt.date(2025, 6, 18)).education[0].institution  # type: ignore[index]
    on = on_date(kaist, dt.date(2025, 6, 19)).education[0].institution  # type: ignore[index]
    assert before is not None and on is not None
    assert (before.world_rank, before.ranking, before.ranking_year) == (53, "qs", 2025)
    assert (on.world_rank, on.ranking, on.ranking_year) == (82, "the", 2025)


def test_no_position_in_force_leaves_the_rank_unknown_not_refused() -> None:
    """Korea University: only QS 2024 (79th) is recorded; on 2026-12-01 QS 2027 is in force,
    so the rank is unknown and D-10-T waits for it instead of refusing."""
    korea = _master_from({"id": "korea-univ"})
    institution = on_date(korea, dt.date(2026, 12, 1)).education[0].institution  # type: ignore[index]
    assert institution is not None and institution.world_rank is None
    assert institution.ranked is None
    assert _status("kr-d10-t", korea, dt.date(2026, 12, 1)) == "undetermined"


def test_the_best_position_across_rankings_is_taken() -> None:
    """SNU on 2025-10-09: QS 2026 38th, THE 2026 58th -> 38 (QS)."""
    snu = on_date(_master_from({"id": "snu"}), dt.date(2025, 10, 9))
    institution = snu.education[0].institution  # type: ignore[index]
    assert institution is not None
    assert (institution.world_rank, institution.ranking) == (38, "qs")


def test_a_university_on_a_named_list_is_marked_listed() -> None:
    korea = on_date(_master_from({"id": "korea-univ"}), dt.date(2026, 12, 1))
    institution = korea.education[0].institution  # type: ignore[index]
    assert institution is not None and str(institution.named_list) == "listed"


def test_a_typed_world_rank_stays_the_persons_answer() -> None:
    profile = _master_from({"id": "iit-delhi", "world_rank": 300})
    institution = on_date(profile, dt.date(2026, 12, 1)).education[0].institution  # type: ignore[index]
    assert institution is not None and institution.world_rank == 300


def test_an_institution_not_listed_is_answered_with_a_typed_rank() -> None:
    profile = _master_from({"name": "Some Institute", "world_rank": 450})
    assert _status("cn-k", profile, dt.date(2026, 12, 1)) == "eligible"


def test_an_unknown_register_id_is_a_field_error_with_its_place() -> None:
    text = (
        "citizenships: [IN]\neducation:\n  - level: master\n    institution: {id: iit-atlantis}\n"
    )
    with pytest.raises(InputError) as caught:
        parse_profile(text, "me.yaml")
    ((pos, path, message),) = caught.value.problems
    assert path == "education[0].institution.id"
    assert pos is not None and pos.line == 4
    assert "'iit-atlantis' is not an institution of the register" in message


def test_every_position_names_an_edition_with_a_publication_date_and_a_page() -> None:
    for entry in entries().values():
        for edition, position in entry.positions:
            assert position >= 1
            info = lists()[edition.list_id]["editions"][edition.edition]
            assert info["published"] and info["seen_in"]
