"""Random profiles that exercise every fact the programmes read, within the layout's slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

ABILITIES = ("listening", "reading", "writing", "speaking")
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2027, 12, 31))
COUNTRIES = st.sampled_from(["CN", "DE", "IN", "KR", "NZ", "US", "BR", "GB", "CA"])
FIELDS = st.sampled_from(["0613", "0533", "0413", "0211", "0714", "0912", "0788", "05", "061"])


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Unknown (absent) about a third of the time."""
    return st.one_of(st.none(), strategy, strategy)


def record(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({k: maybe(v) for k, v in fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


institution = record(
    name=st.sampled_from(["KAIST", "Seoul National University", "TUM", "A college"]),
    world_rank=st.integers(1, 1200),
    country=COUNTRIES,
    named_list=st.sampled_from(["listed", "not_listed", "not_said"]),
    uk_hpi_list=st.booleans(),  # UK HPI list for the award year (uk-hpi)
)
recognition = st.dictionaries(
    st.sampled_from(["CA", "DE", "NZ", "GB"]),  # GB: Ecctis equivalence (uk-hpi); CA: ECA
    st.sampled_from(["full", "partial", "none", "pending"]),
)
education = record(
    level=st.sampled_from(
        ["secondary", "vocational", "short_cycle", "bachelor", "master", "doctorate"]
    ),
    field=FIELDS,
    institution=institution,
    completed=DATES,
    duration_years=st.integers(1, 6),
    state_recognised=st.booleans(),
    recognition=recognition,
    shortage_occupation=st.dictionaries(st.just("DE"), st.booleans()),
)


@st.composite
def work(draw: st.DrawFn) -> dict[str, Any]:
    entry = draw(
        record(
            kind=st.sampled_from(
                ["employment", "teaching", "research", "postdoc", "self_employment"]
            ),
            occupation=st.sampled_from(["2512", "2511", "133", "2152", "2310"]),
            field=FIELDS,
            employer=institution,
            country=COUNTRIES,
            start=DATES,
            # Canada (Express Entry): TEER category, trade, hours (any value on their scales)
            ca_teer=st.integers(0, 5),
            ca_skilled_trade=st.booleans(),
            hours_per_week=st.integers(10, 60),
        )
    )
    tail = draw(st.sampled_from(["end", "ongoing", "neither"]))
    if tail == "end" and "start" in entry:
        entry["end"] = entry["start"] + dt.timedelta(days=draw(st.integers(1, 4000)))
    elif tail == "ongoing":
        entry["ongoing"] = True
    return entry


money = st.fixed_dictionaries(
    {
        "amount": st.integers(0, 300_000_000),
        "currency": st.sampled_from(["EUR", "USD", "NZD", "KRW", "GBP", "CAD"]),
    },
    optional={"period": st.sampled_from(["year", "month", "week", "hour"])},
)
job_offer = record(
    country=COUNTRIES,
    employer=record(
        headcount=st.integers(1, 100_000),
        nonprofit=st.booleans(),
        accredited=st.booleans(),
        cap_exempt=st.sampled_from(["higher_education", "nonprofit_research", "no"]),
        h1b_l_share_over_half=st.booleans(),
        uk_licensed_sponsor=st.booleans(),
        uk_small_or_charitable=st.booleans(),
    ),
    occupation=st.sampled_from(["2512", "133", "2152"]),
    salary=money,
    hours_per_week=st.integers(10, 60),
    duration_months=st.integers(1, 60),
    us_wage_level=st.integers(1, 4),
    skill_level=st.integers(1, 5),
    shortage_occupation=st.booleans(),
    industry=st.sampled_from(["semiconductors", "bio", "displays", "finance"]),
    # United Kingdom (Skilled Worker): any RQF level, a going rate as Money in any currency
    uk_rqf_level=st.integers(1, 8),
    uk_going_rate=money,
    uk_temporary_shortage_list=st.booleans(),
    uk_isc_exempt=st.booleans(),
)
language = st.one_of(
    record(
        language=st.sampled_from(["de", "en", "ko"]),
        cefr=st.sampled_from(["A1", "A2", "B1", "B2", "C1", "C2"]),
    ),
    record(
        language=st.just("en"),
        test=st.sampled_from(["ielts", "toefl_ibt", "pte_academic"]),
        score=st.integers(0, 9),
    ),
    # Canada: per-ability results mapped to CLB (IELTS GT bands in halves; CELPIP levels;
    # TCF Canada scores), or CLB levels stated directly: every scale's whole range
    record(
        language=st.just("en"),
        **{a: st.integers(0, 18).map(lambda h: h / 2) for a in ABILITIES},
    ).map(lambda d: {**d, "test": "ielts_general"}),  # a score always names its test
    record(
        language=st.just("en"),
        **{a: st.integers(0, 12) for a in ABILITIES},
    ).map(lambda d: {**d, "test": "celpip_general"}),
    record(
        language=st.just("fr"),
        listening=st.integers(0, 699),
        reading=st.integers(0, 699),
        writing=st.integers(0, 20),
        speaking=st.integers(0, 20),
    ).map(lambda d: {**d, "test": "tcf_canada"}),
    record(
        language=st.sampled_from(["en", "fr"]),
        **{f"clb_{a}": st.integers(0, 12) for a in ABILITIES},
    ),
)
stay = record(
    country=COUNTRIES,
    start=DATES,
    end=DATES,
    purpose=st.sampled_from(["study", "work", "tourism", "job_search"]),
    lawful=st.booleans(),
).filter(lambda s: not ("start" in s and "end" in s and s["end"] < s["start"]))
visa = record(
    country=COUNTRIES, category=st.sampled_from(["H-1B", "F-1", "D-10"]), valid_until=DATES
)
family = record(
    relation=st.sampled_from(["spouse", "partner", "child", "sibling", "parent"]),
    applying_jointly=st.booleans(),
    # Canada (Express Entry): what the CRS and the FSW grid read of a family member
    birth_date=st.dates(dt.date(1950, 1, 1), dt.date(2025, 12, 31)),
    accompanying=st.booleans(),
    canadian_or_pr=st.booleans(),
    education_level=st.sampled_from(["secondary", "vocational", "bachelor", "master"]),
    **{f"clb_{a}": st.integers(0, 12) for a in ABILITIES},
    ca_work_years=st.integers(0, 6),
)


@st.composite
def profiles(draw: st.DrawFn) -> dict[str, Any]:
    profile = draw(
        record(
            birth_date=st.dates(dt.date(1960, 1, 1), dt.date(2008, 12, 31)),
            citizenships=st.lists(COUNTRIES, min_size=1, max_size=2, unique=True),
            location=COUNTRIES,
            education=st.lists(education, max_size=3),
            work=st.lists(work(), max_size=4),
            languages=st.lists(language, max_size=3),
            funds=money,
            stays=st.lists(stay, max_size=3),
            visas=st.lists(visa, max_size=2),
            family=st.lists(family, max_size=2),
            # United Kingdom (uk-hpi, uk-global-talent)
            uk_prior_graduate_des_hpi=st.booleans(),
            uk_talent_field=st.sampled_from(
                ["academia_research", "arts_culture", "digital_technology"]
            ),
            uk_endorsement=st.sampled_from(["exceptional_talent", "exceptional_promise", "none"]),
            uk_talent_prize=st.booleans(),
        )
    )
    offer = draw(st.sampled_from(["offer", "none", "unknown"]))
    if offer == "offer":
        profile["job_offer"] = draw(job_offer)
    elif offer == "none":
        profile["has_job_offer"] = False
    japan(draw, profile)
    return profile


# ---------------------------------------------------------------- Japan
# jp-hsp, jp-j-skip and jp-j-find read facts the draws above never give: JLPT levels and
# BJT scores, the two Japanese university lists, Japan as a country, pay and savings in
# JPY. ASSUMPTION (test data, not a claim about applicants): about half the people drawn
# are pointed at Japan, each Japanese fact decided independently (those drawn through
# ``record`` still unknown a third of the time), at the programmes' own thresholds and
# either side of them, so all three programmes come out eligible, ineligible and
# undetermined. JLPT results are levels passed (the test is the result; no score is
# read); BJT is a score of 0 to 800. The lists are drawn as facts, not from the register.
JLPT = st.sampled_from(["jlpt_n1", "jlpt_n2", "jlpt_n3", "jlpt_n4", "jlpt_n5"])
BJT_SCORE = st.one_of(st.sampled_from([399, 400, 401, 479, 480, 481]), st.integers(0, 800))
japanese = st.one_of(
    record(language=st.just("ja"), test=JLPT),
    record(language=st.just("ja"), test=st.just("bjt"), score=BJT_SCORE),
)
# jp-hsp's salary steps (JPY 3 million floor, 4 to 10 million) and J-Skip's 20 million
JPY_YEARLY = st.one_of(
    st.sampled_from([m * 1_000_000 + d for m in (3, 4, 5, 6, 7, 8, 9, 10, 20) for d in (-1, 0, 1)]),
    st.integers(0, 30_000_000),
)
JPY_SAVINGS = st.one_of(st.sampled_from([199_999, 200_000, 200_001]), st.integers(0, 1_000_000))
JP_RANK = st.sampled_from([99, 100, 101])  # J-Find's top 100 in a world ranking
# Degrees completed lately: J-Find's five years (years_since < 5) end on the day five
# years before the differential tests' dates (2025-06-01, 2026-11-29) and the day after
RECENT = st.one_of(
    st.sampled_from(
        [dt.date(2020, 6, d) for d in (1, 2)] + [dt.date(2021, 11, d) for d in (29, 30)]
    ),
    st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)),
)
JP_DEGREE = st.fixed_dictionaries(
    {
        "level": st.sampled_from(["short_cycle", "bachelor", "master", "doctorate"]),
        "field": FIELDS,
        "completed": RECENT,
        "institution": st.fixed_dictionaries(
            {
                "country": st.sampled_from(["JP", "US", "IN"]),
                "jp_jfind_list": st.booleans(),
                "jp_hsp_list": st.booleans(),
            }
        ),
    }
)


def japan(draw: st.DrawFn, profile: dict[str, Any]) -> None:
    """Point the drawn person at Japan, in place (see the assumption above)."""
    if not draw(st.booleans()):
        return
    if draw(st.booleans()):
        results = draw(st.lists(japanese, min_size=1, max_size=2))
        profile["languages"] = (results + profile.get("languages", []))[:3]
    if draw(st.booleans()):  # a recent degree with every fact known, listed or not
        degree = draw(JP_DEGREE)
        profile["education"] = [degree, *profile.get("education", [])][:3]
    for entry in profile.get("education", []):
        institution = entry.setdefault("institution", {})
        lists = draw(record(jp_jfind_list=st.booleans(), jp_hsp_list=st.booleans()))
        institution.update(lists)
        if draw(st.booleans()):
            institution.update(world_rank=draw(JP_RANK), ranked=True)
        if draw(st.booleans()):
            institution["country"] = "JP"
        if draw(st.booleans()):
            entry["completed"] = draw(RECENT)
    if draw(st.booleans()):
        profile["location"] = "JP"  # the change-of-status fee is due in Japan
    if draw(st.integers(0, 9)) == 0:
        profile["citizenships"] = ["JP"]  # jp-hsp and J-Skip are for foreign nationals
    if draw(st.booleans()):
        profile["funds"] = {"amount": draw(JPY_SAVINGS), "currency": "JPY"}
    if draw(st.integers(0, 3)):
        profile.pop("has_job_offer", None)
        offer = profile.setdefault("job_offer", {})
        offer["country"] = "JP"
        salary = {"amount": draw(JPY_YEARLY), "currency": "JPY"}
        if draw(maybe(st.just("year"))) is not None:
            salary["period"] = "year"
        offer["salary"] = salary
