"""Costs by payer, lottery chances and the ranked, Pareto-marked comparison."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from talentvisa import fx
from talentvisa.compare import UnknownPreference, compare, parse_preferences
from talentvisa.profile import Profile
from talentvisa.rules.costs import chance_for, fees_for
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Payer, Program

HEAD = """\
country: {country}
name: {{en: {id}, zh: {id}}}
summary: {{en: test, zh: 测试}}
verified: 2026-11-29
sources:
  s: {{title: S, href: "https://example.org/s", retrieved: 2026-11-29, verified: 2026-11-29, reliability: official}}
"""

ALPHA = (
    "id: alpha\n"
    + HEAD.format(id="alpha", country="DE")
    + """\
versions:
  - from: 2025-01-01
    criteria: {id: young, title: {en: Young, zh: 年轻}, when: age <= 40, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
    terms:
      - {kind: sponsor, value: false, text: {en: none, zh: 无}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
      - {kind: residence_path, value: 5, text: {en: five, zh: 五}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
      - {kind: family, value: true, text: {en: "yes", zh: 是}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
    fees:
      - {id: visa, title: {en: Visa fee, zh: 签证费}, amount: 100, currency: EUR, payer: applicant, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
"""
)

BETA = (
    "id: beta\n"
    + HEAD.format(id="beta", country="US")
    + """\
parameters:
  base_chance:
    description: {en: Chance, zh: 机会}
    values: {2025-01-01: 0.3}
    sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]
versions:
  - from: 2025-01-01
    criteria: {id: offer, title: {en: US offer, zh: 美国职位}, when: job_offer.country == "US", sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
    terms:
      - {kind: sponsor, value: true, text: {en: employer, zh: 雇主}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
      - {kind: residence_path, value: false, text: {en: none, zh: 无}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
      - {kind: family, value: true, text: {en: "yes", zh: 是}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
    fees:
      - id: large
        title: {en: Large employer fee, zh: 大雇主费用}
        when: job_offer.employer.headcount > 25
        alternatives: size
        amount: 1000
        currency: USD
        payer: employer
        sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]
      - id: small
        title: {en: Small employer fee, zh: 小雇主费用}
        when: job_offer.employer.headcount <= 25
        alternatives: size
        amount: 500
        currency: USD
        payer: employer
        sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]
      - {id: premium, title: {en: Premium, zh: 加急}, amount: 2805, currency: USD, payer: employer, optional: true, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
    selection:
      id: lottery
      title: {en: Lottery, zh: 抽签}
      applies: job_offer.employer.cap_exempt == "no"
      sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]
      rows:
        - {id: low, title: {en: Level I, zh: 一级}, when: job_offer.us_wage_level == 1, chance: base_chance / 2}
        - {id: high, title: {en: Level II+, zh: 二级以上}, when: job_offer.us_wage_level >= 2, chance: base_chance}
"""
)

GAMMA = (
    "id: gamma\n"
    + HEAD.format(id="gamma", country="KR")
    + """\
versions:
  - from: 2025-01-01
    criteria: {id: adult, title: {en: Adult, zh: 成年}, when: age >= 18, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
    terms:
      - {kind: sponsor, value: false, text: {en: none, zh: 无}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
      - {kind: residence_path, value: 3, text: {en: three, zh: 三}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}
      - {kind: fees, text: {en: not published, zh: 未公布}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}], confidence: unconfirmed}
"""
)

DAY = dt.date(2026, 11, 29)


@pytest.fixture
def programs(make_program: Callable[[str], Program]) -> list[Program]:
    return [make_program(ALPHA), make_program(BETA), make_program(GAMMA)]


def person(**offer: object) -> Profile:
    employer = {k: offer.pop(k) for k in ("headcount", "cap_exempt") if k in offer}
    job = {"country": "US", "employer": employer, **offer}
    return Profile.model_validate({"age": 30, "job_offer": job})


def test_fee_due_by_employer_size(programs: list[Program]) -> None:
    beta = programs[1]
    version = beta.versions[0]
    fees = {f.fee.id: f for f in fees_for(person(headcount=30), beta, version, DAY)}
    assert fees["large"].due and fees["large"].amount == 1000
    assert not fees["small"].possible
    fees = {f.fee.id: f for f in fees_for(person(), beta, version, DAY)}
    assert fees["large"].applies == "unknown" and fees["small"].applies == "unknown"
    assert "job_offer.employer.headcount" in fees["large"].missing


def test_unknown_employer_size_costs_a_range_and_optional_fees_never_count(
    programs: list[Program],
) -> None:
    result = compare(person(), programs, DAY, "USD")
    beta = next(r.option for r in result.ranked if r.option.program.id == "beta")
    cost = beta.costs[Payer.employer]
    # large or small employer: at most one is due, so the most is 1,000, not 1,500;
    # premium processing (2,805) is optional and never counts
    assert (cost.certain, cost.possible) == (0, 1000)


def test_chance_is_a_range_until_the_wage_level_is_known(programs: list[Program]) -> None:
    beta = programs[1]
    selection = beta.versions[0].selection
    assert selection is not None
    known = chance_for(person(cap_exempt="no", us_wage_level=1), beta, selection, DAY)
    assert (known.low, known.high) == (Decimal("0.15"), Decimal("0.15"))
    unknown = chance_for(person(cap_exempt="no"), beta, selection, DAY)
    assert (unknown.low, unknown.high) == (Decimal("0.15"), Decimal("0.3"))
    exempt = chance_for(person(cap_exempt="higher_education"), beta, selection, DAY)
    assert exempt.applies == "fail" and exempt.low == 1


def test_costs_are_converted_at_the_dated_rate(programs: list[Program]) -> None:
    result = compare(person(headcount=30), programs, DAY, "EUR")
    beta = next(r.option for r in result.ranked if r.option.program.id == "beta")
    expected = fx.convert(Decimal(1000), "USD", "EUR", DAY)
    assert beta.costs[Payer.employer].possible == expected
    assert beta.rates[0].dates == (dt.date(2026, 10, 9),)


def test_ranking_follows_the_stated_preferences(programs: list[Program]) -> None:
    ranked = compare(person(headcount=30), programs, DAY, "USD", ("no-sponsor", "low-cost")).ranked
    assert [r.option.program.id for r in ranked] == ["alpha", "gamma", "beta"]
    # alpha beats gamma only because gamma's fees are not published: unknown is not free
    assert ranked[0].why[0] == "gamma" and ranked[0].why[1] is not None
    assert "costs you less" in ranked[0].why[1].en
    ranked = compare(person(headcount=30), programs, DAY, "USD", ("pr-path",)).ranked
    assert [r.option.program.id for r in ranked] == ["gamma", "alpha", "beta"]


def test_unbeaten_options_are_those_nothing_beats_on_every_preference(
    programs: list[Program],
) -> None:
    ranked = compare(
        person(headcount=30), programs, DAY, "USD", ("no-sponsor", "low-cost", "pr-path")
    ).ranked
    unbeaten = {r.option.program.id for r in ranked if r.unbeaten}
    # alpha is cheaper than gamma, gamma reaches residence sooner, beta costs you nothing
    assert unbeaten == {"alpha", "beta", "gamma"}
    ranked = compare(person(headcount=30), programs, DAY, "USD", ("no-sponsor",)).ranked
    beaten = {r.option.program.id: r.beaten_by for r in ranked if not r.unbeaten}
    assert beaten == {"beta": ("alpha", "gamma")}


def test_ineligible_options_rank_below_eligible_ones(programs: list[Program]) -> None:
    older = Profile.model_validate({"age": 50, "job_offer": {"country": "US"}})
    ranked = compare(older, programs, DAY, "USD", ("no-sponsor", "pr-path")).ranked
    assert [r.option.program.id for r in ranked] == ["gamma", "beta", "alpha"]
    assert ranked[-1].option.status == "ineligible"
    assert not ranked[-1].unbeaten  # nothing closed to you is offered as a best option
    assert ranked[1].why[1] is not None and "more certainly open" in ranked[1].why[1].en


def test_unknown_preferences_are_named() -> None:
    assert parse_preferences("family, low-cost,family") == ("family", "low-cost")
    with pytest.raises(UnknownPreference, match=r"cheap.*choose from no-sponsor"):
        parse_preferences("cheap")


def test_no_path_ranks_after_an_unknown_path(make_program: Callable[[str], Program]) -> None:
    unknown = make_program(
        GAMMA.replace("id: gamma", "id: delta").replace(
            '      - {kind: residence_path, value: 3, text: {en: three, zh: 三}, sources: [{source: s, quote: {text: "Quoted passage.", lang: en}}]}\n',
            "",
        )
    )
    beta = make_program(BETA)
    ranked = compare(person(headcount=30), [beta, unknown], DAY, "USD", ("pr-path",)).ranked
    assert [r.option.program.id for r in ranked] == ["delta", "beta"]


# ---------------------------------------------------------------- the H-1B $100,000 payment

_EMPLOYER = {
    "headcount": 1200,
    "nonprofit": False,
    "cap_exempt": "no",
    "h1b_l_share_over_half": False,
}
_F1 = {"country": "US", "category": "F-1", "valid_from": "2024-08-01", "valid_until": "2029-07-31"}
_F1_EXPIRED = {**_F1, "valid_from": "2019-08-01", "valid_until": "2024-07-31"}
_H1B = {
    "country": "US",
    "category": "H-1B",
    "valid_from": "2024-10-01",
    "valid_until": "2028-09-30",
}


def _person(
    location: str, visas: list[dict[str, str]], petition: str, status: str | None
) -> Profile:
    data: dict[str, object] = {
        "citizenships": ["IN"],
        "location": location,
        "visas": visas,
        "job_offer": {"country": "US", "us_petition": petition, "employer": _EMPLOYER},
    }
    if status:
        data["us_status"] = status
    return Profile.model_validate(data)


# The rows of updates-2026-12.md §3.2 "How the cases in the brief resolve": what the row
# says during the proclamation's term.
ROWS = {
    "consular notification, beneficiary in the US": (
        _person("US", [_F1], "consular_notification", "f1"),
        "pass",
    ),
    "abroad without a valid H-1B visa": (_person("IN", [], "consular_notification", None), "pass"),
    "abroad with a valid H-1B visa": (_person("IN", [_H1B], "consular_notification", None), "fail"),
    "change of status requested, out of status (denial pays)": (
        _person("US", [], "change_of_status", "out_of_status"),
        "unknown",
    ),
    "departed before the change of status was decided": (
        _person("IN", [_F1], "change_of_status", "f1"),
        "pass",
    ),
    "F-1 in status, expired stamp, change of status": (
        _person("US", [_F1_EXPIRED], "change_of_status", "f1"),
        "fail",
    ),
    "F-1 abroad after graduating, new petition": (
        _person("IN", [_F1], "consular_notification", None),
        "pass",
    ),
}


def _payment(profile: Profile, as_of: dt.date) -> str | None:
    program = builtin_programs()["us-h1b"]
    version = program.version_at(as_of)
    assert version is not None
    fees = {r.fee.id: r for r in fees_for(profile, program, version, as_of)}
    result = fees.get("proclamation-payment")
    if result is None:
        return None
    return "unknown" if result.applies == "judgement" else result.applies


@pytest.mark.parametrize("row", list(ROWS))
def test_each_row_on_both_sides_of_the_proclamation_and_its_term(row: str) -> None:
    profile, during = ROWS[row]
    assert _payment(profile, dt.date(2025, 9, 20)) is None  # before: no such payment
    assert _payment(profile, dt.date(2025, 9, 21)) == during
    assert _payment(profile, dt.date(2026, 9, 21)) == during  # the term's last day
    after = _payment(profile, dt.date(2026, 9, 22))  # no extension found: never "pass"
    assert after == ("fail" if during == "fail" else "unknown")


def test_compare_lists_the_payment_only_where_a_petition_is_possible() -> None:
    program = builtin_programs()["us-h1b"]
    no_offer = Profile.model_validate(
        {"citizenships": ["IN"], "location": "IN", "visas": [], "has_job_offer": False}
    )
    (ranked,) = compare(no_offer, [program], dt.date(2026, 4, 1)).ranked
    assert not [r for r in ranked.option.fees if r.possible]
    assert ranked.option.costs.get(Payer.employer) is None or (
        ranked.option.costs[Payer.employer].possible == 0
    )
    offer = _person("IN", [], "consular_notification", None)
    (ranked,) = compare(offer, [program], dt.date(2026, 4, 1)).ranked
    assert any(r.fee.id == "proclamation-payment" and r.due for r in ranked.option.fees)


def test_dhs_projection_is_not_scaled_by_another_years_rate() -> None:
    program = builtin_programs()["us-h1b"]
    version = program.version_at(dt.date(2026, 4, 1))
    assert version is not None and version.selection is not None
    levels = {1: "0.1529", 2: "0.3058", 3: "0.4587", 4: "0.6116"}
    for level, expected in levels.items():
        person = Profile.model_validate(
            {
                "job_offer": {
                    "country": "US",
                    "us_wage_level": level,
                    "employer": {"cap_exempt": "no"},
                }
            }
        )
        chance = chance_for(person, program, version.selection, dt.date(2026, 4, 1))
        assert chance.low == chance.high == Decimal(expected)
        assert chance.estimate and chance.basis is not None and chance.basis.en == "DHS projection"
