"""Filling in an unknown fact never changes a determined answer into a different one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs

DATES = st.dates(dt.date(1960, 1, 1), dt.date(2027, 12, 31))
FIELDS = st.sampled_from(["0613", "0533", "0413", "0211", "0714", "0912", "0788", "05"])

institution = st.fixed_dictionaries({"world_rank": st.integers(1, 1200)}) | st.just(
    {"ranked": False}
)

education = st.fixed_dictionaries(
    {
        "level": st.sampled_from(["secondary", "short_cycle", "bachelor", "master", "doctorate"]),
        "field": FIELDS,
        "institution": institution,
        "completed": DATES,
    }
)
work = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["employment", "teaching", "research", "postdoc"]),
        "field": FIELDS,
        "employer": institution,
        "ongoing": st.booleans(),
    }
)
full_profiles = st.fixed_dictionaries(
    {
        "birth_date": st.dates(dt.date(1960, 1, 1), dt.date(2008, 12, 31)),
        "education": st.lists(education, max_size=3),
        "work": st.lists(work, max_size=2),
    }
)


def blank(data: Any, draw: st.DrawFn) -> Any:
    """Drop a random selection of facts, at any depth."""
    if isinstance(data, dict):
        return {k: blank(v, draw) for k, v in data.items() if not draw(st.booleans())}
    if isinstance(data, list):
        return [blank(v, draw) for v in data]
    return data


@st.composite
def full_and_partial(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    full = draw(full_profiles)
    return full, blank(full, draw)


@settings(max_examples=300, deadline=None)
@given(full_and_partial(), st.dates(dt.date(2025, 9, 1), dt.date(2028, 1, 1)))
def test_partial_answer_is_consistent_with_full(
    pair: tuple[dict[str, Any], dict[str, Any]], as_of: dt.date
) -> None:
    full, partial = pair
    for program in builtin_programs().values():
        complete = evaluate(Profile.model_validate(full), program, as_of)
        part = evaluate(Profile.model_validate(partial), program, as_of)
        if part.status in ("eligible", "ineligible"):
            assert part.status == complete.status, (partial, full)
        by_id = {c.id: c.result for c in complete.criteria}
        for c in part.criteria:
            if c.result in ("pass", "fail"):
                assert by_id[c.id] == c.result, (c.id, partial, full)
