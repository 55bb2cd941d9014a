"""Kleene's strong three-valued logic: true, false and unknown.

A missing fact is ``UNKNOWN``, never false. Criteria that only an officer can settle
(is this institution "well-known"?) are unknown too as far as the logic goes; what makes
them a *judgement* rather than a missing fact is recorded beside the value, in the
evaluator's support, so the connectives keep all of Kleene's laws (a fourth truth value
"judgement" that beat or lost to unknown would break distributivity).
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class Unknown(Enum):
    UNKNOWN = "unknown"

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown.UNKNOWN

Truth = bool | Unknown


def t_and(a: Truth, b: Truth) -> Truth:
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return UNKNOWN


def t_or(a: Truth, b: Truth) -> Truth:
    if a is True or b is True:
        return True
    if a is False and b is False:
        return False
    return UNKNOWN


def t_not(a: Truth) -> Truth:
    if isinstance(a, bool):
        return not a
    return a
