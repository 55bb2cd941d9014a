"""Small programmes whose one criterion is a bounded aggregate, and entries to add to them:
shared by the evaluator's bounds tests and the compiled engines' (tests/population)."""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from talentvisa.rules.loader import load_program
from talentvisa.rules.model import Program

AS_OF = dt.date(2026, 11, 29)

# name -> (condition, the result that adding an entry with unknown fields must keep)
CRITERIA: dict[str, tuple[str, str]] = {
    "months-at-least": ('months_within(work, w => w.country == "NZ", 5) >= 36', "pass"),
    "months-at-most": ('months_within(work, w => w.country == "NZ", 5) <= 24', "fail"),
    "months-total-at-least": (
        "months_within(work, w => w.ongoing or w.end >= 2020-01-01, 100) >= 60",
        "pass",
    ),
    "months-difference": ('months_within(work, w => w.country == "NZ", 5) - 12 > 24', "pass"),
    "count-at-least": ('count(work, w => w.country == "NZ") >= 2', "pass"),
    "count-at-most": ('count(work, w => w.country == "NZ") <= 1', "fail"),
    "count-scaled": ('2 * count(work, w => w.country == "NZ") >= 4', "pass"),
    "any-entry": ('any(work, w => w.country == "NZ")', "pass"),
    "all-entries": ('all(work, w => w.country == "NZ")', "fail"),
}

TEMPLATE = """\
id: bounds-{name}
country: NZ
name: {{en: Bounds test, zh: 界限测试}}
summary: {{en: One bounded criterion, zh: 一项有界条件}}
verified: 2026-11-29
sources:
  src: {{title: A source, href: "https://example.org", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}}
versions:
  - from: 2025-01-01
    criteria:
      id: rule
      title: {{en: The rule, zh: 规则}}
      when: '{when}'
      sources: [src]
      no_text: {{en: A test rule., zh: 测试规则。}}
"""


def one_criterion_programs(conditions: dict[str, str]) -> dict[str, Program]:
    """A loaded test programme per named condition, each its one criterion."""
    folder = Path(tempfile.mkdtemp(prefix="bounds-"))
    out = {}
    for name, when in conditions.items():
        path = folder / f"bounds-{name}.yaml"
        path.write_text(TEMPLATE.format(name=name, when=when), encoding="utf-8")
        out[name] = load_program(path)
    return out


@cache
def programs() -> dict[str, Program]:
    return one_criterion_programs({name: when for name, (when, _) in CRITERIA.items()})


DATES = st.dates(dt.date(2015, 1, 1), dt.date(2027, 6, 30))
COUNTRY = st.sampled_from(["NZ", "AU", "IN"])


@st.composite
def known_entry(draw: st.DrawFn) -> dict[str, Any]:
    """A job whose every fact the rules read is known."""
    start = draw(DATES)
    entry: dict[str, Any] = {"kind": "employment", "country": draw(COUNTRY), "start": start}
    if draw(st.booleans()):
        entry["ongoing"] = True
    else:
        entry["end"] = start + dt.timedelta(days=draw(st.integers(1, 3000)))
        entry["ongoing"] = False
    return entry


@st.composite
def unknown_entry(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A job with some of its facts unknown, and one way those facts could turn out."""
    full = draw(known_entry())
    hidden = draw(st.sets(st.sampled_from(["country", "start", "end"]), min_size=1))
    partial = {k: v for k, v in full.items() if k not in hidden}
    if "end" in hidden:
        partial.pop("ongoing", None)
    return partial, full


@st.composite
def extended(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(a profile, the same with a partly unknown job added, the same with it completed)."""
    jobs = draw(st.lists(known_entry(), max_size=3))
    partial, full = draw(unknown_entry())
    at = draw(st.integers(0, len(jobs)))
    return (
        {"work": jobs},
        {"work": [*jobs[:at], partial, *jobs[at:]]},
        {"work": [*jobs[:at], full, *jobs[at:]]},
    )
