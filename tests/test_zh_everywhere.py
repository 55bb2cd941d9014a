"""Under Chinese, no screen leaves English behind: every CLI verb and every page, walked with
the profiles a person would bring, shows no run of Latin words that is not a code, a name or
a quoted source (``tests/latin.py`` defines each precisely)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from pydantic import BaseModel
from rich.console import Console
from typer.testing import CliRunner

from talentvisa.casework.db import make_engine, upgrade
from talentvisa.casework.service import CaseService, Settings
from talentvisa.cli import app as cli
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Citation, Parameter, Quote, Source, Text
from talentvisa.summary import processing_table
from talentvisa.web import state
from talentvisa.web.app import create_app
from tests.latin import latin_runs, latin_spans, visible_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PROFILES = ("full.yaml", "partial.yaml", "india-h1b.yaml", "judgement.yaml")
AS_OF = "2026-12-01"


def _walk(value: Any, out: set[str]) -> None:
    """Names and quoted sources a programme carries in their original language."""
    if isinstance(value, Citation):
        out.add(value.at or "")
    if isinstance(value, Quote):
        out.update({value.text, value.en or ""})
    if isinstance(value, Source):
        out.update({value.title, value.publisher or ""})
    if isinstance(value, BaseModel) and isinstance(getattr(value, "href", None), str):
        out.add(str(getattr(value, "title", "") or ""))  # any cited work: its title
    if isinstance(value, Text):  # a name the Chinese text keeps as written, e.g. Chancenkarte
        out.update(latin_spans(value.zh))
    if isinstance(value, Parameter):  # named lists: universities, companies
        for v in value.values.values():
            out.update(x for x in (v if isinstance(v, tuple) else (v,)) if isinstance(x, str))
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _walk(getattr(value, name), out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _walk(k, out)
            _walk(v, out)
    elif isinstance(value, tuple | list):
        for v in value:
            _walk(v, out)


@cache
def allowed() -> frozenset[str]:
    """Quoted sources, names from the rule files and what the example profiles typed."""
    out: set[str] = set()
    for program in builtin_programs().values():
        _walk(program, out)
        out.add(program.id)
        out.update(program.sources)
        out.update(program.parameters)
    _walk(processing_table(), out)  # the updates sheet's processing times and their sources
    for name in PROFILES:
        _typed(yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8")), out)
    return frozenset(out)


def _typed(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "name" and isinstance(v, str):
                out.add(v)
            _typed(v, out)
    elif isinstance(value, list):
        for v in value:
            _typed(v, out)


def _ids(program_id: str) -> set[str]:
    """Criterion and fee ids: the rule pages name each criterion by its id, as a code."""
    program = builtin_programs()[program_id]
    version = program.version_at(dt.date.fromisoformat(AS_OF))
    found: set[str] = set()
    if version is None:
        return found

    def walk(node: Any) -> None:
        if isinstance(node, BaseModel):
            if "id" in type(node).model_fields and isinstance(getattr(node, "id", None), str):
                found.add(node.id)
            for name in type(node).model_fields:
                walk(getattr(node, name))
        elif isinstance(node, tuple | list):
            for n in node:
                walk(n)

    walk(version)
    return found


def _cli_calls() -> list[list[str]]:
    calls: list[list[str]] = [["programs", "--as-of", AS_OF], ["sources", "--as-of", AS_OF]]
    for name in PROFILES:
        calls.append(["check", str(EXAMPLES / name), "--as-of", AS_OF])
    for name in ("full.yaml", "india-h1b.yaml"):  # compare and changes read the same reasons
        calls += [["compare", str(EXAMPLES / name), "--as-of", AS_OF]]
        calls += [["changes", str(EXAMPLES / name), "--as-of", AS_OF]]
    for p in builtin_programs():
        calls += [["explain", p, "--as-of", AS_OF], ["diff", p, "2025-01-01", AS_OF]]
    return calls


def _cli(call: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    # Wide enough that no name is wrapped inside a table cell.
    monkeypatch.setattr("talentvisa.cli.out", Console(width=3000, no_color=True))
    result = CliRunner().invoke(cli, [*call, "--lang", "zh"])
    assert result.exit_code == 0, (call, result.output)
    return result.output


@cache
def _everything_allowed() -> frozenset[str]:
    ids: set[str] = set()
    for p in builtin_programs():
        ids |= _ids(p)
    # A one-word id ("master") is a word like any other; only compound ids are codes.
    return allowed() | {i for i in ids if "-" in i} | {f"({i})" for i in ids}


def _runs_in(text: str) -> list[str]:
    return latin_runs(text, _everything_allowed())


def test_the_detector_finds_english_and_spares_codes_names_and_quotes() -> None:
    assert latin_runs("符合：age (29) ≥ min_age (18)") == ["age"]
    assert latin_runs("Not yet known: we need 出生日期") == ["Not yet known: we need"]
    assert latin_runs("职业（ISCO-08 2512），USD 103,595，H-1B，STEM") == []
    assert latin_runs("见 https://example.org/a-b 与 `min_age`") == []
    assert latin_runs("> Art. 6(6) quoted passage\n引文") == []
    assert latin_runs("雇主 Infosys Limited", {"Infosys Limited"}) == []
    html = (
        '<p>结果</p><blockquote lang="de">Aufenthaltsgesetz text</blockquote><p title="Go on">x</p>'
    )
    assert latin_runs(visible_text(html)) == ["Go on"]


@pytest.mark.parametrize(
    "call", _cli_calls(), ids=lambda c: " ".join(c[:2]).replace(str(EXAMPLES) + "/", "")
)
def test_every_cli_verb_speaks_chinese(call: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _runs_in(_cli(call, monkeypatch))
    assert not runs, _summary({" ".join(call): runs})


def _page_urls() -> list[str]:
    urls = ["/", "/interview", "/programs", "/cases", "/no-such-page"]
    urls += [f"/programs/{p}?as_of={AS_OF}" for p in builtin_programs()]
    token = _token(yaml.safe_load((EXAMPLES / "full.yaml").read_text(encoding="utf-8")))
    urls += [
        f"{page}?p={token}&as_of={AS_OF}"
        for page in ("/results", "/results/summary", "/results/changes", "/compare")
    ]
    # The summary PDF is printed from /results/summary, so its words are checked there.
    urls.append(f"/programs/us-h1b?from=2025-01-01&to={AS_OF}")  # what changed, with quotes
    return urls


def _token(profile: dict[str, Any]) -> str:
    return state.encode(json.loads(json.dumps(profile, default=str)))


@pytest.mark.parametrize("url", _page_urls())
def test_every_page_speaks_chinese(client: TestClient, url: str) -> None:
    runs = _runs_in(visible_text(client.get(url, headers={"Cookie": "lang=zh"}).text))
    assert not runs, _summary({url: runs})


def _problems(client: TestClient) -> Iterator[tuple[str, str]]:
    zh = {"Accept-Language": "zh-CN"}
    bad = [
        ("/api/v1/assess", {"profile": {"birth_date": "10/05/1997"}}),
        ("/api/v1/assess", {"profile": {"age": -3, "citizenships": ["India"]}}),
        ("/api/v1/assess", {"profile": {"education": [{"level": "phd", "field": "cs"}]}}),
        ("/api/v1/assess", {"profile": {"work": [{"occupation": "99999", "colour": "red"}]}}),
        ("/api/v1/assess", {"profile": {"job_offer": {"us_soc": "x", "salary": {}}}}),
        ("/api/v1/assess", {}),
    ]
    for url, body in bad:
        r = client.post(url, json=body, headers=zh)
        assert 400 <= r.status_code < 500, r.text
        yield f"POST {url} {body}", _problem_text(r.json())
    r = client.get("/api/v1/programs/no-such", headers=zh)
    yield "GET /api/v1/programs/no-such", _problem_text(r.json())


def _problem_text(doc: dict[str, Any]) -> str:
    # The detail repeats each field's path (a code) and message, which are checked one by one.
    lines = [doc.get("title") or ""]
    lines += [e["message"] for e in doc.get("errors", [])]
    return "\n".join(lines)


def test_every_problem_detail_speaks_chinese(client: TestClient) -> None:
    found = {}
    for where, text in _problems(client):
        if runs := _runs_in(text):
            found[where] = runs
    assert not found, _summary(found)


def _summary(found: dict[str, list[str]]) -> str:
    total = sum(len(r) for r in found.values())
    lines = [f"{total} runs of English under zh:"]
    for where, runs in found.items():
        lines.append(f"  {where}: {sorted(set(runs))[:12]}")
    return "\n".join(lines)


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def cases(tmp_path: Path) -> CaseService:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    upgrade(url)
    settings = Settings(storage=tmp_path / "documents")
    return CaseService(make_engine(url), builtin_programs()["cn-k"], settings)


def test_the_portal_speaks_chinese(cases: CaseService) -> None:
    """An applicant's list and application pages, signed in, with a draft in progress."""
    c = TestClient(create_app(cases), base_url="https://testserver")
    email, password = "priya@example.org", "correct horse battery"
    assert c.post("/api/v1/cases/signup", json={"email": email, "password": password}).is_success
    login = c.post("/api/v1/cases/login", json={"email": email, "password": password})
    csrf = {"X-CSRF-Token": login.json()["csrf_token"]}
    app_id = c.post("/api/v1/cases/applications", headers=csrf).json()["id"]
    found = {}
    for url in ("/cases", f"/cases/{app_id}"):
        if runs := _runs_in(visible_text(c.get(url, headers={"Cookie": _cookies(c)}).text)):
            found[url] = runs
    assert not found, _summary(found)


def _cookies(c: TestClient) -> str:
    return "; ".join(f"{k}={v}" for k, v in [*c.cookies.items(), ("lang", "zh")])
