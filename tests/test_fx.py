"""Costs are converted with the ECB rate published on or before the date asked about."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentvisa import fx


def test_latest_rate_on_or_before_the_date_is_used() -> None:
    r = fx.rate("EUR", "USD", dt.date(2026, 11, 29))
    assert r.value == Decimal("1.1206") and r.dates == (dt.date(2026, 10, 9),)
    r = fx.rate("EUR", "USD", dt.date(2026, 10, 8))
    assert r.value == Decimal("1.1761") and r.dates == (dt.date(2026, 5, 8),)


def test_rate_is_cited_by_the_publication_of_that_day() -> None:
    r = fx.rate("USD", "EUR", dt.date(2026, 6, 1))
    assert r.sources == ("ecb-2026-05-08",)
    assert "ecb.europa.eu" in fx.rate_table().sources["ecb-2026-05-08"].href


def test_cross_rate_goes_through_the_euro() -> None:
    day = dt.date(2026, 1, 15)  # 2025-12-31 fixing: 1.1750 USD, 105.5965 INR per EUR
    assert fx.convert(Decimal(100000), "USD", "INR", day) == (
        Decimal(100000) * Decimal("105.5965") / Decimal("1.1750")
    ).quantize(Decimal("0.01"))
    assert fx.convert(Decimal(5), "KRW", "KRW", day) == Decimal("5.00")


def test_dates_before_the_first_fixing_use_the_earliest_and_say_so() -> None:
    r = fx.rate("EUR", "NZD", dt.date(2024, 6, 1))
    assert r.value == Decimal("1.8579") and r.dates == (dt.date(2025, 2, 28),)


def test_unknown_currency_is_a_clear_error() -> None:
    with pytest.raises(fx.NoRate, match="no exchange rate for XAU; known: AUD"):
        fx.rate("XAU", "EUR", dt.date(2026, 1, 1))


def test_every_rate_date_has_a_publication_of_that_date() -> None:
    table = fx.rate_table()
    published = {s.published for s in table.sources.values()}
    for currency, param in table.rates.items():
        assert set(param.values) <= published, currency
