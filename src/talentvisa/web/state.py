"""A profile carried in a link: compressed JSON in URL-safe base64, validated on the way in.

Nothing about the person is kept on the server: the page URL itself is the saved result.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any, Final

from pydantic import ValidationError

from talentvisa.profile import Profile

MAX_TOKEN: Final = 16_000


class BadToken(ValueError):
    pass


def encode(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).decode().rstrip("=")


def decode(token: str | None) -> dict[str, Any]:
    if not token:
        return {}
    if len(token) > MAX_TOKEN:
        raise BadToken("the saved profile in this link is too long")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        raw = zlib.decompressobj().decompress(packed, 256 * 1024)
        data = json.loads(raw)
    except (binascii.Error, zlib.error, ValueError) as exc:
        raise BadToken("this link does not hold a saved profile") from exc
    if not isinstance(data, dict):
        raise BadToken("this link does not hold a saved profile")
    return data


def profile_of(data: dict[str, Any]) -> Profile:
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise BadToken(f"the saved profile is not valid: {exc.errors()[0]['msg']}") from exc
