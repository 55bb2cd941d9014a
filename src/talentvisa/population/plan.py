"""A simulation planned once and run as one aggregation inside the engine.

Every run's programmes are compiled once, against a table that is only a name and the
layout's schema (``PEOPLE``), so one plan serves every chunk, every call and every engine:
the population is registered under that name (the engine's own Parquet reader, or a chunk
of Arrow rows) and the plan is executed there. A programme that a scenario leaves as it is
(same version, same parameter values on the date) is compiled and evaluated once for all
runs. Each person's statuses, keys and best option are columns of the same row, so nothing
is ever aligned by position; the engine then groups by segment and only the counts, one
row per segment, come back to Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import ibis
import ibis.expr.types as ir
import numpy as np
import polars as pl
import pyarrow as pa

from talentvisa.compare import STATUS_ORDER
from talentvisa.population.best import COSTS, NONE, Keys, cost_column, key_columns
from talentvisa.population.compile import STATUS_CODES, UNKNOWN, Compiler, Query, columns_read
from talentvisa.population.layout import SEP, arrow_schema
from talentvisa.rules.model import Program
from talentvisa.vocab import ISCED_F_BROAD, EducationLevel

PEOPLE: Final = "talentvisa_people"
ROW: Final = "__row"  # the row key: a person's position in the file, never in a result  # the name a population is registered under
SEGMENTS: Final = ("country", "degree", "field", "age_band")
AGE_BANDS: Final = ((25, "under 25"), (30, "25-29"), (35, "30-34"), (40, "35-39"), (45, "40-44"))
OLDEST_BAND: Final = "45+"
UNKNOWN_SEGMENT: Final = "unknown"
STATUS_NAMES: Final = {code: name for name, code in STATUS_CODES.items()}
_OPEN: Final = max(STATUS_ORDER["eligible"], STATUS_ORDER["undetermined"])
_MAY_OPEN: Final = (STATUS_CODES["eligible"], STATUS_CODES["undetermined"])


def segment_sources() -> list[str]:
    edu = [f"education_{i}{SEP}{c}" for i in range(3) for c in ("level", "field")]
    return ["citizenships_0", "birth_date", "age", *edu]


@dataclass(frozen=True, slots=True)
class Count:
    """What one aggregate column of the plan counts, so its result can be filed."""

    table: str  # rates, overlaps, best, switches, costs
    labels: tuple[tuple[str, str], ...]  # the table's key columns this column fills
    measure: str  # people, a_not_b, both, may_be_open, applicant_known, ...


@dataclass(frozen=True, slots=True)
class Plan:
    """One query over ``PEOPLE``: per segment, every count every table needs."""

    query: ir.Table  # over PEOPLE and the parts, by name
    counts: dict[str, Count]  # aggregate column -> what it counts
    wanted: frozenset[str]  # the layout columns the query reads
    parts: dict[str, Assessment]  # table name -> the assessment registered under it


@dataclass(frozen=True, slots=True)
class Assessment:
    """One programme compiled on one date: per person (by ``ROW``) its status and keys."""

    query: Query  # ROW, status, the keys' columns
    keys: Keys  # preference -> constant or a column of ``query``
    program: Program  # kept so the fingerprint's version stays alive


def people() -> ir.Table:
    """``PEOPLE`` as plans see it: every layout column in its layout type, and ``ROW``."""
    schema = ibis.Schema.from_pyarrow(arrow_schema())
    return ibis.table({**schema, ROW: "int64"}, name=PEOPLE)


def assessment(
    program: Program, as_of: dt.date, preferences: Sequence[str], currency: str
) -> Assessment:
    """A programme's compiled query, built once per (version in force, parameter values
    on the date, preferences, currency) and then taken from the cache: a scenario that
    leaves a programme as it is shares the baseline's, and every chunk and call reuses it."""
    key = (fingerprint(program, as_of), as_of, tuple(preferences), currency)
    found = _ASSESSED.get(key)
    if found is None:
        compiler = Compiler(program, as_of, people(), carry=(ROW,))
        keys, extra = key_columns(compiler, preferences, currency, costs=True)
        query = compiler.query(ROW, status=compiler.status(), **extra)
        found = _ASSESSED[key] = Assessment(query, keys, program)
    return found


