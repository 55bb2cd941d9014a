"""Run the baseline and each scenario over a population, chunk by chunk, into small tables.

The population is read from Parquet in chunks of rows (Arrow buffers, never Python
objects), each chunk is assessed on the chosen engine for every run, and only counts by
segment leave the chunk: memory stays flat however many people there are, and every
engine (Polars, DuckDB, Spark) streams the same way.

Outputs, each a tidy table of counts by segment (country, degree, field, age band):

- ``rates``: people per run, programme and status;
- ``overlaps``: eligible for programme A and not for B (and for both), per run;
- ``best``: each person's best option under the comparison's preferences, per run;
- ``switches``: best option in the baseline against best option in each scenario;
- ``costs``: government fees for those to whom a programme may be open, per payer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import ibis
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from talentvisa.compare import DEFAULT_PREFERENCES
from talentvisa.population.best import COSTS, best_options, cost_column
from talentvisa.population.compile import STATUS_CODES, UNKNOWN, columns_read
from talentvisa.population.layout import SEP, arrow_schema
from talentvisa.population.run import ROW, Engine, connect, release
from talentvisa.population.run import run as assess_all
from talentvisa.rules.model import Program
from talentvisa.scenario import Scenario, apply
from talentvisa.vocab import ISCED_F_BROAD, EducationLevel

BASELINE: Final = "baseline"
SEGMENTS: Final = ("country", "degree", "field", "age_band")
AGE_BANDS: Final = ((25, "under 25"), (30, "25-29"), (35, "30-34"), (40, "35-39"), (45, "40-44"))
OLDEST_BAND: Final = "45+"
UNKNOWN_SEGMENT: Final = "unknown"
TABLES: Final = ("rates", "overlaps", "best", "switches", "costs")
STATUS_NAMES: Final = {code: name for name, code in STATUS_CODES.items()}


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
    """Counts by segment; partial results of chunks add up."""

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
            out[name] = frame.sort(_keys(frame)) if frame.height else frame
        return out

    def compact(self) -> None:
        """Sum each table's parts into one, so memory does not grow with the chunks
        (measured: without it, 100 million people peaked at 9 GB)."""
        for name in TABLES:
            parts = getattr(self, name)
            if len(parts) > 1:
                setattr(self, name, [_summed(parts)])


def _keys(frame: pl.DataFrame) -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == pl.String]


def _summed(parts: list[pl.DataFrame]) -> pl.DataFrame:
    frame = pl.concat(parts) if parts else pl.DataFrame()
    if not frame.height:
        return frame
    return frame.group_by(_keys(frame)).agg(pl.all().sum())


def simulate(
    source: Path,
    runs: Sequence[Run],
    as_of: dt.date,
    engine: Engine = "polars",
    preferences: Sequence[str] = DEFAULT_PREFERENCES,
    currency: str = "USD",
    chunk: int = 1_000_000,
    progress: Callable[[int], None] | None = None,
) -> Results:
    """Assess every person in ``source`` under every run; ``progress`` hears rows done."""
    con = connect(engine)
    results = Results()
    wanted = set(_segment_sources())
    for run in runs:
        for program in run.programs:
            wanted |= set(columns_read(program, as_of))
    for batch in read_chunks(source, chunk, wanted):
        n = batch.num_rows
        table = batch.append_column(ROW, pa.array(np.arange(n, dtype=np.int64)))
        segments = segment_frame(table, as_of)
        columns: dict[str, dict[str, np.ndarray]] = {}
        best: dict[str, np.ndarray] = {}
        people = ibis.memtable(table)
        for run in runs:
            found = assess_all(con, people, run.programs, as_of, preferences, currency, costs=True)
            columns[run.name] = _arrays(found.columns)
            best[run.name] = best_options(
                run.programs, found.keys, columns[run.name], n, preferences
            )
        release(con, people)
        _count(results, segments, {r.name: r.programs for r in runs}, columns, best)
        results.compact()
        results.people += n
        if progress is not None:
            progress(n)
    return results


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


def _arrays(table: pa.Table) -> dict[str, np.ndarray]:
    return {name: table[name].to_numpy(zero_copy_only=False) for name in table.column_names}


def segment_frame(table: pa.Table, as_of: dt.date) -> pl.DataFrame:
    """Country, degree, field and age band of each person; ``unknown`` where not known."""
    frame = pl.from_arrow(table.select(_segment_sources()))
    assert isinstance(frame, pl.DataFrame)
    levels = [m.value for m in EducationLevel]
    edu = [f"education_{i}{SEP}" for i in range(3)]
    rank = pl.max_horizontal(
        *(pl.col(f"{e}level").replace_strict(levels, range(len(levels)), default=None) for e in edu)
    )
    top_field = pl.coalesce(
        *(
            pl.when(
                pl.col(f"{e}level").replace_strict(levels, range(len(levels)), default=None) == rank
            ).then(pl.col(f"{e}field"))
            for e in edu
        )
    )
    birth = pl.col("birth_date")
    years = (
        pl.lit(as_of.year)
        - birth.dt.year()
        - (
            (birth.dt.month() > as_of.month)
            | ((birth.dt.month() == as_of.month) & (birth.dt.day() > as_of.day))
        ).cast(pl.Int32)
    )
    age = pl.coalesce(years, pl.col("age"))
    band = pl.lit(OLDEST_BAND)
    for upper, label in reversed(AGE_BANDS):
        band = pl.when(age < upper).then(pl.lit(label)).otherwise(band)
    broad = {code: f"{code} {name}" for code, name in ISCED_F_BROAD.items()}
    return frame.select(
        country=pl.col("citizenships_0").fill_null(UNKNOWN_SEGMENT),
        degree=rank.replace_strict(range(len(levels)), levels, default=UNKNOWN_SEGMENT),
        field=top_field.str.slice(0, 2).replace_strict(broad, default=UNKNOWN_SEGMENT),
        age_band=pl.when(age.is_null()).then(pl.lit(UNKNOWN_SEGMENT)).otherwise(band),
    )


def _segment_sources() -> list[str]:
    edu = [f"education_{i}{SEP}{c}" for i in range(3) for c in ("level", "field")]
    return ["citizenships_0", "birth_date", "age", *edu]


def _count(
    results: Results,
    segments: pl.DataFrame,
    programs: dict[str, tuple[Program, ...]],
    columns: dict[str, dict[str, np.ndarray]],
    best: dict[str, np.ndarray],
) -> None:
    keys = list(SEGMENTS)
    for run, found in columns.items():
        ids = sorted(p.id for p in programs[run])
        frame = segments.with_columns(
            **{pid: pl.Series(found[pid], dtype=pl.Int8) for pid in ids},
            **{
                cost_column(pid, payer): pl.Series(found[cost_column(pid, payer)], dtype=pl.Float64)
                for pid in ids
                for payer in COSTS
            },
        )
        for pid in ids:
            results.costs.append(_costs(frame, run, pid))
            results.rates.append(
                frame.group_by([*keys, pid])
                .len("people")
                .select(
                    pl.lit(run).alias("run"),
                    pl.lit(pid).alias("program"),
                    pl.col(pid)
                    .replace_strict(STATUS_NAMES, return_dtype=pl.String)
                    .alias("status"),
                    *keys,
                    pl.col("people").cast(pl.Int64),
                )
            )
        results.overlaps.append(
            pl.concat(
                [
                    frame.group_by(keys)
                    .agg(
                        a_not_b=((pl.col(a) == 0) & (pl.col(b) != 0)).sum().cast(pl.Int64),
                        both=((pl.col(a) == 0) & (pl.col(b) == 0)).sum().cast(pl.Int64),
                    )
                    .select(
                        pl.lit(run).alias("run"),
                        pl.lit(a).alias("program_a"),
                        pl.lit(b).alias("program_b"),
                        *keys,
                        "a_not_b",
                        "both",
                    )
                    for a in ids
                    for b in ids
                    if a != b
                ]
            )
        )
        chosen = segments.with_columns(best=pl.Series(best[run], dtype=pl.String))
        results.best.append(
            chosen.group_by([*keys, "best"])
            .len("people")
            .select(pl.lit(run).alias("run"), "best", *keys, pl.col("people").cast(pl.Int64))
        )
        if run != BASELINE:
            pair = segments.with_columns(
                before=pl.Series(best[BASELINE], dtype=pl.String),
                after=pl.Series(best[run], dtype=pl.String),
            )
            results.switches.append(
                pair.group_by([*keys, "before", "after"])
                .len("people")
                .select(
                    pl.lit(run).alias("scenario"),
                    "before",
                    "after",
                    *keys,
                    pl.col("people").cast(pl.Int64),
                )
            )


def _costs(frame: pl.DataFrame, run: str, pid: str) -> pl.DataFrame:
    """Fee totals over the people a programme may be open to, where the total is known."""
    may_open = pl.col(pid).is_in([STATUS_CODES["eligible"], STATUS_CODES["undetermined"]])
    sums = {}
    for payer in COSTS:
        cost = pl.col(cost_column(pid, payer))
        known = may_open & (cost < UNKNOWN)
        sums[f"{payer}_known"] = known.sum().cast(pl.Int64)
        sums[f"{payer}_total"] = pl.when(known).then(cost).otherwise(0.0).sum()
    return (
        frame.group_by(list(SEGMENTS))
        .agg(may_be_open=may_open.sum().cast(pl.Int64), **sums)
        .select(
            pl.lit(run).alias("run"),
            pl.lit(pid).alias("program"),
            *SEGMENTS,
            pl.all().exclude(*SEGMENTS),
        )
    )
