"""Bad input is told in the reader's language, field by field, and never shows a regex."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from talentvisa.casework.labels import state_label
from talentvisa.cli import app as cli
from talentvisa.messages import TEMPLATES, said
from talentvisa.profile import Profile
from talentvisa.web.app import create_app


def _errors(data: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as exc:
        Profile.model_validate(data)
    return list(exc.value.errors())


@pytest.mark.parametrize(
    ("data", "zh"),
    [
        ({"birth_date": "10/05/1997"}, "日期格式为YYYY-MM-DD"),
        ({"age": -3}, "不能小于0"),
        ({"age": "twenty"}, "请输入整数"),
        ({"citizenships": ["India"]}, "“India”不是国家代码"),
        ({"education": [{"level": "phd"}]}, "请选择：高中、职业教育、专科、学士、硕士、博士"),
        ({"education": [{"field": "cs"}]}, "不是ISCED-F 2013学科代码"),
        ({"work": [{"occupation": "99999"}]}, "不是ISCO-08职业代码"),
        ({"work": [{"ongoing": True, "end": "2024-01-01"}]}, "仍在进行的工作没有结束日期"),
        ({"job_offer": {"us_soc": "x"}}, "美国SOC职业代码，例如15-1252"),
        ({"citizenships": []}, "请至少填写一个国籍"),
        ({"job_offer": {"salary": {"amount": 1}}}, "此项为必填"),
    ],
)
def test_each_error_type_has_its_chinese(data: dict[str, Any], zh: str) -> None:
    (error,) = _errors(data)
    message = said(error)
    assert zh in message.zh
    assert "^" not in message and "^" not in message.zh  # no pattern is ever shown
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in message)  # English stays English


def test_a_pattern_is_said_in_words_in_english_too() -> None:
    (error,) = _errors({"job_offer": {"us_soc": "x"}})
    assert said(error) == "write a US SOC code such as 15-1252"


def test_every_template_fills_in_both_languages() -> None:
    for kind, (en, zh) in TEMPLATES.items():
        assert en and zh, kind


def test_the_cli_names_the_place_and_says_it_in_chinese(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text("birth_date: 1997-05-10\ncitizenships: [India]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(profile), "--lang", "zh"])
    assert result.exit_code == 2
    assert f"{profile}:2:16: citizenships[0]: “India”不是国家代码" in result.output
    assert "Traceback" not in result.output


def test_api_problem_details_follow_accept_language() -> None:
    client = TestClient(create_app())
    body = {"profile": {"age": -3, "citizenships": ["India"]}}
    zh = client.post("/api/v1/assess", json=body, headers={"Accept-Language": "zh-CN"})
    en = client.post("/api/v1/assess", json=body)
    assert zh.status_code == en.status_code == 422
    assert zh.json()["title"] == "请求有误"
    assert [e["path"] for e in zh.json()["errors"]] == [e["path"] for e in en.json()["errors"]]
    assert "不能小于0" in [e["message"] for e in zh.json()["errors"]]
    assert en.json()["title"] == "The request has problems"


def test_case_states_have_words_in_both_languages() -> None:
    assert state_label("correction_requested") == "corrections requested"
    assert state_label("correction_requested", "zh") == "需补正材料"
