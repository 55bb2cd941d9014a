"""The keyed audit chain: append under a lock, verify from the first event.

Each event's hash is an HMAC-SHA256, under a key kept outside the database, of the RFC 8785
form of its place in the chain, time, actor, action, subject, data, key id and the previous
event's hash. Changing, removing or reordering an event breaks every link after it, and
without the key nobody can recompute the links. After each commit the chain's head (count
and hash) is appended to a checkpoint file outside the database (``anchor.py``), so even a
keyed rewrite, or cutting events off the end, is caught for everything already pinned.
The database also refuses UPDATE and DELETE on the table (a trigger, created by migration).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import rfc8785
from sqlalchemy import event as sa_event
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from talentvisa.casework.anchor import (
    KEY_FILE_ENV,
    AnchorError,
    Anchors,
    Checkpoint,
    CheckpointFile,
    Key,
)
from talentvisa.casework.models import AuditEvent

GENESIS: Final = "0" * 64
_LOCK_KEY: Final = 727_364  # PostgreSQL advisory lock: one appender at a time
_ANCHORS: Final = "talentvisa.audit.anchors"  # Session.info: the store's key and checkpoints
_HEAD: Final = "talentvisa.audit.head"  # Session.info: the head this transaction appended
# The migration's triggers; each one missing or disabled is a guard someone removed.
GUARDS: Final = {
    "sqlite": frozenset({"audit_events_no_update", "audit_events_no_delete"}),
    "postgresql": frozenset({"audit_events_no_update", "audit_events_no_truncate"}),
}

log = logging.getLogger(__name__)


def canonical(value: Any) -> str:
    """The JSON the unkeyed events of earlier versions were hashed over (sorted keys);
    kept for them and for the facts hash of pre-checks, which compares with stored ones."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def jcs(value: Any) -> bytes:
    """RFC 8785 bytes: equal JSON values give equal bytes (any key order, 1 and 1.0).
    ``append`` stores data as JSON reads it back, so verifying hashes the same value."""
    return rfc8785.dumps(value)


def keyed_hash(
    key: Key,
    seq: int,
    prev: str,
    at: dt.datetime,
    actor: int | None,
    action: str,
    subject: str,
    data: Any,
) -> str:
    return key.sign(
        jcs(
            {
                "v": 1,
                "key": key.id,
                "seq": seq,
                "prev": prev,
                "at": utc(at).isoformat(),
                "actor": actor,
                "action": action,
                "subject": subject,
                "data": data,
            }
        )
    )


def unkeyed_hash(
    prev: str, at: dt.datetime, actor: int | None, action: str, subject: str, data: Any
) -> str:
    """How events were hashed before migration 0004: anyone can recompute it."""
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


def bind(factory: sessionmaker[Session], anchors: Anchors) -> sessionmaker[Session]:
    """Sessions from ``factory`` append with these anchors, and copy the head to the
    checkpoint file after each commit that added events (never for a rollback)."""
    factory.configure(info={_ANCHORS: anchors})
    sa_event.listen(factory, "after_commit", _checkpoint)
    sa_event.listen(factory, "after_rollback", _forget)
    return factory


def anchors_of(session: Session) -> Anchors:
    anchors = session.info.get(_ANCHORS)
    if not isinstance(anchors, Anchors):
        raise TypeError("this session is not bound to an audit chain (audit.bind)")
    return anchors


def _checkpoint(session: Session) -> None:
    head = session.info.pop(_HEAD, None)
    checkpoint = anchors_of(session).checkpoint
    if head is None or checkpoint is None:
        return
    events, digest = head
    try:
        checkpoint.append(events, digest, dt.datetime.now(dt.UTC))
    except OSError as exc:  # the change is committed; a missed line only pins less
        log.error("could not append to the audit checkpoint %s: %s", checkpoint.path, exc)


