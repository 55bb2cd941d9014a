"""The K-visa portal in a real browser: an applicant and an officer, each in their own
browser context, from sign-up through a request for evidence to the decision letter."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from talentvisa.casework.db import make_engine, upgrade
from talentvisa.casework.service import CaseService, Settings
from talentvisa.rules.loader import builtin_programs
from talentvisa.web.app import create_app
from tests.browser.conftest import SHOTS, _free_port

PASSWORD = "correct horse battery"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.slow


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    upgrade(url)
    cases = CaseService(
        make_engine(url), builtin_programs()["cn-k"], Settings(storage=tmp_path / "documents")
    )
    cases.create_user("officer@example.org", PASSWORD, "officer")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(cases), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def signed_in(browser: Browser, base: str, email: str, new: bool) -> Page:
    page = browser.new_context(base_url=base).new_page()
    page.goto("/cases")
    form = page.locator(
        "form", has=page.get_by_role("heading", name="Create an account" if new else "Sign in")
    )
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button").click()
    return page


def test_from_sign_up_to_the_decision_letter(browser: Browser, portal: str, tmp_path: Path) -> None:
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)
    applicant = signed_in(browser, portal, "priya@example.org", new=True)
    expect(applicant.get_by_role("heading", name="Your applications")).to_be_visible()
    applicant.get_by_role("button", name="Start a K visa application").click()
    expect(applicant.locator("#state")).to_have_text("draft")
    for label, value in (
        ("Surname", "Sharma"),
        ("Given names", "Priya"),
        ("Date of birth", "1997-03-14"),
        ("Nationality", "IN"),
        ("Passport number", "E12345678"),
    ):
        applicant.get_by_label(label).fill(value)
    applicant.get_by_label("Your education and work").fill((EXAMPLES / "full.yaml").read_text())
    applicant.get_by_role("button", name="Save").click()
    applicant.get_by_label("Kind").select_option("cv")
    applicant.get_by_label("File (PDF, JPEG or PNG)").set_input_files(str(cv))
    applicant.get_by_role("button", name="Upload").click()
    expect(applicant.get_by_role("link", name="cv.pdf")).to_be_visible()
    applicant.get_by_role("button", name="Submit the application").click()
    expect(applicant.locator("#state")).to_have_text("submitted")
    case_url = applicant.url

    officer = signed_in(browser, portal, "officer@example.org", new=False)
    expect(officer.get_by_role("heading", name="Applications to review")).to_be_visible()
    officer.get_by_role("link", name=case_url.rsplit("/", 1)[1][:8]).click()
    expect(
        officer.get_by_role("heading", name="Pre-check: the K visa rules say eligible")
    ).to_be_visible()
    officer.get_by_role("button", name="Start the preliminary review").click()
    officer.get_by_label("Ask the applicant to").select_option("supplement_documents")
    officer.get_by_label("What exactly").fill("Please add your degree certificate.")
    officer.get_by_role("button", name="Send the request").click()
    expect(officer.locator("#state")).to_have_text("correction_requested")

    applicant.reload()
    expect(applicant.get_by_text("Please add your degree certificate.")).to_be_visible()
    applicant.get_by_label("Kind").select_option("degree_certificate")
    applicant.get_by_label("File (PDF, JPEG or PNG)").set_input_files(str(cv))
    applicant.get_by_role("button", name="Upload").click()
    applicant.get_by_role("button", name="Send my corrections").click()
    expect(applicant.locator("#state")).to_have_text("preliminary_review")

    officer.reload()
    officer.get_by_role("button", name="Passes preliminary review").click()
    officer.get_by_role("button", name="Passport and biometrics received").click()
    officer.get_by_label("Approve").check()
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer.locator("#state")).to_have_text("approved")
    officer.screenshot(path=str(SHOTS / "cases-officer-decision.png"), full_page=True)

    applicant.reload()
    expect(applicant.get_by_role("heading", name="Decision: approved")).to_be_visible()
    href = applicant.get_by_role("link", name="Decision letter (Chinese, PDF)").get_attribute(
        "href"
    )
    assert href is not None
    letter = applicant.request.get(href)  # with the applicant's session cookie
    assert letter.status == 200, letter.text()[-600:]
    assert letter.headers["content-type"] == "application/pdf" and letter.body().startswith(
        b"%PDF-"
    )
    applicant.screenshot(path=str(SHOTS / "cases-applicant-decision.png"), full_page=True)