_ASSESSED: dict[tuple[Any, ...], Assessment] = {}


def fingerprint(program: Program, as_of: dt.date) -> tuple[str, int, str]:
    """What a programme's compiled query depends on; the version's identity is safe to
    use because the cache keeps the programme (and so its version) alive."""
    return program.id, id(program.version_at(as_of)), repr(program.parameter_values(as_of))


def plan(
    runs: Sequence[tuple[str, Sequence[Program]]],
    as_of: dt.date,
    preferences: Sequence[str],
    currency: str,
) -> Plan:
    """Every run's tables as one query: the distinct programmes' assessments (each its
    own table, ``parts``) joined by ``ROW`` to the segments, each run's best option, then
    one GROUP BY segment. The query over the parts stays small, so engines plan it fast."""
    wanted = {ROW, *segment_sources()}
    joined = segments(people(), as_of).select(ROW, *SEGMENTS)
    parts: dict[str, Assessment] = {}
    tags: dict[int, str] = {}
    per_run: list[tuple[str, dict[str, tuple[str, Keys]]]] = []
    for name, progs in runs:
        mine = {}
        for program in progs:
            found = assessment(program, as_of, preferences, currency)
            if id(found) not in tags:
                tag = tags[id(found)] = f"{PEOPLE}_q{len(tags)}"
                parts[tag] = found
                q = ibis.table(found.query.final.schema(), name=tag)
                joined = joined.join(
                    q.select(ROW, **{f"{tag}__{c}": q[c] for c in q.columns if c != ROW}), ROW
                )
                wanted |= set(columns_read(program, as_of))
            mine[program.id] = (tags[id(found)], found.keys)
        per_run.append((name, mine))
    orders = {
        f"{tag}__order": ibis.cases(
            *((joined[f"{tag}__status"] == STATUS_CODES[s], o) for s, o in STATUS_ORDER.items())
        ).cast("float64")
        for tag in parts
    }
    t = joined.mutate(**orders)
    t = t.mutate(
        **{f"r{i}__best": _best(t, mine, preferences) for i, (_, mine) in enumerate(per_run)}
    )
    return _aggregate(t, per_run, frozenset(wanted), parts)


def _best(t: ir.Table, programs: dict[str, tuple[str, Keys]], preferences: Sequence[str]) -> Any:
    """Each person's best option as an index into the run's programme ids (their count
    meaning "none"): the lexicographic minimum of (status order, preference keys), ties
    to the lower id, as ``best.best_options`` and ``compare()`` rank. Written flat, one
    programme against each other, so no expression nests inside another."""
    ids = sorted(programs)
    keys = []
    for pid in ids:
        tag, k = programs[pid]
        keys.append(
            [t[f"{tag}__order"]]
            + [
                ibis.literal(v, "float64") if isinstance(v, float) else t[f"{tag}__{v}"]
                for v in (k.keys[name] for name in preferences)
            ]
        )
    wins = []
    for i, mine in enumerate(keys):
        beats: list[Any] = []
        for j, theirs in enumerate(keys):
            if i == j:
                continue
            below: Any = ibis.literal(False)
            equal: Any = ibis.literal(True)
            for a, b in zip(mine, theirs, strict=True):
                below = below | (equal & (a < b))
                equal = equal & (a == b)
            beats.append((below | (equal & ibis.literal(i < j))).fill_null(False))
        wins.append((_all(beats), i))
    opened = _any([k[0] <= _OPEN for k in keys])
    return ibis.cases(*((opened & won, i) for won, i in wins), else_=len(ids)).cast("int16")


