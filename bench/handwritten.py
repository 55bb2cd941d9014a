"""Hand-written baselines for the benchmark: three programmes' rules as Polars expressions
and as DuckDB SQL, written from the programme files by hand, independently of the compiler.

They cover what the rules use most: list membership, ``any`` over list slots, ordered
vocabularies, dates and whole years, parameters, and judgements (nulls, with SQL's and
Polars' Kleene logic). The benchmark checks they agree with the compiled path before
timing anything, so a faster baseline that is wrong cannot win.

Rules as in force on the benchmark date (see src/talentvisa/programs/*.yaml):

- cn-k: not Chinese; 18 <= age <= 45 or judgement; a STEM (ISCED 05, 06, 07) bachelor or
  higher, completed, from an institution ranked <= 500 or judgement; or current STEM
  teaching or research at an employer ranked <= 500 or judgement.
- kr-d10-t: not Korean; a master or doctorate completed less than 5 years ago at an
  institution ranked <= 100.
- us-h1b: not American; a US job offer; specialty occupation (judgement); a bachelor or
  higher, completed, related to the job (judgement).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

PROGRAMS = ("cn-k", "kr-d10-t", "us-h1b")
LEVELS = ("secondary", "vocational", "short_cycle", "bachelor", "master", "doctorate")
EDU, WORK, CIT = 3, 4, 3  # slots in the layout
STEM = ("05", "06", "07")

# ------------------------------------------------------------------ Polars


def _level(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(LEVELS, range(len(LEVELS)), default=None)


def _years(start: pl.Expr, as_of: dt.date) -> pl.Expr:
    later = (start.dt.month() > as_of.month) | (
        (start.dt.month() == as_of.month) & (start.dt.day() > as_of.day)
    )
    return pl.lit(as_of.year) - start.dt.year() - later.cast(pl.Int32)


def _any(n: str, slots: int, body: Any) -> pl.Expr:
    parts = [(pl.col(n) > i) & body(i) for i in range(slots)]
    found = parts[0]
    for p in parts[1:]:
        found = found | p
    return pl.when(pl.col(n).is_null()).then(None).otherwise(found)


def _not_citizen(country: str) -> pl.Expr:
    return ~_any("citizenships__n", CIT, lambda i: pl.col(f"citizenships_{i}") == country)


def _status(root: pl.Expr) -> pl.Expr:
    return pl.when(root.is_null()).then(2).when(root).then(0).otherwise(1).cast(pl.Int8)


def polars_statuses(as_of: dt.date) -> dict[str, pl.Expr]:
    unknown = pl.lit(None, dtype=pl.Boolean)
    age = (
        pl.when(pl.col("birth_date").is_null())
        .then(pl.col("age"))
        .otherwise(_years(pl.col("birth_date"), as_of))
    )

    def e(i: int, f: str) -> pl.Expr:
        return pl.col(f"education_{i}__{f}")

    def w(i: int, f: str) -> pl.Expr:
        return pl.col(f"work_{i}__{f}")

    def stem(field: pl.Expr) -> pl.Expr:
        return (
            field.str.starts_with("05") | field.str.starts_with("06") | field.str.starts_with("07")
        )

    k_degree = _any(
        "education__n",
        EDU,
        lambda i: (
            (_level(f"education_{i}__level") >= 3)
            & (e(i, "completed") <= as_of)
            & stem(e(i, "field"))
            & ((e(i, "institution__ranked") & (e(i, "institution__world_rank") <= 500)) | unknown)
        ),
    )
    k_work = _any(
        "work__n",
        WORK,
        lambda i: (
            w(i, "kind").is_in(["teaching", "research", "postdoc"])
            & (w(i, "start") <= as_of)
            & (w(i, "ongoing") | (w(i, "end") >= as_of))
            & stem(w(i, "field"))
            & ((w(i, "employer__ranked") & (w(i, "employer__world_rank") <= 500)) | unknown)
        ),
    )
    k = _not_citizen("CN") & (((age >= 18) & (age <= 45)) | unknown) & (k_degree | k_work)
    d10 = _not_citizen("KR") & _any(
        "education__n",
        EDU,
        lambda i: (
            (_level(f"education_{i}__level") >= 4)
            & (e(i, "completed") <= as_of)
            & (_years(e(i, "completed"), as_of) < 5)
            & e(i, "institution__ranked")
            & (e(i, "institution__world_rank") <= 100)
        ),
    )
    us_offer = pl.col("has_job_offer") & (pl.col("job_offer__country") == "US")
    h1b = (
        _not_citizen("US")
        & us_offer
        & (us_offer & unknown)
        & _any(
            "education__n",
            EDU,
            lambda i: (
                (_level(f"education_{i}__level") >= 3) & (e(i, "completed") <= as_of) & unknown
            ),
        )
    )
    return {"cn-k": _status(k), "kr-d10-t": _status(d10), "us-h1b": _status(h1b)}


# ------------------------------------------------------------------ DuckDB SQL


def _sql_level(col: str) -> str:
    cases = " ".join(f"WHEN '{v}' THEN {i}" for i, v in enumerate(LEVELS))
    return f"(CASE {col} {cases} END)"


def _sql_years(col: str, as_of: dt.date) -> str:
    d = f"DATE '{as_of.isoformat()}'"
    return (
        f"(year({d}) - year({col}) - CASE WHEN month({col}) > month({d}) OR "
        f"(month({col}) = month({d}) AND day({col}) > day({d})) THEN 1 ELSE 0 END)"
    )


def _sql_any(n: str, slots: int, body: Any) -> str:
    parts = " OR ".join(f"({n} > {i} AND {body(i)})" for i in range(slots))
    return f"(CASE WHEN {n} IS NULL THEN NULL ELSE ({parts}) END)"


def _sql_not_citizen(country: str) -> str:
    return "NOT " + _sql_any(
        '"citizenships__n"', CIT, lambda i: f"\"citizenships_{i}\" = '{country}'"
    )


def _sql_status(root: str) -> str:
    return f"CAST(CASE WHEN ({root}) IS NULL THEN 2 WHEN ({root}) THEN 0 ELSE 1 END AS TINYINT)"


def duckdb_select(as_of: dt.date) -> str:
    d = f"DATE '{as_of.isoformat()}'"
    age = f"(CASE WHEN birth_date IS NULL THEN age ELSE {_sql_years('birth_date', as_of)} END)"

    def stem(col: str) -> str:
        return "(" + " OR ".join(f"starts_with({col}, '{c}')" for c in STEM) + ")"

    def edu(i: int, f: str) -> str:
        return f'"education_{i}__{f}"'

    def work(i: int, f: str) -> str:
        return f'"work_{i}__{f}"'

    k_degree = _sql_any(
        '"education__n"',
        EDU,
        lambda i: (
            f"({_sql_level(edu(i, 'level'))} >= 3 AND {edu(i, 'completed')} <= {d} AND "
            f"{stem(edu(i, 'field'))} AND (({edu(i, 'institution__ranked')} AND "
            f"{edu(i, 'institution__world_rank')} <= 500) OR NULL))"
        ),
    )
    k_work = _sql_any(
        '"work__n"',
        WORK,
        lambda i: (
            f"({work(i, 'kind')} IN ('teaching', 'research', 'postdoc') AND "
            f"{work(i, 'start')} <= {d} AND ({work(i, 'ongoing')} OR {work(i, 'end')} >= {d}) AND "
            f"{stem(work(i, 'field'))} AND (({work(i, 'employer__ranked')} AND "
            f"{work(i, 'employer__world_rank')} <= 500) OR NULL))"
        ),
    )
    k = (
        f"{_sql_not_citizen('CN')} AND (({age} >= 18 AND {age} <= 45) OR NULL) "
        f"AND ({k_degree} OR {k_work})"
    )
    d10 = (
        _sql_not_citizen("KR")
        + " AND "
        + _sql_any(
            '"education__n"',
            EDU,
            lambda i: (
                f"({_sql_level(edu(i, 'level'))} >= 4 AND {edu(i, 'completed')} <= {d} AND "
                f"{_sql_years(edu(i, 'completed'), as_of)} < 5 AND {edu(i, 'institution__ranked')} AND "
                f"{edu(i, 'institution__world_rank')} <= 100)"
            ),
        )
    )
    offer = "(has_job_offer AND job_offer__country = 'US')"
    h1b = f"{_sql_not_citizen('US')} AND {offer} AND ({offer} AND NULL) AND " + _sql_any(
        '"education__n"',
        EDU,
        lambda i: f"({_sql_level(edu(i, 'level'))} >= 3 AND {edu(i, 'completed')} <= {d} AND NULL)",
    )
    return ", ".join(
        f'{_sql_status(root)} AS "{name}"'
        for name, root in (("cn-k", k), ("kr-d10-t", d10), ("us-h1b", h1b))
    )
