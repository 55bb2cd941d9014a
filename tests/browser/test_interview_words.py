"""In a real browser, the Indian engineer types words (never codes), keyboard and pickers
alike, and the comparison shows one employer cost and one lottery chance."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import answer_all, shot
from tests.web.interview_answers import choose
from tests.web.test_interview_words import PAID_IN_FORCE, TYPED, TYPED_ZH, engineer

pytestmark = pytest.mark.slow


def _answer_all(page: Page, lang: str, typed: dict[str, str]) -> int:
    def photograph(step: int, question: str, action: str) -> None:
        if question == "education" and action == "answer":
            shot(page, f"interview-degrees-{lang}")

    def pick(question: str, fields: list[str]) -> tuple[str, dict[str, str]]:
        return choose(engineer(lang), question, fields, lang, typed)

    return answer_all(page, pick, photograph, limit=60)


@pytest.mark.parametrize(("lang", "typed"), [("en", TYPED), ("zh", TYPED_ZH)])
def test_the_engineer_in_a_browser(page: Page, lang: str, typed: dict[str, str]) -> None:
    page.goto(f"/interview?lang={lang}&as_of={PAID_IN_FORCE}")
    steps = _answer_all(page, lang, typed)
    assert 0 < steps <= 20  # the same bound as the interview test without a browser
    token = re.search(r"p=([^&]+)", page.url)
    assert token is not None
    page.goto(f"/compare?p={token[1]}&as_of={PAID_IN_FORCE}&lang={lang}")
    row = page.locator("table.compare tbody tr", has=page.locator('a[href="/programs/us-h1b"]'))
    expect(row.locator("td").nth(4)).to_have_text("USD 103,595")
    expect(row.locator("td").nth(5)).to_contain_text("30.58%")
    shot(page, f"interview-words-compare-{lang}")


def test_a_picker_suggests_names_while_typing(page: Page) -> None:
    if page.request.get("/api/v1/vocab/occupations?q=software").status == 404:
        pytest.skip("the vocabulary API (GET /api/v1/vocab/{kind}) is not on this branch yet")
    page.goto("/interview?lang=en")
    for _ in range(20):  # skip to the first screen with an occupation picker
        if page.locator('input[list="dl-occupations"]').count():
            break
        page.locator('button[value="skip"]').click()
        page.wait_for_load_state()
    box = page.locator('input[list="dl-occupations"]').first
    box.focus()
    page.keyboard.type("Software dev")
    options = page.locator("#dl-occupations option")
    expect(options.first).to_have_attribute("value", re.compile("Software developers"))
    shot(page, "interview-picker-en")
