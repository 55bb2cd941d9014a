"""The audit chain under attack by someone who can write to the database.

Each attack goes around the append-only trigger the way the review did (DROP TRIGGER on
SQLite, ``session_replication_role = replica`` on PostgreSQL); ``verify`` must say which
attack it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import JSON, DateTime, Engine, Integer, String, column, select, table, text

from talentvisa.casework import audit
from talentvisa.casework.anchor import Anchors, Key, Keyring, from_environment
from talentvisa.casework.db import alembic_config, make_engine
from talentvisa.casework.models import AuditEvent
from talentvisa.casework.service import Actor, CaseService, Conflict, Settings
from talentvisa.rules.loader import builtin_programs
from tests.casework.conftest import PASSWORD


def events(service: CaseService, person: Callable[[str], Actor], n: int = 5) -> Actor:
    """An applicant's sign-up and n - 1 applications: n events, checkpointed."""
    applicant = person("applicant")
    for _ in range(n - 1):
        service.create(applicant)
    return applicant


def tamper(engine: Engine, *statements: tuple[str, dict[str, Any]]) -> None:
    """Change the table past its append-only guard, then put the guard back."""
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("SET LOCAL session_replication_role = replica"))
            guards: list[str] = []
        else:
            guards = list(c.scalars(text("SELECT sql FROM sqlite_master WHERE type = 'trigger'")))
            for name in audit.GUARDS["sqlite"]:
                c.execute(text(f"DROP TRIGGER {name}"))
        for sql, params in statements:
            c.execute(text(sql), params)
        for guard in guards:
            c.execute(text(guard))


def chain(service: CaseService) -> list[AuditEvent]:
    with service.session() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def check(service: CaseService, anchors: Anchors | None = None) -> audit.Verification:
    with service.session() as s:
        return audit.verify(s, anchors=anchors)


def unkeyed(prev: str, e: AuditEvent) -> str:
    """The hash anyone can compute: SHA-256 of the event's JSON, as before keys."""
    body = {
        "prev": prev,
        "at": audit.utc(e.at).isoformat(),
        "actor": e.actor_id,
        "action": e.action,
        "subject": e.subject,
        "data": e.data,
    }
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def recompute(rows: list[AuditEvent], start: int, link: Callable[[str, AuditEvent], str]) -> Any:
    """UPDATEs that rewrite the chain from row ``start`` on with the hash ``link`` gives."""
    prev = rows[start - 1].hash if start else audit.GENESIS
    out = []
    for e in rows[start:]:
        new = link(prev, e)
        out.append(
            (
                "UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :i",
                {"p": prev, "h": new, "i": e.id},
            )
        )
        prev = new
    return out


def without_checkpoints(service: CaseService) -> Anchors:
    return Anchors(None, service.anchors.keyring())


def test_equal_values_hash_equally() -> None:
    """RFC 8785: key order and 1 against 1.0 do not change the bytes, so an event's hash
    does not depend on how a driver hands its JSON back."""
    assert audit.jcs({"b": [1.0, "é"], "a": {"y": 2, "x": 1}}) == audit.jcs(
        {"a": {"x": 1, "y": 2.0}, "b": [1, "é"]}
    )
    key = Key.from_text("k" * 40, "test")
    at = dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)
    one = audit.keyed_hash(key, 1, audit.GENESIS, at, 7, "x", "s", {"n": 1, "m": [2]})
    other = audit.keyed_hash(key, 1, audit.GENESIS, at, 7, "x", "s", {"m": [2.0], "n": 1.0})
    assert one == other


def test_an_edited_row_is_caught(
    service: CaseService, person: Callable[[str], Actor], engine: Engine
) -> None:
    events(service, person)
    second = chain(service)[1]
    tamper(engine, ("UPDATE audit_events SET actor_id = 999 WHERE id = :i", {"i": second.id}))
    result = check(service)
    assert (result.kind, result.broken_at, result.verified) == ("edited", second.id, 1)
    assert "edited" in str(result.reason)


def test_a_chain_recomputed_without_the_key_is_caught(
    service: CaseService, person: Callable[[str], Actor], engine: Engine
) -> None:
    """Edit one event and recompute every later hash, as the review did: the links hold,
    but nobody without the key can make the HMACs."""
    events(service, person)
    rows = chain(service)
    forged = [("UPDATE audit_events SET actor_id = 999 WHERE id = :i", {"i": rows[2].id})]
    rows[2].actor_id = 999
    tamper(engine, *forged, *recompute(rows, 2, unkeyed))
    for anchors in (without_checkpoints(service), None):
        result = check(service, anchors)
        assert result.kind == "recomputed" and result.broken_at == rows[2].id
        assert "recomputed without the key" in str(result.reason)


def test_a_whole_chain_rewritten_as_unkeyed_is_caught(
    service: CaseService, person: Callable[[str], Actor], engine: Engine
) -> None:
    """Pretending every event predates keys does not help: a store on this version has a
    keyed event at the end, and the checkpoint holds the real head."""
    events(service, person)
    rows = chain(service)
    clear = [("UPDATE audit_events SET key_id = NULL, seq = NULL", {})]
    tamper(engine, *clear, *recompute(rows, 0, unkeyed))
    assert check(service, without_checkpoints(service)).kind == "unsealed"
    assert check(service).kind == "rewritten"


