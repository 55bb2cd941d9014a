"""The case store's tables (SQLAlchemy 2). Alembic migrations in ``migrations/`` create them.

Applications carry a version column: SQLAlchemy refuses an update made from a stale read
(optimistic locking), so two officers can never overwrite each other silently.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Set by an admin (``talentvisa users lock``), never by failed sign-ins: guesses are
    # throttled per client instead, so nobody can lock someone else out.
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # base32; None: no 2nd factor
    totp_step: Mapped[int | None] = mapped_column(Integer)  # the last code's step: no replay


class LoginSession(Base):
    """Server-side sessions: the cookie holds a random token, the table only its hash."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("applicant_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: never guessable
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    passport_number: Mapped[str | None] = mapped_column(String(30))
    surname: Mapped[str | None] = mapped_column(String(100))
    given_names: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    correction_due: Mapped[dt.date | None] = mapped_column(Date)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's own mapping)


class PreCheck(Base):
    """The K-visa rules run on the application: what the machine recommends, and on what."""

    __tablename__ = "prechecks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))  # submission | decision
    rule_version: Mapped[str] = mapped_column(String(100))
    facts_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Finding(Base):
    """An officer's finding on a criterion that needs judgement."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("application_id", "criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(100))
    met: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Request(Base):
    """A preliminary-review request to correct the form or supplement documents."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text)
    due: Mapped[dt.date] = mapped_column(Date)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    display_name: Mapped[str] = mapped_column(String(120))  # shown, never used as a path
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(10))  # approve | refuse
    reasons: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(String(20))  # the machine's status
    rules_changed: Mapped[bool] = mapped_column(Boolean)  # since the submission pre-check
    # The officer's findings the decision rests on, as recorded then: on each judgement
    # ({"kind": "judgement", "criterion", "met", "note"}) and on each interpretation of the
    # rules the recommendation used ({"kind": "interpretation", "parameter", "holds", ...}).
    findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Append-only; each event carries the hash of the one before it, keyed (HMAC) with a
    key kept outside the database. Events hold ids and codes, never personal data, so
    purging a case leaves the chain verifiable."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Since migration 0004: the HMAC key's id and the event's place in the chain. Both are
    # NULL on events written before, whose hash is an unkeyed SHA-256.
    key_id: Mapped[str | None] = mapped_column(String(16))
    seq: Mapped[int | None] = mapped_column(Integer)
