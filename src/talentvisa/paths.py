"""Profile paths such as ``education[0].institution.world_rank``, set on plain data."""

from __future__ import annotations

import re
from typing import Any, Final

_PART: Final = re.compile(r"([A-Za-z0-9_]+)(?:\[(\d+)\])?")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a value, creating the records and list entries on the way."""
    node: Any = data
    parts = path.split(".")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        m = _PART.fullmatch(part)
        if m is None:
            raise KeyError(f"not a profile path: {path!r}")
        name, index = m[1], m[2]
        if index is None:
            if last:
                node[name] = value
            else:
                node = node.setdefault(name, {})
            continue
        items = node.setdefault(name, [])
        while len(items) <= int(index):
            items.append({})
        if last:
            items[int(index)] = value
        else:
            node = items[int(index)]
