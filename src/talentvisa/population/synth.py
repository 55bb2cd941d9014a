"""Synthetic populations in the flat layout, written to Parquet in chunks.

No source gives the joint distribution of the people who weigh these visas, so every
distribution below is an ASSUMPTION, stated as one: good enough to exercise every rule and
to compare scenarios, never a claim about who applies. Change them here, in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from talentvisa.population.layout import COLUMNS, SEP, arrow_schema

# name -> (values, weights): each an assumption, not a sourced figure
ASSUMPTIONS: Final[dict[str, tuple[tuple[Any, ...], tuple[float, ...]]]] = {
    "citizenship": (
        ("IN", "CN", "BR", "NG", "VN", "DE", "KR", "US"),
        (0.35, 0.20, 0.10, 0.10, 0.10, 0.05, 0.05, 0.05),
    ),
    "education_level": (
        ("vocational", "bachelor", "master", "doctorate"),
        (0.05, 0.50, 0.35, 0.10),
    ),
    "education_field": (
        ("0613", "0714", "0533", "0541", "0413", "0912", "0211"),
        (0.30, 0.15, 0.10, 0.05, 0.15, 0.05, 0.20),
    ),
    "recognition_de": (("none", "partial", "full"), (0.6, 0.2, 0.2)),
    "english": (("B1", "B2", "C1", "C2"), (0.2, 0.4, 0.3, 0.1)),
    "german": (("A1", "A2", "B1", "B2", "C1"), (0.3, 0.3, 0.2, 0.15, 0.05)),
    "offer_country": (("US", "DE", "NZ", "KR", "GB"), (0.45, 0.25, 0.1, 0.1, 0.1)),
    "wage_level": ((1, 2, 3, 4), (0.3, 0.4, 0.2, 0.1)),
    # United Kingdom (uk-hpi, uk-global-talent): assumptions, not sourced shares
    "recognition_gb": (("none", "full"), (0.5, 0.5)),  # Ecctis equivalence
    "uk_endorsement": (
        ("none", "exceptional_promise", "exceptional_talent"),
        (0.9, 0.07, 0.03),
    ),
    # Canada (Express Entry): one CLB level drawn per person for all four English abilities,
    # independently of the CEFR level (no published CEFR-CLB mapping is used); the share of
    # foreign degrees with an Educational Credential Assessment for Canada. Assumptions.
    "english_clb": ((5, 6, 7, 8, 9, 10), (0.05, 0.10, 0.25, 0.25, 0.20, 0.15)),
    "eca_ca": (("full", "none"), (0.5, 0.5)),
}
UK_HPI_LIST_SHARE: Final = 0.1  # degrees from a university on the HPI list (assumption)
UK_PRIOR_SHARE: Final = 0.05  # held UK Graduate/DES/HPI permission before (assumption)
UK_PRIZE_SHARE: Final = 0.001  # won a Global Talent eligible prize (assumption)
AGE_RANGE: Final = (22, 45)  # uniform, assumption
RANKED_SHARE: Final = 0.6  # institutions in a world ranking, rank uniform 1-1500 (assumption)
GERMAN_SHARE: Final = 0.2  # people with some German (assumption)
OFFER_SHARE: Final = 0.3  # people with a job offer (assumption); the rest have none
# yearly salary ranges by offer country, in local currency (assumption)
SALARY: Final = {
    "US": ("USD", 60_000, 180_000),
    "DE": ("EUR", 40_000, 90_000),
    "NZ": ("NZD", 55_000, 140_000),
    "KR": ("KRW", 50_000_000, 250_000_000),
    "GB": ("GBP", 30_000, 90_000),
}
# United Kingdom (Skilled Worker), assumptions: every UK offer is from a licensed sponsor, one in
# five sponsors is small or charitable, none is exempt from the Immigration Skills Charge, the
# job's RQF level is uniform 3-8, a tenth of jobs are on the Temporary Shortage List, and the
# going rate is uniform £30,000-60,000 a year. Whether a job is on a shortage list (the ISL for
# the UK) stays unknown, as for every other destination here.
UK_SMALL_SHARE: Final = 0.2
UK_LIST_SHARE: Final = 0.1
UK_GOING_RATE: Final = (30_000, 60_000)


def synthesize(n: int, seed: int, as_of: dt.date) -> Any:
    """``n`` people as a pyarrow table in the population layout (version 2)."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)

    def pick(name: str) -> Any:
        values, weights = ASSUMPTIONS[name]
        return rng.choice(np.array(values, dtype=object), size=n, p=np.array(weights))

    cols: dict[str, Any] = dict.fromkeys(COLUMNS)
    today = np.datetime64(as_of, "D")
    age_days = rng.integers(AGE_RANGE[0] * 365, (AGE_RANGE[1] + 1) * 365, size=n)
    birth = today - age_days.astype("timedelta64[D]")
    country = pick("citizenship")
    cols.update(
        {
            "birth_date": birth,
            "citizenships__n": np.ones(n, dtype=np.int64),
            "citizenships_0": country,
            "residence": country,
            "location": country,
        }
    )
    completed = birth + rng.integers(22 * 365, 27 * 365, size=n).astype("timedelta64[D]")
    completed = np.minimum(completed, today)
    ranked = rng.random(n) < RANKED_SHARE
    edu = f"education_0{SEP}"
    cols.update(
        {
            "education__n": np.ones(n, dtype=np.int64),
            f"{edu}level": pick("education_level"),
            f"{edu}field": pick("education_field"),
            f"{edu}institution{SEP}ranked": ranked,
            f"{edu}institution{SEP}world_rank": np.where(
                ranked, rng.integers(1, 1501, size=n).astype(float), np.nan
            ),
            f"{edu}completed": completed,
            f"{edu}state_recognised": np.ones(n, dtype=bool),
            f"{edu}recognition{SEP}DE": pick("recognition_de"),
            f"{edu}recognition{SEP}GB": pick("recognition_gb"),
            f"{edu}institution{SEP}uk_hpi_list": rng.random(n) < UK_HPI_LIST_SHARE,
            f"{edu}recognition{SEP}CA": pick("eca_ca"),  # Canada's ECA (assumption)
        }
    )
    job = f"work_0{SEP}"
    start = np.minimum(completed + rng.integers(0, 365, size=n).astype("timedelta64[D]"), today)
    cols.update(
        {
            "work__n": np.ones(n, dtype=np.int64),
            f"{job}kind": np.full(n, "employment", dtype=object),
            f"{job}occupation": np.full(n, "2512", dtype=object),
            f"{job}field": cols[f"{edu}field"],
            f"{job}country": country,
            f"{job}start": start,
            f"{job}ongoing": np.ones(n, dtype=bool),
            # Canada: the one job (ISCO 2512) read as NOC 2021 TEER 1, full-time at 40 hours,
            # not a skilled trade (assumptions)
            f"{job}ca_teer": np.ones(n, dtype=np.int64),
            f"{job}hours_per_week": np.full(n, 40.0),
            f"{job}ca_skilled_trade": np.zeros(n, dtype=bool),
        }
    )
    german = rng.random(n) < GERMAN_SHARE
    cols.update(
        {
            "languages__n": np.where(german, 2, 1),
            # Canada: the English result's CLB per ability (one draw for all four; assumption)
            **dict.fromkeys(
                [
                    f"languages_0{SEP}clb_{a}"
                    for a in ("listening", "reading", "writing", "speaking")
                ],
                pick("english_clb").astype(np.int64),
            ),
            f"languages_0{SEP}language": np.full(n, "en", dtype=object),
            f"languages_0{SEP}cefr": pick("english"),
            f"languages_1{SEP}language": _masked(german, np.full(n, "de", dtype=object)),
            f"languages_1{SEP}cefr": _masked(german, pick("german")),
        }
    )
    offer = rng.random(n) < OFFER_SHARE
    where = pick("offer_country")
    currency = np.array([SALARY[c][0] for c in where], dtype=object)
    low = np.array([SALARY[c][1] for c in where], dtype=float)
    high = np.array([SALARY[c][2] for c in where], dtype=float)
    salary = low + rng.random(n) * (high - low)

    def offered(values: Any) -> Any:
        return _masked(offer, values)

    jo = f"job_offer{SEP}"
    cols.update(
        {
            "has_job_offer": offer,
            f"{jo}country": offered(where),
            f"{jo}occupation": offered(np.full(n, "2512", dtype=object)),
            f"{jo}salary{SEP}amount": np.where(offer, np.round(salary, 2), np.nan),
            f"{jo}salary{SEP}currency": offered(currency),
            f"{jo}salary{SEP}period": offered(np.full(n, "year", dtype=object)),
            f"{jo}hours_per_week": np.where(offer, 40.0, np.nan),
            f"{jo}duration_months": np.where(offer, 36.0, np.nan),
            f"{jo}us_wage_level": np.where(offer, pick("wage_level").astype(float), np.nan),
            f"{jo}skill_level": np.where(offer, 1.0, np.nan),
            f"{jo}employer{SEP}headcount": np.where(offer, rng.integers(5, 50_000, size=n), np.nan),
            f"{jo}employer{SEP}nonprofit": offered(np.zeros(n, dtype=bool)),
            f"{jo}employer{SEP}accredited": offered(np.ones(n, dtype=bool)),
            f"{jo}employer{SEP}cap_exempt": offered(np.full(n, "no", dtype=object)),
            f"{jo}employer{SEP}h1b_l_share_over_half": offered(np.zeros(n, dtype=bool)),
            f"{jo}employer{SEP}uk_licensed_sponsor": offered(np.ones(n, dtype=bool)),
            f"{jo}employer{SEP}uk_small_or_charitable": offered(rng.random(n) < UK_SMALL_SHARE),
            f"{jo}uk_rqf_level": np.where(offer, rng.integers(3, 9, size=n).astype(float), np.nan),
            f"{jo}uk_going_rate{SEP}amount": np.where(
                offer, rng.integers(*UK_GOING_RATE, size=n).astype(float), np.nan
            ),
            f"{jo}uk_going_rate{SEP}currency": offered(np.full(n, "GBP", dtype=object)),
            f"{jo}uk_going_rate{SEP}period": offered(np.full(n, "year", dtype=object)),
            f"{jo}uk_temporary_shortage_list": offered(rng.random(n) < UK_LIST_SHARE),
            f"{jo}uk_isc_exempt": offered(np.zeros(n, dtype=bool)),
            f"funds{SEP}amount": rng.integers(0, 2_000, size=n).astype(float),
            f"funds{SEP}currency": np.full(n, "EUR", dtype=object),
            f"funds{SEP}period": np.full(n, "month", dtype=object),
            "stays__n": np.zeros(n, dtype=np.int64),
            "visas__n": np.zeros(n, dtype=np.int64),
            "family__n": np.zeros(n, dtype=np.int64),
            # United Kingdom: every field known, so the UK programmes are decided or judged
            "uk_prior_graduate_des_hpi": rng.random(n) < UK_PRIOR_SHARE,
            "uk_talent_field": np.full(n, "digital_technology", dtype=object),
            "uk_endorsement": pick("uk_endorsement"),
            "uk_talent_prize": rng.random(n) < UK_PRIZE_SHARE,
        }
    )
    _japan(cols, rng, n, offer)  # Japan's facts: its own block of assumptions below
    schema = arrow_schema()
    arrays = []
    for field in schema:
        value = cols[field.name]
        if value is None:
            arrays.append(pa.nulls(n, field.type))
        else:  # NaN and None are unknown; cast checks that counts are whole numbers
            arrays.append(pa.array(value, from_pandas=True).cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


# ---------------------------------------------------------------- Japan
# jp-hsp, jp-j-skip and jp-j-find read JLPT levels and BJT scores, the two Japanese
# university lists, Japan as a country, pay and savings in JPY. Every share and range here
# is an ASSUMPTION, not a sourced figure; each is drawn independently of everything else
# (a listed university need not be ranked), after every other column, so the rest of a
# seed's people are unchanged.
JP_OFFER_SHARE: Final = 0.1  # of the job offers drawn, in Japan instead
JP_SALARY: Final = ("JPY", 3_000_000, 25_000_000)  # yearly, uniform: crosses 3M-10M and 20M
JP_LANGUAGE_SHARE: Final = 0.1  # people with a Japanese result, in the next free slot
JP_TESTS: Final = (
    ("jlpt_n1", "jlpt_n2", "jlpt_n3", "jlpt_n4", "jlpt_n5", "bjt"),
    (0.1, 0.2, 0.2, 0.15, 0.15, 0.2),
)  # a JLPT result is the level passed; a BJT one a score, uniform 0-800
JP_DEGREE_SHARE: Final = 0.05  # degrees from a university in Japan (elsewhere: not said)
JP_JFIND_SHARE: Final = 0.1  # degrees from a university on the J-Find list; the rest not
JP_HSP_SHARE: Final = 0.05  # degrees from a university on the HSP notice list; the rest not
JP_SAVINGS_SHARE: Final = 0.05  # people whose funds are in JPY, uniform 0-1,000,000


def _japan(cols: dict[str, Any], rng: Any, n: int, offer: Any) -> None:
    """Japan's columns, in place (see the assumptions above)."""
    import numpy as np

    jo = f"job_offer{SEP}"
    japan = offer & (rng.random(n) < JP_OFFER_SHARE)
    currency, low, high = JP_SALARY
    salary = np.round(low + rng.random(n) * (high - low))
    cols[f"{jo}country"] = np.where(japan, "JP", cols[f"{jo}country"])
    cols[f"{jo}salary{SEP}amount"] = np.where(japan, salary, cols[f"{jo}salary{SEP}amount"])
    cols[f"{jo}salary{SEP}currency"] = np.where(japan, currency, cols[f"{jo}salary{SEP}currency"])

    speaks = rng.random(n) < JP_LANGUAGE_SHARE
    values, weights = JP_TESTS
    test = rng.choice(np.array(values, dtype=object), size=n, p=np.array(weights))
    score = np.where(test == "bjt", rng.integers(0, 801, size=n).astype(float), np.nan)
    count = np.asarray(cols["languages__n"])
    for slot in (1, 2):  # entries are contiguous: the first slot after those drawn
        here = speaks & (count == slot)
        lang = f"languages_{slot}{SEP}"
        for column, value, empty in (
            ("language", np.full(n, "ja", dtype=object), None),
            ("test", test, None),
            ("score", score, np.nan),
            ("cefr", np.full(n, None, dtype=object), None),
        ):
            before = cols[f"{lang}{column}"]
            if before is None:
                before = np.full(n, empty, dtype=object if empty is None else float)
            cols[f"{lang}{column}"] = np.where(here, value, before)
    cols["languages__n"] = count + speaks

    edu = f"education_0{SEP}institution{SEP}"
    cols[f"{edu}country"] = _masked(rng.random(n) < JP_DEGREE_SHARE, np.full(n, "JP", dtype=object))
    cols[f"{edu}jp_jfind_list"] = rng.random(n) < JP_JFIND_SHARE
    cols[f"{edu}jp_hsp_list"] = rng.random(n) < JP_HSP_SHARE

    jpy = rng.random(n) < JP_SAVINGS_SHARE
    savings = rng.integers(0, 1_000_001, size=n).astype(float)
    cols[f"funds{SEP}amount"] = np.where(jpy, savings, cols[f"funds{SEP}amount"])
    cols[f"funds{SEP}currency"] = np.where(jpy, "JPY", cols[f"funds{SEP}currency"])


def _masked(mask: Any, values: Any) -> Any:
    """``values`` where ``mask`` holds, unknown (None) elsewhere."""
    import numpy as np

    out = np.array(values, dtype=object)
    out[~mask] = None
    return out


def write(
    path: Path,
    n: int,
    seed: int,
    as_of: dt.date,
    chunk: int = 500_000,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write ``n`` people in chunks, so memory stays flat however large ``n`` is."""
    import pyarrow.parquet as pq

    with pq.ParquetWriter(path, arrow_schema()) as writer:
        done = 0
        part = 0
        while done < n:
            size = min(chunk, n - done)
            writer.write_table(synthesize(size, seed * 1_000_003 + part, as_of))
            done += size
            part += 1
            if progress is not None:
                progress(size)
