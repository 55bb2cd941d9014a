"""Answer the interview from a known profile, as a person who knows their own facts would:
typing names (never codes) where the interview offers a picker, adding another entry for
each further degree, job or nationality."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from fastapi.testclient import TestClient

from talentvisa import vocab_search

_PART = re.compile(r"([A-Za-z0-9_]+)(?:\[(\d+)\])?")
# Fields whose answer is a name the server resolves, by the last part of the path.
_KINDS: dict[str, vocab_search.Kind] = {
    "occupation": "occupations",
    "field": "fields",
    "country": "countries",
    "residence": "countries",
    "location": "countries",
    "currency": "currencies",
    "citizenships": "countries",
}


def value_at(profile: dict[str, Any], path: str) -> Any:
    node: Any = profile
    for part in path.split("."):
        m = _PART.fullmatch(part)
        assert m is not None, path
        if not isinstance(node, dict) or m[1] not in node:
            return None
        node = node[m[1]]
        if m[2] is not None:
            if not isinstance(node, list) or int(m[2]) >= len(node):
                return None
            node = node[int(m[2])]
    return node


def as_form_text(value: Any) -> str | None:
    if value is None or (isinstance(value, dict | list) and not value):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return None
    return str(value)


def words(
    path: str, value: Any, lang: str = "en", typed: Mapping[str, str] | None = None
) -> str | None:
    """What a person types for a value: their own words for a code if ``typed`` has them,
    else the code's name in their language."""
    text = as_form_text(value)
    leaf = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]
    kind = _KINDS.get(leaf)
    if text is None or kind is None:
        return text
    if typed and text in typed:
        return typed[text]
    return vocab_search.label(kind, text, "zh" if lang == "zh" else "en")


def _entries_shown(fields: list[str], root: str) -> int:
    return len({m[1] for f in fields if (m := re.match(rf"{root}\[(\d+)\]", f))})


def choose(
    profile: dict[str, Any],
    question: str,
    fields: list[str],
    lang: str = "en",
    typed: Mapping[str, str] | None = None,
) -> tuple[str, dict[str, str]]:
    """The action ('answer', 'add', 'none' or 'skip') and the form values for one screen."""
    root = question if question in ("citizenships",) or "." not in question else ""
    whole = value_at(profile, question)
    if root and isinstance(whole, list) and len(whole) > _entries_shown(fields, root) > 0:
        return "add", {}
    answers: dict[str, str] = {}
    for f in fields:
        if f.startswith("unlisted:"):
            continue
        text = words(f, value_at(profile, f), lang, typed)
        if text is not None:
            answers[f] = text
            unlisted = f"unlisted:{f}"
            if unlisted in fields and vocab_search.resolve("institutions", text) is None:
                answers[unlisted] = "yes"  # "my institution is not listed"
    if answers:
        return "answer", answers
    if (question == "job_offer" and profile.get("has_job_offer") is False) or whole == []:
        return "none", {}
    return "skip", {}


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_NAMES = re.compile(
    r'name="((?:unlisted:)?[a-z_0-9]+(?:\[\d+\])?(?:\.[A-Za-z_0-9]+(?:\[\d+\])?)*)"'
)


def drive(
    client: TestClient,
    target: dict[str, Any],
    lang: str = "en",
    as_of: str | None = None,
    typed: Mapping[str, str] | None = None,
) -> tuple[str, list[tuple[str, str, str]]]:
    """Answer every screen from ``target`` over HTTP; return the results URL and, per screen
    shown, the question, its title and the action taken ("add" re-shows the same screen)."""
    screens: list[tuple[str, str, str]] = []
    url = f"/interview?lang={lang}" + (f"&as_of={as_of}" if as_of else "")
    page = client.get(url, follow_redirects=False)
    for _ in range(80):
        if page.status_code == 303:
            location = page.headers["location"]
            if location.startswith("/results"):
                return location, screens
            page = client.get(location, follow_redirects=False)
            continue
        assert page.status_code == 200, page.text
        html = page.text
        hidden = dict(_HIDDEN.findall(html))
        title = re.search(r"<legend><h2>(.*?)</h2></legend>", html, re.S)
        fields = sorted(set(_NAMES.findall(html)) - set(hidden) - {"action", "prefer", "currency"})
        action, values = choose(target, hidden["question"], fields, lang, typed)
        screens.append((hidden["question"], title[1] if title else "", action))
        page = client.post(
            "/interview", data={**hidden, "action": action, **values}, follow_redirects=False
        )
        assert page.status_code in (200, 303), page.text
    raise AssertionError(f"the interview did not end; asked {screens}")
