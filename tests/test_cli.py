"""The command line as a user meets it: statuses, JSON shape, errors with exit code 2."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from talentvisa.cli import app
from talentvisa.provenance import HORIZON_ENV
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from tests.quoted import QUOTED

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def cn_k(doc: Any) -> dict[str, Any]:
    """The K visa's result: results come in programme-id order, and it is not the first."""
    return next(r for r in doc["results"] if r["program"] == "cn-k")  # type: ignore[no-any-return]


def check_json(path: Path, *extra: str) -> dict[str, object]:
    code, stdout, _ = run("check", str(path), "--json", "--as-of", "2026-11-29", *extra)
    assert code == 0
    return json.loads(stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("example", "status"),
    [
        ("full.yaml", "eligible"),
        ("partial.yaml", "undetermined"),
        ("empty.yaml", "undetermined"),
        ("judgement.yaml", "undetermined"),
    ],
)
def test_examples_give_their_statuses(examples: Path, example: str, status: str) -> None:
    doc = check_json(examples / example)
    result = next(r for r in doc["results"] if r["program"] == "cn-k")  # type: ignore[union-attr]
    assert result["status"] == status


def test_json_shape(examples: Path) -> None:
    doc = check_json(examples / "full.yaml")
    assert doc["as_of"] == "2026-11-29"
    result = next(r for r in doc["results"] if r["program"] == "cn-k")  # type: ignore[union-attr]
    assert result["points"] is None
    for criterion in result["criteria"]:
        assert set(criterion) >= {"id", "result", "reason", "citations"}
        assert criterion["result"] in {"pass", "fail", "unknown", "judgement"}
    leaf = next(c for c in result["criteria"] if c["id"] == "young")
    assert leaf["citations"][0]["href"].startswith("https://")
    assert "age (29)" in leaf["reason"]
    assert any("max_age = 45" in line for line in result["interpretations"])


def test_empty_profile_lists_what_is_missing(examples: Path) -> None:
    result = cn_k(check_json(examples / "empty.yaml"))
    assert result["missing"] == ["birth_date", "citizenships", "education", "work"]


def test_before_the_decree_is_not_in_force(examples: Path) -> None:
    code, stdout, _ = run("check", str(examples / "full.yaml"), "--as-of", "2025-09-01", "--json")
    assert code == 0
    assert cn_k(json.loads(stdout))["status"] == "not_in_force"
    code, stdout, _ = run("check", str(examples / "full.yaml"), "--as-of", "2025-09-01")
    assert "not in force" in stdout and "2025-10-01" in stdout


def test_table_output_flags_interpretations(examples: Path) -> None:
    code, stdout, _ = run("check", str(examples / "full.yaml"), "--as-of", "2026-11-29")
    assert code == 0
    assert "ELIGIBLE" in stdout
    assert "interpretations, not on published law" in stdout
    assert "well_known_max_rank = 500" in stdout


def test_chinese_output(examples: Path) -> None:
    result = cn_k(check_json(examples / "judgement.yaml", "--lang", "zh"))
    assert result["name"] == "K字签证（外国青年科技人才）"
    degree = next(c for c in result["criteria"] if c["id"] == "stem-degree")
    assert degree["result"] == "judgement"
    assert degree["reason"].startswith("需签证官判断")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("birth_date: 1997-02-30\n", "birth_date"),
        ("colour: blue\n", "colour: unknown field"),
        ("age: thirty\n", "age"),
        ("funds: {amount: -5, currency: EUR}\n", "funds.amount"),
        ("education:\n  - level: bachelor\n    field: '9999'\n", "education[0].field"),
        ("education:\n  - level: bachelors\n", "education[0].level"),
        ("citizenships: [XX]\n", "citizenships[0]"),
        ("work:\n  - {start: 2020-01-01, end: 2019-01-01}\n", "end is before start"),
        ("birth_date: [1\n", "not valid YAML/JSON"),
        ("work:\n  - {occupation: 2512, hours_per_week: 1:30}\n", "work[0].hours_per_week"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_bad_profiles_exit_2_with_the_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(text, encoding="utf-8")
    code, stdout, stderr = run("check", str(path))
    assert code == 2
    assert expected in stderr
    assert "me.yaml" in stderr
    assert "Traceback" not in stderr + stdout


def test_bad_profile_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("age: 30\nfunds:\n  amount: -5\n  currency: EUR\n", encoding="utf-8")
    _, _, stderr = run("check", str(path))
    assert "me.yaml:3:11: funds.amount" in stderr


def test_missing_file_and_bad_options(tmp_path: Path, examples: Path) -> None:
    assert run("check", str(tmp_path / "nope.yaml"))[0] == 2
    assert run("check", str(examples / "full.yaml"), "--as-of", "2025-13-01")[0] == 2
    assert run("check", str(examples / "full.yaml"), "--program", "xx-none")[0] == 2
    assert run("check", str(examples / "full.yaml"), "--lang", "fr")[0] == 2


def test_json_profile_input(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"age": 30, "education": [], "work": []}), encoding="utf-8")
    doc = check_json(path)
    assert cn_k(doc)["status"] == "ineligible"


