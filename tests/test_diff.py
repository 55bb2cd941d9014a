"""A programme's changes between two dates, each with the citations that hold it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from talentvisa.diff import diff
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program

TWO_VERSIONS = """\
id: two
country: DE
name: {en: Two versions, zh: 两个版本}
summary: {en: test, zh: 测试}
verified: 2026-11-29
sources:
  old: {title: Old law, href: "https://example.org/old", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}
  new: {title: New law, href: "https://example.org/new", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}
parameters:
  salary:
    description: {en: Salary threshold, zh: 薪资门槛}
    values: {2025-01-01: 48300, 2026-01-01: 50700}
    sources: [new]
versions:
  - from: 2025-01-01
    criteria: {id: paid, title: {en: Paid enough, zh: 薪资达标}, when: job_offer.salary.amount >= salary, sources: [old]}
    fees:
      - {id: visa, title: {en: Visa fee, zh: 签证费}, amount: 75, currency: EUR, payer: applicant, sources: [old]}
  - from: 2026-01-01
    criteria:
      id: all
      all:
        - {id: paid, title: {en: Paid enough, zh: 薪资达标}, when: job_offer.salary.amount >= salary, sources: [new]}
        - {id: offer, title: {en: Six months, zh: 六个月}, when: job_offer.duration_months >= 6, sources: [new]}
"""


def test_changes_between_versions_are_listed_with_citations(
    make_program: Callable[[str], Program],
) -> None:
    program = make_program(TWO_VERSIONS)
    d = diff(program, dt.date(2025, 12, 31), dt.date(2026, 1, 1))
    found = {(i.section, i.id, i.change) for i in d.items}
    assert found == {
        ("criterion", "offer", "added"),
        ("fee", "visa", "removed"),
        ("parameter", "salary", "changed"),
    }
    salary = next(i for i in d.items if i.id == "salary")
    assert (salary.before, salary.after) == ("48300", "50700")
    assert [c.source for c in salary.citations] == ["new"]
    fee = next(i for i in d.items if i.id == "visa")
    assert fee.before is not None and "EUR 75 paid by applicant" in fee.before
    assert [c.source for c in fee.citations] == ["old"]


def test_same_version_shows_only_parameter_changes(make_program: Callable[[str], Program]) -> None:
    program = make_program(TWO_VERSIONS)
    assert diff(program, dt.date(2025, 3, 1), dt.date(2025, 9, 1)).items == ()


def test_k_visa_coming_into_force_adds_every_criterion() -> None:
    k = builtin_programs()["cn-k"]
    d = diff(k, dt.date(2025, 9, 30), dt.date(2025, 10, 1))
    assert d.version1 is None and d.version2 == dt.date(2025, 10, 1)
    added = {i.id for i in d.items if i.section == "criterion" and i.change == "added"}
    assert {"young", "stem-degree", "stem-teaching-research"} <= added
    flagged = {i.id for i in d.items if i.section == "parameter" and i.interpretation}
    assert flagged == {"min_age", "max_age", "stem_fields", "well_known_max_rank"}
