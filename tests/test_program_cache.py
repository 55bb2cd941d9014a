"""The parsed-programme cache saves time and never changes an answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from talentvisa.inputs import load_profile
from talentvisa.report import check_document
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import (
    CACHE_ENV,
    cached_program,
    load_program,
    program_files,
)
from talentvisa.rules.model import Condition
from talentvisa.yamlpos import InputError

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 29)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(directory))
    return directory


def same(a: Any, b: Any) -> bool:
    """Equal in every field, conditions and their inferred types included (a ``Condition``
    compares by identity, and a node's type is left out of its ``==``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Condition):
        return a.text == b.text and same(a.node, b.node)
    if isinstance(a, BaseModel):
        return all(same(getattr(a, k), getattr(b, k)) for k in type(a).model_fields)
    if dataclasses.is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def _programme(tmp_path: Path) -> Path:
    """A copy of a shipped programme, to edit."""
    source = next(p for p in program_files() if p.name == "cn-k.yaml")
    path = tmp_path / "cn-k.yaml"
    path.write_bytes(source.read_bytes())
    return path


def test_a_cached_programme_gives_the_same_answers(cache: Path) -> None:
    person = load_profile(ROOT / "examples" / "full.yaml", AS_OF)
    for path in program_files():
        fresh = load_program(path)
        cached_program(path)  # parse and store
        assert list(cache.glob("*.pickle")), "nothing was stored"
        stored = cached_program(path)  # read back
        assert same(stored, fresh)
        assert check_document([evaluate(person, stored, AS_OF)], AS_OF) == check_document(
            [evaluate(person, fresh, AS_OF)], AS_OF
        )


def test_a_changed_programme_file_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    path = _programme(tmp_path)
    before = cached_program(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("en: K visa (", "en: Q visa (", 1), encoding="utf-8")
    after = cached_program(path)
    assert after.name.en != before.name.en
    assert "Q visa" in after.name.en


def test_a_changed_file_that_no_longer_loads_is_refused(cache: Path, tmp_path: Path) -> None:
    path = _programme(tmp_path)
    cached_program(path)
    path.write_text(path.read_text(encoding="utf-8") + "\nbogus_key: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="bogus_key"):
        cached_program(path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # a write cut short
        lambda blob: blob[:-10] + bytes(10),  # bytes overwritten
        lambda blob: b"",  # emptied
        lambda blob: blob[:8] + blob[8:40] + b"\x80\x05junk",  # checksum no longer matches
    ],
)
def test_a_damaged_cache_entry_is_ignored(cache: Path, tmp_path: Path, damage: object) -> None:
    path = _programme(tmp_path)
    fresh = cached_program(path)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert same(cached_program(path), fresh)
    assert same(cached_program(path), fresh)  # and the entry was rewritten whole


def test_an_entry_that_is_not_a_programme_is_ignored(cache: Path, tmp_path: Path) -> None:
    import hashlib
    import pickle

    path = _programme(tmp_path)
    fresh = cached_program(path)
    (entry,) = cache.glob("*.pickle")
    payload = pickle.dumps({"not": "a programme"})
    entry.write_bytes(entry.read_bytes()[:8] + hashlib.sha256(payload).digest() + payload)
    assert same(cached_program(path), fresh)


def test_caching_off_parses_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = _programme(tmp_path)
    assert same(cached_program(path), load_program(path))
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_a_directory_others_can_write_to_is_not_used(cache: Path, tmp_path: Path) -> None:
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    path = _programme(tmp_path)
    assert same(cached_program(path), load_program(path))
    assert not list(cache.iterdir())
