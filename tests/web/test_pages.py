"""The pages without a browser: the interview asks only what matters, results re-open from links."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from talentvisa.interview import pending
from talentvisa.profile import Profile
from talentvisa.rules.loader import builtin_programs
from talentvisa.web import state
from tests.web.interview_answers import drive

ROOT = Path(__file__).resolve().parents[2]
FULL = yaml.safe_load((ROOT / "examples" / "full.yaml").read_text(encoding="utf-8"))
NOT_STEM = {
    "birth_date": "1990-01-01",
    "education": [{"level": "secondary", "field": "0231", "completed": "2008-06-30"}],
    "work": [],
    "has_job_offer": False,
    "languages": [{"language": "en", "cefr": "B1"}],
}


def run_interview(
    client: TestClient, target: dict[str, Any], lang: str = "en"
) -> tuple[str, list[str]]:
    """Answer every question from ``target``; return the results URL and the questions asked."""
    url, screens = drive(client, target, lang)
    return url, [question for question, _, action in screens if action != "add"]


def test_interview_for_an_eligible_person_ends_in_results(client: TestClient) -> None:
    results_url, asked = run_interview(client, json.loads(json.dumps(FULL, default=str)))
    assert len(asked) == len(set(asked)), "a question was asked twice"
    page = client.get(results_url)
    assert page.status_code == 200
    k = page.text.split('id="cn-k"', 1)[1].split("</section>", 1)[0]
    assert "status-eligible" in k


def test_interview_for_an_ineligible_person(client: TestClient) -> None:
    results_url, asked = run_interview(client, NOT_STEM, lang="zh")
    assert "birth_date" in asked
    page = client.get(results_url)
    k = page.text.split('id="cn-k"', 1)[1].split("</section>", 1)[0]
    assert "status-ineligible" in k and "不符合条件" in k


def test_first_question_is_the_one_most_criteria_wait_for(client: TestClient) -> None:
    html = client.get("/interview").text
    first = re.search(r'name="question" value="([^"]+)"', html)
    waiting = pending(Profile(), list(builtin_programs().values()), dt.date.today())
    most = max(waiting.values())
    assert first is not None and waiting[first[1]] == most
    shown = re.search(r"Answers still waiting for this: (\d+)", html)
    assert shown is not None and int(shown[1]) == most


def test_decided_programmes_stop_asking(client: TestClient) -> None:
    # once every programme is decided, no question can change an answer
    decided = {
        **NOT_STEM,
        "citizenships": ["IN"],
        "location": "IN",
        "stays": [],
        "visas": [],
        "family": [],
        "funds": {"amount": 0, "currency": "EUR"},
        # a prize or an endorsement opens the UK's Global Talent route to anyone; in a field
        # without either, the endorsing body judges, and no answer can change that
        "uk_talent_prize": False,
        "uk_endorsement": "none",
        "uk_talent_field": "digital_technology",
    }
    r = client.get(f"/interview?p={state.encode(decided)}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/results?p=")


def test_a_bad_answer_is_announced_and_nothing_is_lost(client: TestClient) -> None:
    degree = {
        "level": "master",
        "field": "0613",
        "institution": {"world_rank": 50},
        "completed": "2020-01-01",
    }
    token = state.encode({"education": [degree], "has_job_offer": False, "work": []})
    html = client.get(f"/interview?p={token}").text
    question = re.search(r'name="question" value="([^"]+)"', html)
    assert question is not None
    field = re.search(r'<(?:input|select)[^>]* id="[^"]+" name="([^"]+)"', html)
    assert field is not None
    r = client.post(
        "/interview",
        data={
            "p": token,
            "skip": "",
            "question": question[1],
            "action": "answer",
            field[1]: "31/02/2020",
        },
    )
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert f'value="{token}"' in r.text  # the answers so far travel on unchanged


def test_results_link_json_download_and_reopen(client: TestClient) -> None:
    token = state.encode(json.loads(json.dumps(FULL, default=str)))
    download = client.get(f"/results.json?p={token}&as_of=2026-11-29")
    assert "attachment" in download.headers["content-disposition"]
    saved = download.json()
    assert saved["profile"]["birth_date"] == "1997-05-10"
    reopened = client.post(
        "/open",
        files={"file": ("saved.json", json.dumps(saved), "application/json")},
        follow_redirects=False,
    )
    assert reopened.status_code == 303
    reopened_data = state.decode(reopened.headers["location"].split("p=", 1)[1])
    assert Profile.model_validate(reopened_data) == Profile.model_validate(saved["profile"])


def test_reopen_refuses_what_is_not_a_profile(client: TestClient) -> None:
    r = client.post("/open", files={"file": ("x.json", b"\x89PNG\xff\xfe", "application/json")})
    assert r.status_code == 422 and "not a text file" in r.text
    r = client.post(
        "/open", files={"file": ("x.json", b'{"birth_date": "soon"}', "application/json")}
    )
    assert r.status_code == 422 and "valid talentvisa profile" in r.text
    assert "birth_date" in r.text  # the field at fault is named


def test_reopen_a_yaml_profile(client: TestClient) -> None:
    text = (ROOT / "examples" / "full.yaml").read_bytes()
    r = client.post(
        "/open", files={"file": ("full.yaml", text, "application/yaml")}, follow_redirects=False
    )
    assert r.status_code == 303
    assert state.decode(r.headers["location"].split("p=", 1)[1])["birth_date"] == "1997-05-10"


def test_a_tampered_link_gets_a_clear_page(client: TestClient) -> None:
    r = client.get("/results?p=not-a-profile!!")
    assert r.status_code == 400 and "does not hold a saved profile" in r.text


def test_language_from_the_browser_and_the_switch(client: TestClient) -> None:
    zh = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-Hans">' in zh.text and "哪种人才签证适合你" in zh.text
    en = client.get("/?lang=en", headers={"accept-language": "zh-CN"})
    assert '<html lang="en">' in en.text and en.cookies.get("lang") == "en"


def test_comparison_page_has_chart_and_controls(client: TestClient) -> None:
    india = yaml.safe_load((ROOT / "examples" / "india-h1b.yaml").read_text())
    token = state.encode(json.loads(json.dumps(india, default=str)))
    html = client.get(f"/compare?p={token}&currency=EUR&prefer=family&as_of=2026-11-29").text
    assert "<svg" in html and 'role="img"' in html
    assert '<option value="family" selected>' in html
    assert "EUR" in html and "★" in html
    fragment = client.get(f"/compare?p={token}&currency=USD", headers={"hx-request": "true"}).text
    assert fragment.lstrip().startswith('<div id="comparison"')


def test_programme_page_renders_rules_and_a_diff(client: TestClient) -> None:
    html = client.get("/programs/us-h1b?from=2025-09-20&to=2025-09-21").text
    assert "100000" in html and "<table>" in html
    assert "Version history" in html


def test_official_vocabularies_are_explained_where_asked(client: TestClient) -> None:
    degree = {
        "level": "master",
        "field": "0613",
        "institution": {"world_rank": 50},
        "completed": "2022-06-30",
    }
    token = state.encode(
        {"citizenships": ["IN"], "education": [degree], "has_job_offer": False, "work": []}
    )
    # the questions before the recognition one (funds, other programmes' facts) are skipped
    skipped: list[str] = []
    for _ in range(12):
        html = client.get(f"/interview?p={token}&lang=zh&skip={','.join(skipped)}").text
        question = re.search(r'name="question" value="([^"]+)"', html)
        assert question is not None, "the interview ended before asking about recognition"
        help_id = re.search(r'<p class="hint" id="([^"]+-help)">([^<]+)</p>', html)
        if help_id is not None and "anabin" in help_id[2]:
            break
        skipped.append(question[1])
    assert help_id is not None and "anabin" in help_id[2], skipped
    assert f'aria-describedby="{help_id[1]}' in html


def test_pages_show_the_payment_as_unconfirmed_and_the_chance_as_a_projection(
    client: TestClient,
) -> None:
    india = yaml.safe_load((ROOT / "examples" / "india-h1b.yaml").read_text())
    token = state.encode(json.loads(json.dumps(india, default=str)))
    html = client.get(f"/compare?p={token}&as_of=2026-11-29").text
    assert "30.58%" in html and "DHS projection" in html and "not your own odds" in html
    assert "Costs resting on unconfirmed or disputed sources" in html
    assert "may be due, unconfirmed" in " ".join(html.split())
    results = client.get(f"/results?p={token}&as_of=2026-11-29").text
    assert "may be due, unconfirmed" in " ".join(results.split())
    during = client.get(f"/compare?p={token}&as_of=2026-04-01").text
    assert "Proclamation 10973 payment" not in during.split("Costs resting on")[-1]