def _forget(session: Session) -> None:
    session.info.pop(_HEAD, None)


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
    keyring = anchors_of(session).keyring()
    if keyring is None:
        raise AnchorError("no audit key is set")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    prev = last.hash if last is not None else GENESIS
    if last is None:
        seq = 1
    elif last.seq is not None:
        seq = last.seq + 1
    else:  # the first keyed event after unkeyed ones: count them once
        seq = (session.scalar(select(func.count()).select_from(AuditEvent)) or 0) + 1
    payload = json.loads(json.dumps(data or {}))  # hashed as it will be read back
    key = keyring.signer
    event = AuditEvent(
        at=utc(at),
        actor_id=actor,
        action=action,
        subject=subject,
        data=payload,
        prev_hash=prev,
        hash=keyed_hash(key, seq, prev, at, actor, action, subject, payload),
        key_id=key.id,
        seq=seq,
    )
    session.add(event)
    session.flush()
    session.info[_HEAD] = (seq, event.hash)
    return event


def seal(session: Session, at: dt.datetime) -> bool:
    """Append a keyed event after unkeyed ones from an earlier version, so they cannot be
    recomputed unnoticed from now on. True if there was anything to seal."""
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    if last is None or last.key_id is not None:
        return False
    unkeyed = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    append(session, at, None, "audit.keyed", "audit", {"unkeyed_events": unkeyed})
    return True


@dataclass(frozen=True, slots=True)
class Verification:
    events: int
    broken_at: int | None = None  # id of the first event found wrong, if a row is at fault
    reason: str | None = None  # what is wrong, in words that say which kind of change
    kind: str | None = None  # edited | recomputed | moved | unkeyed | unknown-key |
    # rewritten | truncated | unsealed | dropped | unguarded | bad-checkpoint; None: intact
    verified: int = 0  # events before the fault (all of them when intact)
    unkeyed: int = 0  # events from before keyed hashing, at the start of the chain
    checkpoints: int = 0  # checkpoint lines the chain was held to
    head: str | None = None

    @property
    def ok(self) -> bool:
        return self.kind is None


@dataclass(frozen=True, slots=True)
class _Problem:
    position: int
    event_id: int | None
    kind: str
    reason: str


def verify(
    session: Session, also: Sequence[CheckpointFile] = (), anchors: Anchors | None = None
) -> Verification:
    """Walk the chain from the first event against the keys and every checkpoint line
    (the store's checkpoint file and any copies in ``also``); report the first fault."""
    anchors = anchors or anchors_of(session)
    files = [*([anchors.checkpoint] if anchors.checkpoint else []), *also]
    pins, bad_line = _pins(files)
    pinned = max(pins.values(), key=lambda c: c.events, default=None)
    if not inspect(session.connection()).has_table("audit_events"):
        since = (
            f", though the checkpoint at {pinned.where} recorded {pinned.events} events"
            if pinned
            else ""
        )
        reason = f"the audit_events table was dropped: it is missing{since}"
        return Verification(0, reason=reason, kind="dropped", checkpoints=len(pins))
    if bad_line is not None:
        return Verification(0, reason=bad_line, kind="bad-checkpoint", checkpoints=len(pins))
    walk = _Walk(anchors, pins)
    for event in _events(session):
        walk.step(event)
    problems = walk.problems + walk.unmatched()
    done = Verification(
        walk.position,
        verified=walk.position,
        unkeyed=walk.unkeyed,
        checkpoints=len(pins),
        head=walk.prev if walk.position else None,
    )
    if problems:
        first = min(problems, key=lambda p: p.position)
        return replace(
            done,
            broken_at=first.event_id,
            reason=first.reason,
            kind=first.kind,
            verified=first.position - 1,
        )
    if pinned is not None and pinned.events > walk.position:
        reason = (
            f"the chain was truncated: it has {walk.position} events, but the checkpoint "
            f"at {pinned.where} of {pinned.at} recorded {pinned.events} (the last "
            f"{pinned.events - walk.position} were removed)"
        )
        return replace(done, reason=reason, kind="truncated")
    if walk.position and not walk.last_keyed:
        reason = (
            "the chain has no keyed event: either it predates keyed hashing and was never "
            "sealed (run `talentvisa db upgrade`), or it was rewritten without the key"
        )
        return replace(done, reason=reason, kind="unsealed")
    missing = _missing_guards(session)
    if missing:
        reason = (
            f"the chain verified, but the append-only trigger {', '.join(sorted(missing))} is missing "
            "or disabled: someone with rights over the schema removed it"
        )
        return replace(done, reason=reason, kind="unguarded")
    return done


