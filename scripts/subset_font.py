"""Reproduce the Chinese font shipped in src/talentvisa/data/fonts/ from its upstream file.

Why: Chinese must render in the pages and PDFs after a plain ``pip install``, with no system
CJK font, while the package stays small. Upstream is Google Fonts' Noto Sans SC (variable,
``NotoSansSC[wght].ttf``, 17.8 MB, SIL OFL 1.1), found in the PyPI wheel
``justmytype-intl-cjk`` 0.1.0 (``pip download --no-deps justmytype-intl-cjk``) at
``justmytype_intl_cjk/fonts/ofl/notosanssc/``; its OFL.txt is shipped beside the subset.

The subset keeps every character of GB 2312, CJK symbols and punctuation, full-width forms,
Latin-1, general punctuation, the symbols our pages use, and every character found in the
package's text files (catalogue, programme files, vocabularies, templates, code). It is cut
into two static weights (400 and 700) and written as WOFF (1.0): browsers and WeasyPrint both
read it, and WeasyPrint unpacks it in a fraction of a second, where WOFF2's glyph transform
costs it about 11 seconds per font and document. Re-run it after adding Chinese text that uses a character outside GB 2312
(tests/test_fonts.py says which)::

    python scripts/subset_font.py path/to/justmytype_intl_cjk-0.1.0-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "talentvisa"
OUT = PACKAGE / "data" / "fonts"
MEMBER = "justmytype_intl_cjk/fonts/ofl/notosanssc/"
WEIGHTS = {"Regular": 400, "Bold": 700}
TEXT_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".po", ".html", ".md", ".txt", ".csv")
# Ranges kept whole: Latin-1, general punctuation, currency signs, arrows, the check marks
# and stars of the result pages, CJK symbols and punctuation, full-width forms.
RANGES = [
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x2000, 0x206F),
    (0x20A0, 0x20BF),
    (0x2190, 0x21FF),
    (0x2460, 0x24FF),
    (0x2600, 0x27BF),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
]


def gb2312() -> set[int]:
    """Every character GB 2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    found: set[int] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def package_characters() -> set[int]:
    """Every non-ASCII character in the package's text files."""
    found: set[int] = set()
    for path in PACKAGE.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and "fonts" not in path.parts:
            found |= {ord(c) for c in path.read_text("utf-8", errors="ignore") if ord(c) > 0x7F}
    return found


def wanted() -> set[int]:
    chars = gb2312() | package_characters()
    for low, high in RANGES:
        chars |= set(range(low, high + 1))
    return chars


def upstream(source: Path) -> tuple[bytes, bytes]:
    """The variable font and its licence, from the wheel or from a folder holding both."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(MEMBER + "NotoSansSC[wght].ttf"), wheel.read(MEMBER + "OFL.txt")
    return (source / "NotoSansSC[wght].ttf").read_bytes(), (source / "OFL.txt").read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the justmytype-intl-cjk wheel, or a folder")
    args = parser.parse_args()
    font_bytes, licence = upstream(args.source)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "OFL.txt").write_bytes(licence)
    chars = wanted()
    for style, weight in WEIGHTS.items():
        font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)  # same bytes each run
        font = instancer.instantiateVariableFont(font, {"wght": weight})
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(chars))
        subsetter.subset(font)
        out = OUT / f"NotoSansSC-{style}.subset.woff"
        subset.save_font(font, str(out), options)
        glyphs = len(font.getGlyphOrder())
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size:,} bytes, {glyphs:,} glyphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
