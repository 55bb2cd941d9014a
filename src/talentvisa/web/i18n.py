"""Interface strings in English and Simplified Chinese, from gettext catalogues.

The catalogues are ``.po`` files (``src/talentvisa/locale``), compiled in memory with Babel
when first needed, so there is no build step. Programme texts are not here: they come in
both languages from the programme files themselves.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from talentvisa.explain import Lang

LANGS: Final[tuple[Lang, ...]] = ("en", "zh")
LOCALE_DIR = Path(str(resources.files("talentvisa") / "locale"))


@cache
def translations(lang: Lang) -> NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> Lang:
    """An explicit choice wins, then the cookie, then the browser's Accept-Language."""
    for choice in (query, cookie):
        if choice in LANGS:
            return choice
    if accept_language:
        wanted = []
        for part in accept_language.split(","):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            if tag and tag != "*":
                wanted.append((weight, tag.replace("-", "_")))
        ranked = [tag for _, tag in sorted(wanted, key=lambda w: -w[0])]
        try:
            found = Locale.negotiate(ranked, ["en", "zh"], sep="_")
        except (ValueError, UnknownLocaleError):
            found = None
        if found is not None:
            return "zh" if found.language == "zh" else "en"
    return "en"