def test_a_rewrite_with_the_key_is_caught_by_the_checkpoint(
    service: CaseService, person: Callable[[str], Actor], engine: Engine
) -> None:
    """Whoever holds the key can make a consistent chain; what the checkpoint file
    pinned before still differs."""
    events(service, person)
    rows = chain(service)
    key = service.anchors.keyring()
    assert key is not None

    def keyed(prev: str, e: AuditEvent) -> str:
        assert e.seq is not None
        return audit.keyed_hash(
            key.signer, e.seq, prev, e.at, e.actor_id, e.action, e.subject, e.data
        )

    rows[1].actor_id = 999
    forged = [("UPDATE audit_events SET actor_id = 999 WHERE id = :i", {"i": rows[1].id})]
    tamper(engine, *forged, *recompute(rows, 1, keyed))
    assert check(service, without_checkpoints(service)).ok  # the key alone cannot tell
    result = check(service)
    assert result.kind == "rewritten" and result.broken_at == rows[1].id
    assert "talentvisa-audit.checkpoints" in str(result.reason)


def test_a_truncated_tail_is_caught(
    service: CaseService, person: Callable[[str], Actor], engine: Engine
) -> None:
    events(service, person)
    last = chain(service)[-2:]
    tamper(engine, ("DELETE FROM audit_events WHERE id >= :i", {"i": last[0].id}))
    result = check(service)
    assert result.kind == "truncated" and result.events == 3
    assert "recorded 5" in str(result.reason) and "the last 2 were removed" in str(result.reason)


def test_a_dropped_table_and_a_removed_guard_are_caught(
    service: CaseService, person: Callable[[str], Actor], engine: Engine
) -> None:
    events(service, person, 2)
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"))
        else:
            c.execute(text("DROP TRIGGER audit_events_no_update"))
    result = check(service)
    assert result.kind == "unguarded" and "audit_events_no_update" in str(result.reason)
    with engine.begin() as c:
        c.execute(text("DROP TABLE audit_events"))
    result = check(service)
    assert result.kind == "dropped" and "recorded 2 events" in str(result.reason)


def test_checkpoints_follow_commits_only(
    service: CaseService, person: Callable[[str], Actor], tmp_path: Path
) -> None:
    applicant = events(service, person, 2)
    checkpoints = tmp_path / "talentvisa-audit.checkpoints"
    lines = checkpoints.read_text().splitlines()
    assert [json.loads(line)["events"] for line in lines] == [1, 2]
    with pytest.raises(Conflict):  # rolled back: its event never was, nor its checkpoint
        service.create_user(applicant.email, PASSWORD, "applicant")
    assert checkpoints.read_text().splitlines() == lines
    assert check(service).checkpoints == 2


def test_a_store_with_another_key_does_not_verify_and_old_keys_still_do(
    service: CaseService, person: Callable[[str], Actor], tmp_path: Path
) -> None:
    applicant = events(service, person, 2)
    stranger = Anchors(None, Keyring((Key.from_text("s" * 40, "elsewhere"),), "elsewhere"))
    result = check(service, stranger)
    assert result.kind == "unknown-key" and "not among the keys in elsewhere" in str(result.reason)
    old = (tmp_path / "talentvisa-audit.key").read_text().strip()
    keys = tmp_path / "rotated.key"
    keys.write_text(f"# the new key first, then the old one\n{'n' * 40}\n{old}\n")
    rotated = from_environment(tmp_path, {"TALENTVISA_AUDIT_KEY_FILE": str(keys)})
    after = CaseService(service.engine, service.program, service.settings, anchors=rotated)
    after.create(applicant)  # signed with the new key
    assert chain(service)[-1].key_id != chain(service)[0].key_id
    assert check(after).ok
    assert check(service).kind == "unknown-key"  # the old key alone cannot vouch for it


LEGACY = table(
    "audit_events",
    column("at", DateTime(timezone=True)),
    column("actor_id", Integer),
    column("action", String),
    column("subject", String),
    column("data", JSON),
    column("prev_hash", String),
    column("hash", String),
)


def test_unkeyed_events_of_an_earlier_version_are_sealed(database_url: str, tmp_path: Path) -> None:
    """A store from before keys: its events keep their SHA-256, the upgrade seals them
    with a keyed event, and rewriting them afterwards breaks that event's link."""
    command.upgrade(alembic_config(database_url), "0002")
    engine = make_engine(database_url)
    prev = audit.GENESIS
    with engine.begin() as c:
        for i in range(3):
            e = AuditEvent(
                at=dt.datetime(2026, 1, 5, 10, i, tzinfo=dt.UTC),
                actor_id=None,
                action="old",
                subject=f"s{i}",
                data={"i": i},
            )
            h = unkeyed(prev, e)
            c.execute(
                LEGACY.insert().values(
                    at=e.at,
                    actor_id=None,
                    action="old",
                    subject=e.subject,
                    data=e.data,
                    prev_hash=prev,
                    hash=h,
                )
            )
            prev = h
    command.upgrade(alembic_config(database_url), "head")
    service = CaseService(
        engine, builtin_programs()["cn-k"], Settings(storage=tmp_path / "documents")
    )
    assert check(service).kind == "unsealed"
    with service.session() as s, s.begin():
        assert audit.seal(s, service.clock())
    result = check(service)
    assert result.ok and (result.events, result.unkeyed) == (4, 3)
    rows = chain(service)
    rows[0].subject = "forged"
    forged = [("UPDATE audit_events SET subject = 'forged' WHERE id = :i", {"i": rows[0].id})]
    tamper(engine, *forged, *recompute(rows[:3], 0, unkeyed))
    result = check(service, without_checkpoints(service))
    assert result.kind == "moved" and result.broken_at == rows[3].id
    engine.dispose()
