"""The Content-Security-Policy in a real browser: on the applicant site and the K-visa
portal, for an applicant and an officer, nothing the pages need is refused (no violation
event, no console message), htmx still swaps, the pickers still ask, Swagger UI still
starts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from talentvisa.casework.db import make_engine, upgrade
from talentvisa.casework.service import Actor, CaseService, Settings
from talentvisa.casework.workflow import Role
from talentvisa.rules.loader import builtin_programs
from talentvisa.web import state
from talentvisa.web.app import create_app
from tests.browser.conftest import _free_port
from tests.browser.test_browser import load
from tests.casework.test_workflow import submitted

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
TOKEN = state.encode(load("india-h1b.yaml"))
# Every violation the page reports, and every console line about the policy.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " +
                    e.sourceFile + ":" + e.lineNumber));
"""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, CaseService]]:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    upgrade(url)
    cases = CaseService(
        make_engine(url), builtin_programs()["cn-k"], Settings(storage=tmp_path / "documents")
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(cases), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", cases
    server.should_exit = True
    thread.join(timeout=10)


def _watched(browser: Browser, base: str) -> tuple[Page, list[str]]:
    context = browser.new_context(base_url=base)
    context.add_init_script(WATCH)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page, console


def _visit(page: Page, console: list[str], url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    refused = page.evaluate("window.__csp") + console
    assert not refused, f"{url}: {refused}"


def test_the_applicant_site_works_under_its_policy(
    browser: Browser, site: tuple[str, CaseService]
) -> None:
    base, _ = site
    page, console = _watched(browser, base)
    for url in (
        "/",
        "/interview",
        "/programs",
        "/programs/cn-k",
        f"/results/summary?p={TOKEN}&as_of=2026-12-01",
        "/programs/no-such-programme",
    ):
        _visit(page, console, url)
    _visit(page, console, f"/results?p={TOKEN}&as_of=2026-12-01")  # htmx loads the changes
    expect(page.locator("[hx-trigger=load]")).to_have_count(0)
    _visit(page, console, f"/compare?p={TOKEN}&as_of=2026-12-01")
    page.locator("form.controls select").first.select_option(index=1)  # htmx swaps the table
    page.wait_for_load_state("networkidle")
    assert not page.evaluate("window.__csp") + console
    _visit(page, console, "/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()  # Swagger UI started


def test_the_portal_works_under_its_policy_for_applicant_and_officer(
    browser: Browser, site: tuple[str, CaseService]
) -> None:
    base, cases = site
    page, console = _watched(browser, base)
    _visit(page, console, "/cases")
    form = page.locator("form", has=page.get_by_role("heading", name="Create an account"))
    form.get_by_label("Email").fill("priya@example.org")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert not page.evaluate("window.__csp") + console, page.content()[-1500:]
    # A sign-up answers the same for every address and asks to sign in.
    form = page.locator("form", has=page.get_by_role("heading", name="Sign in"))
    expect(form.get_by_label("Email")).to_have_value("priya@example.org")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert not page.evaluate("window.__csp") + console, page.content()[-1500:]
    page.get_by_role("button", name="Start a K visa application").click()
    page.wait_for_load_state("networkidle")
    case_url = page.url
    nationality = page.get_by_label("Nationality", exact=True)
    with page.expect_response(lambda r: "/api/v1/vocab/countries" in r.url):
        nationality.press_sequentially("Ind", delay=50)  # the picker asks the vocabulary API
    assert not page.evaluate("window.__csp") + console, case_url
    _visit(page, console, case_url + "/nope-not-an-id")
    for lang in ("en", "zh"):
        _visit(page, console, f"/cases?lang={lang}")

    cases.create_user("officer@example.org", PASSWORD, "officer")
    applicant_id = cases.create_user("wei@example.org", PASSWORD, "applicant")
    app_id = submitted(cases, Actor(applicant_id, Role.applicant, "wei@example.org"))
    officer, officer_console = _watched(browser, base)
    officer.goto("/cases")
    form = officer.locator("form", has=officer.get_by_role("heading", name="Sign in"))
    form.get_by_label("Email").fill("officer@example.org")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button").click()
    _visit(officer, officer_console, f"/cases/{app_id}")
    officer.get_by_role("button", name="Start the preliminary review").click()
    officer.wait_for_load_state("networkidle")
    expect(officer.locator("#precheck")).to_be_visible()
    assert not officer.evaluate("window.__csp") + officer_console
