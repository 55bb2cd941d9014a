"""Pay in another currency than the rule's is converted in one place, at the dated ECB
rate, and said so; with no rate an officer converts it: never a refusal for the currency."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from talentvisa import fx
from talentvisa.explain import reason
from talentvisa.profile import Profile
from talentvisa.report import assessment_dict
from talentvisa.rules.evaluator import Assessment, evaluate
from talentvisa.rules.loader import builtin_programs, load_program
from talentvisa.yamlpos import InputError
from tests.test_loader import MINIMAL


def blue_card(amount: str, currency: str, as_of: dt.date) -> Assessment:
    profile: dict[str, Any] = {
        "citizenships": ["IN"],
        "age": 38,
        "education": [
            {
                "level": "master",
                "field": "0714",
                "completed": "2012-06-01",
                "recognition": {"DE": "full"},
            }
        ],
        "work": [],
        "job_offer": {
            "country": "DE",
            "occupation": "2144",
            "duration_months": 24,
            "shortage_occupation": False,
            "salary": {"amount": amount, "currency": currency, "period": "year"},
        },
    }
    return evaluate(Profile.model_validate(profile), builtin_programs()["de-blue-card"], as_of)


def criterion(a: Assessment, cid: str) -> Any:
    return next(c for c in a.criteria if c.id == cid)


def test_the_reason_and_the_notes_say_which_rate_converted_the_salary() -> None:
    a = blue_card("59628.26", "USD", dt.date(2026, 6, 1))
    text = reason(criterion(a, "salary-standard"))
    assert text.startswith(
        "Not met: USD 59628.26 = EUR 50699.99 at the ECB reference rate of 2026-05-08"
    )
    assert "1 EUR = 1.1761 USD" in text
    assert "欧洲央行" in reason(criterion(a, "salary-standard"), "zh")
    assert [r.dates for r in a.conversions] == [(dt.date(2026, 5, 8),)]
    notes = assessment_dict(a)["notes"]
    assert notes == [
        "USD converted to EUR at the ECB reference rate of 2026-05-08 (1 EUR = 1.1761 USD)"
    ]


def test_a_salary_in_the_rules_currency_is_not_converted() -> None:
    a = blue_card("60000", "EUR", dt.date(2026, 6, 1))
    assert a.conversions == () and assessment_dict(a)["notes"] == []


def test_no_rate_leaves_the_salary_to_an_officer() -> None:
    a = blue_card("90000", "CHF", dt.date(2026, 6, 1))
    c = criterion(a, "salary-standard")
    assert (a.status, c.result, c.missing) == ("undetermined", "judgement", ())
    assert "no ECB rate from CHF to EUR" in reason(c)


def test_an_eligibility_rate_must_be_published_by_the_date() -> None:
    with pytest.raises(fx.NoRate, match="published on or before 2024-06-01"):
        fx.rate("USD", "EUR", dt.date(2024, 6, 1), published=True)
    assert fx.rate("USD", "EUR", dt.date(2024, 6, 1)).dates == (dt.date(2025, 2, 28),)  # costs


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ('yearly(job_offer.salary, 40, "XYZ") >= limit', "'XYZ' has no exchange rate"),
        ("yearly(job_offer.salary, 40, job_offer.salary.currency) >= limit", "a currency code"),
        ("yearly(job_offer.salary) >= limit", "takes 2 or 3 arguments"),
    ],
)
def test_the_currency_is_checked_when_the_programme_loads(
    tmp_path: Path, when: str, message: str
) -> None:
    path = tmp_path / "prog.yaml"
    path.write_text(MINIMAL.replace("when: age <= limit", f"when: '{when}'"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_program(path)
    assert message in info.value.render()
