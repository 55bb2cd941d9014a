"""Answer the interview from a known profile, as a person who knows their own facts would."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_PART = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")


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


def choose(profile: dict[str, Any], question: str, fields: list[str]) -> tuple[str, dict[str, str]]:
    """The action ('answer', 'none' or 'skip') and the form values for one question."""
    answers = {f: t for f in fields if (t := as_form_text(value_at(profile, f))) is not None}
    if answers:
        return "answer", answers
    whole = value_at(profile, question)
    if (question == "job_offer" and profile.get("has_job_offer") is False) or whole == []:
        return "none", {}
    return "skip", {}
