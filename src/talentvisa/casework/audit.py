"""The hash-chained audit log: append under a lock, verify from the first event.

Each event's hash covers its time, actor, action, subject, data and the previous event's
hash, so changing, removing or reordering any event breaks every link after it. The
database also refuses UPDATE and DELETE on the table (a trigger, created by migration).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from talentvisa.casework.models import AuditEvent

GENESIS: Final = "0" * 64
_LOCK_KEY: Final = 727_364  # PostgreSQL advisory lock: one appender at a time


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    prev: str, at: dt.datetime, actor: int | None, action: str, subject: str, data: Any
) -> str:
    body = canonical(
        {
            "prev": prev,
            "at": utc(at).isoformat(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "data": data,
        }
    )
    return hashlib.sha256(body.encode()).hexdigest()


def append(
    session: Session,
    at: dt.datetime,
    actor: int | None,
    action: str,
    subject: str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event in the caller's transaction; it commits or rolls back with the change
    it records, so the log never claims what did not happen."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev = last.hash if last is not None else GENESIS
    payload = data or {}
    event = AuditEvent(
        at=utc(at),
        actor_id=actor,
        action=action,
        subject=subject,
        data=payload,
        prev_hash=prev,
        hash=event_hash(prev, at, actor, action, subject, payload),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True, slots=True)
class Verification:
    events: int
    broken_at: int | None  # id of the first event whose link does not hold
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> Verification:
    prev = GENESIS
    count = 0
    for event in _events(session):
        count += 1
        if event.prev_hash != prev:
            return Verification(count, event.id, "does not follow the event before it")
        expected = event_hash(
            prev, event.at, event.actor_id, event.action, event.subject, event.data
        )
        if event.hash != expected:
            return Verification(count, event.id, "its content does not match its hash")
        prev = event.hash
    return Verification(count, None, None)


def _events(session: Session) -> Iterator[AuditEvent]:
    yield from session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)
    )


def utc(at: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes: every stored time is UTC, so say so."""
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
