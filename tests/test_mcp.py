"""The MCP server, through the SDK's own client: in process, over stdio and over HTTP.

The walk is a conversation an assistant would have with the Indian engineer of
examples/india-h1b.yaml: start from nothing, ask what next_question says, answer from
what the person would say (the example's values; a fact the file lacks is one the person
cannot give, so it is skipped), until nothing more can change an answer.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import uvicorn
import yaml
from fastapi.testclient import TestClient
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.shared.exceptions import MCPError
from typer.testing import CliRunner

import talentvisa
from talentvisa.assistants.server import build
from talentvisa.casework.service import from_environment
from talentvisa.cli import app
from talentvisa.web.app import create_app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AS_OF = "2026-12-01"
TOOLS = {
    "check",
    "next_question",
    "compare",
    "changes",
    "explain",
    "programs",
    "sources",
    "find_code",
}
runner = CliRunner()


def cli_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def with_client(server: Any, body: Callable[[Client], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with Client(server) as client:
            return await body(client)

    return anyio.run(main)


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    """A tool's structured answer; the client has already checked it against the output schema."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.structured_content
    document: dict[str, Any] = result.structured_content
    assert document["for_the_user"]
    return document


def without_text(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "for_the_user"}


# ---------------------------------------------------------------- what an assistant sees


def test_the_tools_say_what_their_answers_mean() -> None:
    tools = with_client(build(), lambda c: c.list_tools()).tools
    assert {t.name for t in tools} == TOOLS
    by_name = {t.name: t for t in tools}
    for t in tools:
        assert t.input_schema["type"] == "object"
        assert "for_the_user" in t.output_schema["required"]
        assert t.annotations.read_only_hint and not t.annotations.open_world_hint
    for name in ("check", "next_question", "compare", "changes"):
        schema = by_name[name].input_schema
        assert "profile" in schema["properties"] and "profile" not in schema.get("required", [])
        text = by_name[name].description
        assert '"undetermined" is not "no"' in text
        assert "not law" in text and "quote its citation" in text and "next_question" in text


def test_the_rules_and_the_profile_schema_are_resources() -> None:
    async def body(c: Client) -> tuple[list[str], str, str, str]:
        listed = [r.uri for r in (await c.list_resources()).resources]
        templates = [t.uri_template for t in (await c.list_resource_templates()).resource_templates]
        rules = (await c.read_resource("talentvisa://programs/cn-k")).contents[0].text
        zh = (await c.read_resource("talentvisa://programs/cn-k?lang=zh")).contents[0].text
        schema = (await c.read_resource("talentvisa://schema/profile")).contents[0].text
        assert templates == ["talentvisa://programs/{id}"]
        return listed, rules, zh, schema

    listed, rules, zh, schema = with_client(build(), body)
    assert "talentvisa://schema/profile" in listed and "talentvisa://programs/us-h1b" in listed
    explained = runner.invoke(app, ["explain", "cn-k", "--markdown"]).stdout
    assert rules.strip() == explained.strip()  # what `talentvisa explain` prints
    assert "K字签证" in zh
    assert json.loads(schema) == json.loads(runner.invoke(app, ["schema"]).stdout)


# ---------------------------------------------------------------- the walk


MISSING = object()
_PART = re.compile(r"([A-Za-z0-9_]+)(?:\[(\d+)\])?")


def value_at(data: Any, path: str) -> Any:
    for part in path.split("."):
        m = _PART.fullmatch(part)
        assert m is not None, path
        if not isinstance(data, dict) or m[1] not in data:
            return MISSING
        data = data[m[1]]
        if m[2] is not None:
            if not isinstance(data, list) or len(data) <= int(m[2]):
                return MISSING
            data = data[int(m[2])]
    return data


def put(data: dict[str, Any], path: str, value: Any) -> None:
    node: Any = data
    parts = path.split(".")
    for i, part in enumerate(parts):
        m = _PART.fullmatch(part)
        assert m is not None, path
        last = i == len(parts) - 1
        if m[2] is None:
            if last:
                node[m[1]] = value
            else:
                node = node.setdefault(m[1], {})
            continue
        items = node.setdefault(m[1], [])
        while len(items) <= int(m[2]):
            items.append({})
        if last:
            items[int(m[2])] = value
        else:
            node = items[int(m[2])]


def answer(person: dict[str, Any], question: dict[str, Any], profile: dict[str, Any]) -> str:
    """What the person says to one question, put into the profile: their facts, "none", or
    "I don't know" (the question is then skipped)."""
    paths = [f["path"] for f in question["fields"]]
    if question["repeats"]:  # every degree, every job
        entries = value_at(person, question["path"])
        n = len(entries) if isinstance(entries, list) else 1
        first = question["path"] + "[0]"
        paths = [p.replace(first, f"{question['path']}[{i}]", 1) for i in range(n) for p in paths]
    given = {p: v for p in paths if (v := value_at(person, p)) is not MISSING}
    for path, value in given.items():
        put(profile, path, value)
    if given:
        return "answered"
    none = question["none_answer"]
    if none is not None and value_at(person, question["path"]) in (MISSING, [], None):
        put(profile, none["path"], none["value"])
        return "none"
    return "skip"


