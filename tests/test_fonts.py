"""Chinese renders in PDFs with only the font shipped in the package (no system CJK font)."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from talentvisa.casework.grounds import GROUNDS
from talentvisa.casework.letters import TEXT, letter_pdf
from talentvisa.casework.models import Application, Decision
from talentvisa.fonts import FILES, FONT_DIR

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "talentvisa"
TEXT_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".po", ".html", ".md", ".txt", ".csv")


@cache
def _cmap(name: str) -> frozenset[int]:
    return frozenset(TTFont(FONT_DIR / name).getBestCmap())


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF


def _embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_the_font_ships_with_its_licence_and_stays_small() -> None:
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT_DIR / "OFL.txt").read_text()
    for name in FILES.values():
        size = (FONT_DIR / name).stat().st_size
        assert 500_000 < size < 2_500_000, (name, size)


@pytest.mark.parametrize("name", FILES.values())
def test_every_chinese_character_the_package_shows_has_a_glyph(name: str) -> None:
    """A character outside the subset would print as a box: re-run scripts/subset_font.py."""
    used = {
        c
        for path in PACKAGE.rglob("*")
        if path.suffix in TEXT_SUFFIXES and "fonts" not in path.parts
        for c in path.read_text("utf-8", errors="ignore")
        if _is_cjk(c)
    }
    cmap = _cmap(name)
    missing = sorted(c for c in used if ord(c) not in cmap)
    assert not missing, f"not in {name}; run scripts/subset_font.py: {''.join(missing)}"


def _refusal() -> tuple[Application, Decision]:
    at = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    app = Application(
        id="a1b2c3", given_names="Priya", surname="Sharma", passport_number="E12345678"
    )
    decision = Decision(outcome="refuse", reasons=["art21-5"], created_at=at, signed_at=at)
    return app, decision


def test_a_chinese_decision_letter_is_set_in_the_shipped_font() -> None:
    app, decision = _refusal()
    pdf = letter_pdf(app, decision, "zh", True)
    text = _text(pdf)
    shown = [TEXT["zh"]["title"], TEXT["zh"]["refused"], GROUNDS["art21-5"].zh]
    for phrase in shown:
        assert phrase in text, phrase
    assert _embedded_fonts(pdf) <= {"TV-Noto-Sans-SC", "TV-Noto-Sans-SC-Bold"}
    for name in FILES.values():  # no .notdef boxes: every character has a glyph
        cmap = _cmap(name)
        assert not [c for p in shown for c in p if not c.isspace() and ord(c) not in cmap]


def test_an_english_letter_needs_no_system_font_either() -> None:
    app, decision = _refusal()
    pdf = letter_pdf(app, decision, "en", False)
    assert TEXT["en"]["refused"] in _text(pdf)
    assert _embedded_fonts(pdf) <= {"TV-Noto-Sans-SC", "TV-Noto-Sans-SC-Bold"}
