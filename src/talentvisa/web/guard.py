"""Refuse request bodies that are too big, not UTF-8 or nested too deeply, before parsing.

JSON parsers recurse, so a body of ten thousand '[' would reach the parser as a stack
overflow and a 500; this guard answers 413 or 400 with a problem document instead. It is
plain ASGI so it sees the bytes before any framework code does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talentvisa.inputs import MAX_PROFILE_BYTES
from talentvisa.web.problems import PROBLEM_JSON

MAX_BODY: Final = MAX_PROFILE_BYTES  # bodies carry a profile; uploads have their own limits
MAX_DEPTH: Final = 32


def nesting_depth(body: bytes) -> int:
    """Deepest bracket nesting outside strings: a linear scan, no recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


class BodyGuard:
    """``larger`` maps path patterns (uploads) to their own, larger limits."""

    def __init__(
        self,
        app: ASGIApp,
        max_body: int = MAX_BODY,
        max_depth: int = MAX_DEPTH,
        larger: Mapping[re.Pattern[str], int] | None = None,
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_depth = max_depth
        self.larger = dict(larger or {})

    def _limit(self, path: str) -> int:
        return next((n for p, n in self.larger.items() if p.match(path)), self.max_body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, scope, limit)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, scope, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = dict(scope["headers"]).get(b"content-type", b"")
        if b"json" in content_type:
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as exc:
                await _problem(
                    send,
                    scope,
                    400,
                    "The request body is not UTF-8",
                    f"Invalid byte at offset {exc.start}.",
                )
                return
            if nesting_depth(body) > self.max_depth:
                await _problem(
                    send,
                    scope,
                    400,
                    "The request body is nested too deeply",
                    f"The limit is {self.max_depth} levels.",
                )
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, scope: Scope, limit: int) -> None:
    await _problem(
        send, scope, 413, "The request body is too large", f"The limit is {limit} bytes."
    )


async def _problem(send: Send, scope: Scope, status: int, title: str, detail: str) -> None:
    payload = json.dumps(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope["path"],
            "errors": [],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