def walk(client_server: Any) -> dict[str, Any]:
    person = json.loads(
        json.dumps(yaml.safe_load((EXAMPLES / "india-h1b.yaml").read_text()), default=str)
    )

    async def body(c: Client) -> dict[str, Any]:
        profile: dict[str, Any] = {}
        skip: list[str] = []
        turns: list[tuple[str, str, str]] = []
        decided_at = None
        for _ in range(40):
            asked = await call(c, "next_question", profile=profile, skip=skip, as_of=AS_OF)
            question = asked["question"]
            if question is None:
                break
            said = answer(person, question, profile)
            if said == "skip":
                skip.append(question["path"])
            checked = await call(c, "check", profile=profile, programs=["cn-k"], as_of=AS_OF)
            status = checked["results"][0]["status"]
            turns.append((question["path"], said, status))
            if decided_at is None and status in ("eligible", "ineligible"):
                decided_at = len(turns)
        else:
            pytest.fail("the interview did not end")
        return {
            "profile": profile,
            "turns": turns,
            "decided_at": decided_at,
            "check": await call(c, "check", profile=profile, as_of=AS_OF),
            "compare": await call(c, "compare", profile=profile, as_of=AS_OF),
        }

    return with_client(client_server, body)  # type: ignore[no-any-return]


def test_the_indian_engineer_is_asked_until_the_k_visa_is_decided(tmp_path: Path) -> None:
    result = walk(build())
    turns = result["turns"]
    assert result["decided_at"] is not None, turns
    assert turns[result["decided_at"] - 1][2] == "eligible"
    # Once decided it stays decided: later answers only settle the other programmes.
    assert {t[2] for t in turns[result["decided_at"] :]} <= {"eligible"}
    assert [t for t in turns if t[1] == "answered"], "the person answered nothing"
    # The final answers are the CLI's for the same profile...
    walked = tmp_path / "walked.json"
    walked.write_text(json.dumps(result["profile"]), encoding="utf-8")
    assert without_text(result["check"]) == cli_json("check", str(walked), "--as-of", AS_OF)
    assert without_text(result["compare"]) == cli_json("compare", str(walked), "--as-of", AS_OF)
    # ...and what the interview asked was enough: every programme's status and the ranking
    # are those of the whole example profile.
    full = cli_json("compare", str(EXAMPLES / "india-h1b.yaml"), "--as-of", AS_OF)
    ranked = [(o["program"], o["status"]) for o in result["compare"]["options"]]
    assert ranked == [(o["program"], o["status"]) for o in full["options"]]
    assert ranked[0] == ("cn-k", "eligible")


# ---------------------------------------------------------------- the other tools equal the CLI


def test_every_tool_answers_what_the_cli_prints() -> None:
    profile_file = EXAMPLES / "india-h1b.yaml"
    profile = json.loads(json.dumps(yaml.safe_load(profile_file.read_text()), default=str))

    async def body(c: Client) -> dict[str, dict[str, Any]]:
        return {
            "changes": await call(
                c, "changes", profile=profile, programs=["de-blue-card"], as_of=AS_OF
            ),
            "compare": await call(
                c,
                "compare",
                profile=profile,
                as_of=AS_OF,
                currency="EUR",
                preferences=["pr-path", "no-sponsor"],
            ),
            "explain": await call(c, "explain", program="us-h1b", lang="zh"),
            "programs": await call(c, "programs", as_of=AS_OF),
            "sources": await call(c, "sources", as_of=AS_OF, older_than=0, programs=["cn-k"]),
        }

    got = with_client(build(), body)
    p = str(profile_file)
    assert without_text(got["changes"]) == cli_json(
        "changes", p, "-p", "de-blue-card", "--as-of", AS_OF
    )
    assert without_text(got["compare"]) == cli_json(
        "compare", p, "--as-of", AS_OF, "--currency", "EUR", "--prefer", "pr-path,no-sponsor"
    )
    assert without_text(got["explain"]) == cli_json("explain", "us-h1b", "--lang", "zh")
    assert without_text(got["programs"]) == cli_json("programs", "--as-of", AS_OF)
    assert without_text(got["sources"]) == cli_json(
        "sources", "--as-of", AS_OF, "--older-than", "0", "-p", "cn-k"
    )


def test_find_code_turns_the_persons_words_into_the_codes_a_profile_holds() -> None:
    async def body(c: Client) -> list[dict[str, Any]]:
        return [
            await call(c, "find_code", kind="occupations", q="software developer"),
            await call(c, "find_code", kind="fields", q="计算机科学", lang="zh"),
            await call(c, "find_code", kind="institutions", q="IIT Delhi"),
            await call(c, "find_code", kind="countries", q="Narnia"),
        ]

    occupation, field, institution, nowhere = with_client(build(), body)
    assert occupation["items"][0]["code"] == "2512"
    assert field["items"][0]["code"] == "0613" and "计算机科学" in field["for_the_user"]
    assert institution["items"][0]["code"] == "iit-delhi"
    assert nowhere["items"] == [] and "Narnia" in nowhere["for_the_user"]
    # the API's pickers answer the same
    api = TestClient(create_app()).get(
        "/api/v1/vocab/occupations", params={"q": "software developer"}
    )
    assert api.json()["items"][: len(occupation["items"])] == occupation["items"]


