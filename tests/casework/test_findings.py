"""A machine recommends; an officer decides. An approval that rests on our interpretations
of the K-visa rules (the age limit, "well-known", the STEM reading) needs the officer's own
finding on each, which the decision record, the audit chain and the pages keep."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from talentvisa.casework import audit
from talentvisa.casework.models import AuditEvent
from talentvisa.casework.service import Actor, CaseService, Invalid, Reading
from talentvisa.casework.workflow import State
from talentvisa.web.app import create_app
from tests.casework.test_api import signed_in
from tests.casework.test_workflow import readings, submitted, to_final_review, version_of

RELIED = ["max_age", "min_age", "stem_fields", "well_known_max_rank"]


def ready(service: CaseService, person: Callable[[str], Actor]) -> tuple[Actor, Actor, str]:
    """The Indian engineer's application (full.yaml), in final review."""
    applicant, officer = person("applicant"), person("officer")
    app_id = submitted(service, applicant, "full")
    to_final_review(service, officer, app_id)
    return applicant, officer, app_id


def test_the_pre_check_names_every_interpretation_each_criterion_rests_on(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    _, officer, app_id = ready(service, person)
    review = service.review(officer, app_id, "zh")
    assert review["relied_on"] == RELIED
    by_id = {c["id"]: c for c in review["assessment"]["criteria"]}
    assert by_id["young"]["interpretations"] == ["max_age", "min_age"]
    assert by_id["stem-degree"]["interpretations"] == ["stem_fields", "well_known_max_rank"]
    age = review["readings"]["max_age"]
    assert age["description"] == "视为“青年”的最高年龄" and age["value"] == "45"
    assert age["confidence"] == "unconfirmed"
    assert {c["reliability"] for c in age["citations"]} == {"unconfirmed", "secondary"}


def test_an_approval_without_findings_on_the_interpretations_is_refused(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    _, officer, app_id = ready(service, person)
    version = version_of(service, officer, app_id)
    with pytest.raises(Invalid) as refused:
        service.decide(officer, app_id, version, "approve", [], "")
    assert sorted(refused.value.fields) == [f"readings.{n}" for n in RELIED]
    partial = readings(service, officer, app_id)
    partial["well_known_max_rank"] = Reading(True, "  ")
    partial["stem_fields"] = Reading(False, "Computer science is STEM, but I doubt the degree.")
    with pytest.raises(Invalid) as refused:
        service.decide(officer, app_id, version, "approve", [], "", partial)
    assert refused.value.fields == {
        "readings.well_known_max_rank": (
            "Record your finding on this reading: whether it holds for this applicant, and why."
        ),
        "readings.stem_fields": (
            "You found that this reading does not hold for this applicant; an approval cannot "
            "rest on it."
        ),
    }
    with pytest.raises(Invalid, match=r"readings\.max_rank: The recommendation does not rest"):
        service.decide(
            officer, app_id, version, "refuse", ["art21-5"], "", {"max_rank": Reading(True, "x")}
        )
    assert service.get(officer, app_id)["state"] == State.final_review  # nothing recorded
    assert service.get(officer, app_id)["version"] == version


def test_an_approval_with_findings_records_and_audits_them(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant, officer, app_id = ready(service, person)
    found = readings(service, officer, app_id)
    found["well_known_max_rank"] = Reading(
        True, "I find the institution well-known because IIT Bombay is ranked 118th by QS."
    )
    result = service.decide(
        officer, app_id, version_of(service, officer, app_id), "approve", [], "", found
    )
    assert result.state == State.approved
    recorded = {f["parameter"]: f for f in result.findings}
    assert sorted(recorded) == RELIED
    assert recorded["well_known_max_rank"]["note"].startswith("I find the institution well-known")
    assert recorded["max_age"]["description"]["zh"] == "视为“青年”的最高年龄"
    (decision,) = service.get(officer, app_id)["decisions"]
    assert decision["findings"] == list(result.findings)
    assert service.get(applicant, app_id)["decisions"][0]["findings"] == list(result.findings)
    with service.session() as s:
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "application.approve")
        ).one()
        assert audit.verify(s).ok
    note = found["well_known_max_rank"].note
    assert {
        "kind": "interpretation",
        "on": "well_known_max_rank",
        "outcome": True,
        "note_sha256": hashlib.sha256(note.encode()).hexdigest(),
    } in event.data["findings"]
    assert "IIT Bombay" not in str(event.data)  # the chain holds a hash, not the text


def test_the_api_refuses_an_approval_without_findings_with_a_message_per_field(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    app = create_app(service)
    _, _, app_id = ready(service, person)
    officer, h = signed_in(app, service, "officer")
    url = f"/api/v1/cases/applications/{app_id}"
    version = officer.get(url).json()["version"]
    assert officer.get(f"{url}/review").json()["relied_on"] == RELIED
    r = officer.post(f"{url}/decision", headers=h, json={"version": version, "outcome": "approve"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")
    assert [e["path"] for e in r.json()["errors"]] == [f"readings.{n}" for n in RELIED]
    body = {
        "version": version,
        "outcome": "approve",
        "readings": {n: {"holds": True, "note": f"I find {n} holds because …"} for n in RELIED},
    }
    r = officer.post(f"{url}/decision", headers=h, json=body)
    assert r.status_code == 200 and r.json()["state"] == "approved", r.text
    assert len(r.json()["findings"]) == 4


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Record your finding on this reading"),
        ("zh", "请对这项理解作出认定"),
    ],
)
def test_the_officers_page_shows_the_readings_and_asks_for_findings(
    service: CaseService, person: Callable[[str], Actor], lang: str, message: str
) -> None:
    app = create_app(service)
    _, _, app_id = ready(service, person)
    officer, h = signed_in(app, service, "officer")
    page = officer.get(f"/cases/{app_id}?lang={lang}").text
    young = page[page.index('id="criterion-young"') : page.index('id="criterion-stem-background"')]
    assert "visitchinavisa.com" in young and ": 45" in young
    if lang == "en":
        assert "Highest age accepted as" in young and "an approval needs your finding" in young
        assert "unconfirmed source (commercial or unofficial page)" in young
    else:
        assert "视为“青年”的最高年龄" in young and "未经证实的来源" in young
    csrf = h["X-CSRF-Token"]
    version = str(service.get(person("officer"), app_id)["version"])
    form = {"csrf_token": csrf, "version": version, "outcome": "approve", "note": "kept"}
    form |= {"reading-max_age-holds": "yes", "reading-max_age-note": "27 is young."}
    r = officer.post(f"/cases/{app_id}/decide?lang={lang}", data=form)
    assert r.status_code == 422
    errors = dict(
        re.findall(r'<p class="field-error" id="f-(reading-[^"]+)-error">([^<]*)</p>', r.text)
    )
    assert sorted(errors) == [f"reading-{n}" for n in RELIED if n != "max_age"]
    assert all(m.startswith(message) for m in errors.values())
    assert "27 is young." in r.text and ">kept</textarea>" in r.text  # what was typed stays
    for name in RELIED:
        form |= {f"reading-{name}-holds": "yes", f"reading-{name}-note": f"I find {name} holds."}
    r = officer.post(f"/cases/{app_id}/decide", data=form, follow_redirects=False)
    assert r.status_code == 303
    page = officer.get(f"/cases/{app_id}?lang={lang}").text
    assert "I find well_known_max_rank holds." in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_approval_letter_states_the_officers_findings(
    service: CaseService, person: Callable[[str], Actor], lang: str
) -> None:
    import io

    from pypdf import PdfReader

    applicant, officer, app_id = ready(service, person)
    found = readings(service, officer, app_id)
    found["well_known_max_rank"] = Reading(True, "Ranked 118th by QS in its 2027 edition.")
    service.decide(officer, app_id, version_of(service, officer, app_id), "approve", [], "", found)
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(service.letter(applicant, app_id, lang))).pages
    )
    heading = "本决定所依据的签证官认定" if lang == "zh" else "The officer's findings"
    assert heading in text
    assert "Ranked 118th by QS" in text.replace("\n", " ")