def _all(values: list[Any]) -> Any:
    out: Any = ibis.literal(True)
    for v in values:
        out = out & v
    return out


def _any(values: list[Any]) -> Any:
    out: Any = ibis.literal(False)
    for v in values:
        out = out | v
    return out


def _aggregate(
    t: ir.Table,
    per_run: list[tuple[str, dict[str, tuple[str, Keys]]]],
    wanted: frozenset[str],
    parts: dict[str, Assessment],
) -> Plan:
    """One GROUP BY segment with a column per count; fee totals in whole cents, so sums
    are exact and the same on every engine, in any order and any partitioning."""
    aggs: dict[str, Any] = {}
    counts: dict[str, Count] = {}

    def add(value: Any, table: str, labels: dict[str, str], measure: str) -> None:
        name = f"c{len(aggs)}"
        aggs[name] = value
        counts[name] = Count(table, tuple(labels.items()), measure)

    def how_many(cond: Any) -> Any:
        return ibis.ifelse(cond, 1, 0).cast("int64").sum()

    baseline_programs = per_run[0][1]
    for r, (run, programs) in enumerate(per_run):
        ids = sorted(programs)
        status = {pid: t[f"{programs[pid][0]}__status"] for pid in ids}
        for pid in ids:
            for code, name in STATUS_NAMES.items():
                add(
                    how_many(status[pid] == code),
                    "rates",
                    {"run": run, "program": pid, "status": name},
                    "people",
                )
            may_open = status[pid].isin(_MAY_OPEN)
            labels = {"run": run, "program": pid}
            add(how_many(may_open), "costs", labels, "may_be_open")
            for payer in COSTS:
                cost = t[f"{programs[pid][0]}__{cost_column(pid, payer)}"]
                known = may_open & (cost < UNKNOWN)
                add(how_many(known), "costs", labels, f"{payer}_known")
                cents = (cost * 100).round().cast("int64")
                add(ibis.ifelse(known, cents, 0).sum(), "costs", labels, f"{payer}_cents")
        for a in ids:
            for b in ids:
                if a != b:
                    labels = {"run": run, "program_a": a, "program_b": b}
                    eligible = status[a] == STATUS_CODES["eligible"]
                    add(how_many(eligible & (status[b] != 0)), "overlaps", labels, "a_not_b")
                    add(how_many(eligible & (status[b] == 0)), "overlaps", labels, "both")
        options = [*ids, NONE]
        best = t[f"r{r}__best"]
        for i, option in enumerate(options):
            add(how_many(best == i), "best", {"run": run, "best": option}, "people")
        if r > 0:
            before = t["r0__best"]
            before_options = [*sorted(baseline_programs), NONE]
            for i, was in enumerate(before_options):
                for j, now in enumerate(options):
                    add(
                        how_many((before == i) & (best == j)),
                        "switches",
                        {"scenario": run, "before": was, "after": now},
                        "people",
                    )
    query = t.group_by(list(SEGMENTS)).aggregate(people=ibis._.count(), **aggs)
    return Plan(query, counts, wanted, parts)