def test_for_the_user_is_in_the_persons_language() -> None:
    async def body(c: Client) -> tuple[dict[str, Any], dict[str, Any]]:
        zh = await call(c, "check", profile={}, programs=["cn-k"], as_of=AS_OF, lang="zh")
        asked = await call(c, "next_question", profile={}, as_of=AS_OF, lang="zh")
        return zh, asked

    checked, asked = with_client(build(), body)
    assert "尚无法确定" in checked["for_the_user"] and "Undetermined" not in checked["for_the_user"]
    assert re.search(r"[\u4e00-\u9fff]", asked["for_the_user"])
    assert not re.search(r"\b(please|tell|next)\b", asked["for_the_user"], re.I)


def test_nothing_is_stored_and_nothing_is_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a tool reached for the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.chdir(tmp_path)

    async def body(c: Client) -> None:
        for tool, arguments in [
            ("check", {"profile": {"birth_date": "1999-06-15"}}),
            ("next_question", {}),
            ("compare", {"currency": "CNY"}),
            ("changes", {"programs": ["cn-k"]}),
            ("explain", {"program": "nz-smc"}),
            ("programs", {}),
            ("sources", {"older_than": 30}),
            ("find_code", {"kind": "occupations", "q": "software developer"}),
        ]:
            await call(c, tool, **arguments)
        await c.read_resource("talentvisa://programs/de-blue-card")

    with_client(build(), body)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- bad input


BAD = [
    ({"profile": {"education": [{"level": "phd-ish"}]}}, "profile.education[0].level"),
    ({"profile": {"favourite_colour": "blue"}}, "profile.favourite_colour"),
    ({"profile": "I am 27"}, "profile"),
    ({"profile": {"birth_date": "1999-06-15", "age": 40}}, "profile.age"),
    ({"programs": ["cn-q"]}, "programs[0]"),
    ({"as_of": "yesterday"}, "as_of"),
]


@pytest.mark.parametrize(("arguments", "path"), BAD)
def test_a_malformed_call_names_the_field_and_the_server_keeps_serving(
    arguments: dict[str, Any], path: str
) -> None:
    async def body(c: Client) -> tuple[Any, dict[str, Any]]:
        bad = await c.call_tool("check", {"as_of": AS_OF, **arguments})
        return bad, await call(c, "check", profile={}, programs=["cn-k"], as_of=AS_OF)

    bad, good = with_client(build(), body)
    assert bad.is_error
    assert path in [p["path"] for p in bad.structured_content["problems"]]
    assert path in bad.content[0].text  # for assistants that read only the text
    assert good["results"][0]["status"] == "undetermined"


def test_an_unknown_currency_names_the_field() -> None:
    result = with_client(build(), lambda c: c.call_tool("compare", {"currency": "XXX"}))
    assert result.is_error
    assert result.structured_content["problems"][0]["path"] == "currency"


def test_an_unknown_tool_is_a_protocol_error_and_the_next_call_works() -> None:
    async def body(c: Client) -> dict[str, Any]:
        with pytest.raises(MCPError, match="no tool 'eligibility'"):
            await c.call_tool("eligibility", {})
        return await call(c, "programs")

    assert with_client(build(), body)["programs"]


# ---------------------------------------------------------------- transports


def test_over_stdio_the_command_serves_the_same_tools() -> None:
    src = str(Path(talentvisa.__file__).resolve().parents[1])
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "talentvisa.cli", "mcp"], env={"PYTHONPATH": src}
    )

    async def body(c: Client) -> tuple[set[str], Any, dict[str, Any]]:
        names = {t.name for t in (await c.list_tools()).tools}
        bad = await c.call_tool("next_question", {"profile": {"citizenships": "India"}})
        asked = await call(c, "next_question", profile={}, as_of=AS_OF)
        return names, bad, asked

    names, bad, asked = with_client(params, body)
    assert names == TOOLS
    assert bad.is_error and bad.structured_content["problems"][0]["path"] == "profile.citizenships"
    assert asked["question"] is not None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The web app on a real uvicorn on loopback, as `talentvisa serve` runs it."""
    web = create_app(from_environment(f"sqlite:///{tmp_path / 'cases.db'}"))
    server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_serve_offers_the_tools_over_streamable_http(served: str) -> None:
    async def body(c: Client) -> tuple[set[str], dict[str, Any]]:
        names = {t.name for t in (await c.list_tools()).tools}
        return names, await call(c, "programs", as_of=AS_OF)

    names, listed = with_client(f"{served}/mcp", body)
    assert names == TOOLS
    assert "cn-k" in [p["id"] for p in listed["programs"]]