def test_programs_explain_schema() -> None:
    code, stdout, _ = run("programs", "--as-of", "2026-01-01")
    assert code == 0 and "cn-k" in stdout and "2025-10-01" in stdout
    code, stdout, _ = run("explain", "cn-k", "--markdown", "--as-of", "2026-01-01")
    assert code == 0
    assert "age >= min_age and age <= max_age" in stdout
    assert "Interpretation (unconfirmed)" in stdout
    assert "https://gwgpac.org" in stdout
    code, stdout, _ = run("explain", "cn-k", "--markdown", "--lang", "zh", "--as-of", "2026-01-01")
    assert "解释性设定" in stdout
    code, stdout, _ = run("schema")
    schema = json.loads(stdout)
    assert {"birth_date", "education", "work", "job_offer", "languages"} <= set(
        schema["properties"]
    )


def test_unquoted_codes_are_read_as_text(tmp_path: Path) -> None:
    """YAML would read 0713 as an octal number; a field code keeps its leading zero."""
    path = tmp_path / "me.yaml"
    path.write_text(
        "age: 30\ncitizenships: [IN]\nwork: []\neducation:\n  - {level: bachelor, field: 0713, institution: {world_rank: 9},"
        " completed: 2020-06-01}\n",
        encoding="utf-8",
    )
    assert cn_k(check_json(path))["status"] == "eligible"


def test_judgement_listed_only_when_it_can_change_the_answer(examples: Path) -> None:
    result = cn_k(check_json(examples / "judgement.yaml"))
    assert result["judgements"] and "well-known" in result["judgements"][0]
    full = cn_k(check_json(examples / "full.yaml"))
    assert full["judgements"] == []


def test_a_citizen_needs_no_visa_from_their_own_country(tmp_path: Path, examples: Path) -> None:
    text = (examples / "full.yaml").read_text(encoding="utf-8").replace("[IN]", "[IN, CN]")
    path = tmp_path / "dual.yaml"
    path.write_text(text, encoding="utf-8")
    result = cn_k(check_json(path))
    assert result["program"] == "cn-k" and result["status"] == "ineligible"
    foreign = next(c for c in result["criteria"] if c["id"] == "foreign-national")
    assert foreign["result"] == "fail" and foreign["citations"][0]["source"] == "decree-814"


def _k_verified() -> dt.date:
    return builtin_programs()["cn-k"].verified


