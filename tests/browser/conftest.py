"""A real server on loopback and Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

from talentvisa.web.app import create_app

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    # Tests never reach the internet: outside links get a stand-in page.
    context.route(
        lambda url: not url.startswith(base_url),
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<title>cited source</title><h1>cited source</h1>",
        ),
    )
    p = context.new_page()
    yield p
    context.close()


def shot(page: object, name: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def answer_all(
    page: object,
    pick: Callable[[str, list[str]], tuple[str, dict[str, str]]],
    on_screen: Callable[[int, str, str], None] = lambda step, question, action: None,
    limit: int = 80,
) -> int:
    """Answer the interview screen by screen as a person would, until the results page; the
    number of screens it took. ``pick`` gives the button and the values for a screen."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    for step in range(limit):
        if "/results" in page.url:
            return step
        question = page.locator('input[name="question"]').get_attribute("value")
        assert question is not None
        fields = page.locator("form.question [name]").evaluate_all(
            "els => els.filter(e => e.type !== 'hidden' && e.type !== 'submit').map(e => e.name)"
        )
        action, values = pick(question, sorted(set(fields)))
        on_screen(step, question, action)
        for path, value in values.items():
            field = page.locator(f'[name="{path}"]')
            kind = field.first.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind.startswith("SELECT"):
                field.select_option(value)
            elif kind.endswith("radio"):
                page.locator(f'[name="{path}"][value="{value}"]').check()
            elif kind.endswith("checkbox"):
                field.check()
            else:
                field.fill(value)
        page.locator(f'button[value="{action}"]').click()
        page.wait_for_load_state()
    raise AssertionError("the interview did not end")
