"""Test scores become CEFR levels only through a published mapping, and say which one."""

from __future__ import annotations

import pytest

from talentvisa.profile import LanguageResult


@pytest.mark.parametrize(
    ("test", "score", "level", "basis"),
    [
        ("ielts", "3.5", None, None),
        ("ielts", "4.0", "B1", "ielts-overall"),
        ("ielts", "5.0", "B1", "ielts-overall"),
        ("ielts", "5.5", "B2", "ielts-overall"),
        ("ielts", "6.5", "B2", "ielts-overall"),
        ("ielts", "7.0", "C1", "ielts-overall"),
        ("ielts", "8.5", "C2", "ielts-overall"),
        ("toefl_ibt", "4.5", "B2", "toefl-ibt-2026-bands"),
        ("toefl_ibt", "6", "C2", "toefl-ibt-2026-bands"),
        ("toefl_ibt", "41", None, None),
        ("toefl_ibt", "72", "B2", "toefl-ibt-0-120"),
        ("toefl_ibt", "94", "B2", "toefl-ibt-0-120"),
        ("toefl_ibt", "95", "C1", "toefl-ibt-0-120"),
        ("toefl_ibt", "120", "C1", "toefl-ibt-0-120"),
        ("pte_academic", "58", "B1", "pte-academic"),
        ("pte_academic", "59", "B2", "pte-academic"),
        ("pte_academic", "85", "C2", "pte-academic"),
        ("hsk", "6", None, None),
        ("topik", "4", None, None),
    ],
)
def test_score_mapping(test: str, score: str, level: str | None, basis: str | None) -> None:
    result = LanguageResult.model_validate({"language": "en", "test": test, "score": score})
    assert (result.cefr.value if result.cefr else None) == level
    assert result.cefr_basis == basis


def test_a_stated_level_wins_and_says_so() -> None:
    result = LanguageResult.model_validate({"language": "de", "test": "goethe", "cefr": "B1"})
    assert result.cefr is not None and result.cefr.value == "B1"
    assert result.cefr_basis == "stated"


# ---------------------------------------------------------------- Canada: CLB per ability
# IRCC's equivalence tables as data/clb.yaml holds them (ca.md §3): each level's lowest
# score, one below it and the top of the scale.


@pytest.mark.parametrize(
    ("test", "ability", "score", "clb"),
    [
        ("ielts_general", "listening", "8.5", 10),
        ("ielts_general", "listening", "8.0", 9),
        ("ielts_general", "listening", "7.5", 8),
        ("ielts_general", "listening", "6.0", 7),
        ("ielts_general", "listening", "5.5", 6),
        ("ielts_general", "listening", "4.5", 4),
        ("ielts_general", "listening", "4.0", 0),
        ("ielts_general", "reading", "7.0", 9),
        ("ielts_general", "reading", "6.5", 8),
        ("ielts_general", "reading", "3.5", 4),
        ("ielts_general", "writing", "7.5", 10),
        ("ielts_general", "writing", "5.0", 5),
        ("ielts_general", "speaking", "9.0", 10),
        ("celpip_general", "speaking", "12", 10),
        ("celpip_general", "speaking", "9", 9),
        ("celpip_general", "reading", "4", 4),
        ("celpip_general", "reading", "3", 0),
        ("tcf_canada", "reading", "549", 10),
        ("tcf_canada", "reading", "548", 9),
        ("tcf_canada", "reading", "453", 7),
        ("tcf_canada", "reading", "452", 6),
        ("tcf_canada", "listening", "523", 9),
        ("tcf_canada", "listening", "522", 8),
        ("tcf_canada", "writing", "16", 10),
        ("tcf_canada", "writing", "6", 5),
        ("tcf_canada", "speaking", "4", 4),
        ("tcf_canada", "speaking", "3", 0),
    ],
)
def test_clb_per_ability(test: str, ability: str, score: str, clb: int) -> None:
    result = LanguageResult.model_validate({"language": "en", "test": test, ability: score})
    assert getattr(result, f"clb_{ability}") == clb


def test_a_stated_clb_wins_over_the_score() -> None:
    data = {"test": "ielts_general", "listening": "8.0", "clb_listening": 7}
    assert LanguageResult.model_validate(data).clb_listening == 7


def test_the_single_score_keeps_working_beside_abilities() -> None:
    result = LanguageResult.model_validate({"language": "en", "test": "ielts", "score": "7.0"})
    assert result.cefr is not None and result.cefr.value == "C1"
    assert result.clb_listening is None


@pytest.mark.parametrize(
    "data",
    [
        {"listening": "7.0"},  # a score per ability needs its test
        {"test": "ielts_general", "reading": "9.5"},  # off the IELTS scale
        {"test": "tcf_canada", "writing": "21"},  # TCF writing is 0-20
        {"test": "ielts_general", "clb_speaking": 13},  # CLB stops at 12
    ],
)
def test_per_ability_results_are_validated(data: dict[str, object]) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        LanguageResult.model_validate(data)
