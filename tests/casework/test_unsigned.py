"""An unsigned refusal stays internal, a withdrawal cannot erase it, and ids that cannot
exist never reach the database: on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from talentvisa.casework.models import AuditEvent
from talentvisa.casework.service import Actor, CaseService, Conflict
from talentvisa.casework.workflow import Role, State
from talentvisa.web.app import create_app
from tests.casework.test_api import signed_in
from tests.casework.test_workflow import submitted, to_final_review, version_of

# What the state refusal_pending is called, in both languages: never for the applicant.
PENDING_WORDS = ("refusal_pending", "refusal awaiting", "拒签待主管签署", "awaiting a supervisor")


def proposed_refusal(
    service: CaseService, applicant: Actor, person: Callable[[str], Actor]
) -> tuple[str, Actor]:
    officer = person("officer")
    app_id = submitted(service, applicant)
    to_final_review(service, officer, app_id)
    service.record_finding(officer, app_id, "stem-degree", False, "Not a well-known university.")
    service.decide(
        officer, app_id, version_of(service, officer, app_id), "refuse", ["art21-5"], "No."
    )
    assert service.get(officer, app_id)["state"] == State.refusal_pending
    return app_id, officer


def test_the_applicant_sees_the_review_go_on_until_a_refusal_is_signed(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant = person("applicant")
    app_id, _ = proposed_refusal(service, applicant, person)
    assert service.get(applicant, app_id)["state"] == State.final_review
    assert [a["state"] for a in service.queue(applicant)] == [State.final_review]
    exported = service.export(applicant)["applications"][0]
    assert exported["state"] == State.final_review and exported["decisions"] == []
    assert [p["stage"] for p in exported["prechecks"]] == ["submission"]
    with pytest.raises(Conflict) as refused:  # nor does a refusal's message tell
        service.update(applicant, app_id, version_of(service, applicant, app_id), {}, {})
    assert "final_review" in str(refused.value)
    assert not any(w in str(refused.value) for w in PENDING_WORDS)


def test_no_page_or_api_answer_tells_the_applicant_of_a_proposed_refusal(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    app = create_app(service)
    c, h = signed_in(app, service)
    me = c.get("/api/v1/cases/me").json()
    applicant = Actor(me["id"], Role.applicant, me["email"])
    app_id, _ = proposed_refusal(service, applicant, person)
    answers = {
        "GET application": c.get(f"/api/v1/cases/applications/{app_id}").text,
        "GET list": c.get("/api/v1/cases/applications").text,
        "GET export": c.get("/api/v1/cases/export").text,
        "PUT": c.put(
            f"/api/v1/cases/applications/{app_id}",
            headers=h,
            json={"version": 1, "profile": {}, "identity": {}},
        ).text,
        "submit again": c.post(
            f"/api/v1/cases/applications/{app_id}/actions/submit",
            headers=h,
            json={"version": version_of(service, applicant, app_id)},
        ).text,
        "letter": c.get(f"/api/v1/cases/applications/{app_id}/letter").text,
    }
    for lang in ("en", "zh"):
        answers[f"page {lang}"] = c.get(f"/cases/{app_id}?lang={lang}").text
        answers[f"list {lang}"] = c.get(f"/cases?lang={lang}").text
    for name, text in answers.items():
        assert not any(w in text for w in PENDING_WORDS), name
    assert "in final review" in answers["page en"] and "终审中" in answers["page zh"]
    assert "in final review" in answers["list en"] and "终审中" in answers["list zh"]


def test_a_withdrawal_after_a_proposed_refusal_keeps_it_in_the_file_and_the_audit(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant = person("applicant")
    app_id, officer = proposed_refusal(service, applicant, person)
    version = version_of(service, applicant, app_id)
    assert service.act(applicant, app_id, version, "withdraw") == State.withdrawn
    decisions = service.get(officer, app_id)["decisions"]
    assert [(d["outcome"], d["signed"], d["status"]) for d in decisions] == [
        ("refuse", False, "withdrawn_unsigned")
    ]
    assert decisions[0]["reasons"] == ["art21-5"]
    with service.session() as s:
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.subject == app_id, AuditEvent.action == "application.withdraw"
            )
        ).one()
        proposal = s.scalars(
            select(AuditEvent).where(
                AuditEvent.subject == app_id, AuditEvent.action == "application.propose_refusal"
            )
        ).one()
    assert event.data["from"] == "refusal_pending"
    assert event.data["proposed_refusal"] == {
        "decision": proposal.data["decision"],
        "reasons": ["art21-5"],
    }
    assert service.get(applicant, app_id)["decisions"] == []  # still never signed
    supervisor = person("supervisor")
    with pytest.raises(Conflict):  # and it cannot be signed once withdrawn
        service.sign_refusal(supervisor, app_id, version_of(service, supervisor, app_id), True)
    officer_page = _staff_page(service, app_id)
    assert "not signed: the application was withdrawn" in officer_page


def _staff_page(service: CaseService, app_id: str) -> str:
    app = create_app(service)
    c, _ = signed_in(app, service, "supervisor")
    return c.get(f"/cases/{app_id}").text


ROUTES = [
    ("get", "/api/v1/cases/applications/{app}", None),
    ("put", "/api/v1/cases/applications/{app}", {"version": 1, "profile": {}}),
    ("post", "/api/v1/cases/applications/{app}/actions/submit", {"version": 1}),
    (
        "post",
        "/api/v1/cases/applications/{app}/findings",
        {"criterion": "stem-degree", "met": True, "note": "x"},
    ),
    ("get", "/api/v1/cases/applications/{app}/review", None),
    (
        "post",
        "/api/v1/cases/applications/{app}/decision",
        {"version": 1, "outcome": "refuse", "reasons": ["art21-5"]},
    ),
    ("post", "/api/v1/cases/applications/{app}/refusal", {"version": 1, "sign": True}),
    ("get", "/api/v1/cases/applications/{app}/letter", None),
    ("get", "/api/v1/cases/documents/{app}", None),
    ("post", "/api/v1/cases/applications/{app}/documents", "upload"),
]


@pytest.mark.parametrize("bad", ["%00", "a" * 31 + "%00", "Not-An-Id"])
@pytest.mark.parametrize(
    ("method", "route", "body"), ROUTES, ids=[f"{m} {r}" for m, r, _ in ROUTES]
)
def test_an_id_that_cannot_exist_is_a_422_problem_on_both_databases(
    service: CaseService, method: str, route: str, body: Any, bad: str
) -> None:
    app = create_app(service)
    role = "applicant" if "documents" in route or "letter" in route else "supervisor"
    c, h = signed_in(app, service, role)
    url = route.format(app=bad)
    if body == "upload":
        r = c.post(url, headers=h, data={"kind": "cv"}, files={"file": ("a.pdf", b"%PDF-")})
    elif body is None:
        r = c.request(method, url, headers=h)
    else:
        r = c.request(method, url, headers=h, json=body)
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["path"] in ("app_id", "doc_id")


def test_an_id_that_cannot_exist_in_a_portal_address_is_a_422_page(
    service: CaseService,
) -> None:
    app = create_app(service)
    c, _ = signed_in(app, service)
    for lang, words in (("en", "cannot name an application"), ("zh", "不可能是申请编号")):
        r = c.get(f"/cases/abc%00def?lang={lang}")
        assert r.status_code == 422 and words in r.text, r.text[-400:]
        assert r.headers["content-type"].startswith("text/html")
