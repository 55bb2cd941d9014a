"""Many clients at once, and a server killed mid-submission: nothing lost or half-done."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from talentvisa.casework import audit
from talentvisa.casework.models import Application, AuditEvent, PreCheck
from talentvisa.casework.service import Actor, CaseService, Conflict
from talentvisa.casework.workflow import State
from tests.casework.conftest import PASSWORD
from tests.casework.test_workflow import IDENTITY, PDF, profile

CLIENTS = 50


def test_fifty_clients_at_once(service: CaseService, person: Callable[[str], Actor]) -> None:
    """Each client creates (and retries the create), fills in, uploads and submits; then
    two officers race to take each application. One wins each race; nothing is lost."""
    applicants = [person("applicant") for _ in range(CLIENTS)]
    officers = [person("officer"), person("officer")]
    full = profile("full")

    def apply(a: Actor) -> str:
        first = service.create(a, idempotency_key=f"key-{a.id}")
        again = service.create(a, idempotency_key=f"key-{a.id}")  # a retried click
        assert first == again
        version = service.update(a, first, 1, full, IDENTITY)
        service.upload(a, first, "cv", "cv.pdf", PDF)
        service.act(a, first, version, "submit")
        return first

    with ThreadPoolExecutor(CLIENTS) as pool:
        ids = list(pool.map(apply, applicants))
    assert len(set(ids)) == CLIENTS

    wins: list[str] = []
    conflicts: list[str] = []
    lock = threading.Lock()

    def race(args: tuple[Actor, str]) -> None:
        officer, app_id = args
        try:
            service.act(officer, app_id, 3, "start_review")
            with lock:
                wins.append(app_id)
        except Conflict:
            with lock:
                conflicts.append(app_id)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(race, [(o, i) for i in ids for o in officers]))
    assert sorted(wins) == sorted(ids) and sorted(conflicts) == sorted(ids)

    with service.session() as s:
        assert s.scalar(select(func.count()).select_from(Application)) == CLIENTS
        states = set(s.scalars(select(Application.state)))
        assert states == {State.preliminary_review}
        events = s.scalar(select(func.count()).select_from(AuditEvent))
        check = audit.verify(s)
    # per applicant: sign-up, create, update, upload, submit; per application: one review
    assert check.ok and events == CLIENTS * 6 + len(officers)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, storage: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "TALENTVISA_STORAGE": str(storage)}
    server = subprocess.Popen(
        [sys.executable, "-m", "talentvisa.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/programs", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


class Client:
    """A signed-in applicant over plain HTTP (the Secure cookie is sent by hand), from a
    loopback address of its own (sign-ups are throttled per client address)."""

    def __init__(self, base: str, email: str, address: str = "127.0.0.1") -> None:
        transport = httpx.HTTPTransport(local_address=address)
        self.http = httpx.Client(base_url=base, timeout=30, transport=transport)
        self.http.post("/api/v1/cases/signup", json={"email": email, "password": PASSWORD})
        r = self.http.post("/api/v1/cases/login", json={"email": email, "password": PASSWORD})
        self.headers = {
            "X-CSRF-Token": r.json()["csrf_token"],
            "Cookie": f"tv_session={r.cookies['tv_session']}",
        }

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return self.http.request(method, path, headers=self.headers, **kw)


@pytest.mark.slow
def test_a_killed_server_loses_no_acknowledged_submission(
    database_url: str, engine: Any, service: CaseService, tmp_path: Path
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(database_url, tmp_path / "docs", port)
    clients, drafts = [], []
    try:
        for i in range(40):
            c = Client(base, f"crash-{i}@example.org", f"127.0.0.{10 + i}")
            app_id = c.call("POST", "/api/v1/cases/applications").json()["id"]
            c.call(
                "PUT",
                f"/api/v1/cases/applications/{app_id}",
                json={"version": 1, "profile": profile("full"), "identity": IDENTITY},
            )
            clients.append(c)
            drafts.append(app_id)
        acknowledged: list[str] = []
        lock = threading.Lock()

        def submit(pair: tuple[Client, str]) -> None:
            c, app_id = pair
            try:
                r = c.call(
                    "POST",
                    f"/api/v1/cases/applications/{app_id}/actions/submit",
                    json={"version": 2},
                )
            except httpx.TransportError:
                return  # the server died first: not acknowledged
            if r.status_code == 200:
                with lock:
                    acknowledged.append(app_id)

        def kill_soon() -> None:
            while True:
                with lock:
                    if len(acknowledged) >= 5:
                        break
                time.sleep(0.005)
            server.send_signal(signal.SIGKILL)

        killer = threading.Thread(target=kill_soon)
        killer.start()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(submit, list(zip(clients, drafts, strict=True))))
        killer.join(timeout=60)
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert 5 <= len(acknowledged) < len(drafts), "the kill must land mid-way"

    restarted = _serve(database_url, tmp_path / "docs", port)
    restarted.terminate()
    restarted.wait(timeout=30)
    with service.session() as s:
        apps = {a.id: a for a in s.scalars(select(Application))}
        checked = set(s.scalars(select(PreCheck.application_id)))
        assert audit.verify(s).ok
    for app_id in drafts:
        app = apps[app_id]
        if app_id in acknowledged:
            assert app.state == State.submitted and app_id in checked
        else:  # absent (still a draft) or complete (submitted, with its pre-check)
            assert (app.state == State.draft and app_id not in checked) or (
                app.state == State.submitted and app_id in checked
            )
