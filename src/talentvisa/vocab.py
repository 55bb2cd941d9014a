"""Standard vocabularies the profile and the rules share.

Countries are ISO 3166-1 alpha-2, currencies ISO 4217, fields of study ISCED-F 2013,
education levels ISCED 2011, occupations ISCO-08, language levels CEFR. Home-made codes
would make every programme file translate them again.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Final

import pycountry
from pydantic import AfterValidator, BeforeValidator, Field

from talentvisa.messages import said_error


class OrderedEnum(StrEnum):
    """A string enum whose declaration order is meaningful, so rules may compare with < and >=."""

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.__members__.values()).index(cls(value))


class EducationLevel(OrderedEnum):
    """ISCED 2011 levels 3 to 8, lowest first."""

    secondary = "secondary"  # ISCED 3
    vocational = "vocational"  # ISCED 4 (post-secondary non-tertiary, incl. vocational training)
    short_cycle = "short_cycle"  # ISCED 5 (associate degree, short-cycle tertiary)
    bachelor = "bachelor"  # ISCED 6
    master = "master"  # ISCED 7
    doctorate = "doctorate"  # ISCED 8


class Cefr(OrderedEnum):
    """Common European Framework of Reference levels, lowest first."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


ISCED_F_FILE = Path(str(resources.files("talentvisa") / "data" / "iscedf2013.json"))


@cache
def isced_fields() -> dict[str, dict[str, Any]]:
    """ISCED-F 2013 broad, narrow and detailed fields with the UIS English names, our Chinese
    and the names people type; from the cited ``data/iscedf2013.json``."""
    fields: dict[str, dict[str, Any]] = json.loads(ISCED_F_FILE.read_text(encoding="utf-8"))[
        "fields"
    ]
    return fields


# ISCED-F 2013 broad and narrow fields (UNESCO Institute for Statistics, 2014), by code.
ISCED_F_BROAD: Final[dict[str, str]] = {
    c: f["en"] for c, f in isced_fields().items() if f["level"] == "broad"
}
ISCED_F_NARROW: Final[dict[str, str]] = {
    c: f["en"] for c, f in isced_fields().items() if f["level"] == "narrow"
}

_ISCED_F = re.compile(r"^\d{2}(\d\d?)?$")

ISCO_FILE = Path(str(resources.files("talentvisa") / "data" / "isco08.json"))


def check_isced_f(code: str) -> str:
    """Accept a broad, narrow or detailed ISCED-F 2013 code whose broad and narrow parts exist.

    Narrow codes ending in 0, 8 or 9 ("not further defined", inter-disciplinary, "not
    elsewhere classified") exist in every broad field, so they are accepted too.
    """
    if not _ISCED_F.match(code):
        raise said_error("isced_code", value=code)
    if code[:2] not in ISCED_F_BROAD:
        raise said_error("isced_broad", value=code, part=code[:2])
    if len(code) >= 3 and code[:3] not in ISCED_F_NARROW and code[2] not in "089":
        raise said_error("isced_narrow", value=code, part=code[:3])
    return code


def isced_within(code: str, prefixes: Any) -> bool:
    """True when a field code falls under any of the given broad/narrow field codes."""
    return any(code.startswith(p) for p in prefixes)


def check_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise said_error("country_code", value=code)
    return code


def check_currency(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise said_error("currency_code", value=code)
    return code


def check_language(code: str) -> str:
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise said_error("language_code", value=code)
    return code


@cache
def isco_titles() -> dict[str, dict[str, Any]]:
    """ISCO-08 groups at every level (major to unit) with their ILO English titles, our
    Chinese translation (every major and sub-major group, the STEM unit groups) and the
    titles people type (``aliases``, each saying who lists it); from the cited ``data/isco08.json`` (JSON, not YAML: it
    is read at every start, and plain JSON reads a thousand times faster)."""
    groups: dict[str, dict[str, Any]] = json.loads(ISCO_FILE.read_text(encoding="utf-8"))["groups"]
    return groups


def _near_isco(code: str) -> list[str]:
    """Up to three groups the person may have meant: the nearest codes of the same length
    under the longest existing prefix, or, for text, the closest titles."""
    titles = isco_titles()
    if code.isdigit():
        prefix = code[:-1]
        while prefix and not any(c.startswith(prefix) and len(c) == len(code) for c in titles):
            prefix = prefix[:-1]
        same = [c for c in titles if c.startswith(prefix) and len(c) == len(code)]
        return sorted(same, key=lambda c: (abs(int(c) - int(code)), c))[:3]
    by_title = {t["en"].lower(): c for c, t in titles.items()}
    return [by_title[t] for t in difflib.get_close_matches(code.lower(), by_title, 3, 0.5)]


def check_isco(code: Any) -> Any:
    """Accept a code of the official ISCO-08 list: a major, sub-major, minor or unit group."""
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)  # 2512 written without quotes (a lost leading zero gives no real code)
    if not isinstance(code, str) or code in isco_titles():
        return code  # a non-string is reported by the str type
    titles = isco_titles()
    codes = _near_isco(code)
    near = "; ".join(f"{c} {titles[c]['en']}" for c in codes)
    near_zh = "、".join(f"{c} {titles[c].get('zh') or titles[c]['en']}" for c in codes)
    raise said_error(
        "isco_code",
        value=code,
        near=f"; near: {near}" if near else "; e.g. '2512' is software developers",
        near_zh=f"；相近的代码：{near_zh}" if near_zh else "；例如2512为软件开发人员",
    )


# Patterns in the JSON Schema tell API clients the shape; the validators check the code exists.
Country = Annotated[
    str,
    AfterValidator(check_country),
    Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. 'CN'."),
]
Currency = Annotated[
    str,
    AfterValidator(check_currency),
    Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. 'EUR'."),
]
Language = Annotated[
    str,
    AfterValidator(check_language),
    Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 code, e.g. 'zh'."),
]
IscedField = Annotated[
    str,
    AfterValidator(check_isced_f),
    Field(pattern=r"^\d{2}(\d\d?)?$", description="ISCED-F 2013 code, e.g. '0613'."),
]
IscoCode = Annotated[
    str,
    BeforeValidator(check_isco),
    Field(
        pattern=r"^\d{1,4}$",
        description="ISCO-08 code of a major, sub-major, minor or unit group, e.g. '2512'.",
    ),
]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_iso_date(value: Any) -> Any:
    """Dates only as YYYY-MM-DD: a number is not silently read as a Unix timestamp."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise said_error("iso_date")


IsoDate = Annotated[dt.date, BeforeValidator(check_iso_date)]
