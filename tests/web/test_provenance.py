"""Quotes, verified dates and staleness warnings on the pages and in the JSON API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from talentvisa.web import state
from tests.quoted import QUOTED
from tests.test_diff import QUOTE_CHANGE

ROOT = Path(__file__).resolve().parents[2]
FULL = json.loads(
    json.dumps(yaml.safe_load((ROOT / "examples" / "full.yaml").read_text()), default=str)
)


@pytest.fixture
def quoted(make_program: Callable[[str], Program], monkeypatch: pytest.MonkeyPatch) -> Program:
    program = make_program(QUOTED)
    for module in ("talentvisa.web.pages", "talentvisa.web.api"):
        monkeypatch.setattr(f"{module}.builtin_programs", lambda: {"quoted": program})
    return program


def test_programme_page_quotes_above_each_rule(client: TestClient, quoted: Program) -> None:
    html = client.get("/programs/quoted?as_of=2026-03-01&lang=en").text
    assert "Rules verified on 2026-01-01" in html
    young = html[html.index("<code>young</code>") :]
    assert young.index("外国青年科技人才 *可以* 申请K字签证。") < young.index(
        "<code>age &lt;= max_age</code>"
    )
    assert "<em>English translation:</em> Young foreign science" in young
    assert '<a href="https://example.org/decree">decree</a>, Art. 6(6)' in young
    assert "<strong>No published text: interpretation</strong> — The decree says" in html
    assert "Warning" not in html
    stale = client.get("/programs/quoted?as_of=2026-07-01&lang=en").text
    assert "may have changed since" in stale


def test_programme_page_in_chinese(client: TestClient, quoted: Program) -> None:
    html = client.get("/programs/quoted?as_of=2026-03-01&lang=zh").text
    assert "规则核对日期：2026-01-01" in html
    young = html[html.index("<code>young</code>") : html.index("<code>adult</code>")]
    assert "外国青年科技人才" in young and "英文译文" not in young
    assert "<em>英文译文:</em> The fee is 75 euros." in html
    assert "无公开条文：属解释性设定" in html


def test_web_diff_shows_quote_changes(
    client: TestClient, make_program: Callable[[str], Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    program = make_program(QUOTE_CHANGE)
    monkeypatch.setattr("talentvisa.web.pages.builtin_programs", lambda: {"requoted": program})
    html = client.get(
        "/programs/requoted?from=2025-12-31&to=2026-01-01&lang=en", headers={"hx-request": "true"}
    ).text
    assert "quoted text changed" in html
    assert '<blockquote lang="de">Ein Gehalt von mindestens 40 000 Euro.' in html
    assert '<blockquote lang="de">Ein Gehalt von mindestens 40 000 Euro brutto.' in html
    assert "No published text: interpretation</strong> — No fee schedule is published." in html
    zh = client.get("/programs/requoted?from=2025-12-31&to=2026-01-01&lang=zh").text
    assert "引文已变" in zh


def test_results_show_verified_dates_warnings_and_unpublished_rules(
    client: TestClient, quoted: Program
) -> None:
    token = state.encode(FULL)
    within = client.get(f"/results?p={token}&as_of=2026-03-01&lang=en").text
    assert "Rules verified on 2026-01-01" in within and 'class="warning"' not in within
    assert "No published text: these rules are interpretations" in within
    assert "The decree says foreign talent but defines no test." in within
    stale = client.get(f"/results?p={token}&as_of=2026-07-01&lang=zh").text
    assert 'class="warning"' in stale and "此后规则可能已有变化" in stale


def test_comparison_page_shows_verified_dates(client: TestClient) -> None:
    token = state.encode(FULL)
    k = builtin_programs()["cn-k"]
    late = k.verified + dt.timedelta(days=181)
    html = client.get(f"/compare?p={token}&as_of={late}&lang=en").text
    assert f"Rules verified on {k.verified}" in html
    assert 'class="warning"' in html and "may have changed since" in html


def test_api_sources_lists_every_shipped_source(client: TestClient) -> None:
    body = client.get("/api/v1/sources", params={"as_of": "2026-12-01"}).json()
    listed = {(s["program"], s["key"]) for s in body["sources"]}
    assert listed == {(p.id, k) for p in builtin_programs().values() for k in p.sources}
    assert all(s["verified"] for s in body["sources"]) and body["horizon_days"] == 180
    assert client.get("/api/v1/sources", params={"older_than": -1}).status_code == 422
    recent = client.get("/api/v1/sources", params={"older_than": 100000}).json()
    assert recent["sources"] == []


def test_api_documents_carry_verified_warnings_and_quotes(
    client: TestClient, quoted: Program
) -> None:
    (summary,) = client.get("/api/v1/programs").json()
    assert summary["verified"] == "2026-01-01"
    rules = client.get("/api/v1/programs/quoted").json()
    assert rules["verified"] == "2026-01-01"
    young = next(c for c in rules["versions"][0]["criteria"]["children"] if c["id"] == "young")
    assert young["citations"][0]["quote"]["lang"] == "zh"
    assert young["citations"][0]["verified"] == "2026-01-01"
    assert rules["parameters"][0]["no_text"] == "No official text sets an upper age limit."
    assert rules["versions"][0]["fees"][0]["citations"][0]["quote"]["en"] == "The fee is 75 euros."
    for day, warned in (("2026-06-30", False), ("2026-07-01", True)):
        body = client.post("/api/v1/assess", json={"profile": FULL, "as_of": day}).json()
        (result,) = body["results"]
        assert result["verified"] == "2026-01-01"
        assert bool(result["warnings"]) is warned
        assert {u["id"] for u in result["no_text"]} == {"foreign", "max_age"}
