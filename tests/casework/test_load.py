"""A sign-in flood slows the flooder, not the office: a real server on loopback, 200
sign-ins for unknown emails from 50 client addresses (127.0.0.x), while an applicant saves
a draft every half second. No answer is a 5xx, and the applicant's saves stay quick."""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.casework.conftest import PASSWORD
from tests.casework.test_reliability import _free_port, _serve

CLIENTS = 50
SIGN_INS = 200
SAVE_EVERY = 0.5  # seconds


def _flood(base: str, client: int, statuses: list[int], lock: threading.Lock) -> None:
    """One flooding client: its own loopback address, its share of the sign-ins, in turn."""
    transport = httpx.HTTPTransport(local_address=f"127.0.0.{10 + client}")
    with httpx.Client(base_url=base, transport=transport, timeout=120) as http:
        for n in range(SIGN_INS // CLIENTS):
            body = {"email": f"nobody-{client}-{n}@example.org", "password": "a wrong guess 1"}
            try:
                status = http.post("/api/v1/cases/login", json=body).status_code
            except httpx.TransportError:
                status = 0  # no answer at all
            with lock:
                statuses.append(status)


@pytest.mark.slow
def test_a_sign_in_flood_does_not_stop_an_applicant_saving(
    database_url: str, engine: Any, tmp_path: Path
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(database_url, tmp_path / "docs", port)
    try:
        http = httpx.Client(base_url=base, timeout=120)
        email = "saver@example.org"
        http.post("/api/v1/cases/signup", json={"email": email, "password": PASSWORD})
        r = http.post("/api/v1/cases/login", json={"email": email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        headers = {
            "X-CSRF-Token": r.json()["csrf_token"],
            "Cookie": f"tv_session={r.cookies['tv_session']}",
        }
        app_id = http.post("/api/v1/cases/applications", headers=headers).json()["id"]

        statuses: list[int] = []
        lock = threading.Lock()
        pool = ThreadPoolExecutor(CLIENTS)
        started = time.perf_counter()
        flood = [pool.submit(_flood, base, i, statuses, lock) for i in range(CLIENTS)]

        saves: list[tuple[int, float]] = []
        version = 1
        while not all(f.done() for f in flood) or len(saves) < 10:
            body = {"version": version, "profile": {"birth_date": "1997-03-14"}, "identity": {}}
            t = time.perf_counter()
            try:
                r = http.put(f"/api/v1/cases/applications/{app_id}", json=body, headers=headers)
            except httpx.TransportError:
                saves.append((0, time.perf_counter() - t))
                continue
            saves.append((r.status_code, time.perf_counter() - t))
            if r.status_code == 200:
                version = r.json()["version"]
            time.sleep(max(0.0, SAVE_EVERY - (time.perf_counter() - t)))
        flood_seconds = time.perf_counter() - started
        for f in flood:
            f.result()
        pool.shutdown()
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    times = sorted(s for _, s in saves)
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    counts = {code: statuses.count(code) for code in sorted(set(statuses))}
    print(
        f"\n[{database_url.split(':')[0]}] flood {flood_seconds:.1f} s, sign-ins {counts}; "
        f"{len(saves)} saves: median {statistics.median(times) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )
    assert len(statuses) == SIGN_INS and not [c for c in statuses if c >= 500 or not c], counts
    assert {code for code, _ in saves} == {200}, saves
    assert p99 < 1.0, f"the applicant's saves: p99 {p99:.2f} s"
