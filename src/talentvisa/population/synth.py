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
    "offer_country": (("US", "DE", "NZ", "KR"), (0.5, 0.3, 0.1, 0.1)),
    "wage_level": ((1, 2, 3, 4), (0.3, 0.4, 0.2, 0.1)),
    # Canada (Express Entry): one CLB level drawn per person for all four English abilities,
    # independently of the CEFR level (no published CEFR-CLB mapping is used); the share of
    # foreign degrees with an Educational Credential Assessment for Canada. Assumptions.
    "english_clb": ((5, 6, 7, 8, 9, 10), (0.05, 0.10, 0.25, 0.25, 0.20, 0.15)),
    "eca_ca": (("full", "none"), (0.5, 0.5)),
}
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
}


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
            f"funds{SEP}amount": rng.integers(0, 2_000, size=n).astype(float),
            f"funds{SEP}currency": np.full(n, "EUR", dtype=object),
            f"funds{SEP}period": np.full(n, "month", dtype=object),
            "stays__n": np.zeros(n, dtype=np.int64),
            "visas__n": np.zeros(n, dtype=np.int64),
            "family__n": np.zeros(n, dtype=np.int64),
        }
    )
    schema = arrow_schema()
    arrays = []
    for field in schema:
        value = cols[field.name]
        if value is None:
            arrays.append(pa.nulls(n, field.type))
        else:  # NaN and None are unknown; cast checks that counts are whole numbers
            arrays.append(pa.array(value, from_pandas=True).cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


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
