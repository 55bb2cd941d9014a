"""Whether the time a refused sign-in takes tells anything: an unknown address, a wrong
password for a real account, and a locked account, interleaved in one run on SQLite.

Each refusal is timed in turn (unknown, wrong, locked, unknown, …) from a fresh client
address each time, so the throttle never answers first; the medians and their ratios to
the unknown address's median are printed. A ratio near 1.00 means the timing says nothing.

Run: ``python bench/bench_signin.py [--n 30]``.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from talentvisa.casework.db import make_engine, upgrade
from talentvisa.casework.service import CaseService, LoginRefused, Settings
from talentvisa.rules.loader import builtin_programs

PASSWORD = "correct horse battery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30)
    n = parser.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'cases.db'}"
        upgrade(url)
        settings = Settings(storage=Path(tmp) / "docs")
        cases = CaseService(make_engine(url), builtin_programs()["cn-k"], settings)
        cases.create_user("real@example.org", PASSWORD, "officer")
        cases.create_user("locked@example.org", PASSWORD, "officer")
        cases.lock("locked@example.org")
        kinds = {
            "unknown address": ("nobody@example.org", PASSWORD),
            "wrong password": ("real@example.org", "not the password at all"),
            "locked account": ("locked@example.org", PASSWORD),
        }
        times: dict[str, list[float]] = {k: [] for k in kinds}
        for i in range(n):
            for kind, (email, password) in kinds.items():
                started = time.perf_counter()
                with contextlib.suppress(LoginRefused):
                    cases.login(email, password, client=f"bench-{kind}-{i}")
                times[kind].append(time.perf_counter() - started)
    base = statistics.median(times["unknown address"])
    for kind, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{kind:16} median {median * 1000:6.1f} ms  ratio {median / base:.2f}")


if __name__ == "__main__":
    main()
