"""Throughput and peak memory of the population path, against hand-written baselines.

Each measurement runs in its own process, so its peak resident memory is its own; all of
them run in one invocation on one population, and are reported as profile-programme
evaluations per second and as a ratio to the fastest hand-written baseline of the same
run (machines here are noisy: compare ratios, not seconds, across runs).

Run: ``python bench/bench_population.py --n 10000000`` (add ``--no-spark`` to skip Spark;
``--each`` measures every programme on its own, the table per programme and engine).
Every path's statuses are compared with the hand-written Polars baseline's person by
person (not as counts, which cannot see rows out of order); the report names any row
that disagrees. The baselines (bench/handwritten.py) cover all seven programmes.

Each path runs twice in its process: "cold" is the first run (the compiled path builds
and translates its queries), the reported rate is the second, "warm" one (the compiled
path reuses its compiled queries and, on DuckDB and Spark, their SQL, as every later call
does); CPU seconds are the warm run's, over every thread of the process, and the CPU
ratio (hand-written CPU over compiled CPU) is the one to read on a loaded machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 29)
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from handwritten import PROGRAMS  # noqa: E402  (the programmes the baselines encode)


def _counts(table: Any, names: list[str]) -> Any:
    """Every person's status per programme, as an Arrow table: compared row by row."""
    import pyarrow as pa

    return pa.table({name: pa.array(table[name]).cast(pa.int8()) for name in names})


def _needed(population: Path, programs: list[str]) -> list[str]:
    from talentvisa.population.compile import columns_read
    from talentvisa.rules.loader import builtin_programs

    ps = builtin_programs()
    cols: set[str] = set()
    for pid in programs:
        cols |= set(columns_read(ps[pid], AS_OF))
    return sorted(cols)


# ------------------------------------------------------------------ measurements
# Each returns (seconds, rows, status counts); loading data into memory is not timed.

_CPU = [0.0, 0.0]  # process CPU time at the start of the timed part, and its length


def _start() -> float:
    _CPU[0] = time.process_time()
    return time.perf_counter()


def _stop(start: float) -> float:
    _CPU[1] = time.process_time() - _CPU[0]
    return time.perf_counter() - start


def handwritten_polars_memory(population: Path, programs: list[str]) -> tuple[float, int, Any]:
    import polars as pl

    from handwritten import polars_query

    frame = pl.read_parquet(population, columns=_needed(population, programs))
    start = _start()
    result = polars_query(frame.lazy(), AS_OF, programs).collect()
    seconds = _stop(start)
    return seconds, frame.height, _counts(result.to_arrow(), list(result.columns))


def handwritten_polars_stream(population: Path, programs: list[str]) -> tuple[float, int, Any]:
    import polars as pl

    from handwritten import polars_query

    start = _start()
    rows = pl.scan_parquet(population, row_index_name="__row")
    result = polars_query(rows, AS_OF, programs, keep=["__row"]).collect(engine="streaming")
    seconds = _stop(start)
    # The streaming engine does not keep row order: compare person by person by row key.
    result = result.sort("__row").drop("__row")
    return seconds, result.height, _counts(result.to_arrow(), list(result.columns))


def handwritten_duckdb_memory(population: Path, programs: list[str]) -> tuple[float, int, Any]:
    import duckdb

    from handwritten import duckdb_query

    con = duckdb.connect()
    cols = ", ".join(f'"{c}"' for c in _needed(population, programs))
    con.execute(f"CREATE TABLE people AS SELECT {cols} FROM read_parquet('{population}')")
    start = _start()
    result = con.execute(duckdb_query("people", AS_OF, programs)).to_arrow_table()
    seconds = _stop(start)
    return seconds, result.num_rows, _counts(result, result.column_names)


def handwritten_duckdb_stream(population: Path, programs: list[str]) -> tuple[float, int, Any]:
    import duckdb

    from handwritten import duckdb_query

    con = duckdb.connect()
    start = _start()
    source = f"read_parquet('{population}')"
    result = con.execute(duckdb_query(source, AS_OF, programs)).to_arrow_table()
    seconds = _stop(start)
    return seconds, result.num_rows, _counts(result, result.column_names)


