"""Random profiles that exercise every fact the programmes read, within the layout's slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

ABILITIES = ("listening", "reading", "writing", "speaking")
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2027, 12, 31))
COUNTRIES = st.sampled_from(["CN", "DE", "IN", "KR", "NZ", "US", "BR", "CA"])
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
)
recognition = st.dictionaries(
    st.sampled_from(["CA", "DE", "NZ"]), st.sampled_from(["full", "partial", "none", "pending"])
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
        "currency": st.sampled_from(["EUR", "USD", "NZD", "KRW", "CAD"]),
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
    ),
    occupation=st.sampled_from(["2512", "133", "2152"]),
    salary=money,
    hours_per_week=st.integers(10, 60),
    duration_months=st.integers(1, 60),
    us_wage_level=st.integers(1, 4),
    skill_level=st.integers(1, 5),
    shortage_occupation=st.booleans(),
    industry=st.sampled_from(["semiconductors", "bio", "displays", "finance"]),
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
        test=st.just("ielts_general"),
        **{a: st.integers(0, 18).map(lambda h: h / 2) for a in ABILITIES},
    ),
    record(
        language=st.just("en"),
        test=st.just("celpip_general"),
        **{a: st.integers(0, 12) for a in ABILITIES},
    ),
    record(
        language=st.just("fr"),
        test=st.just("tcf_canada"),
        listening=st.integers(0, 699),
        reading=st.integers(0, 699),
        writing=st.integers(0, 20),
        speaking=st.integers(0, 20),
    ),
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
        )
    )
    offer = draw(st.sampled_from(["offer", "none", "unknown"]))
    if offer == "offer":
        profile["job_offer"] = draw(job_offer)
    elif offer == "none":
        profile["has_job_offer"] = False
    return profile
