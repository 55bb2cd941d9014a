"""Run the baseline and each scenario over a population, inside the engine, into small tables.

The runs are planned once (``population.plan``): the engine reads the Parquet file itself
(Polars streaming, DuckDB, or a distributed Spark job), assesses every person under every
run and groups by segment, so only counts by segment reach Python. ``chunk`` instead feeds
the engine slices of rows through the same plan, which bounds memory on one machine.

Outputs, each a tidy table of counts by segment (country, degree, field, age band):

- ``rates``: people per run, programme and status;
- ``overlaps``: eligible for programme A and not for B (and for both), per run;
- ``best``: each person's best option under the comparison's preferences, per run;
- ``switches``: best option in the baseline against best option in each scenario;
- ``costs``: government fees for those to whom a programme may be open, per payer.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from talentvisa.compare import DEFAULT_PREFERENCES
from talentvisa.population.best import COSTS
from talentvisa.population.layout import arrow_schema
from talentvisa.population.plan import ROW, SEGMENTS, Count, plan, register, run_plan
from talentvisa.population.run import Engine, connect
from talentvisa.rules.model import Program
from talentvisa.scenario import Scenario, apply

BASELINE: Final = "baseline"
TABLES: Final = ("rates", "overlaps", "best", "switches", "costs")


@dataclass(frozen=True, slots=True)
class Run:
    """The baseline or one scenario: a name and the programmes as it has them."""

    name: str
    title: str
    programs: tuple[Program, ...]
    changes: tuple[str, ...] = ()


def runs_for(programs: Sequence[Program], scenarios: Sequence[Scenario]) -> list[Run]:
    names = [s.name for s in scenarios]
    clash = {n for n in names if names.count(n) > 1 or n == BASELINE}
    if clash:
        raise ValueError(f"scenario names must be unique and not {BASELINE!r}: {sorted(clash)}")
    return [Run(BASELINE, "Rules as cited", tuple(programs))] + [
        Run(s.name, s.title, tuple(apply(s, programs)), tuple(s.lines())) for s in scenarios
    ]


@dataclass(slots=True)
class Results:
    """Counts by segment; partial results of chunks add up. Fee totals are kept in whole
    cents, so the sums are exact on every engine and in any order."""

    people: int = 0
    rates: list[pl.DataFrame] = field(default_factory=list)
    overlaps: list[pl.DataFrame] = field(default_factory=list)
    best: list[pl.DataFrame] = field(default_factory=list)
    switches: list[pl.DataFrame] = field(default_factory=list)
    costs: list[pl.DataFrame] = field(default_factory=list)

    def tables(self) -> dict[str, pl.DataFrame]:
        """Each table summed over chunks, in a stable order."""
        out = {}
        for name in TABLES:
            frame = _summed(getattr(self, name))
            if name == "costs" and frame.height:
                frame = frame.with_columns(
                    pl.col(f"{payer}_cents").truediv(100).alias(f"{payer}_cents") for payer in COSTS
                ).rename({f"{payer}_cents": f"{payer}_total" for payer in COSTS})
            out[name] = frame.sort(_keys(frame)) if frame.height else frame
        return out

    def compact(self) -> None:
        """Sum each table's parts into one, so memory does not grow with the chunks."""
        for name in TABLES:
            parts = getattr(self, name)
            if len(parts) > 1:
                setattr(self, name, [_summed(parts)])

    def add(self, counts: pl.DataFrame, what: dict[str, Count]) -> None:
        """File one plan result (a row per segment, a column per count) in the tables."""
        self.people += int(counts["people"].sum()) if counts.height else 0
        for name in TABLES:
            columns = [c for c, w in what.items() if w.table == name]
            if not columns:
                continue
            labels = [k for k, _ in what[columns[0]].labels]
            meta = pl.DataFrame(
                [{"count": c, "measure": what[c].measure, **dict(what[c].labels)} for c in columns]
            )
            long = counts.unpivot(
                index=list(SEGMENTS), on=columns, variable_name="count", value_name="value"
            ).join(meta, on="count")
            measures = list(dict.fromkeys(what[c].measure for c in columns))
            frame = long.pivot(
                on="measure", index=[*labels, *SEGMENTS], values="value", aggregate_function="sum"
            ).select(*labels, *SEGMENTS, *(pl.col(m).cast(pl.Int64) for m in measures))
            if name in _ONLY_OCCURRING:
                frame = frame.filter(pl.col("people") > 0)
            getattr(self, name).append(frame)