def _compiled(engine: str, in_memory: bool) -> Callable[[Path, list[str]], tuple[float, int, Any]]:
    def measure(population: Path, programs: list[str]) -> tuple[float, int, Any]:
        import ibis
        import numpy as np
        import polars as pl
        import pyarrow as pa
        import pyarrow.parquet as pq

        from talentvisa.population.plan import ROW
        from talentvisa.population.run import connect, run, table_from
        from talentvisa.rules.loader import builtin_programs

        ps = builtin_programs()
        chosen = [ps[p] for p in programs]
        con = _CONNECTIONS.get(engine) or _CONNECTIONS.setdefault(engine, connect(engine))  # type: ignore[arg-type]
        if in_memory:
            # In the engine's own memory, as the hand-written baseline's data is: a Polars
            # frame, a DuckDB table (loading is not timed); with the row key.
            arrow = pq.read_table(population, columns=_needed(population, programs))
            arrow = arrow.append_column(ROW, pa.array(np.arange(arrow.num_rows, dtype=np.int64)))
            if engine == "polars":
                table = ibis.memtable(pl.from_arrow(arrow))
            else:
                con.con.register("people_arrow", arrow)
                con.con.execute("CREATE OR REPLACE TABLE people_in_memory AS FROM people_arrow")
                con.con.unregister("people_arrow")
                table = con.table("people_in_memory")
        else:
            table = table_from(con, population)  # with the row key: rows are checked by it
        start = _start()
        result = run(con, table, chosen, AS_OF).columns
        seconds = _stop(start)
        return seconds, result.num_rows, _counts(result, programs)

    return measure


_CONNECTIONS: dict[str, Any] = {}  # one per engine and process: the warm run reuses it


def simulate_polars(population: Path, programs: list[str]) -> tuple[float, int, Any]:
    """The product path: chunks, statuses, best options and every table, baseline only."""
    from talentvisa.population.simulate import runs_for, simulate
    from talentvisa.rules.loader import builtin_programs

    ps = builtin_programs()
    start = _start()
    results = simulate(population, runs_for([ps[p] for p in programs], []), AS_OF, "polars")
    seconds = _stop(start)
    return seconds, results.people, None


def scalar(population: Path, programs: list[str]) -> tuple[float, int, Any]:
    """The reference evaluator on every programme case's profile, repeated: scaled, since
    millions of scalar evaluations would take hours."""
    from talentvisa.cases import case_files, load_cases
    from talentvisa.profile import Profile
    from talentvisa.rules.evaluator import evaluate
    from talentvisa.rules.loader import PROGRAMS_DIR, builtin_programs

    ps = builtin_programs()
    profiles = [
        Profile.model_validate(c.profile)
        for f in case_files(Path(str(PROGRAMS_DIR)))
        for c in load_cases(f)
    ]
    sample = (profiles * 10)[:2000]
    start = _start()
    for profile in sample:
        for pid in programs:
            evaluate(profile, ps[pid], AS_OF)
    return _stop(start), len(sample), None


MEASURES: dict[str, Callable[[Path, list[str]], tuple[float, int, Any]]] = {
    "hand-written Polars, in memory": handwritten_polars_memory,
    "hand-written Polars, streaming Parquet": handwritten_polars_stream,
    "hand-written DuckDB SQL, in memory": handwritten_duckdb_memory,
    "hand-written DuckDB SQL, streaming Parquet": handwritten_duckdb_stream,
    "compiled on Polars, in memory": _compiled("polars", True),
    "compiled on Polars, from Parquet": _compiled("polars", False),
    "compiled on DuckDB, in memory": _compiled("duckdb", True),
    "compiled on DuckDB, streaming Parquet": _compiled("duckdb", False),
    "compiled on Spark (local), from Parquet": _compiled("spark", False),
    "simulate (Polars, chunks of 500k, all tables)": simulate_polars,
    "scalar evaluator (2,000 profiles, scaled)": scalar,
}


def _one(name: str, population: Path, programs: list[str], statuses: Path) -> None:
    import pyarrow.parquet as pq

    # Twice in one process: the first (cold) run pays for building and translating the
    # queries, the second (warm) reuses what the path keeps, as every later call does.
    cold, _, _ = MEASURES[name](population, programs)
    seconds, rows, table = MEASURES[name](population, programs)
    cpu = _CPU[1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if table is not None:
        pq.write_table(table, statuses)
    print(json.dumps({"seconds": seconds, "cold": cold, "cpu": cpu, "rows": rows, "peak_mb": peak}))


def _disagreements(statuses: Path, reference: Path, programs: list[str]) -> dict[str, int]:
    """People whose status differs from the reference's, per programme, row by row."""
    import numpy as np
    import pyarrow.parquet as pq

    if not statuses.exists() or not reference.exists():
        return {}
    mine, theirs = pq.read_table(statuses), pq.read_table(reference)
    return {
        p: int(np.count_nonzero(mine[p].to_numpy() != theirs[p].to_numpy()))
        for p in programs
        if mine.num_rows == theirs.num_rows
    } or dict.fromkeys(programs, -1)


def _measure_all(
    population: Path, programs: list[str], names: list[str], tmp: Path
) -> dict[str, Any]:
    results = {}
    for name in names:
        statuses = tmp / f"{abs(hash((name, *programs)))}.parquet"
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                name,
                "--population",
                str(population),
                "--programs",
                ",".join(programs),
                "--statuses",
                str(statuses),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"{name}: failed\n{done.stderr[-2000:]}")
            continue
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
        results[name]["statuses"] = statuses
        print(f"{','.join(programs)} | {name}: {results[name]['seconds']:.2f} s", flush=True)
    reference = results.get(REFERENCE, {}).get("statuses")
    for name, r in results.items():
        if reference is not None and name != REFERENCE and r["statuses"].exists():
            wrong = _disagreements(r["statuses"], reference, programs)
            r["wrong"] = wrong
            if any(wrong.values()):
                print(f"DISAGREES row by row with {REFERENCE}: {name}: {wrong}")
    return results


