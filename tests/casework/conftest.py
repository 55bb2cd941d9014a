"""Every case-work test runs on SQLite and on a real PostgreSQL.

PostgreSQL is the server at 127.0.0.1:5432 (trust auth; DATABASE_ADMIN_URL overrides).
Each test gets a database of its own. Without a server, PostgreSQL tests skip on a laptop
and fail in CI (CI=true), where the server must be there.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from talentvisa.casework.db import make_engine, upgrade
from talentvisa.casework.service import Actor, CaseService, Settings
from talentvisa.casework.workflow import Role
from talentvisa.rules.loader import builtin_programs

ADMIN_URL = os.environ.get(
    "DATABASE_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "correct horse battery"


def _postgres_admin() -> Engine:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means: no server here
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and unreachable at {ADMIN_URL}: {exc}")
        pytest.skip(f"no PostgreSQL at {ADMIN_URL} (CI fails instead of skipping)")
    return admin


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.db'}"
        return
    admin = _postgres_admin()
    name = f"tv_{secrets.token_hex(6)}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    upgrade(database_url)
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


class Clock:
    """Time the tests move by hand: deadlines and lockouts without sleeping."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(engine: Engine, tmp_path: Path, clock: Clock) -> CaseService:
    settings = Settings(storage=tmp_path / "documents")
    return CaseService(engine, builtin_programs()["cn-k"], settings, clock)


@pytest.fixture
def person(service: CaseService) -> Callable[[str], Actor]:
    """Make an account with a role and return it as the actor it signs in as."""

    def make(role: str) -> Actor:
        email = f"{role}-{secrets.token_hex(4)}@example.org"
        user_id = service.create_user(email, PASSWORD, role)
        return Actor(user_id, Role(role), email)

    return make
