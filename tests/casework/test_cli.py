"""The case store's commands: migrate, create staff, verify the chain, purge."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from talentvisa.casework.db import make_engine
from tests.casework.conftest import PASSWORD


def tv(
    *args: str, stdin: str = "", env_url: str, home: Path, **settings: str
) -> subprocess.CompletedProcess[str]:
    """The command as an operator runs it; ``home`` holds its documents and, beside
    them, the development audit key and checkpoint file."""
    env = {
        **os.environ,
        "DATABASE_URL": env_url,
        "TALENTVISA_STORAGE": str(home / "documents"),
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "talentvisa.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_upgrade_create_verify_and_a_tampered_chain(database_url: str, tmp_path: Path) -> None:
    assert tv("db", "upgrade", env_url=database_url, home=tmp_path).returncode == 0
    assert tv("db", "upgrade", env_url=database_url, home=tmp_path).returncode == 0  # idempotent
    done = tv(
        "users",
        "create",
        "officer@example.org",
        "--role",
        "officer",
        stdin=PASSWORD + "\n",
        env_url=database_url,
        home=tmp_path,
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
        home=tmp_path,
    )
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    ok = tv("audit", "verify", env_url=database_url, home=tmp_path)
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
    bad = tv("audit", "verify", env_url=database_url, home=tmp_path)
    assert bad.returncode == 1 and "audit chain broken at event 2: it does not follow" in bad.stderr
    purge = tv("retention", "purge", "--days", "30", env_url=database_url, home=tmp_path)
    assert purge.returncode == 0 and "purged 0 closed case(s) older than 30 days" in purge.stderr


def one_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    """The command failed with ``code`` in one line: no traceback."""
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == code, output
    lines = [line for line in output.splitlines() if "GetPassWarning" not in line]
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


def test_commands_before_db_upgrade_say_what_to_do(database_url: str, tmp_path: Path) -> None:
    """Before `db upgrade`: one line that says to run it, and no password hash (the
    review saw the argon2 hash in the error of `users create`)."""
    for args in (("audit", "verify"), ("users", "create", "o@example.org", "--role", "officer")):
        done = tv(*args, stdin=PASSWORD + "\n", env_url=database_url, home=tmp_path)
        line = one_line(done, 2)
        assert "run `talentvisa db upgrade` first" in line
        assert "argon2" not in done.stderr + done.stdout
    assert not (tmp_path / "cases.db").exists()  # nothing made on the way


@pytest.mark.parametrize(
    "url",
    [
        "bogus://officer:s3cret@db.example/cases",
        "postgresql://officer:s3cret@127.0.0.1:1/cases",
        "sqlite:////nonexistent/directory/cases.db",
    ],
)
def test_a_bad_database_url_is_one_line_without_the_password(url: str, tmp_path: Path) -> None:
    for args in (("db", "upgrade"), ("audit", "verify")):
        line = one_line(tv(*args, env_url=url, home=tmp_path), 2)
        assert "case store" in line and "s3cret" not in line


def test_verify_says_which_attack_and_checkpoint_keeps_a_copy(
    database_url: str, tmp_path: Path
) -> None:
    assert tv("db", "upgrade", env_url=database_url, home=tmp_path).returncode == 0
    for i in range(3):
        tv(
            "users",
            "create",
            f"officer{i}@example.org",
            "--role",
            "officer",
            stdin=PASSWORD + "\n",
            env_url=database_url,
            home=tmp_path,
        )
    copy = tmp_path / "elsewhere" / "copy.checkpoints"
    copy.parent.mkdir()
    done = tv("audit", "checkpoint", "--append", str(copy), env_url=database_url, home=tmp_path)
    head = json.loads(done.stdout)
    assert done.returncode == 0 and head["events"] == 3 and len(head["hash"]) == 64
    assert json.loads(copy.read_text())["hash"] == head["hash"]

    # the database's writer cuts the last event, and the store's own checkpoint file too
    engine = make_engine(database_url)
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            c.execute(text("DROP TRIGGER audit_events_no_delete"))
        c.execute(text("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)"))
    (tmp_path / "talentvisa-audit.checkpoints").write_text("")
    cut = tv("audit", "verify", "--checkpoint", str(copy), env_url=database_url, home=tmp_path)
    assert "the chain was truncated" in one_line(cut, 1)

    with engine.begin() as c:
        c.execute(text("DROP TABLE audit_events"))
    engine.dispose()
    dropped = tv("audit", "verify", "--checkpoint", str(copy), env_url=database_url, home=tmp_path)
    assert "the audit_events table was dropped" in one_line(dropped, 1)


def test_serve_refuses_production_without_an_audit_key(tmp_path: Path) -> None:
    done = tv(
        "serve",
        "--port",
        "1",
        env_url=f"sqlite:///{tmp_path / 'cases.db'}",
        home=tmp_path,
        TALENTVISA_ENV="production",
    )
    assert "needs an audit key: set TALENTVISA_AUDIT_KEY_FILE" in one_line(done, 2)
