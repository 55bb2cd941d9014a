"""A second factor for staff: time-based one-time codes (RFC 6238, pyotp), which any
authenticator app makes from a secret enrolled once (``talentvisa users totp EMAIL``).

A code is accepted in the 30-second step it belongs to or the one either side (clock
drift), and only once: the last step used is kept, so a code seen over a shoulder or in a
log cannot be replayed.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Final

import pyotp

ISSUER: Final = "talentvisa K visa"
STEP: Final = 30  # seconds, the RFC 6238 default every authenticator app uses


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads (as a QR code or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def accepted_step(secret: str, code: str, now: dt.datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to when it is right and newer than ``last_step``;
    else None."""
    code = code.strip().replace(" ", "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP
    for step in (current - 1, current, current + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(
            totp.at(step * STEP), code
        ):
            return step
    return None
