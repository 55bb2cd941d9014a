"""Find a code by the words people use: occupations, fields of study, institutions,
countries and currencies, in English or Chinese.

People never type codes. Every picker on the pages, the interview and the vocabulary API
resolve what was typed through this one module, so a title found in one place is found in
all of them.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal, get_args

import pycountry

from talentvisa.explain import Lang
from talentvisa.vocab import ISCED_F_BROAD, ISCED_F_NARROW, isco_titles

Kind = Literal["occupations", "fields", "institutions", "countries", "currencies"]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a vocabulary with every name it may be looked up by."""

    code: str
    en: str
    zh: str | None = None
    aliases: tuple[str, ...] = ()  # other names, in any language
    detail: str | None = None  # what tells two similar entries apart (a country, a level)


@dataclass(frozen=True, slots=True)
class Hit:
    code: str
    label: str
    detail: str | None


def _fold(text: str) -> str:
    """Case, width and accents do not matter when matching what was typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _pycountry_zh(domain: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


@cache
def terms(kind: Kind) -> tuple[Term, ...]:
    """The whole vocabulary of one kind, in the order it is listed."""
    if kind == "occupations":
        return tuple(Term(c, t["en"], t.get("zh")) for c, t in isco_titles().items())
    if kind == "fields":
        names = {**ISCED_F_BROAD, **ISCED_F_NARROW}
        return tuple(Term(c, n) for c, n in sorted(names.items()))
    if kind == "countries":
        zh = _pycountry_zh("iso3166-1")
        return tuple(
            Term(
                c.alpha_2, c.name, zh.gettext(c.name), (c.alpha_3, getattr(c, "official_name", ""))
            )
            for c in pycountry.countries
        )
    if kind == "currencies":
        zh = _pycountry_zh("iso4217")
        return tuple(Term(c.alpha_3, c.name, zh.gettext(c.name)) for c in pycountry.currencies)
    return ()


@cache
def _index(kind: Kind) -> dict[str, Term]:
    return {t.code: t for t in terms(kind)}


def label(kind: Kind, code: str, lang: Lang = "en") -> str:
    """The display name of a code; the code itself when the vocabulary does not know it."""
    term = _index(kind).get(code)
    if term is None:
        return code
    return (term.zh or term.en) if lang == "zh" else term.en


def _names(term: Term) -> Iterable[str]:
    yield term.en
    if term.zh:
        yield term.zh
    yield from (a for a in term.aliases if a)


def resolve(kind: Kind, text: str, lang: Lang = "en") -> str | None:
    """The code meant by exactly this code, name or alias, or None."""
    wanted = _fold(text)
    if not wanted:
        return None
    for term in terms(kind):
        if _fold(term.code) == wanted or any(_fold(n) == wanted for n in _names(term)):
            return term.code
    return None


def _score(term: Term, q: str) -> int | None:
    """Lower is better: exact name, then a name starting with the query, then containing it."""
    if _fold(term.code) == q:
        return 0
    best: int | None = None
    for name in _names(term):
        folded = _fold(name)
        rank = 1 if folded == q else 2 if folded.startswith(q) else 3 if q in folded else None
        if rank is not None and (best is None or rank < best):
            best = rank
    return best


def search(kind: Kind, q: str, lang: Lang = "en", limit: int = 10) -> list[Hit]:
    """Entries whose code or any name matches what was typed, best first."""
    wanted = _fold(q)
    if not wanted:
        return []
    scored = [(s, i, t) for i, t in enumerate(terms(kind)) if (s := _score(t, wanted)) is not None]
    scored.sort(key=lambda x: (x[0], x[1]))
    return [Hit(t.code, label(kind, t.code, lang), t.detail) for _, _, t in scored[:limit]]
