"""ISCO-08 codes are checked against the ILO's list, not by their shape."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from talentvisa.inputs import parse_profile
from talentvisa.rules.loader import builtin_programs
from talentvisa.vocab import ISCO_FILE, check_isco, isco_titles
from talentvisa.yamlpos import InputError, load

ROOT = Path(__file__).resolve().parents[1]


def test_the_list_has_every_level_of_isco_08() -> None:
    by_length: dict[int, int] = {}
    for code in isco_titles():
        by_length[len(code)] = by_length.get(len(code), 0) + 1
    assert by_length == {1: 10, 2: 43, 3: 130, 4: 436}  # the ILO's counts


def test_every_group_sits_under_its_parent_and_has_an_english_title() -> None:
    titles = isco_titles()
    for code, title in titles.items():
        assert code.isdigit() and title["en"].strip()
        assert len(code) == 1 or code[:-1] in titles, code


def test_the_file_cites_its_source_and_marks_the_chinese_as_ours() -> None:
    doc = json.loads(ISCO_FILE.read_text(encoding="utf-8"))
    assert "ILO" in doc["source"]["title"] and doc["source"]["href"].startswith("https://")
    assert doc["source"]["retrieved"] and doc["source"]["verified"]
    assert doc["zh_by"] == "talentvisa"


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("2512", "Software developers"),
        ("2152", "Electronics engineers"),
        ("2310", "University and higher education teachers"),
        ("133", "Information and communications technology service managers"),
        ("25", "Information and communications technology professionals"),
        ("0110", "Commissioned armed forces officers"),
        ("2", "Professionals"),
        ("9629", "Elementary workers not elsewhere classified"),
    ],
)
def test_sample_titles(code: str, title: str) -> None:
    assert isco_titles()[code]["en"] == title


@pytest.mark.parametrize("code", ["2512", "0110", "133", "25", "2", "0"])
def test_real_codes_at_every_level_are_accepted(code: str) -> None:
    profile = parse_profile(f"work:\n  - occupation: '{code}'\n")
    assert profile.work is not None and profile.work[0].occupation == code


def test_an_unquoted_code_is_read_as_its_digits() -> None:
    profile = parse_profile("work:\n  - occupation: 2512\n")
    assert profile.work is not None and profile.work[0].occupation == "2512"


@pytest.mark.parametrize(
    ("code", "near"),
    [
        ("2599", "2529 Database and network professionals not elsewhere classified"),
        ("9999", "9629"),
        ("10", "11 Chief executives"),  # major group 1 is "1", not "10"
        ("1000", "1111"),
        ("2510", "2511 Systems analysts"),  # pattern-valid, but no such unit group
        ("110", "111 Legislators"),  # what 0110 becomes when its zero is lost
        ("software developer", "2512 Software developers"),
    ],
)
def test_an_unknown_code_is_not_isco_08_and_near_groups_are_suggested(code: str, near: str) -> None:
    with pytest.raises(InputError) as info:
        parse_profile(f"job_offer:\n  occupation: '{code}'\n", "me.yaml")
    message = info.value.render()
    assert message.startswith("me.yaml:2:16: job_offer.occupation:"), message
    assert f"'{code}' is not an ISCO-08 code" in message and near in message


def test_check_isco_leaves_other_types_to_the_schema() -> None:
    assert check_isco(None) is None
    with pytest.raises(InputError, match="valid string"):
        parse_profile("work: [{occupation: [2512]}]\n")


def _occupations(data: Any) -> list[str]:
    """Every value under a key named ``occupation`` anywhere in a document."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "registrations":
                continue  # a registration names its occupation in words, not as ISCO
            if key == "occupation" and isinstance(value, str | int):
                found.append(str(value))
            else:
                found.extend(_occupations(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(_occupations(item))
    return found


def test_every_isco_code_the_project_uses_is_in_the_list() -> None:
    used: dict[str, str] = {}
    for path in [*ROOT.glob("examples/*.yaml"), *ROOT.glob("src/talentvisa/programs/*.cases.yaml")]:
        for code in _occupations(load(path, aliases=True).data):
            used.setdefault(code, str(path))
    for program in builtin_programs().values():
        for name, parameter in program.parameters.items():
            if "occupation" in name and "shortage" not in name:
                for value in parameter.values.values():
                    for code in value:
                        used.setdefault(str(code), f"{program.id}.{name}")
    for path in [*ROOT.glob("tests/**/*.py"), *ROOT.glob("src/talentvisa/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for code in re.findall(r"occupation=st\.sampled_from\(\[([^\]]*)\]", text):
            for c in re.findall(r"\"(\d+)\"", code):
                used.setdefault(c, str(path))
        for c in re.findall(r"occupation\": np\.full\(n, \"(\d+)\"", text):
            used.setdefault(c, str(path))
    assert {"2512", "2144", "133", "1330"} <= set(used)
    unknown = {code: where for code, where in used.items() if code not in isco_titles()}
    assert not unknown
