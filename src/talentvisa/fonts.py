"""The Chinese font shipped inside the package, for pages and PDFs on a machine without one.

A subset of Google Fonts' Noto Sans SC (SIL Open Font License 1.1, see data/fonts/OFL.txt),
cut by scripts/subset_font.py to GB 2312 plus every character the package's texts use, in two
weights. Pages get it through @font-face from /fonts/; WeasyPrint reads the files directly.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Final

FONT_DIR: Final = Path(str(resources.files("talentvisa") / "data" / "fonts"))
FAMILY: Final = "TV Noto Sans SC"
# CSS weight -> file. Latin is in the font too, so a PDF needs no system font at all.
FILES: Final[dict[int, str]] = {
    400: "NotoSansSC-Regular.subset.woff",
    700: "NotoSansSC-Bold.subset.woff",
}
STACK: Final = f'"{FAMILY}", "Noto Sans", "Noto Sans CJK SC", sans-serif'


def font_face_css(base: str | None = None) -> str:
    """@font-face rules for the shipped font, from ``base`` (a URL prefix) or the files."""
    rules = []
    for weight, name in FILES.items():
        url = f"{base}{name}" if base is not None else (FONT_DIR / name).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{url}") format("woff"); '
            f"font-weight: {weight}; font-style: normal; font-display: swap; }}"
        )
    return "\n".join(rules)
