"""What would I need to change: real re-assessments, cheapest first, never an unchangeable fact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from talentvisa.changes import apply, by_reach, suggestions_for, time_effect
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program

CARD = """\
id: card
country: DE
name: {en: Points card, zh: 积分卡}
summary: {en: A points card shaped like the Opportunity Card, zh: 测试}
verified: 2026-11-29
sources:
  annex: {title: Annex, href: "https://example.org/annex", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}
versions:
  - from: 2024-06-01
    criteria:
      id: card
      all:
        - id: language-gate
          title: {en: German A1 or English B2, zh: 德语A1或英语B2}
          when: any(languages, l => (l.language == "de" and l.cefr >= "A1") or (l.language == "en" and l.cefr >= "B2"))
          sources: [{source: annex, quote: {text: "Quoted passage.", lang: en}}]
        - points:
            id: score
            title: {en: Points, zh: 积分}
            threshold: 6
            sources: [{source: annex, quote: {text: "Quoted passage.", lang: en}}]
            tables:
              - id: recognition
                title: {en: Recognition, zh: 认可}
                pick: max
                rows:
                  - {id: partial, title: {en: Partial recognition, zh: 部分认可}, points: 4,
                     when: 'any(education, e => e.recognition["DE"] == "partial")'}
              - id: german
                title: {en: German, zh: 德语}
                pick: max
                rows:
                  - {id: de-b2, title: {en: German B2, zh: 德语B2}, points: 3, when: 'any(languages, l => l.language == "de" and l.cefr >= "B2")'}
                  - {id: de-b1, title: {en: German B1, zh: 德语B1}, points: 2, when: 'any(languages, l => l.language == "de" and l.cefr >= "B1")'}
                  - {id: de-a2, title: {en: German A2, zh: 德语A2}, points: 1, when: 'any(languages, l => l.language == "de" and l.cefr >= "A2")'}
              - id: english
                title: {en: English, zh: 英语}
                pick: max
                rows:
                  - {id: en-c1, title: {en: English C1, zh: 英语C1}, points: 1, when: 'any(languages, l => l.language == "en" and l.cefr >= "C1")'}
              - id: experience
                title: {en: Experience, zh: 经验}
                pick: max
                rows:
                  - {id: exp-5, title: {en: 5 of the last 7 years, zh: 近7年中5年}, points: 3, when: 'months_within(work, w => true, 7) >= 60'}
                  - {id: exp-2, title: {en: 2 of the last 5 years, zh: 近5年中2年}, points: 2, when: 'months_within(work, w => true, 5) >= 24'}
              - id: age
                title: {en: Age, zh: 年龄}
                pick: max
                rows:
                  - {id: age-35, title: {en: Up to 35, zh: 35岁以下}, points: 2, when: age <= 35}
"""

DAY = dt.date(2026, 11, 29)

NEAR_MISS: dict[str, Any] = {
    "birth_date": "1995-03-01",  # 31
    "education": [{"level": "master", "recognition": {"DE": "none"}}],
    "work": [{"kind": "employment", "start": "2024-06-01", "ongoing": True}],
    "languages": [
        {"language": "en", "cefr": "B2"},
        {"language": "de", "cefr": "A2"},
    ],
}


@pytest.fixture
def card(make_program: Callable[[str], Program]) -> Program:
    return make_program(CARD)


def test_near_miss_is_five_points(card: Program) -> None:
    result = evaluate(Profile.model_validate(NEAR_MISS), card, DAY)
    assert result.status == "ineligible"
    assert result.points is not None and result.points.score == 5


def test_cheapest_single_step_to_six_comes_first(card: Program) -> None:
    changes = suggestions_for(Profile.model_validate(NEAR_MISS), card, DAY)
    texts = [[s.text.en for s in sug.steps] for sug in changes.suggestions]
    assert all(len(t) == 1 for t in texts)  # one step is enough, so no two-step plans
    # recognition (4 months) < German A2->B1 or English B2->C1 (6 months each)
    assert texts[0] == ["Get qualification 1 partially recognised in DE"]
    assert ["Reach German B1"] in texts and ["Reach English C1"] in texts
    efforts = [s.effort_months for s in changes.suggestions]
    assert efforts == sorted(efforts)
    for sug in changes.suggestions:  # every suggestion really makes the person eligible
        changed = apply(Profile.model_validate(NEAR_MISS), sug.steps)
        assert changed is not None and evaluate(changed, card, DAY).status == "eligible"


def test_age_and_nationality_are_never_offered(card: Program) -> None:
    older = {**NEAR_MISS, "birth_date": "1985-03-01"}  # 41: the age points are gone
    changes = suggestions_for(Profile.model_validate(older), card, DAY)
    paths = {s.path for sug in changes.suggestions for s in sug.steps}
    assert paths and not paths & {"birth_date", "age", "citizenships"}


def test_two_steps_only_when_no_single_step_does_it(card: Program) -> None:
    far = {**NEAR_MISS, "birth_date": "1985-03-01", "education": []}
    far["languages"] = [{"language": "en", "cefr": "B2"}]  # 2 points: experience only
    changes = suggestions_for(Profile.model_validate(far), card, DAY)
    assert changes.suggestions and all(len(s.steps) == 2 for s in changes.suggestions)
    best = sorted(s.text.en for s in changes.suggestions[0].steps)
    assert best == ["Reach English C1", "Reach German B2"]


def test_time_alone_names_the_date_experience_opens_the_door(card: Program) -> None:
    no_language_steps = {**NEAR_MISS, "birth_date": "1998-01-01"}
    effect = time_effect(Profile.model_validate(no_language_steps), card, DAY)
    assert effect is not None and effect.after == "eligible"
    # 60 months of work since 2024-06-01 within the last 7 years
    assert effect.date == dt.date(2029, 6, 1)
    assert any("5 of the last 7 years" in t.en for t in effect.criteria)


def test_time_alone_says_when_an_age_limit_closes_the_door() -> None:
    k = builtin_programs()["cn-k"]
    person = Profile.model_validate(
        {
            "birth_date": "1981-02-10",
            "citizenships": ["IN"],
            "education": [
                {
                    "level": "master",
                    "field": "0613",
                    "institution": {"world_rank": 30},
                    "completed": "2006-07-01",
                }
            ],
        }
    )
    changes = suggestions_for(person, k, DAY)
    assert changes.status == "eligible" and not changes.suggestions
    assert changes.time is not None
    assert changes.time.date == dt.date(2027, 2, 10)  # the 46th birthday, past the assumed 45
    assert changes.time.after == "undetermined"


def test_programmes_ordered_by_how_close_they_are(card: Program) -> None:
    k = builtin_programs()["cn-k"]
    person = Profile.model_validate(NEAR_MISS)
    ordered = by_reach([suggestions_for(person, p, DAY) for p in (k, card)])
    assert ordered[0].program == "card"
