"""compare, changes and diff as a user meets them, on the issue's reference profiles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from talentvisa.cli import app

runner = CliRunner()
DAY = "2026-11-29"


def run_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def options(examples: Path, *extra: str) -> dict[str, Any]:
    doc = run_json("compare", str(examples / "india-h1b.yaml"), "--as-of", DAY, *extra)
    return {o["program"]: o for o in doc["options"]}


def test_us_line_puts_the_100000_payment_on_the_employer(examples: Path) -> None:
    us = {
        o["program"]: o
        for o in run_json("compare", str(examples / "india-h1b.yaml"), "--as-of", "2026-04-01")[
            "options"
        ]
    }["us-h1b"]
    payment = [f for f in us["fees"] if f["amount"] == 100000]
    assert len(payment) == 1
    assert payment[0]["payer"] == "employer" and payment[0]["due"] == "yes"
    assert us["sponsor"] is True
    assert us["costs"]["employer"]["certain"] >= 100000
    assert us["chance"] is not None and us["chance"]["applies"] == "pass"


def test_after_the_proclamation_term_the_payment_is_unconfirmed(examples: Path) -> None:
    """From 2026-09-22 no source settles the payment: it may be due, never plainly due."""
    us = options(examples)["us-h1b"]
    (payment,) = [f for f in us["fees"] if f["id"] == "proclamation-payment"]
    assert payment["due"] == "maybe" and payment["confidence"] == "unconfirmed"
    assert "unconfirmed" in payment["note"]
    employer = us["costs"]["employer"]
    assert employer["certain"] < 100000 <= employer["possible"] and employer["unconfirmed"]


def test_lottery_chance_is_shown_as_the_dhs_projection(examples: Path) -> None:
    chance = options(examples)["us-h1b"]["chance"]
    assert chance["confidence"] == "estimate" and chance["basis"] == "DHS projection"
    assert chance["text"] == "30.58%" and chance["low"] == 0.3058


def test_k_visa_needs_no_sponsor_and_has_no_residence_path(examples: Path) -> None:
    k = options(examples)["cn-k"]
    assert k["status"] == "eligible"
    assert k["sponsor"] is False and k["residence_path_years"] is False


def test_every_programme_is_compared_and_ranked(examples: Path) -> None:
    doc = run_json("compare", str(examples / "india-h1b.yaml"), "--as-of", DAY)
    ranks = [o["rank"] for o in doc["options"]]
    assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) >= 6
    assert any(o["unbeaten"] for o in doc["options"])
    statuses = [o["status"] for o in doc["options"]]
    order = {"eligible": 0, "undetermined": 1, "ineligible": 2, "not_in_force": 3}
    assert [order[s] for s in statuses] == sorted(order[s] for s in statuses)


def test_costs_follow_the_chosen_currency(examples: Path) -> None:
    doc = run_json("compare", str(examples / "india-h1b.yaml"), "--as-of", DAY, "--currency", "EUR")
    assert doc["currency"] == "EUR"
    usd_eur = next(r for r in doc["rates"] if r["from"] == "USD")
    assert usd_eur["published"] == ["2026-10-09"]
    us = next(o for o in doc["options"] if o["program"] == "us-h1b")
    payment = next(f for f in us["fees"] if f["amount"] == 100000)
    assert abs(payment["converted"] - 100000 / 1.1206) < 0.01


def test_bad_currency_and_preference_are_named() -> None:
    result = runner.invoke(app, ["compare", "examples/full.yaml", "--currency", "XYZ"])
    assert result.exit_code == 2 and "no exchange rate for XYZ" in result.stderr
    result = runner.invoke(app, ["compare", "examples/full.yaml", "--prefer", "cheap"])
    assert result.exit_code == 2 and "unknown preference cheap" in result.stderr


def test_terminal_table_marks_unbeaten_options(examples: Path) -> None:
    result = runner.invoke(app, ["compare", str(examples / "india-h1b.yaml"), "--as-of", DAY])
    assert result.exit_code == 0
    assert "★" in result.stdout and "us-h1b" in result.stdout
    flat = " ".join(result.stdout.split())
    assert "USD 100,000 * (employer, may be due, unconfirmed)" in flat
    assert "30.58% (DHS projection)" in flat


def test_near_miss_opportunity_card_names_the_cheapest_step(examples: Path) -> None:
    doc = run_json(
        "changes",
        str(examples / "near-miss-opportunity-card.yaml"),
        "-p",
        "de-opportunity-card",
        "--as-of",
        DAY,
    )
    (card,) = doc["programs"]
    assert card["status"] == "ineligible"
    first = card["suggestions"][0]
    assert len(first["steps"]) == 1 and first["status_after"] == "eligible"
    efforts = [s["effort_months"] for s in card["suggestions"]]
    assert efforts == sorted(efforts)
    assert not any(
        step["path"] in ("birth_date", "age", "citizenships")
        for s in card["suggestions"]
        for step in s["steps"]
    )


def test_h1b_diff_around_the_proclamation() -> None:
    doc = run_json("diff", "us-h1b", "2025-09-20", "2025-09-21")
    changed = {(c["section"], c["change"]) for c in doc["changes"]}
    assert changed
    assert all(c["citations"] for c in doc["changes"])
    assert any("100000" in (c["after"] or "") for c in doc["changes"])


def test_blue_card_diff_2025_to_2026_shows_the_new_thresholds() -> None:
    doc = run_json("diff", "de-blue-card", "2025-12-31", "2026-01-01")
    values = {(c["before"], c["after"]) for c in doc["changes"] if c["section"] == "parameter"}
    assert ("48300", "50700") in values
    assert ("43759.8", "45934.2") in values or ("43759.80", "45934.20") in values


def test_a_visa_that_is_residence_says_so_in_both_languages(examples: Path) -> None:
    """Express Entry's visa is permanent residence: the text says "at once", never "0 y"."""
    args = ["compare", str(examples / "india-h1b.yaml"), "--as-of", DAY, "-p", "ca-express-entry"]
    for lang, words in (("en", "at once"), ("zh", "即为永久居留")):
        for width in ("80", "200"):  # as lines and as a table
            result = runner.invoke(app, [*args, "--lang", lang], env={"COLUMNS": width})
            assert result.exit_code == 0, result.stderr
            assert words in result.stdout and "0 y" not in result.stdout
