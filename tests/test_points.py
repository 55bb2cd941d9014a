"""Points tables: exclusive tiers take the highest row, unknown rows widen the range."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs, load_program
from talentvisa.rules.model import Program
from talentvisa.yamlpos import InputError

PROGRAM = """\
id: points-demo
country: DE
name: {en: Points demo, zh: 积分示例}
summary: {en: A points programme for tests, zh: 测试用积分项目}
verified: 2026-11-29
sources:
  annex: {title: Annex, href: "https://example.org/annex", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}
parameters:
  pass_mark:
    description: {en: Points needed, zh: 所需分数}
    values: {2024-06-01: 6}
    sources: [{source: annex, quote: {text: "Quoted passage.", lang: en}}]
versions:
  - from: 2024-06-01
    criteria:
      points:
        id: score
        title: {en: Points, zh: 积分}
        threshold: pass_mark
        sources: [{source: annex, at: "items 1-3", quote: {text: "Quoted passage.", lang: en}}]
        tables:
          - id: german
            title: {en: German, zh: 德语}
            pick: max
            rows:
              - {id: b2, title: {en: B2, zh: B2}, points: 3, when: 'any(languages, l => l.language == "de" and l.cefr >= "B2")'}
              - {id: b1, title: {en: B1, zh: B1}, points: 2, when: 'any(languages, l => l.language == "de" and l.cefr >= "B1")'}
              - {id: a2, title: {en: A2, zh: A2}, points: 1, when: 'any(languages, l => l.language == "de" and l.cefr >= "A2")'}
          - id: age
            title: {en: Age, zh: 年龄}
            pick: max
            rows:
              - {id: to-35, title: {en: up to 35, zh: 35岁以下}, points: 2, when: age <= 35}
              - {id: to-40, title: {en: 36 to 40, zh: 36至40岁}, points: 1, when: age <= 40}
          - id: extras
            title: {en: Extras, zh: 其他}
            pick: sum
            rows:
              - {id: english, title: {en: English C1, zh: 英语C1}, points: 1, when: 'any(languages, l => l.language == "en" and l.cefr >= "C1")'}
              - {id: funds, title: {en: Funds, zh: 资金}, points: 1, when: funds.amount >= 1000}
"""


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    path: Path = tmp_path_factory.mktemp("p") / "points-demo.yaml"
    path.write_text(PROGRAM, encoding="utf-8")
    return load_program(path)


def run(program: Program, data: dict[str, Any]) -> tuple[str, int, int]:
    a = evaluate(Profile.model_validate(data), program, dt.date(2026, 1, 1))
    assert a.points is not None
    return a.status, a.points.score, a.points.max_possible


DE_B2 = {"language": "de", "cefr": "B2"}
EN_C1 = {"language": "en", "cefr": "C1"}
EUR = {"amount": 5000, "currency": "EUR"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # tiers do not stack: B2 German is 3, not 3+2+1
        ({"age": 30, "languages": [DE_B2, EN_C1], "funds": EUR}, ("eligible", 7, 7)),
        ({"age": 36, "languages": [DE_B2, EN_C1], "funds": EUR}, ("eligible", 6, 6)),
        ({"age": 41, "languages": [DE_B2, EN_C1], "funds": EUR}, ("ineligible", 5, 5)),
        # unknown age: 5 certain, up to 7 possible -> undetermined
        ({"languages": [DE_B2, EN_C1], "funds": EUR}, ("undetermined", 5, 7)),
        # even the best case cannot reach 6 -> ineligible without asking
        (
            {
                "languages": [{"language": "de", "cefr": "A2"}],
                "funds": {"amount": 1, "currency": "EUR"},
            },
            ("ineligible", 1, 3),
        ),
        ({}, ("undetermined", 0, 7)),
    ],
)
def test_points(program: Program, data: dict[str, Any], expected: tuple[str, int, int]) -> None:
    assert run(program, data) == expected


def test_points_missing_facts_are_only_those_that_matter(program: Program) -> None:
    a = evaluate(
        Profile.model_validate({"languages": [DE_B2, EN_C1], "funds": EUR}),
        program,
        dt.date(2026, 1, 1),
    )
    assert a.missing == ("birth_date",)


def test_only_the_best_of_exclusive_tiers_is_marked_counted() -> None:
    from talentvisa.report import points_dict

    card = builtin_programs()["de-opportunity-card"]
    person = Profile.model_validate(
        {
            "birth_date": "1993-01-01",  # 33: both "up to 35" and "up to 40" hold
            "citizenships": ["IN"],
            "languages": [{"language": "de", "cefr": "B1"}, {"language": "en", "cefr": "B2"}],
        }
    )
    result = evaluate(person, card, dt.date(2026, 11, 29))
    rows = {r["id"]: r for r in points_dict(result.points, "en")["rows"]}  # type: ignore[index]
    passing = [
        r for r in rows.values() if r["table"] == rows_of_age(rows) and r["result"] == "pass"
    ]
    assert len(passing) == 2
    assert [r["counted"] for r in sorted(passing, key=lambda r: -r["points"])] == [True, False]


def rows_of_age(rows: dict[str, Any]) -> str:
    """The table that holds the age tiers (its rows read 'up to 35' and 'up to 40')."""
    return next(r["table"] for r in rows.values() if "35" in r["title"])


JUDGED = PROGRAM.replace(
    "when: age <= 35}", "when: age < 35 or (age == 35 and judgement)}"
).replace(
    '        sources: [{source: annex, at: "items 1-3", quote: {text: "Quoted passage.", lang: en}}]\n',
    '        sources: [{source: annex, at: "items 1-3", quote: {text: "Quoted passage.", lang: en}}]\n'
    "        judgement: {en: whether exactly 35 scores 2, zh: 恰好35岁是否得2分}\n",
)


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Program:
    path: Path = tmp_path_factory.mktemp("j") / "points-demo.yaml"
    path.write_text(JUDGED, encoding="utf-8")
    return load_program(path)


def test_a_judged_row_leaves_the_test_to_an_officer_only_when_the_total_turns_on_it(
    judged: Program,
) -> None:
    # 35: age gives 1 for sure, 2 if the officer says so; B2 3 + funds 1 + 1 = 5, or 6
    at_35 = {"age": 35, "languages": [DE_B2], "funds": EUR}
    a = evaluate(Profile.model_validate(at_35), judged, dt.date(2026, 1, 1))
    score = next(c for c in a.criteria if c.id == "score")
    assert (a.status, score.result, a.missing) == ("undetermined", "judgement", ())
    assert score.judgement is not None and "35" in score.judgement.en
    settled = evaluate(
        Profile.model_validate(at_35), judged, dt.date(2026, 1, 1), findings={"score": True}
    )
    assert settled.status == "eligible"
    # with English C1 the total is 6 either way: no officer needed
    assert run(judged, {**at_35, "languages": [DE_B2, EN_C1]}) == ("eligible", 6, 7)


def test_a_judged_row_needs_a_judgement_text(tmp_path: Path) -> None:
    path = tmp_path / "points-demo.yaml"
    path.write_text(
        JUDGED.replace(
            "        judgement: {en: whether exactly 35 scores 2, zh: 恰好35岁是否得2分}\n", ""
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="says nothing under judgement"):
        load_program(path)
