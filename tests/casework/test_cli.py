"""The case store's commands: migrate, create staff, verify the chain, purge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from talentvisa.casework.db import make_engine
from tests.casework.conftest import PASSWORD


def tv(*args: str, stdin: str = "", env_url: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "DATABASE_URL": env_url}
    return subprocess.run(
        [sys.executable, "-m", "talentvisa.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_upgrade_create_verify_and_a_tampered_chain(database_url: str, tmp_path: Path) -> None:
    assert tv("db", "upgrade", env_url=database_url).returncode == 0
    assert tv("db", "upgrade", env_url=database_url).returncode == 0  # idempotent
    done = tv(
        "users",
        "create",
        "officer@example.org",
        "--role",
        "officer",
        stdin=PASSWORD + "\n",
        env_url=database_url,
    )
    assert done.returncode == 0 and "created officer officer@example.org" in done.stderr
    short = tv(
        "users",
        "create",
        "x@example.org",
        "--role",
        "officer",
        stdin="short\n",
        env_url=database_url,
    )
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    ok = tv("audit", "verify", env_url=database_url)
    assert ok.returncode == 0 and "audit chain intact: 1 events" in ok.stderr
    engine = make_engine(database_url)
    with engine.begin() as c:  # an attacker who can insert rows forges an event
        c.execute(
            text(
                "INSERT INTO audit_events (at, actor_id, action, subject, data, prev_hash, hash) "
                "VALUES ('2026-11-29 10:00:00+00:00', 1, 'login', 'user:1', '{}', :p, :h)"
            ),
            {"p": "0" * 64, "h": "e" * 64},
        )
    engine.dispose()
    bad = tv("audit", "verify", env_url=database_url)
    assert bad.returncode == 1 and "audit chain broken at event 2" in bad.stderr
    purge = tv("retention", "purge", "--days", "30", env_url=database_url)
    assert purge.returncode == 0 and "purged 0 closed case(s) older than 30 days" in purge.stderr
