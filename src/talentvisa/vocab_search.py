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

from talentvisa import register
from talentvisa.explain import Lang
from talentvisa.vocab import isced_fields, isco_titles

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
    detail_zh: str | None = None


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


_LEVEL = {
    "broad": ("broad field", "大类"),
    "narrow": ("narrow field", "中类"),
    "detailed": ("detailed field", "细类"),
}


def _fields() -> tuple[Term, ...]:
    """Every ISCED-F field; the detail says its level and, below broad, its broad field."""
    fields = isced_fields()
    found = []
    for code, f in fields.items():
        en, zh = _LEVEL[f["level"]]
        broad = fields.get(code[:2]) if f["level"] != "broad" else None
        if broad is not None:  # 9999 "field unknown" has no broad field
            en, zh = f"{en}, {broad['en']}", f"{zh}，{broad['zh']}"
        aliases = tuple(a["text"] for a in f.get("aliases", ()))
        found.append(Term(code, f["en"], f.get("zh"), aliases, en, zh))
    return tuple(found)


def _institutions() -> tuple[Term, ...]:
    """The institution register; the detail is the country, in both languages."""
    zh = _pycountry_zh("iso3166-1")
    found = []
    for entry in register.entries().values():
        country = pycountry.countries.get(alpha_2=entry.country)
        name = country.name if country else entry.country
        chinese = next((text for text, lang in entry.aliases if lang == "zh"), None)
        aliases = tuple(text for text, _ in entry.aliases)
        found.append(Term(entry.id, entry.name, chinese, aliases, name, zh.gettext(name)))
    return tuple(found)


@cache
def terms(kind: Kind) -> tuple[Term, ...]:
    """The whole vocabulary of one kind, in the order it is listed."""
    if kind == "occupations":
        return tuple(
            Term(c, t["en"], t.get("zh"), tuple(a["text"] for a in t.get("aliases", ())))
            for c, t in isco_titles().items()
        )
    if kind == "fields":
        return _fields()
    if kind == "institutions":
        return _institutions()
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


@dataclass(frozen=True, slots=True)
class _Folded:
    """A term with its code and names folded once, so a keystroke only compares strings."""

    term: Term
    code: str
    names: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]


@cache
def _folded(kind: Kind) -> tuple[_Folded, ...]:
    found = []
    for term in terms(kind):
        names = tuple(dict.fromkeys(_fold(n) for n in _names(term)))
        found.append(_Folded(term, _fold(term.code), names, tuple(tuple(n.split()) for n in names)))
    return tuple(found)


def _detail(term: Term, lang: Lang) -> str | None:
    return (term.detail_zh or term.detail) if lang == "zh" else term.detail


def resolve(kind: Kind, text: str, lang: Lang = "en") -> str | None:
    """The code meant by exactly this code, name or alias, or None."""
    wanted = _fold(text)
    if not wanted:
        return None
    for entry in _folded(kind):
        if entry.code == wanted or wanted in entry.names:
            return entry.term.code
    return None


def _score(entry: _Folded, q: str) -> tuple[int, int] | None:
    """Lower is better: the code, an exact name, a name starting with the query, a word of a
    name starting with it, then a name containing it; among equals, the shorter name."""
    if entry.code == q:
        return (0, 0)
    best: tuple[int, int] | None = None
    for name, words in zip(entry.names, entry.words, strict=True):
        if name == q:
            rank = 1
        elif name.startswith(q):
            rank = 2
        elif any(w.startswith(q) for w in words[1:]):
            rank = 3
        elif q in name:
            rank = 4
        else:
            continue
        if best is None or (rank, len(name)) < best:
            best = (rank, len(name))
    return best


def search(kind: Kind, q: str, lang: Lang = "en", limit: int = 10) -> list[Hit]:
    """Entries whose code or any name matches what was typed, best first."""
    wanted = _fold(q)
    if not wanted:
        return []
    scored = [
        (s, i, e.term) for i, e in enumerate(_folded(kind)) if (s := _score(e, wanted)) is not None
    ]
    scored.sort(key=lambda x: (x[0], x[1]))
    return [Hit(t.code, label(kind, t.code, lang), _detail(t, lang)) for _, _, t in scored[:limit]]
