"""Passwords are hashed with argon2; sessions are server-side and expire."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from talentvisa.casework.models import User
from talentvisa.casework.service import (
    Actor,
    CaseService,
    Conflict,
    Forbidden,
    Invalid,
    LoginRefused,
    TooMany,
)
from tests.casework.conftest import PASSWORD, Clock


def test_passwords_are_stored_as_argon2_hashes(service: CaseService) -> None:
    service.create_user("a@example.org", PASSWORD, "applicant")
    with service.session() as s:
        stored = s.scalars(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_signing_in_gives_a_session_and_a_csrf_token(service: CaseService) -> None:
    service.create_user("A@Example.org ", PASSWORD, "applicant")
    token, csrf = service.login("a@example.org", PASSWORD)
    found = service.actor_for(token)
    assert found is not None and found[0].email == "a@example.org" and found[1] == csrf
    service.logout(token)
    assert service.actor_for(token) is None


def test_failures_never_lock_the_account(service: CaseService, clock: Clock) -> None:
    """Guesses are throttled per client address; the owner, from elsewhere, signs in."""
    service.create_user("a@example.org", PASSWORD, "applicant")
    for _ in range(5):
        with pytest.raises(LoginRefused, match="Wrong email address or password"):
            service.login("a@example.org", "not the password", client="192.0.2.1")
    with pytest.raises(TooMany):
        service.login("a@example.org", PASSWORD, client="192.0.2.1")
    assert service.login("a@example.org", PASSWORD, client="192.0.2.2")


def test_sessions_expire(service: CaseService, clock: Clock) -> None:
    service.create_user("a@example.org", PASSWORD, "applicant")
    token, _ = service.login("a@example.org", PASSWORD)
    clock.advance(hours=8, seconds=1)
    assert service.actor_for(token) is None


def test_account_rules(service: CaseService, person: Callable[[str], Actor]) -> None:
    with pytest.raises(Invalid, match="at least 12 characters"):
        service.create_user("a@example.org", "short", "applicant")
    with pytest.raises(Invalid, match="unknown role"):
        service.create_user("a@example.org", PASSWORD, "king")
    service.create_user("a@example.org", PASSWORD, "applicant")
    with pytest.raises(Conflict, match="exists"):
        service.create_user("a@example.org", PASSWORD, "applicant")
    with pytest.raises(Forbidden, match="only an admin"):
        service.create_user("o@example.org", PASSWORD, "officer", by=person("officer"))
    assert service.create_user("o@example.org", PASSWORD, "officer", by=person("admin"))
