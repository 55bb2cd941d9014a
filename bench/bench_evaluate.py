"""Time to evaluate one profile, per programme and for all, as a ratio to a baseline.

Machines here are noisy, so absolute times are reported next to a baseline measured in the
same process: validating the same profile with pydantic (work every request does anyway).
Run: ``python bench/bench_evaluate.py [--n 5000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from talentvisa.inputs import load_profile
from talentvisa.profile import Profile
from talentvisa.report import check_document
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def timed(fn: object, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter_ns()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    args = parser.parse_args()
    program = builtin_programs()["cn-k"]
    profile = load_profile(EXAMPLES / "full.yaml")
    raw = profile.model_dump()
    when = dt.date(2026, 11, 29)

    programs = list(builtin_programs().values())
    rows = {
        "baseline: Profile.model_validate": timed(lambda: Profile.model_validate(raw), args.n),
        "evaluate(profile, cn-k)": timed(lambda: evaluate(profile, program, when), args.n),
        "evaluate + JSON report (en)": timed(
            lambda: check_document([evaluate(profile, program, when)], when), args.n
        ),
    }
    for p in programs:
        rows[f"evaluate(profile, {p.id})"] = timed(
            lambda p=p: evaluate(profile, p, when), max(args.n // 5, 100)
        )
    rows[f"all {len(programs)} programmes"] = timed(
        lambda: [evaluate(profile, p, when) for p in programs], max(args.n // 10, 50)
    )
    base = statistics.median(rows["baseline: Profile.model_validate"])
    print(f"{'what':40} {'median µs':>10} {'p99 µs':>10} {'x baseline':>11}")
    for name, samples in rows.items():
        med = statistics.median(samples)
        p99 = statistics.quantiles(samples, n=100)[98]
        print(f"{name:40} {med:10.1f} {p99:10.1f} {med / base:11.2f}")


if __name__ == "__main__":
    main()
