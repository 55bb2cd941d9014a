"""The K-visa portal in a real browser: an applicant and an officer, each in their own
browser context, from sign-up through a request for evidence to the decision letter."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from talentvisa.casework.db import make_engine, upgrade
from talentvisa.casework.service import CaseService, Settings
from talentvisa.rules.loader import builtin_programs
from talentvisa.web.app import create_app
from tests.browser.conftest import SHOTS, _free_port
from tests.casework import pdfs

PASSWORD = "correct horse battery"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PDF = pdfs.plain()

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


def shot_and_axe(page: Page, name: str) -> None:
    """Photograph a portal page and fail on any serious or critical accessibility problem."""
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in serious)


def signed_in(browser: Browser, base: str, email: str, new: bool) -> Page:
    page = browser.new_context(base_url=base).new_page()
    page.goto("/cases")
    form = page.locator(
        "form", has=page.get_by_role("heading", name="Create an account" if new else "Sign in")
    )
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button").click()
    if new:  # a sign-up says the same for every address, and asks to sign in
        form = page.locator("form", has=page.get_by_role("heading", name="Sign in"))
        expect(form.get_by_label("Email")).to_have_value(email)
        form.get_by_label("Password", exact=True).fill(PASSWORD)
        form.get_by_role("button").click()
    return page


def fill_the_form(page: Page) -> None:
    """The Indian engineer's answers, typed as words: no codes, no YAML."""
    for label, value in (
        ("Surname", "Sharma"),
        ("Given names", "Priya"),
        ("Date of birth", "1997-03-14"),
        ("Passport number", "E12345678"),
    ):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Nationality", exact=True).fill("India")
    degree = page.locator("#edu-0")
    degree.get_by_label("Level").select_option("master")
    degree.get_by_label("Field of study").fill("computer science")
    degree.get_by_label("University or institution").fill("IIT Delhi")  # from the register
    degree.get_by_label("Date of the degree").fill("2022-09-30")
    page.get_by_role("button", name="Add another degree").click()  # no JavaScript needed
    expect(page.locator("#edu-0").get_by_label("University or institution")).to_have_value(
        "IIT Delhi"
    )
    degree = page.locator("#edu-1")
    degree.get_by_label("Level").select_option("bachelor")
    degree.get_by_label("Field of study").fill("软件开发")
    degree.get_by_label("University or institution").fill("University of Mumbai")
    degree.get_by_label("My institution is not listed").check()
    degree.get_by_label("World ranking position").fill("1001")
    degree.get_by_label("In which ranking").select_option("qs")
    degree.get_by_label("Date of the degree").fill("2019-06-30")
    job = page.locator("#work-0")
    job.get_by_label("Kind of work").select_option("employment")
    job.get_by_label("Occupation").fill("software developer")
    job.get_by_label("Employer").fill("Infosys")
    job.get_by_label("My institution is not listed").check()
    job.get_by_label("Country").fill("India")
    job.get_by_label("Started on").fill("2022-11-01")
    job.get_by_label("I still do this work").check()
    shot_and_axe(page, "cases-applicant-form")
    page.get_by_role("button", name="Save", exact=True).last.click()


def test_the_form_in_chinese_takes_names_and_marks_what_it_does_not_know(
    browser: Browser, portal: str
) -> None:
    applicant = signed_in(browser, portal, "li@example.org", new=True)
    applicant.goto("/cases?lang=zh")
    applicant.get_by_role("button", name="开始K字签证申请").click()
    applicant.get_by_label("姓", exact=True).fill("Sharma")
    applicant.get_by_label("国籍", exact=True).fill("印度")
    applicant.get_by_label("其他国籍（如有）").fill("火星")
    applicant.get_by_role("button", name="再添加一个学位").click()
    expect(applicant.locator("#edu-1")).to_be_visible()
    applicant.get_by_role("button", name="保存", exact=True).last.click()
    expect(applicant.locator("#f-other_nationality-error")).to_have_text(
        "未找到“火星”。请从建议中选择名称。"
    )
    expect(applicant.get_by_label("国籍", exact=True)).to_have_value("印度")
    expect(applicant.get_by_label("姓", exact=True)).to_have_value("Sharma")
    shot_and_axe(applicant, "cases-applicant-form-zh")
    applicant.get_by_label("其他国籍（如有）").fill("")
    applicant.get_by_role("button", name="保存", exact=True).last.click()
    expect(applicant.get_by_label("国籍", exact=True)).to_have_value("印度")
    expect(applicant.locator(".field-error")).to_have_count(0)


def test_from_sign_up_to_the_decision_letter(browser: Browser, portal: str, tmp_path: Path) -> None:
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)
    applicant = signed_in(browser, portal, "priya@example.org", new=True)
    expect(applicant.get_by_role("heading", name="Your applications")).to_be_visible()
    applicant.get_by_role("button", name="Start a K visa application").click()
    expect(applicant.locator("#state")).to_have_text("draft")
    fill_the_form(applicant)
    expect(applicant.get_by_label("Nationality", exact=True)).to_have_value("India")
    applicant.get_by_label("Kind of document").select_option("cv")
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
    expect(officer.locator("#state")).to_have_text("corrections requested")

    applicant.reload()
    expect(applicant.get_by_text("Please add your degree certificate.")).to_be_visible()
    applicant.get_by_label("Kind of document").select_option("degree_certificate")
    applicant.get_by_label("File (PDF, JPEG or PNG)").set_input_files(str(cv))
    applicant.get_by_role("button", name="Upload").click()
    applicant.get_by_role("button", name="Send my corrections").click()
    expect(applicant.locator("#state")).to_have_text("in preliminary review")

    officer.reload()
    officer.get_by_role("button", name="Passes preliminary review").click()
    officer.get_by_role("button", name="Passport and biometrics received").click()
    precheck = officer.locator("#criterion-young")
    expect(precheck).to_contain_text("Highest age accepted as")
    expect(precheck).to_contain_text("unconfirmed source (commercial or unofficial page)")
    officer.get_by_label("Approve").check()
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer.locator("#state")).to_have_text("in final review")  # refused: findings needed
    decision = officer.locator("#decision")
    expect(decision.locator("#f-reading-well_known_max_rank-error")).to_contain_text(
        "Record your finding on this reading"
    )
    shot_and_axe(officer, "cases-officer-findings-needed")
    for reading in decision.locator("fieldset[id^=reading-]").all():
        reading.get_by_label("It holds for this applicant").check()
        reading.get_by_role("textbox").fill(
            "I find this holds: IIT Delhi is ranked 118th by QS; born 1997; a software degree."
        )
    decision.get_by_label("Approve").check()
    decision.get_by_role("button", name="Record the decision").click()
    expect(officer.locator("#state")).to_have_text("approved")
    expect(officer.get_by_text("The officer's findings")).to_be_visible()
    shot_and_axe(officer, "cases-officer-decision")

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
    shot_and_axe(applicant, "cases-applicant-decision")
