"""Counting over partly unknown lists: the known entries bound the answer.

A count, or the months of matching jobs, is at least what the certain entries give and at
most what the certain and possible ones give; a threshold is decided when the whole range
is on one side of it. So an unknown job never undoes a pass on "at least" or a fail on
"at most", and the missing facts are only those of entries that could still matter.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from talentvisa.explain import reason
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import Assessment, evaluate
from tests.population.bounds import AS_OF, CRITERIA, extended, programs


def run(name: str, profile: dict[str, Any]) -> Assessment:
    return evaluate(Profile.model_validate(profile), programs()[name], AS_OF)


NZ_48 = {"kind": "employment", "country": "NZ", "start": "2022-11-29", "ongoing": True}
UNKNOWN_COUNTRY = {"kind": "employment", "start": "2022-01-01", "end": "2024-06-01"}


def test_known_months_above_the_threshold_pass_despite_an_unknown_job() -> None:
    a = run("months-at-least", {"work": [NZ_48, UNKNOWN_COUNTRY]})
    assert a.status == "eligible" and a.missing == ()
    assert "at least 48" in reason(a.criteria[0]) and "≥ 36" in reason(a.criteria[0])
    assert "至少48" in reason(a.criteria[0], "zh")


def test_known_months_below_the_threshold_leave_it_open_and_ask_only_about_the_unknown() -> None:
    short = {**NZ_48, "start": "2024-11-29"}  # 24 months
    a = run("months-at-least", {"work": [short, UNKNOWN_COUNTRY]})
    assert a.status == "undetermined" and a.missing == ("work[1].country",)


def test_an_unknown_job_that_cannot_reach_the_threshold_is_not_asked_about() -> None:
    short = {**NZ_48, "start": "2024-11-29"}  # 24 months; the unknown job adds at most 10
    brief = {"kind": "employment", "start": "2022-01-01", "end": "2022-11-01"}
    a = run("months-at-least", {"work": [short, brief]})
    assert a.status == "ineligible" and a.missing == ()
    assert "at most 34" in reason(a.criteria[0])


def test_unknown_jobs_outside_the_window_or_inside_known_months_add_nothing() -> None:
    old = {"kind": "employment", "start": "2010-01-01", "end": "2015-01-01"}
    inside = {"kind": "employment", "start": "2025-01-01", "end": "2026-01-01"}
    a = run("months-at-least", {"work": [{**NZ_48, "start": "2024-11-29"}, old, inside]})
    assert a.status == "ineligible" and a.missing == ()


def test_an_upper_limit_already_exceeded_fails_whatever_the_unknown_jobs() -> None:
    a = run("months-at-most", {"work": [NZ_48, UNKNOWN_COUNTRY]})
    assert a.status == "ineligible" and a.missing == ()
    assert "at least 48" in reason(a.criteria[0])


def test_an_upper_limit_not_yet_reached_stays_open_while_a_job_is_unknown() -> None:
    a = run("months-at-most", {"work": [{**NZ_48, "start": "2025-11-29"}, UNKNOWN_COUNTRY]})
    assert a.status == "undetermined" and a.missing == ("work[1].country",)


def test_unknown_dates_stretch_only_the_upper_bound() -> None:
    no_start = {"kind": "employment", "country": "NZ", "end": "2026-11-29"}
    a = run("months-at-least", {"work": [no_start]})
    assert a.status == "undetermined" and a.missing == ("work[0].start",)
    a = run("months-at-least", {"work": [NZ_48, no_start]})
    assert a.status == "eligible"


def test_an_unknown_work_history_is_bounded_by_the_window() -> None:
    assert run("months-at-least", {}).missing == ("work",)
    assert run("count-at-least", {}).status == "undetermined"
    assert run("count-at-most", {}).missing == ("work",)


def test_counts_are_bounded_by_certain_and_possible_entries() -> None:
    nz = {"kind": "employment", "country": "NZ"}
    assert run("count-at-least", {"work": [nz, nz, {}]}).status == "eligible"
    assert run("count-at-least", {"work": [nz, {"country": "IN"}, {}]}).missing == (
        "work[2].country",
    )
    assert run("count-at-most", {"work": [nz, nz, {}]}).status == "ineligible"
    assert run("count-scaled", {"work": [nz, nz, {}]}).status == "eligible"
    assert run("months-difference", {"work": [NZ_48, UNKNOWN_COUNTRY]}).status == "eligible"


@settings(max_examples=300, deadline=None)
@given(extended())
def test_an_unknown_entry_never_undoes_a_decided_bound(
    profiles: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    """A pass on ">=" (a fail on "<=") stays so when a partly unknown job is added; and a
    decided answer with the job partly unknown is the answer once its facts are known."""
    base, partial, full = profiles
    for name, (_, kept) in CRITERIA.items():
        status = {"pass": "eligible", "fail": "ineligible"}[kept]
        before, after = run(name, base).status, run(name, partial).status
        if before == status:
            assert after == status, (name, base, partial)
        if after != "undetermined":
            assert run(name, full).status == after, (name, partial, full)
        else:
            assert run(name, partial).missing, (name, partial)
