"""The product as an applicant meets it, in a real browser, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from talentvisa.web import state
from tests.browser.conftest import answer_all, shot
from tests.web.interview_answers import choose

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))  # type: ignore[no-any-return]


ELIGIBLE = load("full.yaml")
INELIGIBLE = {
    "birth_date": "1990-01-01",
    "education": [{"level": "secondary", "field": "0231", "completed": "2008-06-30"}],
    "work": [],
    "has_job_offer": False,
    "languages": [{"language": "en", "cefr": "B1"}],
}
STATUS_TEXT = {
    ("en", "eligible"): "Eligible",
    ("en", "ineligible"): "Not eligible",
    ("zh", "eligible"): "符合条件",
    ("zh", "ineligible"): "不符合条件",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("who", "target"), [("eligible", ELIGIBLE), ("ineligible", INELIGIBLE)])
def test_interview_to_results(page: Page, lang: str, who: str, target: dict[str, Any]) -> None:
    page.goto(f"/?lang={lang}")
    page.get_by_role("link", name="开始评估" if lang == "zh" else "Start the check").click()

    def photograph(step: int, question: str, action: str) -> None:
        if step == 0:
            shot(page, f"{who}-{lang}-interview-first")

    steps = answer_all(page, lambda q, fields: choose(target, q, fields), photograph)
    assert 0 < steps < 40
    k = page.locator("section#cn-k")
    expect(k.locator("h2 .status")).to_have_text(STATUS_TEXT[(lang, who)])
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if lang == "zh" else "en")
    expect(page.locator(".changes")).to_be_visible(timeout=20_000)  # loaded by htmx
    shot(page, f"{who}-{lang}-results")


def test_comparison_follows_the_controls(page: Page) -> None:
    token = state.encode(load("india-h1b.yaml"))
    page.goto(f"/compare?p={token}&as_of=2026-11-29")
    expect(page.locator("table.compare")).to_contain_text("H-1B")
    expect(page.locator("figure.chart svg")).to_be_visible()
    page.select_option("#currency", "EUR")  # htmx swaps the table in place
    expect(page.locator("#comparison")).to_contain_text("EUR")
    page.select_option("#prefer-0", "pr-path")
    expect(page.locator("#comparison > p").first).to_contain_text("Path to permanent residence")
    first = page.locator("table.compare tbody tr").first
    expect(first).to_contain_text("★")
    shot(page, "compare-en")


def test_citation_link_leads_to_the_source(page: Page) -> None:
    token = state.encode(ELIGIBLE)
    page.goto(f"/results?p={token}")
    link = page.locator("section#cn-k a.cite").first
    href = link.get_attribute("href")
    assert href is not None and href.startswith("http")
    link.click()
    page.wait_for_url(href)
    expect(page.locator("h1")).to_have_text("cited source")


def test_keyboard_only(page: Page) -> None:
    page.goto("/?lang=en")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    for _ in range(30):  # tab to the start button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Start the check":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interview"))
    first_question = page.locator('input[name="question"]').get_attribute("value")
    # the first field, then the skip button, by keyboard alone
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "skip":
            break
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator('input[name="question"]')).not_to_have_attribute(
        "value", first_question or ""
    )
    shot(page, "keyboard-interview")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_serious_accessibility_violations(page: Page, lang: str) -> None:
    token = state.encode(load("india-h1b.yaml"))
    axe = Axe()
    for url in (
        "/",
        "/interview",
        f"/results?p={token}",
        f"/compare?p={token}",
        "/programs",
        "/programs/cn-k?from=2025-09-30&to=2025-10-01",
    ):
        page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
        results = axe.run(page)
        serious = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{url}:\n" + "\n".join(
            f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in serious
        )
    shot(page, f"program-{lang}")
