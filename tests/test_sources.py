"""`talentvisa sources`: every source with its verified date and the rules resting on it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from talentvisa.cli import app
from talentvisa.provenance import HORIZON_ENV, BadSetting, horizon_days, source_entries
from talentvisa.rules.loader import builtin_programs, citations_in
from talentvisa.rules.model import Program
from tests.quoted import QUOTED

runner = CliRunner()


def sources_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["sources", "--json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_every_source_of_every_shipped_programme_is_listed_with_verified() -> None:
    doc = sources_json("--as-of", "2026-12-01")
    listed = {(s["program"], s["key"]): s for s in doc["sources"]}  # type: ignore[union-attr,index]
    shipped = {(p.id, k): src for p in builtin_programs().values() for k, src in p.sources.items()}
    assert set(listed) == set(shipped)
    for key, source in shipped.items():
        entry = listed[key]
        assert entry["verified"] == source.verified.isoformat()
        assert entry["retrieved"] == source.retrieved.isoformat()
        assert entry["reliability"] == source.reliability.value
        assert entry["href"] == source.href
        assert entry["age_days"] == (dt.date(2026, 12, 1) - source.verified).days
    programs = {p["program"]: p["verified"] for p in doc["programs"]}  # type: ignore[union-attr,index]
    assert programs == {p.id: p.verified.isoformat() for p in builtin_programs().values()}


def test_every_citation_is_listed_under_its_source() -> None:
    doc = sources_json()
    used = {(s["program"], s["key"]) for s in doc["sources"] if s["used_by"]}  # type: ignore[union-attr,index]
    cited = {(p.id, c.source) for p in builtin_programs().values() for _, c in citations_in(p)}
    assert used == cited


def test_uses_are_merged_across_versions_and_say_whether_quoted(
    make_program: Callable[[str], Program],
) -> None:
    program = make_program(QUOTED)
    (decree, guide) = source_entries([program], dt.date(2026, 3, 1))
    uses = {(u.kind, u.id): u for u in decree.uses}
    assert uses[("criterion", "young")].quoted is True
    assert uses[("criterion", "young")].at == ("Art. 6(6)",)
    assert uses[("criterion", "young")].versions == (dt.date(2025, 1, 1),)
    assert uses[("criterion", "foreign")].quoted is False
    kinds = {(u.kind, u.id) for u in guide.uses}
    assert kinds == {("parameter", "max_age"), ("criterion", "adult"), ("fee", "visa")}


def test_older_than_filters_by_verified_age(make_program: Callable[[str], Program]) -> None:
    program = make_program(QUOTED)
    day = dt.date(2026, 1, 31)  # decree verified 30 days before, guide 244
    assert [e.key for e in source_entries([program], day, 30)] == ["guide"]
    assert [e.key for e in source_entries([program], day, 29)] == ["decree", "guide"]
    assert [e.key for e in source_entries([program], day, 244)] == []


def test_older_than_on_the_command_line() -> None:
    oldest = max(s.verified for p in builtin_programs().values() for s in p.sources.values())
    day = oldest + dt.timedelta(days=10)
    doc = sources_json("--older-than", "10", "--as-of", day.isoformat())
    assert all(s["age_days"] > 10 for s in doc["sources"])  # type: ignore[union-attr,index]
    assert all(s["verified"] != oldest.isoformat() for s in doc["sources"])  # type: ignore[union-attr,index]
    assert doc["older_than"] == 10


def test_text_output_in_both_languages() -> None:
    out = runner.invoke(app, ["sources", "--program", "cn-k"]).stdout
    assert "decree-814" in out and "verified" in out and "rules resting on it" in out
    zh = runner.invoke(app, ["sources", "--program", "cn-k", "--lang", "zh"]).stdout
    assert "核对于" in zh and "依据此来源" in zh


@pytest.mark.parametrize(
    "args",
    [
        ["--older-than", "-1"],
        ["--older-than", "soon"],
        ["--as-of", "2026-02-30"],
        ["--program", "xx-none"],
        ["--lang", "fr"],
    ],
)
def test_bad_input_exits_2(args: list[str]) -> None:
    assert runner.invoke(app, ["sources", *args]).exit_code == 2


def test_the_horizon_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HORIZON_ENV, raising=False)
    assert horizon_days() == 180
    monkeypatch.setenv(HORIZON_ENV, "30")
    assert horizon_days() == 30
    for bad in ("thirty", "-5", "1.5"):
        monkeypatch.setenv(HORIZON_ENV, bad)
        with pytest.raises(BadSetting, match=HORIZON_ENV):
            horizon_days()
        assert runner.invoke(app, ["sources"]).exit_code == 2
