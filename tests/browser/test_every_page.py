"""Every public page, in English and in Chinese: rendered with the shipped font, free of
serious accessibility problems, and photographed for review."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from talentvisa.rules.loader import builtin_programs
from talentvisa.web import state
from tests.browser.conftest import shot
from tests.browser.test_browser import load

pytestmark = pytest.mark.slow

TOKEN = state.encode(load("india-h1b.yaml"))
PAGES: list[tuple[str, str]] = [
    ("home", "/"),
    ("interview", "/interview"),
    ("results", f"/results?p={TOKEN}&as_of=2026-12-01"),
    ("results-summary", f"/results/summary?p={TOKEN}&as_of=2026-12-01"),
    ("compare", f"/compare?p={TOKEN}&as_of=2026-12-01"),
    ("programs", "/programs"),
    *[(f"program-{p.id}", f"/programs/{p.id}") for p in builtin_programs().values()],
    ("cases-sign-in", "/cases"),
    ("not-found", "/programs/no-such-programme"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("name", "url"), PAGES, ids=[n for n, _ in PAGES])
def test_every_page(page: Page, lang: str, name: str, url: str) -> None:
    page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if lang == "zh" else "en")
    expect(page.locator("h1").first).to_be_visible()
    page.evaluate("document.fonts.ready")
    if lang == "zh":  # Chinese text is drawn with the font the package ships, not boxes
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert any("TV Noto Sans SC" in family for family in loaded), loaded
    # Every Chinese word is drawn with a real glyph: a box is narrower than the font's
    # full-width characters, so each Chinese run measures as wide as in the shipped font.
    narrow = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e =>
             e.childNodes.length === 1 && e.firstChild.nodeType === 3 &&
             /^[\\u4e00-\\u9fff]{2,}$/.test(e.textContent.trim()) && e.offsetWidth > 0
           ).filter(e => {
             const probe = document.createElement('span');
             probe.textContent = e.textContent.trim();
             probe.style.cssText = "font-family:'TV Noto Sans SC';position:absolute;white-space:nowrap";
             probe.style.fontSize = getComputedStyle(e).fontSize;
             probe.style.fontWeight = getComputedStyle(e).fontWeight;
             document.body.appendChild(probe);
             const range = document.createRange(); range.selectNodeContents(e);
             const drawn = [...range.getClientRects()].reduce((w, r) => w + r.width, 0);  // every line
             const off = Math.abs(drawn - probe.getBoundingClientRect().width);
             probe.remove();
             return off > 1;
           }).map(e => e.textContent.trim())"""
    )
    assert not narrow, f"drawn without the Chinese font: {narrow}"
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in serious)
    shot(page, f"page-{name}-{lang}")
