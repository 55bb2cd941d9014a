"""Case work as operations: each checks who may do it, changes the store, and records an
audit event in the same transaction. The web app and the CLI are thin layers over this.

Errors are typed so every surface answers alike: ``NotFound`` (also for another person's
application: its existence is not disclosed), ``Forbidden``, ``Conflict`` (a stale
version or a transition the workflow refuses), ``Invalid`` (bad input) and ``TooMany`` (a
client address that must wait before signing in or up again).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import secrets
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from talentvisa import register
from talentvisa.casework import anchor, audit, documents, passwords, totp
from talentvisa.casework.db import sessions
from talentvisa.casework.grounds import GROUNDS
from talentvisa.casework.models import (
    Application,
    Decision,
    Document,
    Finding,
    LoginSession,
    PreCheck,
    Request,
    User,
)
from talentvisa.casework.throttle import Throttle, Throttled
from talentvisa.casework.workflow import (
    CLOSED,
    STAFF,
    InvalidTransition,
    Role,
    State,
    seen_by,
    target,
)
from talentvisa.explain import Lang
from talentvisa.inputs import check_on
from talentvisa.messages import N_
from talentvisa.profile import Profile
from talentvisa.report import assessment_dict, interpretation_dicts
from talentvisa.rules.evaluator import Assessment, evaluate
from talentvisa.rules.expr import source_text
from talentvisa.rules.loader import version_conditions
from talentvisa.rules.model import Program, Text
from talentvisa.vocab import IsoDate
from talentvisa.yamlpos import InputError

K_VISA: Final = "cn-k"
ROLES: Final = tuple(r.value for r in Role if r is not Role.system)


class CaseError(Exception):
    status = 400


class NotFound(CaseError):
    status = 404


class Forbidden(CaseError):
    status = 403


class Conflict(CaseError):
    status = 409


class Invalid(CaseError):
    """Bad input; ``fields`` maps each field at fault to what is wrong with it (English,
    a message of the gettext catalogue, so a page can show it in the reader's language)."""

    status = 422

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


class LoginRefused(CaseError):
    status = 401


class TooMany(CaseError):
    """Too many attempts from this client address; it may try again in ``retry_after`` s."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(TOO_MANY)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Settings:
    """Choices the authority makes; each default is ours, not the law's."""

    storage: Path = Path("talentvisa-documents")
    correction_days: int = 30  # time to answer a request before the case lapses
    show_reasons: bool = True  # Art. 21 allows refusing without stating reasons
    retention_days: int = 365 * 2  # closed cases are purged after this
    session_hours: int = 8
    # Sign-in throttling (throttle.py), in the ``limits`` notation; tiers make the wait
    # grow: failed sign-ins per client address, and per (account, client address).
    signin_limits_client: str = "30/minute;300/hour"
    signin_limits_account: str = "5/minute;10/15 minutes;20/hour;50/day"
    signup_limits_client: str = "10/minute;60/hour"  # sign-ups per client address
    signin_in_flight: int = 2  # sign-ins one client address may have in progress at once
    throttle_storage: str = "memory://"  # or redis://… when several workers share counters
    hash_slots: int = 2  # password hashes at once (each takes a core and 64 MiB), at low priority
    hash_wait: float = 10.0  # seconds a sign-in waits for a hashing thread before a 429
    staff_totp: bool = False  # officers and supervisors must give a TOTP code to sign in
    scanner: documents.Scanner | None = None


class Identity(BaseModel):
    """Who the applicant is, as in the passport; lengths match the columns."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    passport_number: str | None = Field(default=None, max_length=30, pattern=r"^[A-Za-z0-9]*$")
    surname: str | None = Field(default=None, max_length=100)
    given_names: str | None = Field(default=None, max_length=100)
    birth_date: IsoDate | None = None
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unknown(cls, v: Any) -> Any:
        if isinstance(v, str) and "\x00" in v:
            raise ValueError("contains a NUL character")
        return None if v == "" else v


@dataclass(frozen=True, slots=True)
class Actor:
    id: int
    role: Role
    email: str


@dataclass(frozen=True, slots=True)
class Reading:
    """An officer's finding on one interpretation of the rules (a parameter such as the age
    limit or the "well-known" rank): whether it holds for this applicant, and why."""

    holds: bool
    note: str


# Field messages for findings on interpretations; each is an entry of the catalogue.
NEEDS_READING: Final = N_(
    "Record your finding on this reading: whether it holds for this applicant, and why."
)
READING_DOES_NOT_HOLD: Final = N_(
    "You found that this reading does not hold for this applicant; an approval cannot rest on it."
)
NOT_RELIED_ON: Final = N_("The recommendation does not rest on this reading.")
NEEDED_TO_SUBMIT: Final = N_("Needed before you submit the application.")

# Sign-in answers. The first is the only one anyone who lacks the password ever sees.
WRONG_CREDENTIALS: Final = N_("Wrong email address or password.")
WRONG_CODE: Final = N_("Enter the current 6-digit code from your authenticator app.")
NEEDS_SECOND_FACTOR: Final = N_(
    "Staff accounts need a second factor to sign in: ask an administrator to enrol yours."
)
SIGNED_UP: Final = N_(
    "Thank you. If this email address can be used, its account is ready: sign in with it "
    "and your password."
)
TOO_MANY: Final = N_("Too many attempts from your address: wait a little and try again.")
HASH_RETRY: Final = 5  # seconds a sign-in given up for want of a hashing thread should wait
FOREVER: Final = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)  # locked until an admin unlocks


@dataclass(frozen=True, slots=True)
class DecisionResult:
    decision_id: int
    state: State
    recommendation: str
    rules_changed: bool
    changes: tuple[str, ...] = field(default=())
    findings: tuple[dict[str, Any], ...] = field(default=())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def facts_hash(profile: dict[str, Any]) -> str:
    return hashlib.sha256(audit.canonical(profile).encode()).hexdigest()


def rule_version(program: Program, on: dt.date) -> str:
    """Programme, version in force, and a fingerprint of every condition and parameter
    value: any change to what the rules decide changes it."""
    version = program.version_at(on)
    rules = {
        "parameters": {
            name: {d.isoformat(): str(v) for d, v in p.values.items()}
            for name, p in program.parameters.items()
        },
        "versions": [
            {
                "from": v.from_.isoformat(),
                "until": str(v.until),
                "conditions": [[cid, source_text(node)] for cid, node in version_conditions(v)],
            }
            for v in program.versions
        ],
    }
    digest = hashlib.sha256(audit.canonical(rules).encode()).hexdigest()[:16]
    return f"{program.id}@{version.from_ if version else 'none'}#{digest}"


class CaseService:
    def __init__(
        self,
        engine: Engine,
        program: Program,
        settings: Settings | None = None,
        clock: Callable[[], dt.datetime] = _now,
        anchors: anchor.Anchors | None = None,
    ) -> None:
        """``anchors``: the audit key and checkpoint file; by default the environment's,
        with development files beside the documents directory (``anchor.py``)."""
        self.engine = engine
        self.program = program
        self.settings = settings or Settings()
        self.anchors = anchors or anchor.from_environment(self.settings.storage.parent)
        self.session = audit.bind(sessions(engine), self.anchors)
        self.clock = clock
        self.store = documents.Store(self.settings.storage)
        self.hasher = PasswordHasher()
        self.signin_throttle = Throttle(
            self.settings.signin_limits_client,
            self.settings.signin_limits_account,
            self.settings.signin_in_flight,
            self.settings.throttle_storage,
        )
        self.signup_throttle = Throttle(
            self.settings.signup_limits_client,
            in_flight=self.settings.signin_in_flight,
            storage=self.settings.throttle_storage,
        )

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One transaction; a stale version becomes a Conflict, never a lost update."""
        with self.session() as s:
            try:
                with s.begin():
                    yield s
            except StaleDataError:
                raise Conflict("the application changed since you read it; reload") from None

    # ------------------------------------------------------------ accounts

    def create_user(self, email: str, password: str, role: str, by: Actor | None = None) -> int:
        """Staff accounts are made by an admin or the CLI, which are told when the address
        is taken; the public sign-up is ``signup``, which never tells."""
        email, password_hash = self._new_credentials(email, password, role, by)
        now = self.clock()
        try:
            with self._tx() as s:
                return self._add_user(s, email, password_hash, role, now, by)
        except IntegrityError:
            raise Conflict("an account with this email exists") from None

    def signup(self, email: str, password: str, client: str = "local") -> None:
        """An applicant signs up. The answer is the same whether or not the address has an
        account already (no enumeration): a sign-up for a taken address changes nothing,
        and is recorded on that account's audit trail."""
        try:
            self.signup_throttle.count(client)
        except Throttled as exc:
            raise TooMany(exc.retry_after) from None
        email, password_hash = self._new_credentials(email, password, Role.applicant, None)
        now = self.clock()
        try:
            with self._tx() as s:
                self._add_user(s, email, password_hash, Role.applicant, now, None)
        except IntegrityError:
            with self._tx() as s:
                user = s.scalars(select(User).where(User.email == email)).one()
                audit.append(s, now, None, "user.signup_existing", f"user:{user.id}")

    def _new_credentials(
        self, email: str, password: str, role: str, by: Actor | None
    ) -> tuple[str, str]:
        """The normalised address and the password's hash, computed before any
        transaction opens: a hash takes a core for a tenth of a second or more."""
        if role not in ROLES:
            raise Invalid(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
        _text(email, "email")
        _text(password, "password")
        if role != Role.applicant and by is not None and by.role != Role.admin:
            raise Forbidden("only an admin creates staff accounts")
        try:
            email = passwords.normal_email(email, staff=role != Role.applicant)
        except ValueError as exc:
            raise Invalid(str(exc), {"email": str(exc)}) from None
        if problem := passwords.password_problem(password, email):
            raise Invalid(problem, {"password": problem})
        return email, self._hash(password)

    def _add_user(
        self,
        s: Session,
        email: str,
        password_hash: str,
        role: str,
        now: dt.datetime,
        by: Actor | None,
    ) -> int:
        user = User(email=email, password_hash=password_hash, role=role, created_at=now)
        s.add(user)
        s.flush()
        audit.append(
            s, now, by.id if by else None, "user.create", f"user:{user.id}", {"role": role}
        )
        return user.id

    def login(
        self,
        email: str,
        password: str,
        client: str = "local",
        code: str | None = None,
        end_others: bool = False,
        current: str | None = None,
    ) -> tuple[str, str]:
        """A new session token and its CSRF token for ``client`` (its address).

        The password is checked outside any transaction (the hash takes a core for a tenth
        of a second or more; inside one it would hold SQLite's write lock). An unknown
        address, a wrong password and a locked account get the same answer after the
        same work. Failures are throttled per client and per (account, client), never
        per account. ``current`` (the session the browser holds) is ended: a sign-in
        always rotates the session; ``end_others`` ends every other session too."""
        try:
            return self._login(email, password, client, code, end_others, current)
        except Throttled as exc:
            raise TooMany(exc.retry_after) from None

    def _login(
        self,
        email: str,
        password: str,
        client: str,
        code: str | None,
        end_others: bool,
        current: str | None,
    ) -> tuple[str, str]:
        if "\x00" in email or "\x00" in password:
            raise LoginRefused(WRONG_CREDENTIALS)
        address = passwords.lookup_email(email)
        with self.signin_throttle.attempt(client, address) as attempt:
            with self.session() as s:
                user = s.scalars(select(User).where(User.email == address)).first()
            right = self._verify(user.password_hash if user else None, password)
            now = self.clock()
            if user is None or not right or _locked(user, now):
                attempt.failed()
                if user is not None:
                    with self._tx() as s:
                        audit.append(s, now, user.id, "login.failed", f"user:{user.id}")
                raise LoginRefused(WRONG_CREDENTIALS)
            # The password is right: only now is the second factor asked for.
            if user.totp_secret is None and self._needs_second_factor(user):
                raise LoginRefused(NEEDS_SECOND_FACTOR)
            step = None
            if user.totp_secret is not None:
                step = totp.accepted_step(user.totp_secret, code or "", now, user.totp_step)
                if step is None:
                    attempt.failed()
                    with self._tx() as s:
                        audit.append(s, now, user.id, "login.code_failed", f"user:{user.id}")
                    raise LoginRefused(WRONG_CODE)
            attempt.succeeded()
            with self._tx() as s:
                row = s.get(User, user.id, with_for_update=True)
                assert row is not None
                if step is not None:
                    if row.totp_step is not None and row.totp_step >= step:
                        raise LoginRefused(WRONG_CODE)  # the same code, used twice at once
                    row.totp_step = step
                if end_others:
                    self._end_sessions(s, user.id)
                elif current:
                    s.execute(
                        delete(LoginSession).where(
                            LoginSession.token_hash == _token_hash(current),
                            LoginSession.user_id == user.id,
                        )
                    )
                token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
                s.add(
                    LoginSession(
                        token_hash=_token_hash(token),
                        user_id=user.id,
                        csrf_token=csrf,
                        created_at=now,
                        expires_at=now + dt.timedelta(hours=self.settings.session_hours),
                    )
                )
                audit.append(
                    s, now, user.id, "login", f"user:{user.id}", {"ended_others": end_others}
                )
        return token, csrf

    def _needs_second_factor(self, user: User) -> bool:
        return self.settings.staff_totp and user.role in (Role.officer, Role.supervisor)

    def _hash(self, password: str) -> str:
        return str(self._hashed(self.hasher.hash, password))

    def _verify(self, password_hash: str | None, password: str) -> bool:
        """Whether ``password`` matches; for no account, the same work against a hash of
        nothing anyone knows, so the time taken does not tell."""
        against = password_hash or _dummy_hash(self.hasher, self.settings.hash_slots)
        try:
            return bool(self._hashed(self.hasher.verify, against, password))
        except VerificationError:
            return False

    def _hashed(self, work: Callable[..., Any], *args: str) -> Any:
        """Run ``work`` on the hashing threads. One that waits more than ``hash_wait``
        seconds for a thread is given up (TooMany), so a flood is answered, not queued."""
        job = _hashing(self.settings.hash_slots).submit(work, *args)
        try:
            return job.result(timeout=self.settings.hash_wait)
        except FutureTimeout:
            if job.cancel():
                raise TooMany(HASH_RETRY) from None
            return job.result()

    def actor_for(self, token: str) -> tuple[Actor, str] | None:
        """The signed-in person and their session's CSRF token, or None."""
        with self.session() as s:
            row = s.get(LoginSession, _token_hash(token))
            if row is None or audit.utc(row.expires_at) <= self.clock():
                return None
            user = s.get(User, row.user_id)
            assert user is not None
            if _locked(user, self.clock()):
                return None
            return Actor(user.id, Role(user.role), user.email), row.csrf_token

    def logout(self, token: str) -> None:
        with self._tx() as s:
            row = s.get(LoginSession, _token_hash(token))
            if row is not None:
                s.delete(row)

    def lock(self, email: str, until: dt.datetime | None = None) -> None:
        """Lock an account (until a time, or until unlocked) and end all its sessions."""
        now = self.clock()
        with self._tx() as s:
            user = self._account(s, email)
            user.locked_until = until or FOREVER
            ended = self._end_sessions(s, user.id)
            audit.append(
                s,
                now,
                None,
                "user.lock",
                f"user:{user.id}",
                {"until": user.locked_until.isoformat(), "sessions_ended": ended},
            )

    def unlock(self, email: str) -> None:
        with self._tx() as s:
            user = self._account(s, email)
            user.locked_until = None
            audit.append(s, self.clock(), None, "user.unlock", f"user:{user.id}")

    def set_role(self, email: str, role: str) -> None:
        """Change what an account may do; its sessions end, so every privilege change
        takes effect through a fresh sign-in and a fresh session."""
        if role not in ROLES:
            raise Invalid(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
        with self._tx() as s:
            user = self._account(s, email)
            if role != Role.applicant and not user.email.isascii():
                raise Invalid(passwords.STAFF_EMAIL_ASCII, {"email": passwords.STAFF_EMAIL_ASCII})
            before, user.role = user.role, role
            ended = self._end_sessions(s, user.id)
            audit.append(
                s,
                self.clock(),
                None,
                "user.role",
                f"user:{user.id}",
                {"from": before, "to": role, "sessions_ended": ended},
            )

    def enrol_second_factor(self, email: str) -> str:
        """A new TOTP secret for the account (replacing any before); returns the
        otpauth:// address for the authenticator app. The account's sessions end."""
        secret = totp.new_secret()
        with self._tx() as s:
            user = self._account(s, email)
            user.totp_secret, user.totp_step = secret, None
            ended = self._end_sessions(s, user.id)
            audit.append(
                s,
                self.clock(),
                None,
                "user.totp_enrol",
                f"user:{user.id}",
                {"sessions_ended": ended},
            )
            return totp.enrolment_uri(secret, user.email)

    def remove_second_factor(self, email: str) -> None:
        with self._tx() as s:
            user = self._account(s, email)
            user.totp_secret, user.totp_step = None, None
            ended = self._end_sessions(s, user.id)
            audit.append(
                s,
                self.clock(),
                None,
                "user.totp_remove",
                f"user:{user.id}",
                {"sessions_ended": ended},
            )

    def _account(self, s: Session, email: str) -> User:
        user = s.scalars(
            select(User).where(User.email == passwords.lookup_email(email)).with_for_update()
        ).first()
        if user is None:
            raise NotFound(f"no account {email!r}")
        return user

    def _end_sessions(self, s: Session, user_id: int) -> int:
        ended = s.scalars(
            delete(LoginSession)
            .where(LoginSession.user_id == user_id)
            .returning(LoginSession.token_hash)
        ).all()
        return len(ended)

    # ------------------------------------------------------------ applications

    def create(self, actor: Actor, idempotency_key: str | None = None) -> str:
        """A new draft; the same idempotency key returns the same draft (a retried click)."""
        self._require(actor, {Role.applicant})
        now = self.clock()
        with self._tx() as s:
            if idempotency_key:
                existing = s.scalars(
                    select(Application).where(
                        Application.applicant_id == actor.id,
                        Application.idempotency_key == idempotency_key,
                    )
                ).first()
                if existing is not None:
                    return existing.id
            app = Application(
                id=secrets.token_hex(16),
                applicant_id=actor.id,
                idempotency_key=idempotency_key,
                state=State.draft,
                profile={},
                created_at=now,
                updated_at=now,
            )
            s.add(app)
            try:
                s.flush()
            except IntegrityError:
                raise Conflict("this request was already made") from None
            audit.append(s, now, actor.id, "application.create", app.id)
            return app.id

    def update(
        self,
        actor: Actor,
        app_id: str,
        version: int,
        profile: dict[str, Any],
        identity: dict[str, Any],
    ) -> int:
        """Save the form (a draft, or an answer to a correction request); returns the new
        version. The profile must be valid against the checker's schema."""
        try:
            check_on(Profile.model_validate(profile), self.clock().date(), "profile")
        except ValidationError as exc:
            raise Invalid(_first_error(exc)) from None
        except InputError as exc:  # age against birth_date, on the day it is saved
            problems = "; ".join(f"profile.{path}: {msg}" for _, path, msg in exc.problems)
            raise Invalid(problems) from None
        try:
            checked = Identity.model_validate(identity).model_dump(exclude_unset=True)
        except ValidationError as exc:
            raise Invalid(_first_error(exc, "identity")) from None
        with self._tx() as s:
            app = self._own(s, actor, app_id, version)
            if app.state not in (State.draft, State.correction_requested):
                seen = seen_by(actor.role, State(app.state))
                raise Conflict(f"an application that is {seen} cannot be edited")
            self._before_deadline(app)
            app.profile = profile
            for name, value in checked.items():
                setattr(app, name, value)
            app.updated_at = self.clock()
            s.flush()
            audit.append(
                s,
                app.updated_at,
                actor.id,
                "application.update",
                app.id,
                {"facts": facts_hash(profile)},
            )
            return app.version

    def get(self, actor: Actor, app_id: str) -> dict[str, Any]:
        with self.session() as s:
            app = self._visible(s, actor, app_id)
            return self._view(s, actor, app)

    def queue(self, actor: Actor) -> list[dict[str, Any]]:
        """An applicant's own applications; for staff, the queue (oldest first)."""
        with self.session() as s:
            query = select(Application)
            if actor.role == Role.applicant:
                query = query.where(Application.applicant_id == actor.id)
            elif actor.role in STAFF:
                query = query.where(Application.submitted_at.is_not(None))
            else:
                raise Forbidden("only applicants and officers see applications")
            rows = s.scalars(query.order_by(Application.updated_at)).all()
            return [
                {
                    "id": a.id,
                    "state": seen_by(actor.role, State(a.state)),
                    "version": a.version,
                    "updated_at": a.updated_at.isoformat(),
                    "name": " ".join(x for x in (a.given_names, a.surname) if x),
                }
                for a in rows
            ]

    # ------------------------------------------------------------ workflow

    def act(self, actor: Actor, app_id: str, version: int, action: str, **details: Any) -> State:
        """Take a workflow action. Invalid transitions are refused, never ignored."""
        role = actor.role
        now = self.clock()
        with self._tx() as s:
            app = self._visible(s, actor, app_id)
            if app.version != version:
                raise Conflict("the application changed since you read it; reload")
            try:
                new = target(action, State(app.state), role)
            except InvalidTransition as exc:
                raise (Forbidden if exc.forbidden else Conflict)(str(exc)) from None
            data: dict[str, Any] = {"from": app.state, "to": new.value}
            if action == "submit":
                self._require_complete(app)
                app.submitted_at = now
            elif action == "request_correction":
                kind = details.get("kind")
                note = _text(str(details.get("note", "")), "note").strip()
                if kind not in ("correct_form", "supplement_documents") or not note:
                    raise Invalid("say what to correct or supply (kind and note)")
                due = now.date() + dt.timedelta(days=self.settings.correction_days)
                s.add(
                    Request(
                        application_id=app.id,
                        kind=kind,
                        note=note,
                        due=due,
                        officer_id=actor.id,
                        created_at=now,
                    )
                )
                app.correction_due = due
                data["due"] = due.isoformat()
            elif action == "resubmit":
                self._before_deadline(app)
                for r in s.scalars(
                    select(Request).where(
                        Request.application_id == app.id, Request.answered_at.is_(None)
                    )
                ):
                    r.answered_at = now
                app.correction_due = None
            elif action == "withdraw" and app.state == State.refusal_pending:
                # The proposed refusal stays in the file, unsigned, and the audit names it:
                # a withdrawal never makes a proposed refusal disappear.
                pending = self._pending_refusal(s, app)
                data["proposed_refusal"] = {"decision": pending.id, "reasons": pending.reasons}
            elif action in ("approve", "propose_refusal", "sign_refusal", "return_refusal"):
                raise Conflict(f"use decide() for {action}")
            app.state = new
            app.updated_at = now
            if new in CLOSED:
                app.closed_at = now
            if action == "submit":  # after every change, so the version moves once
                data["precheck"] = self._precheck(s, app, "submission").id
            s.flush()
            audit.append(s, now, actor.id, f"application.{action}", app.id, data)
            return new

    def record_finding(
        self, actor: Actor, app_id: str, criterion: str, met: bool, note: str
    ) -> None:
        """An officer's finding on a criterion the rules leave to judgement."""
        self._require(actor, STAFF)
        if not _text(note, "note").strip():
            raise Invalid("a finding needs a note that says why")
        now = self.clock()
        with self._tx() as s:
            app = self._visible(s, actor, app_id)
            if app.state not in (
                State.preliminary_review,
                State.final_review,
                State.passport_pending,
            ):
                raise Conflict(f"findings are recorded during review, not when {app.state}")
            judged = self._judgement_criteria(app)
            if criterion not in judged:
                raise Invalid(
                    f"{criterion!r} does not need a finding; these do: {', '.join(judged) or 'none'}"
                )
            row = s.scalars(
                select(Finding).where(
                    Finding.application_id == app.id, Finding.criterion == criterion
                )
            ).first()
            if row is None:
                row = Finding(
                    application_id=app.id,
                    criterion=criterion,
                    met=met,
                    note=note,
                    officer_id=actor.id,
                    created_at=now,
                )
                s.add(row)
            else:
                row.met, row.note, row.officer_id, row.created_at = met, note, actor.id, now
            s.flush()
            audit.append(
                s, now, actor.id, "finding.record", app.id, {"criterion": criterion, "met": met}
            )

    def decide(
        self,
        actor: Actor,
        app_id: str,
        version: int,
        outcome: str,
        reasons: list[str],
        note: str,
        readings: Mapping[str, Reading] | None = None,
    ) -> DecisionResult:
        """Approve, or propose a refusal for a supervisor to sign. The rules run again
        with the officer's findings; if the rules or the facts changed since submission,
        the result says so. An approval that rests on an interpretation of the rules needs
        the officer's finding that it holds, with a note, on each (``readings``, by
        parameter). The machine recommends; the officer decides; both are kept."""
        self._require(actor, STAFF)
        readings = dict(readings or {})
        for r in readings.values():
            _text(r.note, "note")
        if outcome not in ("approve", "refuse"):
            raise Invalid("outcome is approve or refuse")
        _text(note, "note")
        unknown = [r for r in reasons if r not in GROUNDS]
        if unknown:
            raise Invalid(f"unknown refusal ground {unknown[0]!r}; known: {', '.join(GROUNDS)}")
        if outcome == "refuse" and not reasons:
            raise Invalid("a refusal names at least one ground (Art. 21)")
        if outcome == "approve" and reasons:
            raise Invalid("an approval has no refusal grounds")
        now = self.clock()
        with self._tx() as s:
            app = self._visible(s, actor, app_id)
            if app.version != version:
                raise Conflict("the application changed since you read it; reload")
            action = "approve" if outcome == "approve" else "propose_refusal"
            try:
                new = target(action, State(app.state), actor.role)
            except InvalidTransition as exc:
                raise (Forbidden if exc.forbidden else Conflict)(str(exc)) from None
            missing = [c for c in self._judgement_criteria(app) if c not in self._findings(s, app)]
            if missing:
                raise Conflict(f"record a finding first for: {', '.join(missing)}")
            relied = self._relied_on(s, app)
            problems = _reading_problems(relied, readings, outcome == "approve")
            if problems:
                raise Invalid(
                    "; ".join(f"{path}: {message}" for path, message in problems.items()),
                    problems,
                )
            recorded = self._decision_findings(s, app, relied, readings)
            first = s.scalars(
                select(PreCheck)
                .where(PreCheck.application_id == app.id, PreCheck.stage == "submission")
                .order_by(PreCheck.id)
            ).first()
            app.state = new
            app.updated_at = now
            check = self._precheck(s, app, "decision")
            changes = []
            if first is not None and first.rule_version != check.rule_version:
                changes.append("the K-visa rules changed since submission")
            if first is not None and first.facts_hash != check.facts_hash:
                changes.append("the application's facts changed since submission")
            decision = Decision(
                application_id=app.id,
                outcome=outcome,
                reasons=reasons,
                note=note,
                recommendation=check.status,
                rules_changed=bool(changes),
                officer_id=actor.id,
                created_at=now,
                signed_at=now if outcome == "approve" else None,
                findings=recorded,
            )
            s.add(decision)
            s.flush()
            audit.append(
                s,
                now,
                actor.id,
                f"application.{action}",
                app.id,
                {
                    "decision": decision.id,
                    "reasons": reasons,
                    "recommendation": check.status,
                    "rules_changed": bool(changes),
                    "findings": _audited(recorded),
                },
            )
            return DecisionResult(
                decision.id, new, check.status, bool(changes), tuple(changes), tuple(recorded)
            )

    def sign_refusal(self, actor: Actor, app_id: str, version: int, sign: bool) -> State:
        """A supervisor's second signature on a refusal, or its return to the officer.
        Nobody signs a refusal they proposed."""
        self._require(actor, {Role.supervisor})
        now = self.clock()
        with self._tx() as s:
            app = self._visible(s, actor, app_id)
            if app.version != version:
                raise Conflict("the application changed since you read it; reload")
            action = "sign_refusal" if sign else "return_refusal"
            try:
                new = target(action, State(app.state), actor.role)
            except InvalidTransition as exc:
                raise (Forbidden if exc.forbidden else Conflict)(str(exc)) from None
            decision = self._pending_refusal(s, app)
            if decision.officer_id == actor.id:
                raise Forbidden("a refusal needs a second person's signature")
            if sign:
                decision.supervisor_id, decision.signed_at = actor.id, now
                app.closed_at = now
            else:
                s.delete(decision)
            app.state = new
            app.updated_at = now
            s.flush()
            audit.append(
                s, now, actor.id, f"application.{action}", app.id, {"decision": decision.id}
            )
            return new

    def lapse_overdue(self, today: dt.date | None = None) -> list[str]:
        """Deem withdrawn every application whose request went unanswered past its date."""
        now = self.clock()
        today = today or now.date()
        lapsed = []
        with self._tx() as s:
            for app in s.scalars(
                select(Application).where(
                    Application.state == State.correction_requested,
                    Application.correction_due < today,
                )
            ):
                app.state = target("lapse", State(app.state), Role.system)
                app.closed_at = app.updated_at = now
                audit.append(s, now, None, "application.lapse", app.id)
                lapsed.append(app.id)
        return lapsed

    # ------------------------------------------------------------ documents

    def upload(self, actor: Actor, app_id: str, kind: str, filename: str, data: bytes) -> str:
        self._require(actor, {Role.applicant})
        try:
            checked = documents.check(kind, filename, data, self.settings.scanner)
        except documents.Rejected as exc:
            raise Invalid(str(exc)) from None
        now = self.clock()
        with self._tx() as s:
            app = self._visible(s, actor, app_id)
            if app.state not in (State.draft, State.correction_requested):
                seen = seen_by(actor.role, State(app.state))
                raise Conflict(f"documents cannot be added when the application is {seen}")
            self._before_deadline(app)
            self.store.put(checked)
            doc = Document(
                id=secrets.token_hex(16),
                application_id=app.id,
                kind=kind,
                sha256=checked.sha256,
                content_type=checked.content_type,
                size=len(checked.data),
                display_name=checked.display_name,
                uploaded_at=now,
            )
            s.add(doc)
            s.flush()
            audit.append(
                s,
                now,
                actor.id,
                "document.upload",
                app.id,
                {"document": doc.id, "kind": kind, "sha256": checked.sha256},
            )
            return doc.id

    def download(self, actor: Actor, doc_id: str) -> tuple[bytes, str, str]:
        """The file for its owner or staff; staff access is audited."""
        now = self.clock()
        with self._tx() as s:
            doc = s.get(Document, doc_id)
            if doc is None:
                raise NotFound("no such document")
            self._visible(s, actor, doc.application_id)
            if actor.role in STAFF:
                audit.append(
                    s, now, actor.id, "document.read", doc.application_id, {"document": doc.id}
                )
            return self.store.get(doc.sha256), doc.content_type, doc.display_name

    def letter(self, actor: Actor, app_id: str, lang: str = "en") -> bytes:
        """The signed decision's letter as PDF, for the applicant and for staff."""
        from talentvisa.casework.letters import letter_pdf

        if lang not in ("en", "zh"):
            raise Invalid("the letter is in en or zh")
        language: Lang = "zh" if lang == "zh" else "en"
        with self.session() as s:
            app = self._visible(s, actor, app_id)
            decision = s.scalars(
                select(Decision)
                .where(Decision.application_id == app.id, Decision.signed_at.is_not(None))
                .order_by(Decision.id.desc())
            ).first()
            if decision is None:
                raise NotFound("there is no decision yet")
            return letter_pdf(app, decision, language, self.settings.show_reasons)

    # ------------------------------------------------------------ privacy

    def export(self, actor: Actor) -> dict[str, Any]:
        """Everything held about the signed-in applicant (their right of access)."""
        self._require(actor, {Role.applicant})
        with self.session() as s:
            apps = s.scalars(select(Application).where(Application.applicant_id == actor.id)).all()
            return {
                "account": {"id": actor.id, "email": actor.email},
                "applications": [self._view(s, actor, a, full=True) for a in apps],
            }

    def purge(self, today: dt.date | None = None) -> list[str]:
        """Delete closed cases older than the retention period, and their files. Audit
        events stay: they hold ids and codes only, so the chain remains verifiable."""
        now = self.clock()
        cutoff = now - dt.timedelta(days=self.settings.retention_days)
        purged = []
        candidates: set[str] = set()
        with self._tx() as s:
            for app in s.scalars(
                select(Application).where(
                    Application.closed_at.is_not(None), Application.closed_at < cutoff
                )
            ):
                candidates |= {
                    d.sha256
                    for d in s.scalars(select(Document).where(Document.application_id == app.id))
                }
                s.delete(app)
                s.flush()
                audit.append(s, now, None, "application.purge", app.id)
                purged.append(app.id)
        # Files go only after the rows are gone for good, and only those no case still uses.
        with self.session() as s:
            used = set(s.scalars(select(Document.sha256).where(Document.sha256.in_(candidates))))
        for sha in candidates - used:
            self.store.delete(sha)
        return purged

    # ------------------------------------------------------------ helpers

    def _before_deadline(self, app: Application) -> None:
        if app.correction_due is not None and self.clock().date() > app.correction_due:
            raise Conflict(f"the deadline to answer was {app.correction_due.isoformat()}")

    def _require(self, actor: Actor, roles: set[Role] | frozenset[Role]) -> None:
        if actor.role not in roles:
            raise Forbidden(f"a {actor.role} may not do this")

    def _visible(self, s: Session, actor: Actor, app_id: str) -> Application:
        """An applicant sees only their own; staff see everything submitted."""
        app = s.get(Application, app_id)
        if app is None:
            raise NotFound("no such application")
        if actor.role == Role.applicant and app.applicant_id != actor.id:
            raise NotFound("no such application")  # never confirm it exists
        if actor.role in STAFF and app.submitted_at is None:
            raise NotFound("no such application")  # never submitted: the applicant's alone
        if actor.role not in STAFF and actor.role != Role.applicant:
            raise Forbidden("only applicants and officers work on applications")
        return app

    def _own(self, s: Session, actor: Actor, app_id: str, version: int) -> Application:
        self._require(actor, {Role.applicant})
        app = self._visible(s, actor, app_id)
        if app.version != version:
            raise Conflict("the application changed since you read it; reload")
        return app

    def _pending_refusal(self, s: Session, app: Application) -> Decision:
        """The refusal awaiting a supervisor's signature (refusal_pending always has one)."""
        decision = s.scalars(
            select(Decision)
            .where(
                Decision.application_id == app.id,
                Decision.outcome == "refuse",
                Decision.signed_at.is_(None),
            )
            .order_by(Decision.id.desc())
        ).first()
        assert decision is not None
        return decision

    def _require_complete(self, app: Application) -> None:
        missing = [
            n
            for n in ("passport_number", "surname", "given_names", "birth_date", "nationality")
            if getattr(app, n) in (None, "")
        ]
        if missing:
            raise Invalid(
                f"complete the form first: {', '.join(missing)}",
                dict.fromkeys(missing, NEEDED_TO_SUBMIT),
            )

    def _findings(self, s: Session, app: Application) -> dict[str, bool]:
        return {
            f.criterion: f.met
            for f in s.scalars(select(Finding).where(Finding.application_id == app.id))
        }

    def _judgement_criteria(self, app: Application) -> list[str]:
        assessment = evaluate(self._profile(app), self.program, self.clock().date())
        return [
            c.id for c in assessment.criteria if c.kind == "criterion" and c.result == "judgement"
        ]

    def _profile(self, app: Application) -> Profile:
        """The application's facts as the rules read them today: institutions picked from
        the register carry its standing on this date."""
        return register.on_date(Profile.model_validate(app.profile), self.clock().date())

    def _assess(self, s: Session, app: Application) -> Assessment:
        """The rules on the application as it stands, with the officer's findings so far."""
        return evaluate(
            self._profile(app), self.program, self.clock().date(), self._findings(s, app)
        )

    def _relied_on(self, s: Session, app: Application) -> tuple[str, ...]:
        """The interpretations (parameters) the recommendation rests on, given the findings."""
        return tuple(self._assess(s, app).interpretations)

    def _decision_findings(
        self,
        s: Session,
        app: Application,
        relied: tuple[str, ...],
        readings: Mapping[str, Reading],
    ) -> list[dict[str, Any]]:
        """The findings a decision rests on, as they read when it was taken, in both
        languages so the letter and the record need no programme file to show them."""
        titles = {c.id: c.title for c in self._assess(s, app).criteria}
        judged: list[dict[str, Any]] = [
            {
                "kind": "judgement",
                "criterion": f.criterion,
                "title": _both(titles.get(f.criterion)),
                "met": f.met,
                "note": f.note,
            }
            for f in s.scalars(
                select(Finding).where(Finding.application_id == app.id).order_by(Finding.id)
            )
        ]
        today = self.clock().date()
        names = [n for n in relied if n in readings]
        en = interpretation_dicts(self.program, names, today, "en")
        zh = interpretation_dicts(self.program, names, today, "zh")
        return judged + [
            {
                "kind": "interpretation",
                "parameter": e["parameter"],
                "description": {"en": e["description"], "zh": z["description"]},
                "value": e["value"],
                "holds": readings[e["parameter"]].holds,
                "note": readings[e["parameter"]].note.strip(),
            }
            for e, z in zip(en, zh, strict=True)
        ]

    def review(self, actor: Actor, app_id: str, lang: Lang = "en") -> dict[str, Any]:
        """What the officer reviews: the rules on the application as it stands, with the
        findings so far, in the reader's language; every interpretation each criterion
        rests on, in plain words with its sources; and the ones an approval rests on."""
        self._require(actor, STAFF)
        with self.session() as s:
            app = self._visible(s, actor, app_id)
            assessment = self._assess(s, app)
            used = sorted({i for c in assessment.criteria for i in c.interpretations})
            details = interpretation_dicts(self.program, used, assessment.as_of, lang)
            return {
                "assessment": assessment_dict(assessment, lang),
                "readings": {d["parameter"]: d for d in details},
                "relied_on": list(assessment.interpretations),
            }

    def _precheck(self, s: Session, app: Application, stage: str) -> PreCheck:
        today = self.clock().date()
        findings = self._findings(s, app) if stage == "decision" else None
        assessment = evaluate(self._profile(app), self.program, today, findings)
        row = PreCheck(
            application_id=app.id,
            stage=stage,
            rule_version=rule_version(self.program, today),
            facts_hash=facts_hash(app.profile),
            status=assessment.status,
            result=assessment_dict(assessment),
            created_at=self.clock(),
        )
        s.add(row)
        s.flush()
        return row

    def _view(
        self, s: Session, actor: Actor, app: Application, full: bool = False
    ) -> dict[str, Any]:
        staff = actor.role in STAFF
        decisions = s.scalars(
            select(Decision).where(Decision.application_id == app.id).order_by(Decision.id)
        ).all()
        shown = []
        for d in decisions:
            item: dict[str, Any] = {
                "outcome": d.outcome,
                "signed": d.signed_at is not None,
                "at": d.created_at.isoformat(),
            }
            if staff or (d.signed_at is not None and self.settings.show_reasons):
                item["reasons"] = d.reasons
                item["findings"] = d.findings or []
            if staff:
                item |= {
                    "status": _decision_status(d, State(app.state)),
                    "note": d.note,
                    "recommendation": d.recommendation,
                    "rules_changed": d.rules_changed,
                    "officer": d.officer_id,
                    "supervisor": d.supervisor_id,
                }
            if staff or d.signed_at is not None:
                shown.append(item)
        view: dict[str, Any] = {
            "id": app.id,
            "state": seen_by(actor.role, State(app.state)),
            "version": app.version,
            "profile": app.profile,
            "identity": {
                "passport_number": app.passport_number,
                "surname": app.surname,
                "given_names": app.given_names,
                "birth_date": app.birth_date.isoformat() if app.birth_date else None,
                "nationality": app.nationality,
            },
            "correction_due": app.correction_due.isoformat() if app.correction_due else None,
            "requests": [
                {
                    "kind": r.kind,
                    "note": r.note,
                    "due": r.due.isoformat(),
                    "answered": r.answered_at is not None,
                }
                for r in s.scalars(select(Request).where(Request.application_id == app.id))
            ],
            "documents": [
                {
                    "id": d.id,
                    "kind": d.kind,
                    "name": d.display_name,
                    "type": d.content_type,
                    "size": d.size,
                    "sha256": d.sha256,
                }
                for d in s.scalars(select(Document).where(Document.application_id == app.id))
            ],
            "decisions": shown,
        }
        if staff or full:
            view["prechecks"] = [
                {
                    "stage": p.stage,
                    "status": p.status,
                    "rule_version": p.rule_version,
                    "facts_hash": p.facts_hash,
                    "at": p.created_at.isoformat(),
                    "result": p.result,
                }
                for p in s.scalars(
                    select(PreCheck).where(PreCheck.application_id == app.id).order_by(PreCheck.id)
                )
                # the decision's pre-check would tell of a decision nobody has signed yet
                if staff or p.stage != "decision" or shown
            ]
            view["findings"] = [
                {"criterion": f.criterion, "met": f.met, "note": f.note}
                for f in s.scalars(select(Finding).where(Finding.application_id == app.id))
            ]
        return view


def from_environment(url: str | None = None, **settings: Any) -> CaseService:
    """The case store the environment names: DATABASE_URL (default SQLite),
    TALENTVISA_STORAGE for documents, TALENTVISA_STAFF_TOTP=required for a second factor
    for officers and supervisors, TALENTVISA_THROTTLE_STORAGE for sign-in counters shared
    by several workers; ``settings`` override the other defaults."""
    from talentvisa.casework.db import make_engine
    from talentvisa.rules.loader import builtin_programs

    storage = Path(os.environ.get("TALENTVISA_STORAGE", "talentvisa-documents"))
    settings.setdefault("staff_totp", os.environ.get("TALENTVISA_STAFF_TOTP") == "required")
    if throttle := os.environ.get("TALENTVISA_THROTTLE_STORAGE"):
        settings.setdefault("throttle_storage", throttle)
    return CaseService(
        make_engine(url), builtin_programs()[K_VISA], Settings(storage=storage, **settings)
    )


@functools.cache
def _hashing(slots: int) -> ThreadPoolExecutor:
    """The threads password hashes run on: a few, at low CPU priority, so a flood of
    sign-ins waits for them while every other request is answered first."""
    return ThreadPoolExecutor(slots, "password-hash", initializer=_low_priority)


def _low_priority() -> None:
    if sys.platform == "linux":  # where the nice value is a thread's own (setpriority(2))
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


_DUMMIES: dict[tuple[int, int, int], str] = {}
_DUMMIES_LOCK = threading.Lock()


def _dummy_hash(hasher: PasswordHasher, slots: int) -> str:
    """A hash with the hasher's own cost, of a password nobody knows: made once, on the
    hashing threads, however many sign-ins for unknown addresses arrive at once."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    with _DUMMIES_LOCK:
        if key not in _DUMMIES:
            made = _hashing(slots).submit(hasher.hash, secrets.token_urlsafe(32))
            _DUMMIES[key] = made.result()
        return _DUMMIES[key]


def _locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and audit.utc(user.locked_until) > now


def _decision_status(decision: Decision, state: State) -> str:
    """Signed, awaiting the supervisor, or left unsigned because the applicant withdrew."""
    if decision.signed_at is not None:
        return "signed"
    return "awaiting_signature" if state == State.refusal_pending else "withdrawn_unsigned"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _text(value: str, field: str) -> str:
    """Text for the store: PostgreSQL cannot hold a NUL character, so refuse it clearly."""
    if "\x00" in value:
        raise Invalid(f"{field}: contains a NUL character")
    return value


def _reading_problems(
    relied: tuple[str, ...], readings: Mapping[str, Reading], approving: bool
) -> dict[str, str]:
    """Field messages for the findings on interpretations: an approval needs one that holds,
    with a note, on each interpretation it rests on; none may name another."""
    problems = {f"readings.{n}": NOT_RELIED_ON for n in readings if n not in relied}
    if approving:
        for name in relied:
            given = readings.get(name)
            if given is None or not given.note.strip():
                problems[f"readings.{name}"] = NEEDS_READING
            elif not given.holds:
                problems[f"readings.{name}"] = READING_DOES_NOT_HOLD
    return problems


def _audited(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as the audit chain keeps them: codes and outcomes, and a hash of each note,
    which binds the text in the decision record without copying personal data here."""
    return [
        {
            "kind": f["kind"],
            "on": f.get("criterion") or f.get("parameter"),
            "outcome": f.get("met", f.get("holds")),
            "note_sha256": hashlib.sha256(f["note"].encode()).hexdigest(),
        }
        for f in findings
    ]


def _both(text: Text | None) -> dict[str, str]:
    return {"en": text.en, "zh": text.zh} if text is not None else {}


def _first_error(exc: ValidationError, what: str = "profile") -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{what}.{where}: {err['msg']}" if where else f"{what}: {err['msg']}"
