"""The case-work API over HTTP: cookies, CSRF, status codes, and nothing leaks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from talentvisa.casework import documents
from talentvisa.casework.service import CaseService
from talentvisa.web.app import create_app
from tests.casework import pdfs
from tests.casework.conftest import PASSWORD
from tests.casework.test_workflow import IDENTITY, PDF, profile


@pytest.fixture
def app(service: CaseService) -> Any:
    return create_app(service)


def client(app: Any) -> TestClient:
    return TestClient(app, base_url="https://testserver")  # the cookie is Secure


def signed_in(
    app: Any, service: CaseService, role: str = "applicant"
) -> tuple[TestClient, dict[str, str]]:
    c = client(app)
    email = f"{role}-{id(c)}@example.org"
    if role == "applicant":
        assert (
            c.post("/api/v1/cases/signup", json={"email": email, "password": PASSWORD}).status_code
            == 201
        )
    else:
        service.create_user(email, PASSWORD, role)
    r = c.post("/api/v1/cases/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    return c, {"X-CSRF-Token": r.json()["csrf_token"]}


@pytest.fixture
def alice(app: Any, service: CaseService) -> Iterator[tuple[TestClient, dict[str, str]]]:
    yield signed_in(app, service)


def new_application(c: TestClient, h: dict[str, str], key: str | None = None) -> str:
    headers = {**h, **({"Idempotency-Key": key} if key else {})}
    r = c.post("/api/v1/cases/applications", headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_an_application_over_http(app: Any, service: CaseService, alice: Any) -> None:
    c, h = alice
    app_id = new_application(c, h)
    r = c.put(
        f"/api/v1/cases/applications/{app_id}",
        headers=h,
        json={"version": 1, "profile": profile("full"), "identity": IDENTITY},
    )
    assert r.json() == {"version": 2}
    r = c.post(
        f"/api/v1/cases/applications/{app_id}/documents",
        headers=h,
        data={"kind": "cv"},
        files={"file": ("cv.pdf", io.BytesIO(PDF), "application/pdf")},
    )
    assert r.status_code == 201
    r = c.post(
        f"/api/v1/cases/applications/{app_id}/actions/submit", headers=h, json={"version": 2}
    )
    assert r.json() == {"state": "submitted"}
    officer, oh = signed_in(app, service, "officer")
    queue = officer.get("/api/v1/cases/applications").json()
    assert [a["id"] for a in queue] == [app_id]
    r = officer.post(
        f"/api/v1/cases/applications/{app_id}/actions/approve", headers=oh, json={"version": 3}
    )
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    r = officer.post(
        f"/api/v1/cases/applications/{app_id}/actions/start_review", headers=oh, json={"version": 2}
    )
    assert r.status_code == 409 and "changed since you read it" in r.json()["detail"]
    doc = c.get(f"/api/v1/cases/applications/{app_id}").json()["documents"][0]
    r = officer.get(f"/api/v1/cases/documents/{doc['id']}")
    stored = documents.check("cv", "cv.pdf", PDF).data  # the rewritten PDF, not the upload
    assert r.content == stored and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"] == 'attachment; filename="cv.pdf"'


def test_changes_without_the_csrf_token_fail(alice: Any) -> None:
    c, h = alice
    assert c.post("/api/v1/cases/applications").status_code == 403
    assert (
        c.post("/api/v1/cases/applications", headers={"X-CSRF-Token": "guess"}).status_code == 403
    )
    assert c.get("/api/v1/cases/applications").json() == []  # nothing was created
    assert c.post("/api/v1/cases/applications", headers=h).status_code == 201


def test_another_applicant_sees_nothing_and_replaying_does_not_help(
    app: Any, service: CaseService, alice: Any
) -> None:
    c, h = alice
    app_id = new_application(c, h)
    c.post(
        f"/api/v1/cases/applications/{app_id}/documents",
        headers=h,
        data={"kind": "cv"},
        files={"file": ("cv.pdf", io.BytesIO(PDF), "application/pdf")},
    )
    doc_id = c.get(f"/api/v1/cases/applications/{app_id}").json()["documents"][0]["id"]
    bob, bh = signed_in(app, service)
    assert bob.get(f"/api/v1/cases/applications/{app_id}").status_code == 404
    assert bob.get(f"/api/v1/cases/documents/{doc_id}").status_code == 404
    # Bob replays Alice's request with his own session and her CSRF token
    assert (
        bob.put(
            f"/api/v1/cases/applications/{app_id}",
            headers=h,
            json={"version": 1, "profile": {}, "identity": {}},
        ).status_code
        == 403
    )
    assert (
        bob.put(
            f"/api/v1/cases/applications/{app_id}",
            headers=bh,
            json={"version": 1, "profile": {}, "identity": {}},
        ).status_code
        == 404
    )
    anonymous = client(app)
    assert anonymous.get(f"/api/v1/cases/applications/{app_id}").status_code == 401
    assert c.get(f"/api/v1/cases/applications/{app_id}").json()["version"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("surname", "<script>alert(1)</script>"),
        ("surname", "Robert'); DROP TABLE applications;--"),
        ("given_names", "' OR '1'='1"),
    ],
)
def test_hostile_text_is_stored_as_text(alice: Any, field: str, value: str) -> None:
    c, h = alice
    app_id = new_application(c, h)
    r = c.put(
        f"/api/v1/cases/applications/{app_id}",
        headers=h,
        json={"version": 1, "profile": {}, "identity": {**IDENTITY, field: value}},
    )
    assert r.status_code == 200
    assert c.get(f"/api/v1/cases/applications/{app_id}").json()["identity"][field] == value


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        ({"surname": "x" * 101}, "identity.surname: String should have at most 100 characters"),
        ({"passport_number": "' OR '1'='1"}, "identity.passport_number: String should match"),
        ({"birth_date": "1997-02-30"}, "identity.birth_date"),
        ({"nationality": 7}, "identity.nationality"),
        ({"role": "admin"}, "identity.role: Extra inputs are not permitted"),
    ],
)
def test_a_bad_identity_field_is_named_and_nothing_is_stored(
    alice: Any, identity: dict[str, Any], message: str
) -> None:
    c, h = alice
    app_id = new_application(c, h)
    r = c.put(
        f"/api/v1/cases/applications/{app_id}",
        headers=h,
        json={"version": 1, "profile": {}, "identity": identity},
    )
    assert r.status_code == 422 and message in r.json()["detail"], r.text
    assert c.get(f"/api/v1/cases/applications/{app_id}").json()["version"] == 1


def test_bad_input_is_a_clear_4xx_and_changes_nothing(alice: Any) -> None:
    c, h = alice
    app_id = new_application(c, h)
    base = f"/api/v1/cases/applications/{app_id}"
    cases = [
        (c.put(base, headers=h, json={"version": 1, "profile": {"birth_date": "1990-02-30"}}), 422),
        (
            c.put(
                base, headers=h, json={"version": 1, "profile": {}, "identity": {"role": "admin"}}
            ),
            422,
        ),
        (c.put(base, headers=h, json={"version": 1, "profile": {}, "extra": 1}), 422),
        (
            c.post(
                f"{base}/documents",
                headers=h,
                data={"kind": "photo"},
                files={"file": ("x.png", io.BytesIO(PDF), "image/png")},
            ),
            422,
        ),
        (
            c.post(
                f"{base}/documents",
                headers=h,
                data={"kind": "cv"},
                files={
                    "file": (
                        "big.pdf",
                        io.BytesIO(b"%PDF-" + b"0" * (13 * 1024 * 1024)),
                        "application/pdf",
                    )
                },
            ),
            413,
        ),
        (c.post(f"{base}/actions/submit", headers=h, json={"version": 1}), 422),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    after = c.get(base).json()
    assert after["version"] == 1 and after["documents"] == [] and after["state"] == "draft"


def test_a_retried_create_with_the_same_key_makes_one_application(alice: Any) -> None:
    c, h = alice
    assert new_application(c, h, "retry-1") == new_application(c, h, "retry-1")
    assert len(c.get("/api/v1/cases/applications").json()) == 1


def test_the_admin_view_says_when_no_scanner_is_configured(app: Any, service: CaseService) -> None:
    admin, _ = signed_in(app, service, "admin")
    body = admin.get("/api/v1/cases/admin/status").json()
    assert body["scanner"] is None and "no virus scanner is configured" in body["scanner_note"]
    officer, _ = signed_in(app, service, "officer")
    assert officer.get("/api/v1/cases/admin/status").status_code == 403


def test_script_in_a_name_is_shown_as_text_on_the_officers_page(
    app: Any, service: CaseService, alice: Any
) -> None:
    c, h = alice
    app_id = new_application(c, h)
    c.put(
        f"/api/v1/cases/applications/{app_id}",
        headers=h,
        json={
            "version": 1,
            "profile": profile("full"),
            "identity": {**IDENTITY, "surname": "<script>alert(1)</script>"},
        },
    )
    c.post(f"/api/v1/cases/applications/{app_id}/actions/submit", headers=h, json={"version": 2})
    officer, _ = signed_in(app, service, "officer")
    html = officer.get(f"/cases/{app_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_the_admin_page_says_no_scanner_is_configured(app: Any, service: CaseService) -> None:
    admin, _ = signed_in(app, service, "admin")
    html = admin.get("/cases").text
    assert "None configured: uploads are checked for type and structure only." in html
    zh = admin.get("/cases?lang=zh").text
    assert "未配置：上传文件仅检查类型与结构。" in zh


def _portal_case(app: Any, service: CaseService) -> tuple[TestClient, str, str]:
    c, h = signed_in(app, service)
    app_id = new_application(c, h)
    return c, app_id, h["X-CSRF-Token"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("surname", "a\x00b", "cannot be stored"),
        ("given_names", "x" * 5000, "At most 100 characters"),
        ("nationality", "^[A-Z]{2}$", "Pick a name from the suggestions"),
        ("edu-0-rank", "9" * 5000, "a whole number"),
    ],
)
def test_hostile_text_in_the_form_is_refused_on_its_field(
    app: Any, service: CaseService, field: str, value: str, message: str
) -> None:
    c, app_id, csrf = _portal_case(app, service)
    data = {"csrf_token": csrf, "version": "1", "edu-0-not_listed": "on", field: value}
    r = c.post(f"/cases/{app_id}/save", data=data)
    assert r.status_code == 422 and message in r.text, r.text[-500:]
    assert c.get(f"/api/v1/cases/applications/{app_id}").json()["version"] == 1


def test_forms_posted_from_another_site_are_refused(app: Any, service: CaseService) -> None:
    c, app_id, csrf = _portal_case(app, service)
    evil = {"Origin": "https://evil.example"}
    r = c.post("/cases/signin", data={"email": "x@example.org", "password": PASSWORD}, headers=evil)
    assert r.status_code == 403
    r = c.post(f"/cases/{app_id}/save", data={"csrf_token": csrf, "version": "1"}, headers=evil)
    assert r.status_code == 403
    r = c.post(
        f"/cases/{app_id}/save",
        data={
            "csrf_token": csrf,
            "version": "1",
            "birth_date": "1997-03-14",
            "nationality": "India",
        },
        headers={"Origin": "https://testserver"},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_the_portal_takes_documents_up_to_the_kind_limit(app: Any, service: CaseService) -> None:
    c, app_id, csrf = _portal_case(app, service)
    big = pdfs.sized(1024 * 1024)
    r = c.post(
        f"/cases/{app_id}/documents",
        data={"csrf_token": csrf, "kind": "cv"},
        files={"file": ("cv.pdf", io.BytesIO(big), "application/pdf")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    stored = c.get(f"/api/v1/cases/applications/{app_id}").json()["documents"][0]["size"]
    assert stored == len(documents.check("cv", "cv.pdf", big).data) > 1024 * 1024
