"""The portal's application form: names in, the checker's profile out, a message on every
field that is wrong (in English and Chinese), and nothing saved until all of it holds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from talentvisa.casework.service import CaseService
from talentvisa.profile import Profile
from talentvisa.register import on_date
from talentvisa.rules.evaluator import evaluate
from tests.casework.test_api import new_application, signed_in

ENGINEER = {
    "surname": "Sharma",
    "given_names": "Priya",
    "birth_date": "1997-03-14",
    "nationality": "India",
    "passport_number": "E1234 5678",
    "edu-0-level": "master",
    "edu-0-field": "computer science",
    "edu-0-institution": "IIT Delhi",
    "edu-0-completed": "2022-09-30",
    "work-0-kind": "employment",
    "work-0-occupation": "Software developers",
    "work-0-field": "计算机科学",
    "work-0-employer": "Infosys",
    "work-0-not_listed": "on",
    "work-0-country": "India",
    "work-0-start": "2022-11-01",
    "work-0-ongoing": "on",
}


@pytest.fixture
def portal(service: CaseService) -> tuple[TestClient, str, str]:
    from talentvisa.web.app import create_app

    c, h = signed_in(create_app(service), service)
    return c, new_application(c, h), h["X-CSRF-Token"]


def post(
    portal: tuple[TestClient, str, str], fields: dict[str, str], lang: str = "en", **extra: str
) -> Any:
    c, app_id, csrf = portal
    data = {"csrf_token": csrf, "version": "1", "edu_rows": "1", "work_rows": "1", **fields}
    return c.post(
        f"/cases/{app_id}/save?lang={lang}", data={**data, **extra}, follow_redirects=False
    )


def stored(portal: tuple[TestClient, str, str]) -> dict[str, Any]:
    c, app_id, _ = portal
    body: dict[str, Any] = c.get(f"/api/v1/cases/applications/{app_id}").json()
    return body


def messages(html: str) -> list[str]:
    return re.findall(r'<p class="field-error" id="f-([^"]+)-error">([^<]*)</p>', html)


def value_of(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*\sname="{re.escape(name)}"[^>]*>', html)
    found = re.search(r'\svalue="([^"]*)"', tag.group(0)) if tag else None
    return found.group(1) if found else None


@pytest.mark.parametrize("nationality", ["India", "印度", "india "])
def test_nationality_is_picked_by_its_name_in_english_or_chinese(
    portal: tuple[TestClient, str, str], service: CaseService, nationality: str
) -> None:
    r = post(portal, {**ENGINEER, "nationality": nationality})
    assert r.status_code == 303, messages(r.text)
    after = stored(portal)
    assert after["identity"]["nationality"] == "IN" and after["identity"]["passport_number"] == (
        "E12345678"
    )
    assert after["profile"]["citizenships"] == ["IN"]
    c, app_id, _ = portal
    page = c.get(f"/cases/{app_id}?lang=zh").text
    assert value_of(page, "nationality") == "印度"  # shown by name, in the page's language
    assert "YAML" not in page and "[A-Z]" not in page


def test_the_form_builds_the_profile_the_rules_read(
    portal: tuple[TestClient, str, str], service: CaseService
) -> None:
    assert post(portal, ENGINEER).status_code == 303
    profile = stored(portal)["profile"]
    assert profile["education"] == [
        {
            "level": "master",
            "field": "0613",
            "institution": {"id": "iit-delhi"},
            "completed": "2022-09-30",
        }
    ]
    assert (
        profile["work"][0] | {"occupation": "2512", "country": "IN", "ongoing": True}
        == (profile["work"][0])
    )
    today = service.clock().date()
    checked = evaluate(on_date(Profile.model_validate(profile), today), service.program, today)
    assert checked.status == "eligible"
    c, app_id, _ = portal
    page = c.get(f"/cases/{app_id}?lang=zh").text
    assert value_of(page, "edu-0-institution") == "印度理工学院德里分校"


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This is not a date."),
        ("zh", "这不是有效日期。"),
    ],
)
def test_a_bad_date_is_named_beside_its_field_and_the_other_answers_stay(
    portal: tuple[TestClient, str, str], lang: str, message: str
) -> None:
    r = post(portal, {**ENGINEER, "edu-0-completed": "2022-02-30"}, lang)
    assert r.status_code == 422
    ((where, text),) = messages(r.text)
    assert where == "edu-0-completed" and text.startswith(message)
    assert value_of(r.text, "surname") == "Sharma"
    assert value_of(r.text, "nationality") == "India"
    assert value_of(r.text, "edu-0-institution") == "IIT Delhi"
    assert 'aria-describedby=" f-edu-0-completed-error" aria-invalid="true"' in r.text
    assert "Traceback" not in r.text and "^" not in r.text
    assert stored(portal)["version"] == 1  # nothing saved


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"nationality": "Indai"}, "nationality", "We do not know “Indai”."),
        ({"nationality": "Indi"}, "nationality", "Did you mean: India"),
        ({"birth_date": "2030-01-01"}, "birth_date", "This date is in the future"),
        ({"passport_number": "E12-345"}, "passport_number", "Use only the letters and digits"),
        ({"surname": "Sh\x00arma"}, "surname", "cannot be stored"),
        ({"surname": "x" * 101}, "surname", "At most 100 characters"),
        ({"edu-0-level": "wizard"}, "edu-0-level", "Choose one of the options."),
        (
            {"edu-0-institution": "Universidad de Ejemplo"},
            "edu-0-institution",
            "This institution is not in our list.",
        ),
        ({"edu-0-rank": "118"}, "edu-0-rank", "Tick “My institution is not listed”"),
        (
            {"edu-0-not_listed": "on", "edu-0-rank": "first"},
            "edu-0-rank",
            "a whole number such as 118",
        ),
        (
            {"work-0-not_listed": "", "work-0-employer": "", "work-0-rank": "5"},
            "work-0-rank",
            "Tick “My institution is not listed”",
        ),
        ({"work-0-end": "2024-01-01"}, "work-0-end", "You said you still do this work"),
        (
            {"work-0-ongoing": "", "work-0-end": "2020-01-01"},
            "work-0-end",
            "The end date is before the start date.",
        ),
        ({"work-0-occupation": "wizard"}, "work-0-occupation", "We do not know “wizard”."),
    ],
)
def test_each_wrong_answer_gets_a_plain_message_on_its_field(
    portal: tuple[TestClient, str, str], fields: dict[str, str], where: str, message: str
) -> None:
    r = post(portal, {**ENGINEER, **fields})
    assert r.status_code == 422
    found = dict(messages(r.text))
    assert message in found.get(where, ""), found
    assert stored(portal)["version"] == 1


def test_rows_are_added_and_removed_without_javascript(
    portal: tuple[TestClient, str, str],
) -> None:
    r = post(portal, ENGINEER, add="edu")
    assert r.status_code == 200 and messages(r.text) == []
    assert 'name="edu_rows" value="2"' in r.text and 'id="f-edu-1-level"' in r.text
    assert value_of(r.text, "edu-0-institution") == "IIT Delhi"
    assert stored(portal)["version"] == 1  # adding a row saves nothing
    bachelor = {
        "edu-1-level": "bachelor",
        "edu-1-field": "computer science",
        "edu-1-institution": "University of Mumbai",
        "edu-1-not_listed": "on",
        "edu-1-completed": "2019-06-30",
    }
    two = {**ENGINEER, **bachelor, "edu_rows": "2"}
    r = post(portal, two, add="work")
    assert 'name="work_rows" value="2"' in r.text and value_of(r.text, "edu-1-institution") == (
        "University of Mumbai"
    )
    r = post(portal, two, remove="edu-0")
    assert 'name="edu_rows" value="1"' in r.text
    assert value_of(r.text, "edu-0-institution") == "University of Mumbai"
    assert post(portal, two).status_code == 303
    levels = [e["level"] for e in stored(portal)["profile"]["education"]]
    assert levels == ["master", "bachelor"]


def test_blank_rows_are_left_out_and_other_facts_are_kept(
    portal: tuple[TestClient, str, str],
) -> None:
    c, app_id, csrf = portal
    c.put(
        f"/api/v1/cases/applications/{app_id}",
        headers={"X-CSRF-Token": csrf},
        json={"version": 1, "profile": {"languages": [{"language": "en", "cefr": "C1"}]}},
    )
    r = post(portal, {"surname": "Sharma", "nationality": "印度"}, version="2")
    assert r.status_code == 303, messages(r.text)
    profile = stored(portal)["profile"]
    assert profile == {"citizenships": ["IN"], "languages": [{"language": "en", "cefr": "C1"}]}


def test_submitting_an_incomplete_form_marks_the_fields_still_needed(
    portal: tuple[TestClient, str, str],
) -> None:
    c, app_id, csrf = portal
    assert post(portal, {"surname": "Sharma"}).status_code == 303
    r = c.post(f"/cases/{app_id}/act/submit?lang=zh", data={"csrf_token": csrf, "version": "2"})
    assert r.status_code == 422
    found = dict(messages(r.text))
    assert found["passport_number"] == "提交申请前必须填写。" and "surname" not in found
    assert stored(portal)["state"] == "draft"