def segments(t: ir.Table, as_of: dt.date) -> ir.Table:
    """``t`` with each person's country, degree, field and age band; ``unknown`` where
    not known. Values are read as text, whatever types the layout stores them in."""
    levels = [m.value for m in EducationLevel]
    edu = [f"education_{i}{SEP}" for i in range(3)]
    ranks = [
        t[f"{e}level"].cast("string").cases(*((v, i) for i, v in enumerate(levels)), else_=None)
        for e in edu
    ]
    rank: Any = ranks[0]
    for r in ranks[1:]:
        rank = ibis.ifelse(r.notnull() & (rank.isnull() | (r > rank)), r, rank)
    top_field = ibis.coalesce(
        *(
            ibis.ifelse(r == rank, t[f"{e}field"].cast("string"), ibis.null("string"))
            for r, e in zip(ranks, edu, strict=True)
        )
    )
    birth = t["birth_date"].cast("date")
    later = (birth.month() > as_of.month) | (
        (birth.month() == as_of.month) & (birth.day() > as_of.day)
    )
    years = as_of.year - birth.year() - ibis.ifelse(later, 1, 0)
    age = ibis.coalesce(years, t["age"].cast("int64"))
    band: Any = ibis.literal(OLDEST_BAND)
    for upper, label in reversed(AGE_BANDS):
        band = ibis.ifelse(age < upper, label, band)
    broad = {code: f"{code} {name}" for code, name in ISCED_F_BROAD.items()}
    return t.mutate(
        country=t["citizenships_0"].cast("string").fill_null(UNKNOWN_SEGMENT),
        degree=rank.cases(*enumerate(levels), else_=UNKNOWN_SEGMENT),
        field=top_field.substr(0, 2).cases(*broad.items(), else_=UNKNOWN_SEGMENT),
        age_band=ibis.ifelse(age.isnull(), UNKNOWN_SEGMENT, band),
    )


# ------------------------------------------------------------------ running


def register(
    con: Any,
    source: Path | pa.Table,
    wanted: frozenset[str],
    partitions: int | None = None,
    name: str = PEOPLE,
) -> None:
    """Make ``source`` the engine's ``PEOPLE``: a Parquet file read by the engine itself
    (nothing passes through Python; on Spark also a directory of them), or a chunk of
    Arrow rows. Columns the source lacks are unknown for everyone, each column is read in
    its layout type, and ``ROW`` is each person's position in the file. ``partitions``
    spreads the rows over that many Spark partitions."""
    if isinstance(source, pa.Table):
        rows = pa.array(np.arange(source.num_rows, dtype=np.int64))
        people = conform(ibis.memtable(source.append_column(ROW, rows)), wanted)
        if con.name == "polars":
            con.create_table(name, people, overwrite=True)
        else:  # a view of the chunk (Ibis 12 cannot replace a temporary DuckDB table)
            con.create_view(name, people, overwrite=True)
        return
    raw = f"{name}_file"
    if con.name == "pyspark":
        table = con.table(_spark_view(con._session, source, raw, partitions))
    elif con.name == "polars":
        table = con.read_parquet(str(source), table_name=raw, row_index_name=ROW)
    else:
        table = con.read_parquet(str(source), table_name=raw, file_row_number=True)
        table = table.rename({ROW: "file_row_number"})
    people = conform(table, wanted)
    if con.name == "polars":
        con.create_table(name, con.compile(people), overwrite=True)
    else:
        con.create_view(name, people, overwrite=True)


def _spark_view(session: Any, source: Path, name: str, partitions: int | None) -> str:
    """The Parquet file or directory as a Spark view with ``ROW``: the row's index in
    its file, after the files before it in name order (each file is given 2^40 rows)."""
    from pyspark.sql import functions as F

    df = session.read.parquet(str(source))
    path = F.col("_metadata.file_path")
    # The paths as ``_metadata`` spells them ("file:/x"), which is not how inputFiles()
    # does ("file:///x"): read off the files' metadata, no data column is scanned.
    files = sorted(r[0] for r in df.select(path).distinct().collect())
    if len(files) == 1:
        ordinal = F.lit(0)
    else:
        ordinal = F.create_map(*(F.lit(x) for i, f in enumerate(files) for x in (f, i)))[path]
    row = (ordinal.cast("long") * (1 << 40) + F.col("_metadata.row_index")).alias(ROW)
    df = df.select("*", row)
    if partitions:
        df = df.repartition(partitions)
    df.createOrReplaceTempView(name)
    return name