class _Walk:
    """The chain event by event: each event's link, key, place and hash, and the
    checkpoint line for its place, if there is one."""

    def __init__(self, anchors: Anchors, pins: dict[int, Checkpoint]) -> None:
        self.keyring = anchors.keyring(create=False)
        self.pins = pins
        self.problems: list[_Problem] = []
        self.failed: list[tuple[int, int]] = []  # keyed events whose HMAC does not match
        self.prev, self.position, self.unkeyed, self.last_keyed = GENESIS, 0, 0, 0

    def step(self, event: AuditEvent) -> None:
        self.position += 1
        fault = self._fault(event)
        if fault is not None:
            self.problems.append(_Problem(self.position, event.id, *fault))
        elif not self.failed or self.failed[-1][0] != self.position:
            pin = self.pins.get(self.position)
            if pin is not None and pin.hash != event.hash:
                reason = (
                    f"differs from the checkpoint at {pin.where} of {pin.at} (the chain up "
                    "to it was rewritten with the key)"
                )
                self.problems.append(_Problem(self.position, event.id, "rewritten", reason))
        self.prev = event.hash

    def _fault(self, event: AuditEvent) -> tuple[str, str] | None:
        if event.prev_hash != self.prev:
            return "moved", (
                "does not follow the event before it (events were removed, inserted or reordered)"
            )
        if event.key_id is None:
            if self.last_keyed:
                return "unkeyed", (
                    "has no key yet follows keyed events (it was written or rewritten "
                    "without the key)"
                )
            self.unkeyed += 1
            expected = unkeyed_hash(
                self.prev, event.at, event.actor_id, event.action, event.subject, event.data
            )
            if event.hash != expected:
                return "edited", "was edited (its content does not match its hash)"
            return None
        self.last_keyed = self.position
        key = self.keyring.get(event.key_id) if self.keyring else None
        if key is None:
            if self.keyring is None:
                return "unknown-key", (
                    f"was keyed with key {event.key_id}, but no audit key is set ({KEY_FILE_ENV})"
                )
            return "unknown-key", (
                f"was keyed with key {event.key_id}, which is not among the keys in "
                f"{self.keyring.source} (verify with the key the events were written with)"
            )
        if event.seq != self.position:
            return "moved", (
                f"was written as event {event.seq} but is event {self.position} (events "
                "before it were removed or inserted)"
            )
        expected = keyed_hash(
            key,
            self.position,
            self.prev,
            event.at,
            event.actor_id,
            event.action,
            event.subject,
            event.data,
        )
        if event.hash != expected:
            self.failed.append((self.position, event.id))
        return None

    def unmatched(self) -> list[_Problem]:
        """One row changed leaves the rest verifying; a chain recomputed from a row
        without the key fails from that row to the end."""
        if not self.failed:
            return []
        (position, event_id), (last_position, last_id) = self.failed[0], self.failed[-1]
        recomputed = (
            len(self.failed) > 1
            and last_position == self.last_keyed
            and len(self.failed) == last_position - position + 1
        )
        if recomputed:
            reason = (
                f"was changed and the chain recomputed without the key (events {event_id} "
                f"to {last_id} do not match their keyed hashes)"
            )
            return [_Problem(position, event_id, "recomputed", reason)]
        reason = "was edited (its content does not match its keyed hash)"
        return [_Problem(position, event_id, "edited", reason)]


def _pins(files: Sequence[CheckpointFile]) -> tuple[dict[int, Checkpoint], str | None]:
    """Checkpoint lines by event count, and the first line that is not one (or that
    contradicts another line: two heads for one count mean the chain was rewritten)."""
    pins: dict[int, Checkpoint] = {}
    for file in files:
        for item in file.read():
            if isinstance(item, str):
                return pins, item
            seen = pins.setdefault(item.events, item)
            if seen.hash != item.hash:
                return pins, (
                    f"the checkpoints at {seen.where} and {item.where} give event "
                    f"{item.events} different hashes (the chain was rewritten between them)"
                )
    return pins, None


def _missing_guards(session: Session) -> set[str]:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        rows = session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": "audit_events"},
        )
    elif dialect == "postgresql":
        rows = session.execute(
            text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
        )
    else:
        return set()
    return set(GUARDS[dialect] - {row[0] for row in rows})


def _events(session: Session) -> Iterator[AuditEvent]:
    yield from session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)
    )


def utc(at: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes: every stored time is UTC, so say so."""
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
