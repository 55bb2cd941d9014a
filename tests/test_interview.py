"""The interview asks what decides a cost, not only what decides eligibility."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel

from talentvisa import vocab_search
from talentvisa.interview import (
    AnswerError,
    Question,
    answer,
    fields_for,
    next_question,
    pending,
    question_for,
    unanswered,
)
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from talentvisa.rules.types import unwrap
from tests.web.interview_answers import as_form_text, value_at

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


# ---------------------------------------------------------------- asking what decides the price

ROOT = Path(__file__).resolve().parents[1]
INDIA = json.loads(
    json.dumps(yaml.safe_load((ROOT / "examples" / "india-h1b.yaml").read_text()), default=str)
)
NO_OFFER = {k: v for k, v in INDIA.items() if k != "job_offer"} | {"has_job_offer": False}
US_FACTS = (
    "location",
    "us_status",
    "job_offer.us_wage_level",
    "job_offer.employer.headcount",
    "job_offer.employer.cap_exempt",
)


def _asked(target: dict[str, Any], as_of: dt.date = DAY) -> list[str]:
    """Every fact put to a person who answers from ``target`` what they know, in order."""
    programs = list(builtin_programs().values())
    data: dict[str, Any] = {}
    skip: list[str] = []
    asked: list[str] = []
    for _ in range(60):
        profile = Profile.model_validate(data)
        question = next_question(profile, programs, as_of, "en", skip, data, entries=3).question
        if question is None:
            return asked
        asked += [f.path for f in question.fields]
        form = {
            f.path: text
            for f in question.fields
            if (text := as_form_text(value_at(target, f.path))) is not None
        }
        for f in question.fields:
            if (
                f.unlisted
                and f.path in form
                and not vocab_search.resolve("institutions", form[f.path])
            ):
                form[f"unlisted:{f.path}"] = "yes"  # "my institution is not listed"
        none = not form and value_at(target, question.path) == []
        if question.path == "job_offer" and target.get("has_job_offer") is False:
            none = True
        if not form and not none:
            skip += [*question.members, question.path]
            continue
        data = answer(data, question, form, none=none)
        skip += [m for m in unanswered(question, form) if not none]
    raise AssertionError(f"the interview did not end: {asked}")


def test_a_us_offer_asks_where_you_are_your_status_wage_level_and_the_employer() -> None:
    asked = [re.sub(r"\[\d+\]", "", p) for p in _asked(INDIA)]
    for fact in US_FACTS:
        assert fact in asked, fact


def test_no_offer_asks_nothing_about_a_us_employer() -> None:
    asked = _asked(NO_OFFER)  # the offer screen itself is answered "I have no job offer"
    # where you are is still asked: Japan's J-Find needs no offer and its change-of-status
    # fee is due only when applying in Japan
    us_only = [p for p in US_FACTS if p != "location"]
    assert not [p for p in asked if p in us_only or p.startswith("job_offer.employer")]
    assert "job_offer.us_petition" not in asked


def test_the_lottery_chance_waits_for_the_wage_level() -> None:
    offer = {k: v for k, v in INDIA["job_offer"].items() if k != "us_wage_level"}
    person = Profile.model_validate({**INDIA, "job_offer": offer})
    assert pending(person, _h1b(), DAY)["job_offer.us_wage_level"] >= 1
    assert "job_offer.us_wage_level" not in pending(Profile.model_validate(INDIA), _h1b(), DAY)


def test_the_petition_is_asked_only_once_where_you_are_is_known() -> None:
    data = {
        "citizenships": ["IN"],
        "education": EDUCATION,
        "visas": [],
        "job_offer": {"country": "US", "us_wage_level": 2, "employer": EMPLOYER},
    }
    programs = list(builtin_programs().values())
    fields: list[str] = []
    skip: list[str] = []
    for _ in range(30):
        q = next_question(Profile.model_validate(data), programs, DAY, "en", skip, data).question
        if q is None or "location" in [f.path for f in q.fields]:
            break
        fields += [f.path for f in q.fields]
        skip += [*q.members, q.path]
    assert q is not None and "job_offer.us_petition" not in fields


# ---------------------------------------------------------------- plain words


def _leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
    out: list[str] = []
    for name, info in model.model_fields.items():
        annotation = unwrap(info.annotation)
        is_list = get_origin(annotation) is list
        inner = get_args(annotation)[0] if is_list else annotation
        path = f"{prefix}{name}{'[0]' if is_list and name != 'citizenships' else ''}"
        if get_origin(annotation) is dict:
            out.append(f"{path}.DE")
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            out += _leaves(inner, f"{path}.")
        else:
            out.append(path)
    return out


PATHLIKE = re.compile(r"[a-z]+_[a-z]+|\[\d+\]|\b[a-z]+\.[a-z]+\b|qualification \d")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", _leaves(Profile))
def test_every_fact_has_a_plain_question_and_help_in_both_languages(path: str) -> None:
    (en,) = fields_for(path, "en")
    (zh,) = fields_for(path, "zh")
    assert en.label and en.hint and not PATHLIKE.search(en.label), en.label
    assert CJK.search(zh.label) and zh.hint and CJK.search(zh.hint), zh.label
    for value, name in en.options if en.kind == "select" else ():
        assert name != value.replace("_", " ") or value in name, (path, value)


def test_a_question_about_a_degree_names_the_degree() -> None:
    data = {
        "citizenships": ["IN"],
        "birth_date": "1999-06-15",
        "has_job_offer": False,
        "work": [],
        "education": [
            {"level": "master", "field": "06", "completed": "2023-06-30"},
        ],
    }
    programs = list(builtin_programs().values())
    for lang, words in (("en", "Your master's degree in Information"), ("zh", "硕士学位")):
        q = next_question(Profile.model_validate(data), programs, DAY, lang, (), data).question  # type: ignore[arg-type]
        assert q is not None and q.path.startswith("education[0]")
        assert words in q.title and not PATHLIKE.search(q.title)


# ---------------------------------------------------------------- names, not codes


def _question(path: str) -> Question:
    return question_for(path, {path: 1}, "en", {}, entries=2)


def test_typed_words_become_codes() -> None:
    job = _question("work")
    form = {
        "work[0].kind": "employment",
        "work[0].occupation": "Software developer",
        "work[0].country": "India",
    }
    assert answer({}, job, form)["work"] == [
        {"kind": "employment", "occupation": "2512", "country": "IN"}
    ]
    zh = question_for("work", {"work": 1}, "zh", {})
    assert answer({}, zh, {"work[0].occupation": "软件开发", "work[0].country": "印度"}, lang="zh")[
        "work"
    ] == [{"occupation": "2512", "country": "IN"}]


def test_a_name_that_matches_nothing_suggests_the_nearest_in_your_language() -> None:
    job = _question("work")
    with pytest.raises(AnswerError) as info:
        answer({}, job, {"work[0].occupation": "Sofware develper"})
    path, message = info.value.problems[0]
    assert path == "work[0].occupation" and "Software developers" in message
    assert not re.search(r"\^|\\d|\[0-9\]|\d{4}", message)  # no regex, no code
    with pytest.raises(AnswerError) as info:
        answer({}, job, {"work[0].occupation": "xyzzy"}, lang="zh")
    assert "找不到" in info.value.problems[0][1]


def test_several_degrees_and_nationalities() -> None:
    degrees = _question("education")
    form = {
        "education[0].level": "bachelor",
        "education[0].field": "Information and Communication Technologies",
        "education[1].level": "master",
        "education[1].institution.name": "An institute not in any register",
        "unlisted:education[1].institution.name": "yes",
    }
    assert answer({}, degrees, form)["education"] == [
        {"level": "bachelor", "field": "06"},
        {"level": "master", "institution": {"name": "An institute not in any register"}},
    ]
    nationalities = question_for("citizenships", {"citizenships": 1}, "en", {}, entries=2)
    assert answer(
        {}, nationalities, {"citizenships[0]": "India", "citizenships[1]": "Germany"}
    ) == {"citizenships": ["IN", "DE"]}


def test_a_blank_entry_between_two_is_dropped() -> None:
    degrees = question_for("education", {"education": 1}, "en", {}, entries=3)
    form = {"education[0].level": "bachelor", "education[2].level": "master"}
    assert answer({}, degrees, form)["education"] == [{"level": "bachelor"}, {"level": "master"}]
