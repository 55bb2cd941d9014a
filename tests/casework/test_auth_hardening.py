"""Sign-in and accounts under attack: nothing tells whether an account exists, guessing
slows the guesser and never locks the owner out, weak credentials are refused, sessions
rotate and end, and staff can be made to give a second factor."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from talentvisa.casework.models import User
from talentvisa.casework.service import CaseService, Invalid, LoginRefused, Settings
from talentvisa.rules.loader import builtin_programs
from talentvisa.web.app import create_app
from tests.casework.conftest import PASSWORD, Clock
from tests.casework.test_cli import tv

LOGIN = "/api/v1/cases/login"
SIGNUP = "/api/v1/cases/signup"


def client(service: CaseService, address: str = "203.0.113.7") -> TestClient:
    """A browser at a client address of its own (the throttle counts per address)."""
    return TestClient(create_app(service), base_url="https://testserver", client=(address, 5000))


def attempt(c: TestClient, email: str, password: str = "not the password at all") -> Any:
    return c.post(LOGIN, json={"email": email, "password": password})


def test_sign_in_answers_the_same_for_an_account_that_exists_and_one_that_does_not(
    service: CaseService,
) -> None:
    """Status, headers that matter, and body byte for byte, attempt after attempt: also
    past the point where the old code locked a known account and said so."""
    service.create_user("real@example.org", PASSWORD, "officer")
    known, unknown = client(service, "198.51.100.1"), client(service, "198.51.100.2")
    for n in range(8):
        a = attempt(known, "real@example.org")
        b = attempt(unknown, "nobody@example.org")
        assert (a.status_code, a.content) == (b.status_code, b.content), n
        assert ("retry-after" in a.headers) == ("retry-after" in b.headers), n
        assert a.status_code in (401, 429)
    assert attempt(known, "real@example.org").status_code == 429  # the guesser waits


def test_sign_up_answers_the_same_for_a_new_address_and_a_taken_one(
    service: CaseService,
) -> None:
    c = client(service)
    first = c.post(SIGNUP, json={"email": "new@example.org", "password": PASSWORD})
    taken = c.post(SIGNUP, json={"email": "new@example.org", "password": "another long phrase 9"})
    fresh = c.post(SIGNUP, json={"email": "newer@example.org", "password": PASSWORD})
    assert first.status_code == taken.status_code == fresh.status_code == 201
    assert first.content == taken.content == fresh.content
    assert "id" not in first.json()  # user ids are not handed out
    # The taken address keeps its owner's password.
    assert attempt(c, "new@example.org", PASSWORD).status_code == 200
    assert attempt(c, "new@example.org", "another long phrase 9").status_code == 401


def test_the_portal_sign_up_page_is_the_same_for_a_taken_address(service: CaseService) -> None:
    c = client(service)
    pages = [
        c.post("/cases/signup", data={"email": "p@example.org", "password": PASSWORD})
        for _ in range(2)
    ]
    assert pages[0].status_code == pages[1].status_code == 200
    assert pages[0].content == pages[1].content


def test_a_flood_from_one_address_never_locks_the_owner_out(service: CaseService) -> None:
    """Twenty failed guesses at an officer's account from one address: that address waits
    (429 with Retry-After); the officer, from their own address, signs in at once."""
    service.create_user("officer@example.org", PASSWORD, "officer")
    guesser = client(service, "192.0.2.66")
    answers = [attempt(guesser, "officer@example.org").status_code for _ in range(20)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    throttled = attempt(guesser, "officer@example.org", PASSWORD)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    assert attempt(client(service, "192.0.2.10"), "officer@example.org", PASSWORD).is_success


def test_the_wait_grows_with_the_failures() -> None:
    """The throttle itself (no password hashing, so the timing is its own): past each
    tier of limits the wait is longer."""
    from talentvisa.casework.throttle import Throttle, Throttled  # new: main had none

    throttle = Throttle("100/minute", "2/2 seconds;4/minute")

    def fail() -> None:
        with throttle.attempt("192.0.2.1", "x@example.org") as a:
            a.failed()

    fail(), fail()
    with pytest.raises(Throttled) as first:
        fail()
    assert first.value.retry_after <= 2
    time.sleep(2.1)
    fail(), fail()
    with pytest.raises(Throttled) as second:
        fail()
    assert second.value.retry_after > 50
    with throttle.attempt("192.0.2.2", "x@example.org"):
        pass  # another address is not held up


def test_a_locked_account_answers_as_a_wrong_password_and_its_sessions_end(
    service: CaseService,
) -> None:
    service.create_user("lockme@example.org", PASSWORD, "officer")
    c = client(service)
    assert attempt(c, "lockme@example.org", PASSWORD).is_success
    assert c.get("/api/v1/cases/me").is_success
    service.lock("lockme@example.org")
    assert c.get("/api/v1/cases/me").status_code == 401  # the live session has ended
    locked = attempt(client(service, "198.51.100.3"), "lockme@example.org", PASSWORD)
    unknown = attempt(client(service, "198.51.100.4"), "nobody@example.org", PASSWORD)
    assert (locked.status_code, locked.content) == (unknown.status_code, unknown.content)
    service.unlock("lockme@example.org")
    assert attempt(client(service, "198.51.100.5"), "lockme@example.org", PASSWORD).is_success


def test_signing_in_again_ends_the_old_session(service: CaseService) -> None:
    service.create_user("s@example.org", PASSWORD, "applicant")
    c = client(service)
    assert attempt(c, "s@example.org", PASSWORD).is_success
    old = c.cookies["tv_session"]
    assert attempt(c, "s@example.org", PASSWORD).is_success
    assert c.cookies["tv_session"] != old
    assert service.actor_for(old) is None  # the token the browser held is refused now
    # Another device stays signed in, unless the new sign-in asks to end every other one.
    other = client(service, "198.51.100.9")
    assert attempt(other, "s@example.org", PASSWORD).is_success
    assert c.get("/api/v1/cases/me").is_success
    r = other.post(
        LOGIN, json={"email": "s@example.org", "password": PASSWORD, "end_other_sessions": True}
    )
    assert r.is_success and other.get("/api/v1/cases/me").is_success
    assert c.get("/api/v1/cases/me").status_code == 401


def test_a_role_change_ends_the_sessions(service: CaseService) -> None:
    service.create_user("r@example.org", PASSWORD, "officer")
    token, _ = service.login("r@example.org", PASSWORD)
    service.set_role("r@example.org", "supervisor")
    assert service.actor_for(token) is None
    token, _ = service.login("r@example.org", PASSWORD)
    found = service.actor_for(token)
    assert found is not None and found[0].role == "supervisor"


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "password1234", " " * 12, "qwertyuiop123", "short"]
)
def test_weak_passwords_are_refused_with_a_clear_message(
    service: CaseService, password: str
) -> None:
    c = client(service)
    r = c.post(SIGNUP, json={"email": "w@example.org", "password": password})
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert error["path"] == "password"
    assert "easy to guess" in error["message"] or "at least 12 characters" in error["message"]
    zh = c.post(
        SIGNUP,
        json={"email": "w@example.org", "password": password},
        headers={"Accept-Language": "zh-CN"},
    )
    assert "密码" in zh.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "email",
    ["not-an-email@", "two@@example.org", "ad\u200bmin@example.org", "ad\u202emin@example.org"],
)
def test_bad_email_addresses_are_refused(service: CaseService, email: str) -> None:
    r = client(service).post(SIGNUP, json={"email": email, "password": PASSWORD})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["path"] == "email"


def test_email_addresses_are_normalised(service: CaseService) -> None:
    service.create_user("  Priya@EXAMPLE.org ", PASSWORD, "applicant")
    with service.session() as s:
        assert s.scalars(select(User.email)).one() == "priya@example.org"
    assert service.login("PRIYA@example.ORG", PASSWORD)


def test_a_look_alike_staff_address_is_refused(service: CaseService) -> None:
    service.create_user("admin@example.org", PASSWORD, "officer")
    with pytest.raises(Invalid, match="staff email address"):
        service.create_user("\u0430dmin@example.org", PASSWORD, "officer")  # Cyrillic а


@pytest.fixture
def strict(engine: Engine, tmp_path: Path, clock: Clock) -> CaseService:
    """An office that requires a second factor of officers and supervisors."""
    settings = Settings(storage=tmp_path / "docs", staff_totp=True)
    return CaseService(engine, builtin_programs()["cn-k"], settings, clock)


def test_staff_give_a_second_factor_when_the_office_requires_it(strict: CaseService) -> None:
    strict.create_user("o@example.org", PASSWORD, "officer")
    strict.create_user("a@example.org", PASSWORD, "applicant")
    assert strict.login("a@example.org", PASSWORD)  # applicants are not asked
    with pytest.raises(LoginRefused, match="second factor"):
        strict.login("o@example.org", PASSWORD)
    secret = pyotp.parse_uri(strict.enrol_second_factor("o@example.org")).secret
    with pytest.raises(LoginRefused, match="6-digit code"):
        strict.login("o@example.org", PASSWORD)
    with pytest.raises(LoginRefused, match="6-digit code"):
        strict.login("o@example.org", PASSWORD, code="000000")
    code = pyotp.TOTP(secret).at(strict.clock())
    assert strict.login("o@example.org", PASSWORD, code=code)
    with pytest.raises(LoginRefused, match="6-digit code"):
        strict.login("o@example.org", PASSWORD, code=code)  # a code works once
    with pytest.raises(LoginRefused, match="Wrong email address or password"):
        strict.login("o@example.org", "not the password at all", code=code)


def test_the_second_factor_over_http(strict: CaseService, clock: Clock) -> None:
    strict.create_user("o@example.org", PASSWORD, "supervisor")
    secret = pyotp.parse_uri(strict.enrol_second_factor("o@example.org")).secret
    c = client(strict)
    assert attempt(c, "o@example.org", PASSWORD).status_code == 401
    code = pyotp.TOTP(secret).at(clock())
    r = c.post(LOGIN, json={"email": "o@example.org", "password": PASSWORD, "code": code})
    assert r.is_success, r.text


def test_account_commands(database_url: str, tmp_path: Path) -> None:
    assert tv("db", "upgrade", env_url=database_url, home=tmp_path).returncode == 0
    made = tv(
        "users",
        "create",
        "o@example.org",
        "--role",
        "officer",
        stdin=PASSWORD + "\n",
        env_url=database_url,
        home=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    weak = tv(
        "users",
        "create",
        "w@example.org",
        "--role",
        "officer",
        stdin="password1234\n",
        env_url=database_url,
        home=tmp_path,
    )
    assert weak.returncode == 2 and "easy to guess" in weak.stderr and "$argon2" not in weak.stderr
    enrolled = tv("users", "totp", "o@example.org", env_url=database_url, home=tmp_path)
    assert enrolled.returncode == 0 and enrolled.stdout.startswith("otpauth://totp/")
    assert tv("users", "lock", "o@example.org", env_url=database_url, home=tmp_path).returncode == 0
    assert (
        tv("users", "unlock", "o@example.org", env_url=database_url, home=tmp_path).returncode == 0
    )
    role = tv(
        "users",
        "role",
        "o@example.org",
        "--role",
        "supervisor",
        env_url=database_url,
        home=tmp_path,
    )
    assert role.returncode == 0, role.stderr
    missing = tv("users", "lock", "nobody@example.org", env_url=database_url, home=tmp_path)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