# Tables that list only what occurs; overlaps and costs have a row for every segment.
_ONLY_OCCURRING: Final = frozenset({"rates", "best", "switches"})


def _keys(frame: pl.DataFrame) -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == pl.String]


def _summed(parts: list[pl.DataFrame]) -> pl.DataFrame:
    frame = pl.concat(parts) if parts else pl.DataFrame()
    if not frame.height:
        return frame
    return frame.group_by(_keys(frame), maintain_order=True).agg(pl.all().sum())


def simulate(
    source: Path,
    runs: Sequence[Run],
    as_of: dt.date,
    engine: Engine = "polars",
    preferences: Sequence[str] = DEFAULT_PREFERENCES,
    currency: str = "USD",
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
    spark_master: str | None = None,
    partitions: int | None = None,
) -> Results:
    """Assess every person in ``source`` under every run; ``progress`` hears rows done.

    The whole file goes to the engine as one query unless ``chunk`` (rows) is given;
    ``spark_master`` is any Spark master URL, ``partitions`` how many Spark partitions
    the population is spread over."""
    planned = plan([(r.name, r.programs) for r in runs], as_of, preferences, currency)
    con = connect(engine, spark_master)
    results = Results()
    with tempfile.TemporaryDirectory(prefix="talentvisa-") as tmp:
        if source.suffix.lower() == ".csv" and chunk is None:
            source = _as_parquet(source, Path(tmp) / "people.parquet")
        if chunk is None:
            register(con, source, planned.wanted, partitions)
            results.add(run_plan(con, planned), planned.counts)
            if progress is not None:
                progress(results.people)
            return results
        for batch in read_chunks(source, chunk, set(planned.wanted) - {ROW}):
            register(con, batch, planned.wanted)
            results.add(run_plan(con, planned), planned.counts)
            results.compact()
            if progress is not None:
                progress(batch.num_rows)
    return results


def _as_parquet(csv: Path, out: Path) -> Path:
    """A CSV population as Parquet in the layout, streamed, for the engine to read."""
    with pq.ParquetWriter(out, arrow_schema()) as writer:
        for batch in read_chunks(csv, 1_000_000):
            writer.write_table(batch)
    return out


def read_chunks(source: Path, rows: int, wanted: set[str] | None = None) -> Iterator[pa.Table]:
    """Chunks of the population in the layout (only the ``wanted`` columns), from Parquet
    or CSV; a column the file lacks is unknown for everyone."""
    full = arrow_schema()
    schema = pa.schema([f for f in full if wanted is None or f.name in wanted])
    if source.suffix.lower() == ".csv":
        import pyarrow.csv as pacsv

        options = pacsv.ConvertOptions(
            column_types=full,
            include_columns=schema.names,
            include_missing_columns=True,
            strings_can_be_null=True,  # an empty cell is unknown, as in Parquet
        )
        reader = pacsv.open_csv(
            source, read_options=pacsv.ReadOptions(block_size=1 << 24), convert_options=options
        )
        for batch in reader:
            yield _conform(pa.Table.from_batches([batch]), schema)
        return
    parquet = pq.ParquetFile(source)
    columns = [c for c in schema.names if c in parquet.schema_arrow.names]
    for batch in parquet.iter_batches(batch_size=rows, columns=columns):
        yield _conform(pa.Table.from_batches([batch]), schema)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Every layout column in its layout type: a file may omit columns it does not know."""
    arrays = []
    for f in schema:
        if f.name in table.column_names:
            arrays.append(table[f.name].cast(f.type))
        else:
            arrays.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(arrays, schema=schema)
