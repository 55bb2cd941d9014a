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
