"""Passwords are hashed with argon2; failed logins are counted and lock the account."""

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


def test_five_failures_lock_the_account_for_a_while(service: CaseService, clock: Clock) -> None:
    service.create_user("a@example.org", PASSWORD, "applicant")
    for _ in range(5):
        with pytest.raises(LoginRefused, match="wrong email or password"):
            service.login("a@example.org", "not the password")
    with pytest.raises(LoginRefused, match="too many failed attempts"):
        service.login("a@example.org", PASSWORD)
    clock.advance(minutes=16)
    assert service.login("a@example.org", PASSWORD)


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