def conform(table: ir.Table, wanted: frozenset[str]) -> ir.Table:
    """The layout columns of ``table``, in layout types, nulls where missing or not
    wanted (an engine never reads those)."""
    layout = people().schema()
    columns = {}
    for name, dtype in layout.items():
        if name not in table.columns or name not in wanted:
            columns[name] = ibis.null(dtype)
        elif table[name].type() != dtype:
            columns[name] = table[name].cast(dtype)
        else:
            columns[name] = table[name]
    return table.select(**columns)


def run_plan(con: Any, plan: Plan) -> pl.DataFrame:
    """The plan's counts for the population registered as ``PEOPLE``, one row per
    segment. DuckDB and Spark get SQL generated once per plan (the costly part of their
    time, measured) and plan the whole of it as one query; Polars runs its streaming
    engine (Ibis would pick the older in-memory one, gigabytes more at 10 million)."""
    for name, part in plan.parts.items():
        register_stages(con, part.query)
        _register_view(con, name, part.query.final)
    if con.name == "polars":
        counts: pl.DataFrame = con.compile(plan.query).collect(engine="streaming")
        return counts
    if con.name == "pyspark":
        arrow = con._session.sql(_sql(con, plan.query)).toArrow()
    else:
        arrow = con.con.sql(_sql(con, plan.query)).to_arrow_table()
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _sql(con: Any, query: ir.Table) -> str:
    """A query's SQL in the engine's dialect, generated once."""
    key = (id(query), con.name)
    if key not in _SQL:
        _SQL[key] = (query, str(con.compile(query)))
    return _SQL[key][1]


_SQL: dict[tuple[int, str], tuple[ir.Table, str]] = {}  # the query kept alive with its id


def register_table(con: Any, table: ir.Table, wanted: frozenset[str]) -> None:
    """Make an Ibis table of ``con`` (with ``ROW``) the engine's ``PEOPLE``, conformed to
    the layout as ``register`` does."""
    people = conform(table, wanted)
    if con.name == "polars":
        con.create_table(PEOPLE, con.compile(people), overwrite=True)
    else:
        con.create_view(PEOPLE, people, overwrite=True)


def register_stages(con: Any, query: Query) -> None:
    """A compiled query's stages as views of their names, in order (each reads the one
    before), for ``query.final`` to read; on DuckDB and Spark from SQL generated once."""
    for name, stage in query.stages:
        _register_view(con, name, stage)


def _register_view(con: Any, name: str, query: ir.Table) -> None:
    if con.name == "polars":
        con.create_table(name, con.compile(query), overwrite=True)
    elif con.name == "pyspark":
        con._session.sql(_sql(con, query)).createOrReplaceTempView(name)
    else:
        con.raw_sql(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {_sql(con, query)}')


def execute_cached(con: Any, query: Query) -> pl.DataFrame:
    """A query over ``PEOPLE`` that is kept (``run.compiled``): DuckDB and Spark run its
    SQL, generated once; Polars translates it and runs its streaming engine."""
    register_stages(con, query)
    if con.name == "polars":
        return _collect(con, query.final)
    if con.name == "pyspark":
        arrow = con._session.sql(_sql(con, query.final)).toArrow()
    else:
        arrow = con.con.sql(_sql(con, query.final)).to_arrow_table()
    frame = pl.from_arrow(arrow)
    assert isinstance(frame, pl.DataFrame)
    return frame


def execute(con: Any, query: Query) -> pl.DataFrame:
    """A query over any table of ``con`` (an in-memory one included, which Ibis registers
    as it creates the first view); Polars on its streaming engine."""
    for name, stage in query.stages:
        if con.name == "polars":
            con.create_table(name, con.compile(stage), overwrite=True)
        else:
            con.create_view(name, stage, overwrite=True)
    if con.name == "polars":
        return _collect(con, query.final)
    frame = pl.from_arrow(con.to_pyarrow(query.final))
    assert isinstance(frame, pl.DataFrame)
    return frame


def _collect(con: Any, query: ir.Table) -> pl.DataFrame:
    rows: pl.DataFrame = con.compile(query).collect(engine="streaming")
    return rows
