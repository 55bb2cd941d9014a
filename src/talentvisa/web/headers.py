"""Security headers on every response, and a Content-Security-Policy on every HTML page.

The pages load scripts, styles and fonts from /static and /fonts only, so the policy
allows nothing else: no inline script anywhere, and the one inline style block (the
printable summary's, whose page footer carries the date) is admitted by a nonce made
fresh for each request. No page may be framed (clickjacking), none sends a Referer (the
portal's addresses hold application ids) and no response may be sniffed into another type.
Plain ASGI, so errors and static files get the headers too.
"""

from __future__ import annotations

import secrets
from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALWAYS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # for browsers that predate frame-ancestors
}


def page_policy(nonce: str) -> str:
    """The CSP of an HTML page; ``nonce`` admits the inline style a template marks with it."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",  # Swagger UI's icons are data: URIs in its stylesheet
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """Sets ``scope["state"]["csp_nonce"]`` (``request.state.csp_nonce``) for templates."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = page_policy(nonce)
            await send(message)

        await self.app(scope, receive, send_with_headers)
