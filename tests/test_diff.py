"""A programme's changes between two dates, each with the citations that hold it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rich.console import Console
from typer.testing import CliRunner

from talentvisa.cli import app
from talentvisa.diff import diff
from talentvisa.report import diff_document
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
    no_text: {en: Test rule., zh: 测试规则。}
versions:
  - from: 2025-01-01
    criteria: {id: paid, title: {en: Paid enough, zh: 薪资达标}, when: job_offer.salary.amount >= salary, sources: [old], no_text: {en: Test rule., zh: 测试规则。}}
    fees:
      - {id: visa, title: {en: Visa fee, zh: 签证费}, amount: 75, currency: EUR, payer: applicant, sources: [old], no_text: {en: Test rule., zh: 测试规则。}}
  - from: 2026-01-01
    criteria:
      id: all
      all:
        - {id: paid, title: {en: Paid enough, zh: 薪资达标}, when: job_offer.salary.amount >= salary, sources: [new], no_text: {en: Test rule., zh: 测试规则。}}
        - {id: offer, title: {en: Six months, zh: 六个月}, when: job_offer.duration_months >= 6, sources: [new], no_text: {en: Test rule., zh: 测试规则。}}
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


QUOTE_CHANGE = """\
id: requoted
country: DE
name: {en: Requoted, zh: 引文变更}
summary: {en: test, zh: 测试}
verified: 2026-11-29
sources:
  law: {title: The law, href: "https://example.org/law", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}
versions:
  - from: 2025-01-01
    criteria:
      id: all
      all:
        - id: paid
          title: {en: Paid enough, zh: 薪资达标}
          when: job_offer.salary.amount >= 40000
          sources:
            - {source: law, at: "§ 18g (1)", quote: {text: "Ein Gehalt von mindestens 40 000 Euro.", lang: de, en: "A salary of at least 40,000 euros."}}
        - id: same
          title: {en: Unchanged, zh: 未变}
          when: job_offer.duration_months >= 6
          sources:
            - {source: law, at: "§ 1", quote: {text: "Six months.", lang: en}}
    fees:
      - id: visa
        title: {en: Visa fee, zh: 签证费}
        amount: 75
        currency: EUR
        payer: applicant
        sources: [law]
        no_text: {en: No fee schedule is published., zh: 未公布收费表。}
  - from: 2026-01-01
    criteria:
      id: all
      all:
        - id: paid
          title: {en: Paid enough, zh: 薪资达标}
          when: job_offer.salary.amount >= 40000
          sources:
            - {source: law, at: "§ 18g (1) sentence 1", quote: {text: "Ein Gehalt von mindestens 40 000 Euro brutto.", lang: de, en: "A gross salary of at least 40,000 euros."}}
        - id: same
          title: {en: Unchanged, zh: 未变}
          when: job_offer.duration_months >= 6
          sources:
            - {source: law, at: "§ 1", quote: {text: "Six months.", lang: en}}
    fees:
      - id: visa
        title: {en: Visa fee, zh: 签证费}
        amount: 75
        currency: EUR
        payer: applicant
        sources:
          - {source: law, at: "§ 45", quote: {text: "Die Gebühr beträgt 75 Euro.", lang: de, en: "The fee is 75 euros."}}
"""


def test_a_changed_quote_is_a_change_even_when_the_rule_is_not(
    make_program: Callable[[str], Program],
) -> None:
    program = make_program(QUOTE_CHANGE)
    d = diff(program, dt.date(2025, 12, 31), dt.date(2026, 1, 1))
    found = {(i.section, i.id, i.change): i for i in d.items}
    assert set(found) == {("criterion", "paid", "changed"), ("fee", "visa", "changed")}
    paid = found["criterion", "paid", "changed"]
    assert paid.before == paid.after and paid.quote_changed
    assert [c.quote.text for c in paid.quotes_before if c.quote] == [
        "Ein Gehalt von mindestens 40 000 Euro."
    ]
    assert [c.at for c in paid.quotes_after] == ["§ 18g (1) sentence 1"]
    fee = found["fee", "visa", "changed"]
    assert fee.quote_changed and fee.quotes_before == () and fee.no_text_before is not None
    assert fee.no_text_after is None and fee.quotes_after[0].at == "§ 45"


def test_quote_changes_in_json_and_on_the_command_line(
    make_program: Callable[[str], Program], monkeypatch: pytest.MonkeyPatch
) -> None:
    program = make_program(QUOTE_CHANGE)
    doc = diff_document(diff(program, dt.date(2025, 12, 31), dt.date(2026, 1, 1)), "zh")
    paid = next(c for c in doc["changes"] if c["id"] == "paid")
    assert paid["quote_changed"] is True
    assert paid["quotes_before"][0]["quote"]["en"] == "A salary of at least 40,000 euros."
    assert (
        paid["quotes_after"][0]["quote"]["text"] == "Ein Gehalt von mindestens 40 000 Euro brutto."
    )
    visa = next(c for c in doc["changes"] if c["id"] == "visa")
    assert visa["no_text_before"] == "未公布收费表。" and visa["no_text_after"] is None
    monkeypatch.setattr("talentvisa.cli.builtin_programs", lambda: {"requoted": program})
    monkeypatch.setattr("talentvisa.cli.out", Console(width=400))  # one line per cell line
    result = CliRunner().invoke(app, ["diff", "requoted", "2025-12-31", "2026-01-01"])
    assert result.exit_code == 0
    out = result.stdout
    assert "quoted text changed" in out
    assert "“Ein Gehalt von mindestens 40 000 Euro.”" in out
    assert "“Ein Gehalt von mindestens 40 000 Euro brutto.”" in out
    assert "Translation: A gross salary of at least 40,000 euros." in out
    assert "No published text: interpretation — No fee schedule is published." in out
    zh = CliRunner().invoke(app, ["diff", "requoted", "2025-12-31", "2026-01-01", "--lang", "zh"])
    assert "引文已变" in zh.stdout and "英文译文：" in zh.stdout


def test_a_new_criterion_carries_its_quote(make_program: Callable[[str], Program]) -> None:
    program = make_program(QUOTE_CHANGE)
    d = diff(program, dt.date(2024, 12, 31), dt.date(2025, 1, 1))
    same = next(i for i in d.items if i.id == "same")
    assert same.change == "added" and not same.quote_changed
    assert [c.quote.text for c in same.quotes_after if c.quote] == ["Six months."]
