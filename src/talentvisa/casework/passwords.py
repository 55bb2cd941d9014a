"""What an account's credentials must be: a password that is long and not guessable, and
an email address that is one, written one way, and that cannot pass for another.

The strength estimate is zxcvbn's (offline: it knows common passwords, words, names,
keyboard walks, repeats and dates). Email addresses are checked and normalised by
email-validator, without asking DNS. Staff addresses are ASCII only, so a look-alike of an
officer's address (Cyrillic "а" for Latin "a") can never be made.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from email_validator import EmailNotValidError, validate_email
from zxcvbn import zxcvbn

from talentvisa.messages import N_

MIN_LENGTH: Final = 12
MAX_LENGTH: Final = 1000  # argon2 takes any length; this bounds the work a request can ask
MIN_SCORE: Final = 3  # zxcvbn: "safely unguessable" against throttled online guessing and more

TOO_SHORT: Final = N_("A password needs at least 12 characters.")
TOO_LONG: Final = N_("A password can have at most 1000 characters.")
TOO_WEAK: Final = N_(
    "This password is too easy to guess (a common password, a word, a name, a pattern or a "
    "repeat). Choose a longer one: several unrelated words work well."
)
NOT_AN_EMAIL: Final = N_("Enter an email address, such as name@example.org.")
UNSAFE_EMAIL: Final = N_(
    "This email address has invisible or direction-changing characters; type it again."
)
STAFF_EMAIL_ASCII: Final = N_(
    "A staff email address may use only unaccented Latin letters, digits and . _ - + @."
)


def password_problem(password: str, email: str = "") -> str | None:
    """Why the password cannot be used (a catalogue message), or None. The email address
    counts as known to a guesser, so a password built from it is weak."""
    if len(password) < MIN_LENGTH or not password.strip():
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    # zxcvbn refuses more than 72 characters, and its cost grows with length: the first 72
    # decide the score (a weak prefix padded out stays guessable enough to refuse).
    if zxcvbn(password[:72], user_inputs=[email, *email.split("@")])["score"] < MIN_SCORE:
        return TOO_WEAK
    return None


def normal_email(email: str, staff: bool = False) -> str:
    """The address as stored and looked up: NFC, lower case, without surrounding spaces.
    Raises ValueError with a catalogue message when it cannot be used."""
    text = email.strip()
    if any(_unsafe(c) for c in text):
        raise ValueError(UNSAFE_EMAIL)
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError(NOT_AN_EMAIL) from None
    normal = checked.normalized.lower()
    if staff and not normal.isascii():
        raise ValueError(STAFF_EMAIL_ASCII)
    return normal


def lookup_email(email: str) -> str:
    """The address a sign-in looks up: normalised when it is one, else as typed (it then
    matches no account, and is answered as any unknown address is)."""
    try:
        return normal_email(email)
    except ValueError:
        return email.strip().lower()


def _unsafe(c: str) -> bool:
    """Invisible and direction-changing characters: the format characters (Cf: zero-width
    spaces and joiners, the bidirectional marks, embeddings, overrides and isolates) and
    controls (Cc)."""
    return unicodedata.category(c) in ("Cf", "Cc")
