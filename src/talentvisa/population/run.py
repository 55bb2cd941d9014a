"""Run compiled programmes over a population on an engine: Polars or DuckDB, via Ibis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

import ibis
import ibis.expr.types as ir

from talentvisa.population.compile import Compiler
from talentvisa.rules.model import ParamValue, Program

Engine = Literal["polars", "duckdb"]
ENGINES: Final[tuple[Engine, ...]] = ("polars", "duckdb")


def connect(engine: Engine) -> Any:
    if engine == "polars":
        return ibis.polars.connect()
    if engine == "duckdb":
        return ibis.duckdb.connect()
    raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")


def table_from(con: Any, source: Any) -> ir.Table:
    """An Ibis table over a Parquet file (streamed by the engine) or an Arrow table."""
    if isinstance(source, str | Path):
        return con.read_parquet(str(source))
    return ibis.memtable(source)


def assess(
    table: ir.Table,
    programs: Sequence[Program],
    as_of: dt.date,
    parameters: Mapping[str, Mapping[str, ParamValue | None]] | None = None,
) -> dict[str, ir.Table]:
    """Per programme, a query giving its status column (codes in ``compile.STATUS_CODES``)
    and points, row for row with the population. Each programme reads only its own facts,
    which keeps every engine's plan narrow."""
    queries = {}
    for program in programs:
        compiler = Compiler(program, as_of, table, (parameters or {}).get(program.id))
        values = {program.id: compiler.status()}
        points = compiler.points()
        if points is not None:
            values[f"{program.id}__points"] = points
        queries[program.id] = compiler.t.select(**values)
    return queries


def run(
    con: Any,
    table: ir.Table,
    programs: Sequence[Program],
    as_of: dt.date,
    parameters: Mapping[str, Mapping[str, ParamValue | None]] | None = None,
) -> Any:
    """Execute every programme's query and put the columns side by side (a pyarrow Table)."""
    import pyarrow as pa

    columns: dict[str, Any] = {}
    for query in assess(table, programs, as_of, parameters).values():
        result = con.to_pyarrow(query)
        for name in result.column_names:
            columns[name] = result[name]
    return pa.table(columns)
