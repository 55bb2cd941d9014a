"""Reading YAML as YAML 1.2, with positions, and refusing what a person's input never needs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from talentvisa.inputs import parse_profile
from talentvisa.yamlpos import InputError, Position, load, loads


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: NO\n", "NO"),  # Norway, not false (YAML 1.1 would say false)
        ("a: no\n", "no"),
        ("a: on\n", "on"),
        ("a: off\n", "off"),
        ("a: y\n", "y"),
        ("a: 1:20\n", "1:20"),  # not sexagesimal 80
        ("a: 012\n", "012"),  # not octal 10: the text is kept, so codes keep their zero
        ("a: 0o12\n", 10),  # YAML 1.2 octal
        ("a: 0x1F\n", 31),
        ("a: 12\n", 12),
        ("a: true\n", True),
        ("a: False\n", False),
        ("a: 1.10\n", Decimal("1.10")),
        ("a: 2024-02-30\n", "2024-02-30"),  # timestamps stay text; pydantic reports them
        ("a: ~\n", None),
        ("a: '5'\n", "5"),
    ],
)
def test_scalars_are_read_as_yaml_1_2(text: str, value: object) -> None:
    data = loads(text).data
    assert data == {"a": value} and type(data["a"]) is type(value)


def test_a_yaml_1_1_document_may_still_say_so() -> None:
    assert loads("%YAML 1.1\n---\na: yes\n").data == {"a": True}


def test_citizenships_no_is_norway_and_nonprofit_no_is_false() -> None:
    profile = parse_profile(
        "citizenships: [NO, 'IN']\nhas_job_offer: yes\n"
        "job_offer: {employer: {nonprofit: no, accredited: off}}\n"
    )
    assert profile.citizenships == ["NO", "IN"]
    assert profile.has_job_offer is True
    assert profile.job_offer is not None and profile.job_offer.employer is not None
    assert profile.job_offer.employer.nonprofit is False
    assert profile.job_offer.employer.accredited is False


def test_positions_of_every_value() -> None:
    doc = loads('a:\n  - x\n  - {b: "y", c: 3}\nd: |\n  text\n', "f.yaml")
    assert doc.positions[("a", 0)] == Position(2, 5)
    assert doc.positions[("a", 1, "b")] == Position(3, 10)  # after the opening quote
    assert doc.positions[("a", 1, "c")] == Position(3, 17)
    assert doc.positions[("d",)].line == 5  # the line after |


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1", "duplicate key 'a'"),
        ("x:\n  k: 1\n  k: 1\n", "f.yaml:3:3", "duplicate key 'k'"),
        ("a: [1, 2\n", "f.yaml:2:1", "not valid YAML/JSON"),
        ("a: .nan\n", "f.yaml:1:4", "not a finite number"),
        ("a: b\x00c\n", "f.yaml:1:5", "a NUL character is not allowed"),
        ('a: "b\\0c"\n', "f.yaml:1:4", "contains a NUL character"),
        ("a: &x [1]\nb: *x\n", "f.yaml: b:", "aliases (*name) are not accepted"),
        ("a: &a [*a]\n", "f.yaml: a[0]:", "aliases (*name) are not accepted"),
        ("{a: 1}: 2\n", "f.yaml:1:1", "keys must be plain values"),
    ],
)
def test_bad_input_is_refused_with_its_place(text: str, where: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        loads(text, "f.yaml")
    rendered = info.value.render()
    assert rendered.startswith(where) and message in rendered, rendered


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    bomb = "a: &a [x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    with pytest.raises(InputError, match="aliases"):
        loads(bomb)


@pytest.mark.parametrize(
    "text", ["[" * 5000, "a:\n" + "".join(" " * i + "- \n" for i in range(200))]
)
def test_deep_nesting_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="nested"):
        loads(text)


def test_programme_files_may_share_parts_through_anchors() -> None:
    assert loads("a: &x {k: 1}\nb: *x\n", aliases=True).data == {"a": {"k": 1}, "b": {"k": 1}}
    with pytest.raises(InputError, match="nested"):
        loads("a: &a [*a]\n", aliases=True)


def test_a_file_over_the_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: [" + b"1, " * 400 + b"\n")  # not even valid: never parsed
    with pytest.raises(InputError) as info:
        load(path, max_bytes=1024)
    assert (
        info.value.render()
        == f"{path}: too large: more than 1 KiB, the limit for this file (is it the right one?)"
    )
    path.write_bytes(b"a: [" + b"1, " * 300 + b"1]\n")
    assert len(load(path, max_bytes=1024).data["a"]) == 301


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.yaml")
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        load(tmp_path / "bin.yaml")
