"""Submissions per second and latency of the case store, with and without the audit chain.

For each database (SQLite file, PostgreSQL), drafts are prepared, then submitted by
several threads at once (each submission: the K-visa pre-check, the state change and its
audit event, in one transaction). The same run is repeated with the audit append
replaced by nothing, so the chain's cost shows as a ratio measured in the same process.

Run: ``python bench/bench_cases.py [--n 400] [--threads 8]``; PostgreSQL is
``postgresql://postgres@127.0.0.1:5432/test`` unless ``--pg`` says otherwise (a scratch
database is created and dropped).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from talentvisa.casework import audit
from talentvisa.casework import service as service_module
from talentvisa.casework.db import make_engine, upgrade
from talentvisa.casework.service import Actor, CaseService, Settings
from talentvisa.casework.workflow import Role
from talentvisa.inputs import load_profile
from talentvisa.rules.loader import builtin_programs

ROOT = Path(__file__).resolve().parent.parent
IDENTITY = {
    "passport_number": "E1",
    "surname": "S",
    "given_names": "G",
    "birth_date": "1997-03-14",
    "nationality": "IN",
}


@contextmanager
def database(kind: str, pg: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    admin = create_engine(
        pg.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    name = f"bench_{secrets.token_hex(4)}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def run(url: str, n: int, threads: int, chain: bool) -> dict[str, float]:
    upgrade(url)
    engine = make_engine(url)
    with tempfile.TemporaryDirectory() as tmp:
        cases = CaseService(engine, builtin_programs()["cn-k"], Settings(storage=Path(tmp)))
        profile = load_profile(ROOT / "examples" / "full.yaml").model_dump(
            mode="json", exclude_none=True
        )
        uid = cases.create_user(
            f"a{secrets.token_hex(3)}@example.org", "correct horse battery", "applicant"
        )
        applicant = Actor(uid, Role.applicant, "a@example.org")
        drafts = []
        for _ in range(n):
            app_id = cases.create(applicant)
            drafts.append((app_id, cases.update(applicant, app_id, 1, profile, IDENTITY)))
        original = service_module.audit.append
        if not chain:
            service_module.audit.append = lambda *a, **k: None  # type: ignore[assignment]
        latencies: list[float] = []

        def submit(draft: tuple[str, int]) -> None:
            start = time.perf_counter()
            cases.act(applicant, draft[0], draft[1], "submit")
            latencies.append(time.perf_counter() - start)

        try:
            start = time.perf_counter()
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(submit, drafts))
            seconds = time.perf_counter() - start
        finally:
            service_module.audit.append = original
        if chain:
            with cases.session() as s:
                assert audit.verify(s).ok
    engine.dispose()
    latencies.sort()
    return {
        "per_second": n / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for kind in ("sqlite", "postgresql"):
        with database(kind, args.pg) as url:
            without = run(url, args.n, args.threads, chain=False)
        with database(kind, args.pg) as url:
            with_chain = run(url, args.n, args.threads, chain=True)
        rows.append((kind, with_chain, without))
    print(f"\n{args.n} submissions, {args.threads} threads\n")
    print(
        "| database | submissions/s with chain | without | ratio | p50 ms | p99 ms with chain | without |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, w, wo in rows:
        print(
            f"| {kind} | {w['per_second']:.0f} | {wo['per_second']:.0f} | "
            f"{w['per_second'] / wo['per_second']:.2f} | {w['p50_ms']:.1f} | "
            f"{w['p99_ms']:.1f} | {wo['p99_ms']:.1f} |"
        )


if __name__ == "__main__":
    main()
