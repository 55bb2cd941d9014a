"""The summary and the printable summary in a real browser: the shipped font is used for
Chinese, and axe finds nothing serious, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from talentvisa.inputs import load_profile
from talentvisa.web import state
from tests.browser.conftest import shot

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _token() -> str:
    profile = load_profile(EXAMPLES / "india-h1b.yaml")
    return state.encode(profile.model_dump(mode="json", exclude_none=True))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_pages_render_and_pass_axe(page: Page, lang: str) -> None:
    token = _token()
    axe = Axe()
    for url, name in (
        (f"/results?p={token}&as_of=2026-06-01&lang={lang}", "results-summary"),
        (f"/results/summary?p={token}&as_of=2026-06-01&lang={lang}", "printable-summary"),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        page.evaluate("document.fonts.ready")
        shot(page, f"{name}-{lang}")
        serious = [
            v
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{url}:\n" + "\n".join(f"{v['id']}: {v['help']}" for v in serious)
    if lang == "zh":  # the browser fetched and uses the shipped font for Chinese
        loaded = page.evaluate(
            "document.fonts.ready.then(() => [...document.fonts]"
            ".filter(f => f.family.includes('TV Noto Sans SC') && f.status === 'loaded').length)"
        )
        assert loaded >= 1