def test_check_json_carries_verified_and_no_warning_within_the_horizon(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(HORIZON_ENV, raising=False)
    day = _k_verified() + dt.timedelta(days=180)
    code, stdout, _ = run("check", str(examples / "full.yaml"), "--json", "--as-of", str(day))
    assert code == 0
    for result in json.loads(stdout)["results"]:
        program = builtin_programs()[result["program"]]
        assert result["verified"] == program.verified.isoformat()
        assert isinstance(result["warnings"], list) and isinstance(result["no_text"], list)
    k = next(r for r in json.loads(stdout)["results"] if r["program"] == "cn-k")
    assert k["warnings"] == []
    for criterion in k["criteria"]:
        assert "no_text" in criterion
        for citation in criterion["citations"]:
            assert {"verified", "quote"} <= set(citation)


def test_check_beyond_the_horizon_warns_that_the_rules_may_have_changed(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(HORIZON_ENV, raising=False)
    day = _k_verified() + dt.timedelta(days=181)
    code, stdout, _ = run("check", str(examples / "full.yaml"), "--json", "--as-of", str(day))
    k = next(r for r in json.loads(stdout)["results"] if r["program"] == "cn-k")
    (warning,) = k["warnings"]
    assert warning["code"] == "rules-may-have-changed"
    assert f"last verified against their sources on {_k_verified()}" in warning["text"]
    assert "more than 180 days later" in warning["text"]
    code, stdout, _ = run("check", str(examples / "full.yaml"), "-p", "cn-k", "--as-of", str(day))
    assert code == 0
    assert f"Rules verified on {_k_verified()}" in stdout and "may have changed" in stdout
    _, zh, _ = run(
        "check", str(examples / "full.yaml"), "-p", "cn-k", "--as-of", str(day), "--lang", "zh"
    )
    assert f"规则核对日期：{_k_verified()}" in zh and "规则可能已有变化" in zh.replace("\n", "")


def test_the_horizon_is_a_setting(examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    day = _k_verified() + dt.timedelta(days=11)
    monkeypatch.setenv(HORIZON_ENV, "10")
    k = check_json_on(examples / "full.yaml", day)
    assert [w["code"] for w in k["warnings"]] == ["rules-may-have-changed"]
    monkeypatch.setenv(HORIZON_ENV, "11")
    assert check_json_on(examples / "full.yaml", day)["warnings"] == []
    monkeypatch.setenv(HORIZON_ENV, "half a year")
    code, _, stderr = run("check", str(examples / "full.yaml"))
    assert code == 2 and HORIZON_ENV in stderr


def check_json_on(path: Path, day: dt.date) -> dict[str, Any]:
    code, stdout, _ = run("check", str(path), "--json", "-p", "cn-k", "--as-of", str(day))
    assert code == 0
    return json.loads(stdout)["results"][0]  # type: ignore[no-any-return]


def test_rules_without_published_text_are_flagged_in_the_check(
    examples: Path, monkeypatch: pytest.MonkeyPatch, make_program: Callable[[str], Program]
) -> None:
    quoted = make_program(QUOTED)
    monkeypatch.setattr("talentvisa.cli.builtin_programs", lambda: {"quoted": quoted})
    code, stdout, _ = run("check", str(examples / "full.yaml"), "--json", "--as-of", "2026-03-01")
    (result,) = json.loads(stdout)["results"]
    assert {(u["kind"], u["id"]) for u in result["no_text"]} == {
        ("criterion", "foreign"),
        ("parameter", "max_age"),
    }
    foreign = next(c for c in result["criteria"] if c["id"] == "foreign")
    assert foreign["no_text"] == "The decree says foreign talent but defines no test."
    young = next(c for c in result["criteria"] if c["id"] == "young")
    assert young["no_text"] is None
    assert young["citations"][0]["quote"] == {
        "text": "外国青年科技人才 *可以* 申请K字签证。",
        "lang": "zh",
        "en": "Young foreign science and technology talent *may* apply for a K visa.",
    }
    code, stdout, _ = run("check", str(examples / "full.yaml"), "--as-of", "2026-03-01")
    assert code == 0
    assert "† No published text: these rules are interpretations" in stdout
    table, notes = stdout.split("† No published text", 1)
    assert "†" in table  # the criterion's row is marked
    assert "The decree says foreign talent" in notes
    _, zh, _ = run("check", str(examples / "full.yaml"), "--as-of", "2026-03-01", "--lang", "zh")
    assert "没有可引用的公开条文" in zh


def test_compare_shows_each_programmes_verified_date(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(HORIZON_ENV, raising=False)
    late = max(p.verified for p in builtin_programs().values()) + dt.timedelta(days=181)
    args = ("compare", str(examples / "india-h1b.yaml"), "--as-of", str(late))
    code, stdout, _ = run(*args, "--json")
    assert code == 0
    for option in json.loads(stdout)["options"]:
        program = builtin_programs()[option["program"]]
        assert option["verified"] == program.verified.isoformat()
        assert [w["code"] for w in option["warnings"]] == ["rules-may-have-changed"]
    _, text, _ = run(*args)
    assert "Rules verified on: " in text and "may have changed" in text
