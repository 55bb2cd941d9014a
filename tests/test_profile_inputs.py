"""Profile facts checked where the assessment date is known, nationality unknown vs stated,
and the size limit on profile files, on every surface (core, CLI, API, pages)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentvisa.cli import app
from talentvisa.inputs import MAX_PROFILE_BYTES, check_on, conflicts_on, load_profile, parse_profile
from talentvisa.interview import NONE_ANSWER, AnswerError, Question, answer, fields_for, pending
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.web import guard, pages, state
from talentvisa.web.app import create_app
from talentvisa.yamlpos import InputError

runner = CliRunner()
AS_OF = dt.date(2026, 12, 1)


# ---------------------------------------------------------------- age and birth_date


@pytest.mark.parametrize(
    ("name", "birth_date", "age", "as_of", "conflict"),
    [
        ("birthday on the assessment day: 30 is right", "1996-12-01", 30, AS_OF, None),
        ("birthday on the assessment day: 29 is a year short", "1996-12-01", 29, AS_OF, "age"),
        ("the day before the birthday: 29 is right", "1996-12-02", 29, AS_OF, None),
        ("the day before the birthday: 30 is a day early", "1996-12-02", 30, AS_OF, "age"),
        (
            "born 29 Feb, 28 Feb of a common year: not yet 25",
            "2000-02-29",
            24,
            dt.date(2025, 2, 28),
            None,
        ),
        ("born 29 Feb, 1 Mar of a common year: 25", "2000-02-29", 25, dt.date(2025, 3, 1), None),
        (
            "the age is that on the assessment date, not today",
            "1996-12-01",
            27,
            dt.date(2024, 6, 1),
            None,
        ),
        ("born on the assessment day", "2026-12-01", 0, AS_OF, None),
        ("born the day after the assessment day", "2026-12-02", None, AS_OF, "birth_date"),
        (
            "born after the assessment day, though before today",
            "2025-01-01",
            None,
            dt.date(2024, 6, 1),
            "birth_date",
        ),
        ("born after today, assessed later still", "2027-01-01", None, dt.date(2045, 6, 1), None),
        ("age alone is never checked", None, 130, AS_OF, None),
    ],
)
def test_age_must_agree_with_birth_date_on_the_assessment_date(
    name: str, birth_date: str | None, age: int | None, as_of: dt.date, conflict: str | None
) -> None:
    profile = Profile.model_validate({"birth_date": birth_date, "age": age})
    found = conflicts_on(profile, as_of)
    assert [path[0] for path, _ in found] == ([conflict] if conflict else []), name


def test_the_message_names_both_fields_and_the_date() -> None:
    profile = Profile(birth_date=dt.date(1996, 12, 2), age=30)
    with pytest.raises(InputError) as info:
        check_on(profile, AS_OF, "me.yaml")
    assert info.value.render() == (
        "me.yaml: age: age 30 disagrees with birth_date 1996-12-02: on 2026-12-01, the "
        "assessment date, that birth date gives age 29; correct one of them, or give "
        "birth_date alone"
    )


def test_a_profile_is_valid_without_a_date_whatever_its_birth_date() -> None:
    """The old validator compared with the wall clock; validity no longer depends on it."""
    assert Profile.model_validate({"birth_date": "2090-01-01", "age": 3}).age == 3


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize("command", ["check", "compare", "changes"])
def test_cli_refuses_a_disagreeing_age_with_exit_2_and_the_place(
    tmp_path: Path, command: str
) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("citizenships: [IN]\nbirth_date: 1996-12-02\nage: 30\n", encoding="utf-8")
    code, stderr = run(command, str(path), "--as-of", "2026-12-01")
    assert code == 2, stderr
    assert "me.yaml:3:6: age: age 30 disagrees with birth_date 1996-12-02" in stderr
    assert run("check", str(path), "--as-of", "2026-12-02")[0] == 0  # the birthday: 30 is right


def test_cli_refuses_a_birth_date_after_the_assessment_date(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("birth_date: 2025-01-01\n", encoding="utf-8")
    code, stderr = run("check", str(path), "--as-of", "2024-06-01")
    assert code == 2 and "me.yaml:1:13: birth_date: birth_date 2025-01-01 is after" in stderr


@pytest.mark.parametrize("endpoint", ["/api/v1/assess", "/api/v1/compare", "/api/v1/changes"])
def test_api_answers_a_disagreeing_age_with_a_problem_naming_the_field(endpoint: str) -> None:
    client = TestClient(create_app())
    body = {"profile": {"birth_date": "1996-12-02", "age": 30}, "as_of": "2026-12-01"}
    r = client.post(endpoint, json=body)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["errors"][0]["path"] == "profile.age"
    assert "disagrees with birth_date 1996-12-02" in problem["errors"][0]["message"]
    body["as_of"] = "2026-12-02"
    assert client.post(endpoint, json=body).status_code == 200


@pytest.mark.parametrize("page", ["/results", "/results/changes", "/compare", "/interview"])
def test_pages_refuse_a_disagreeing_age(page: str) -> None:
    client = TestClient(create_app())
    token = state.encode({"birth_date": "1996-12-02", "age": 30})
    r = client.get(page, params={"p": token, "as_of": "2026-12-01"})
    assert r.status_code == 422 and "disagrees with birth_date" in r.text
    ok = client.get(page, params={"p": token, "as_of": "2026-12-02"}, follow_redirects=False)
    assert ok.status_code in (200, 303)


# ---------------------------------------------------------------- nationality


def test_absent_citizenships_are_unknown_and_asked() -> None:
    programs = list(builtin_programs().values())
    profile = parse_profile("birth_date: 1997-05-10\n")
    for program in programs:
        result = evaluate(profile, program, AS_OF)
        if result.status != "not_in_force":
            assert result.status == "undetermined" and "citizenships" in result.missing, program.id
    assert pending(profile, programs, AS_OF)["citizenships"] >= len(programs) - 1


def test_an_empty_list_of_nationalities_is_refused_with_a_reason() -> None:
    with pytest.raises(InputError) as info:
        parse_profile("birth_date: 1997-05-10\ncitizenships: []\n", "me.yaml")
    message = info.value.render()
    assert message.startswith("me.yaml:2:15: citizenships: list at least one nationality")
    assert "stateless" in message


@pytest.mark.parametrize(
    ("citizenships", "status"),
    [(["IN"], "pass"), (["CN"], "fail"), (["IN", "CN"], "fail"), (None, "unknown")],
)
def test_a_stated_nationality_is_used(citizenships: list[str] | None, status: str) -> None:
    profile = Profile.model_validate({"citizenships": citizenships})
    result = evaluate(profile, builtin_programs()["cn-k"], AS_OF)
    foreign = next(c for c in result.criteria if c.id == "foreign-national")
    assert foreign.result == status


def test_the_interview_does_not_take_an_empty_answer_as_no_nationality() -> None:
    citizenship = Question("citizenships", "citizenship", fields_for("citizenships", "en"), None, 1)
    assert citizenship.fields[0].kind == "countries" and "citizenships" not in NONE_ANSWER
    with pytest.raises(AnswerError) as info:
        answer({}, citizenship, {"citizenships": " , "})
    assert info.value.problems[0][0] == "citizenships"
    assert answer({}, citizenship, {"citizenships": "no, in"}) == {"citizenships": ["NO", "IN"]}


def test_the_api_refuses_an_empty_list_of_nationalities() -> None:
    r = TestClient(create_app()).post("/api/v1/assess", json={"profile": {"citizenships": []}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["path"] == "profile.citizenships"


def test_the_schema_says_at_least_one_nationality() -> None:
    schema = Profile.model_json_schema()["properties"]["citizenships"]
    assert schema["minItems"] == 1  # applies to the array; null (unknown) stays allowed
    assert {"type": "null"} in schema["anyOf"]


# ---------------------------------------------------------------- size limit


def test_a_profile_file_over_the_limit_is_refused_unparsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"notes: '" + b"x" * MAX_PROFILE_BYTES + b"'\n")
    with pytest.raises(InputError, match="too large: more than 256 KiB"):
        load_profile(path)
    code, stderr = run("check", str(path))
    assert code == 2 and "huge.yaml: too large: more than 256 KiB" in stderr


def test_a_profile_just_under_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    head = b"citizenships: [IN]\n"
    path.write_bytes(head + b"#" * (MAX_PROFILE_BYTES - len(head) - 1) + b"\n")
    assert path.stat().st_size == MAX_PROFILE_BYTES
    assert load_profile(path).citizenships == ["IN"]


def test_parsed_text_has_the_same_limit() -> None:
    with pytest.raises(InputError, match="too large"):
        parse_profile("#" * (MAX_PROFILE_BYTES + 1))


def test_the_web_uses_the_same_limit_for_bodies_and_uploads() -> None:
    # A saved result reopened at /open carries the answers besides the profile: the file may
    # be larger, the profile inside it is held to the same limit.
    assert guard.MAX_BODY == MAX_PROFILE_BYTES < pages.MAX_UPLOAD
    client = TestClient(create_app())
    big = json.dumps({"profile": {}, "pad": "x" * MAX_PROFILE_BYTES})
    r = client.post("/api/v1/assess", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and str(MAX_PROFILE_BYTES) in r.json()["detail"]
