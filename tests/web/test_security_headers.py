"""Every HTML page carries a Content-Security-Policy its own markup keeps to (no inline
script, no style attribute, inline style only with the request's nonce), refuses to be
framed, sends no Referer and may not be sniffed; other responses get the last three too.
The browser test (tests/browser/test_csp.py) checks that nothing is refused in use."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from talentvisa.web import state
from tests.browser.test_browser import load

TOKEN = state.encode(load("india-h1b.yaml"))
PAGES = [
    "/",
    "/interview",
    "/programs",
    "/programs/cn-k",
    f"/results?p={TOKEN}&as_of=2026-12-01",
    f"/results/summary?p={TOKEN}&as_of=2026-12-01",
    f"/compare?p={TOKEN}&as_of=2026-12-01",
    "/cases",
    "/cases?lang=zh",
    "/api/v1/docs",
    "/programs/no-such-programme",  # an error page is a page too
]


def _policy(header: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_security_headers_and_keeps_to_its_policy(
    client: TestClient, url: str
) -> None:
    r = client.get(url)
    assert r.headers["content-type"].startswith("text/html")
    policy = _policy(r.headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"] and policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert not any("unsafe" in v for values in policy.values() for v in values), policy
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert not re.search(r"\sstyle=", html), "a style attribute"
    assert not re.search(r"\son[a-z]+=", html), "an inline event handler"
    assert "javascript:" not in html
    nonce = next(v for v in policy["style-src"] if v.startswith("'nonce-"))[7:-1]
    for tag in re.findall(r"<style[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag


def test_each_response_has_its_own_nonce(client: TestClient) -> None:
    first, second = (client.get("/").headers["content-security-policy"] for _ in range(2))
    assert first != second


@pytest.mark.parametrize(
    "url", ["/api/v1/programs", "/api/v1/openapi.json", "/static/style.css", "/api/v1/nope"]
)
def test_other_responses_are_not_sniffed_nor_leak_a_referer(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
