"""Run compiled programmes over a population on an engine: Polars or DuckDB, via Ibis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from talentvisa.population.best import Keys, key_columns
from talentvisa.population.compile import Compiler, Query, columns_read
from talentvisa.population.layout import COLUMNS
from talentvisa.population.plan import (
    ROW,
    execute,
    execute_cached,
    fingerprint,
    people,
    register,
    register_table,
)
from talentvisa.rules.model import Program

Engine = Literal["polars", "duckdb", "spark"]
ENGINES: Final[tuple[Engine, ...]] = ("polars", "duckdb", "spark")


def connect(engine: Engine, spark_master: str | None = None) -> Any:
    """A connection to the engine; ``spark_master`` is any Spark master URL."""
    if engine == "polars":
        return ibis.polars.connect()
    if engine == "duckdb":
        con = ibis.duckdb.connect()
        # A compiled programme is a chain of ~200 views; pushing filters down through every
        # projection of it took DuckDB 15 of its 19 s planning `simulate` on 14 programmes,
        # and execution at a million people was no slower without it (measured 2026-12-02).
        con.raw_sql("SET disabled_optimizers = 'filter_pushdown'")
        return con
    if engine == "spark":
        return ibis.pyspark.connect(spark_session(spark_master))
    raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")


def spark_session(master: str | None = None) -> Any:
    """A Spark session on ``master``, or where Spark's own settings point (``spark.master``
    in spark-defaults.conf, ``--master`` in PYSPARK_SUBMIT_ARGS, ``MASTER``), which is
    local mode on every core when nothing is set; UTC so dates never shift; no web UI."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ValueError(
            "the spark engine needs PySpark and Java 17: pip install 'talentvisa[spark]'"
        ) from exc
    builder = SparkSession.builder if master is None else SparkSession.builder.master(master)
    return (
        builder.appName("talentvisa")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )


def table_from(con: Any, source: Any) -> ir.Table:
    """An Ibis table over a Parquet file (streamed by the engine) or an Arrow table, with
    ``ROW``, each person's position in the file: an engine may return a file's row groups
    in any order, so results are aligned by this key, never by where they come back."""
    if isinstance(source, str | Path):
        name = ibis.util.gen_name("people")
        register(con, Path(source), frozenset(COLUMNS) | {ROW}, name=name)
        return con.table(name)
    if ROW not in source.column_names:
        source = source.append_column(ROW, pa.array(np.arange(source.num_rows, dtype=np.int64)))
    return ibis.memtable(source)


@dataclass(frozen=True, slots=True)
class Assessed:
    """Per person: each programme's status (codes in ``compile.STATUS_CODES``), certain
    points, and the comparison's per-person keys; ``keys`` says how to rank them."""

    columns: Any  # a pyarrow Table, row for row with the population
    keys: dict[str, Keys]


def assess(
    table: ir.Table,
    program: Program,
    as_of: dt.date,
    preferences: Sequence[str] = (),
    currency: str = "USD",
    costs: bool = False,
) -> tuple[Query, Keys]:
    """One programme's query: status, certain points, and the per-person keys asked for.
    It reads only the columns the programme's rules name, which keeps plans narrow."""
    carry = (ROW,) if ROW in table.columns else ()
    compiler = Compiler(program, as_of, table, carry=carry)
    values = {program.id: compiler.status()}
    points = compiler.points()
    if points is not None:
        values[f"{program.id}__points"] = points
    keys, extra = key_columns(compiler, preferences, currency, costs)
    return compiler.query(*carry, **values, **extra), keys


def run(
    con: Any,
    table: ir.Table,
    programs: Sequence[Program],
    as_of: dt.date,
    preferences: Sequence[str] = (),
    currency: str = "USD",
    costs: bool = False,
) -> Assessed:
    """One query per programme, columns side by side in the population's row order.

    Where ``table`` has the row key (``table_from`` adds it), each programme is compiled
    once, against ``PEOPLE`` (a name and the layout's schema), and kept: every later call
    in the process, on any table, reuses the compiled query, and on DuckDB and Spark its
    generated SQL too, so a call pays only for registering ``table`` under that name and
    for running (measured, bench/bench_population.py: building and translating is 0.5-4 s
    of CPU per programme and call for the largest ones).

    Measured (bench/bench_population.py): one query for several programmes scans once but
    gains nothing on Polars, and DuckDB plans one large query far slower than several
    small ones (26 s against 9 s for all seven programmes)."""
    columns: dict[str, Any] = {}
    keys: dict[str, Keys] = {}
    cached = ROW in table.columns
    if cached:
        wanted = frozenset({ROW}.union(*(columns_read(p, as_of) for p in programs)))
        register_table(con, table, wanted)
    for program in programs:
        if cached:
            query, keys[program.id] = compiled(program, as_of, preferences, currency, costs)
            result = execute_cached(con, query).to_arrow()
        else:
            query, keys[program.id] = assess(table, program, as_of, preferences, currency, costs)
            result = execute(con, query).to_arrow()
        if ROW in result.column_names:
            order = result[ROW].to_numpy()
            if not np.all(order[1:] >= order[:-1]):  # an engine that does not keep row order
                result = result.take(pa.array(np.argsort(order, kind="stable")))
        for name in result.column_names:
            if name != ROW:
                columns[name] = result[name]
    return Assessed(pa.table(columns), keys)


def compiled(
    program: Program,
    as_of: dt.date,
    preferences: Sequence[str] = (),
    currency: str = "USD",
    costs: bool = False,
) -> tuple[Query, Keys]:
    """``assess`` over ``PEOPLE``, built once per (version in force, parameter values on
    the date, preferences, currency, costs) and then taken from the cache."""
    key = (fingerprint(program, as_of), as_of, tuple(preferences), currency, costs)
    found = _COMPILED.get(key)
    if found is None:
        query, keys = assess(people(), program, as_of, preferences, currency, costs)
        found = _COMPILED[key] = (query, keys, program)
    return found[0], found[1]


# The programme is kept alive with its query, so the fingerprint's version id stays its own.
_COMPILED: dict[tuple[Any, ...], tuple[Query, Keys, Program]] = {}