REFERENCE = "hand-written Polars, in memory"
# Each compiled path and the hand-written baseline on the same engine and source.
PAIRS = {
    "compiled on Polars, in memory": "hand-written Polars, in memory",
    "compiled on Polars, from Parquet": "hand-written Polars, streaming Parquet",
    "compiled on DuckDB, in memory": "hand-written DuckDB SQL, in memory",
    "compiled on DuckDB, streaming Parquet": "hand-written DuckDB SQL, streaming Parquet",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--population", type=Path, help="Use this Parquet file instead.")
    parser.add_argument("--programs", default=",".join(PROGRAMS))
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument(
        "--each", action="store_true", help="Each programme on its own: engines side by side."
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--statuses", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    programs = args.programs.split(",")
    if args.measure:
        _one(args.measure, args.population, programs, args.statuses)
        return
    with tempfile.TemporaryDirectory() as tmp:
        population = args.population
        if population is None:
            from talentvisa.population.synth import write

            population = Path(tmp) / "people.parquet"
            start = _start()
            write(population, args.n, 1, AS_OF)
            print(f"synthesised {args.n:,} people in {_stop(start):.0f} s")
        if args.each:
            names = [n for pair in PAIRS.items() for n in pair]
            table = {p: _measure_all(population, [p], names, Path(tmp)) for p in programs}
            _report_each(table)
            return
        names = [n for n in MEASURES if not (args.no_spark and "Spark" in n)]
        results = _measure_all(population, programs, names, Path(tmp))
    _report(results, programs)


def _report_each(table: dict[str, dict[str, Any]]) -> None:
    print(
        "\n| programme | path | compiled profile-programmes/s | hand-written | ratio warm "
        "| ratio cold | CPU s compiled / hand | CPU ratio | rows wrong "
        "| peak MB compiled / hand |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for program, results in table.items():
        for compiled, hand in PAIRS.items():
            c, h = results.get(compiled), results.get(hand)
            if c is None or h is None:
                print(f"| {program} | {compiled} | failed | | | | | | | |")
                continue
            rc, rh = c["rows"] / c["seconds"], h["rows"] / h["seconds"]
            cold = h["cold"] / c["cold"]
            wrong = sum(c.get("wrong", {}).values()) + sum(h.get("wrong", {}).values())
            print(
                f"| {program} | {compiled.removeprefix('compiled on ')} | {rc:,.0f} | {rh:,.0f} "
                f"| {rc / rh:.2f} | {cold:.2f} | {c['cpu']:.2f} / {h['cpu']:.2f} "
                f"| {h['cpu'] / max(c['cpu'], 1e-9):.2f} | {wrong} "
                f"| {c['peak_mb']:,.0f} / {h['peak_mb']:,.0f} |"
            )


def _report(results: dict[str, Any], programs: list[str]) -> None:
    rate = {n: r["rows"] * len(programs) / r["seconds"] for n, r in results.items()}
    fastest = max((v for n, v in rate.items() if n.startswith("hand-written")), default=1.0)
    scalar_rate = rate.get("scalar evaluator (2,000 profiles, scaled)")
    print(f"\n{len(programs)} programmes ({', '.join(programs)}), as of {AS_OF}\n")
    print(
        "| path | profile-programmes/s | vs fastest hand-written | vs same-engine hand-written "
        "| vs scalar | warm / cold s | CPU s | rows wrong | peak MB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        vs_scalar = f"{rate[name] / scalar_rate:,.0f}×" if scalar_rate else ""
        hand = PAIRS.get(name)
        vs_hand = f"{rate[name] / rate[hand]:.2f}" if hand in rate else ""
        wrong = sum(r["wrong"].values()) if "wrong" in r else ""
        print(
            f"| {name} | {rate[name]:,.0f} | {rate[name] / fastest:.2f} | {vs_hand} | {vs_scalar} "
            f"| {r['seconds']:.2f} / {r['cold']:.2f} | {r['cpu']:.2f} | {wrong} "
            f"| {r['peak_mb']:,.0f} |"
        )


if __name__ == "__main__":
    main()
