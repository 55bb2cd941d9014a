"""The interview asks what decides a cost, not only what decides eligibility."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from talentvisa.interview import fields_for, next_question, pending
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program

DAY = dt.date(2026, 4, 1)
EMPLOYER = {
    "headcount": 1200,
    "nonprofit": False,
    "cap_exempt": "no",
    "h1b_l_share_over_half": False,
}
EDUCATION = [{"level": "master", "field": "0613", "completed": "2025-12-15"}]


def _h1b() -> list[Program]:
    return [builtin_programs()["us-h1b"]]


def test_someone_in_the_us_is_asked_what_the_petition_requests() -> None:
    person = Profile.model_validate(
        {
            "citizenships": ["IN"],
            "location": "US",
            "education": EDUCATION,
            "visas": [],
            "job_offer": {"country": "US", "us_wage_level": 2, "employer": EMPLOYER},
        }
    )
    waiting = pending(person, _h1b(), DAY)
    assert "job_offer.us_petition" in waiting and "us_status" in waiting


def test_someone_abroad_without_an_h1b_visa_is_not_asked() -> None:
    """The payment is due whatever the petition requests: no question changes the cost."""
    person = Profile.model_validate(
        {
            "citizenships": ["IN"],
            "location": "IN",
            "education": EDUCATION,
            "visas": [],
            "job_offer": {"country": "US", "us_wage_level": 2, "employer": EMPLOYER},
        }
    )
    waiting = pending(person, _h1b(), DAY)
    assert "job_offer.us_petition" not in waiting and "us_status" not in waiting


PROGRAM = """\
id: fee-only
country: DE
name: {en: Fee only, zh: 仅费用}
summary: {en: test, zh: 测试}
verified: 2026-11-29
sources:
  s: {title: S, href: "https://example.org/s", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}
versions:
  - from: 2025-01-01
    criteria: {id: adult, title: {en: Adult, zh: 成年}, when: age >= 18, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
    fees:
      - {id: abroad, title: {en: Fee abroad, zh: 境外费用}, when: location != "DE", amount: 100, currency: EUR, payer: applicant, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
"""


def test_an_eligible_answer_still_asks_what_decides_the_cost(
    make_program: Callable[[str], Program],
) -> None:
    program = make_program(PROGRAM)
    person = Profile.model_validate({"age": 30})
    assert evaluate(person, program, DAY).status == "eligible"
    assert pending(person, [program], DAY) == {"location": 1}
    assert pending(Profile.model_validate({"age": 30, "location": "DE"}), [program], DAY) == {}


def test_no_bachelors_asks_for_an_evaluated_equivalence_as_a_record() -> None:
    person = Profile.model_validate(
        {"citizenships": ["IN"], "education": [], "work": [], "job_offer": {"country": "US"}}
    )
    progress = next_question(person, _h1b(), DAY, "en", skip=["has_job_offer", "location"])
    assert progress.question is not None
    paths = [f.path for f in fields_for("us_degree_equivalence", "en")]
    assert paths == [
        "us_degree_equivalence.level",
        "us_degree_equivalence.basis",
        "us_degree_equivalence.field",
    ]
    assert "us_degree_equivalence" in pending(person, _h1b(), DAY)
