"""The application's states and the transitions between them, as one explicit table.

It mirrors the sequence China's online visa system uses: fill in the form and upload
documents, an online preliminary review in which an officer may ask for corrections or
more documents (a loop with a deadline, after which the application is deemed
withdrawn), "passport to be submitted" with biometrics, the final review and decision,
then issue. Every transition names the roles allowed to make it; anything else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Role(StrEnum):
    applicant = "applicant"
    officer = "officer"
    supervisor = "supervisor"
    admin = "admin"
    system = "system"  # the deadline sweep; never a person


class State(StrEnum):
    draft = "draft"
    submitted = "submitted"
    preliminary_review = "preliminary_review"
    correction_requested = "correction_requested"
    passport_pending = "passport_pending"  # "passport to be submitted", biometrics
    final_review = "final_review"
    refusal_pending = "refusal_pending"  # a refusal waits for a supervisor's signature
    approved = "approved"
    refused = "refused"
    issued = "issued"
    withdrawn = "withdrawn"
    deemed_withdrawn = "deemed_withdrawn"  # a request's deadline passed unanswered


CLOSED: Final = frozenset({State.refused, State.issued, State.withdrawn, State.deemed_withdrawn})
STAFF: Final = frozenset({Role.officer, Role.supervisor})
BEFORE_DECISION: Final = (
    State.draft,
    State.submitted,
    State.preliminary_review,
    State.correction_requested,
    State.passport_pending,
    State.final_review,
    State.refusal_pending,
)


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    source: tuple[State, ...]
    target: State
    roles: frozenset[Role]


TRANSITIONS: Final = (
    Transition("submit", (State.draft,), State.submitted, frozenset({Role.applicant})),
    Transition("start_review", (State.submitted,), State.preliminary_review, STAFF),
    Transition(
        "request_correction",
        (State.preliminary_review,),
        State.correction_requested,
        STAFF,
    ),
    Transition(
        "resubmit",
        (State.correction_requested,),
        State.preliminary_review,
        frozenset({Role.applicant}),
    ),
    Transition(
        "lapse",
        (State.correction_requested,),
        State.deemed_withdrawn,
        frozenset({Role.system}),
    ),
    Transition("pass_preliminary", (State.preliminary_review,), State.passport_pending, STAFF),
    Transition("record_passport", (State.passport_pending,), State.final_review, STAFF),
    Transition("approve", (State.final_review,), State.approved, STAFF),
    Transition("propose_refusal", (State.final_review,), State.refusal_pending, STAFF),
    Transition(
        "sign_refusal", (State.refusal_pending,), State.refused, frozenset({Role.supervisor})
    ),
    Transition(
        "return_refusal",
        (State.refusal_pending,),
        State.final_review,
        frozenset({Role.supervisor}),
    ),
    Transition("issue", (State.approved,), State.issued, STAFF),
    Transition("withdraw", BEFORE_DECISION, State.withdrawn, frozenset({Role.applicant})),
)
BY_ACTION: Final = {t.action: t for t in TRANSITIONS}


class InvalidTransition(Exception):
    """Refused: the action does not exist, is not allowed from this state, or not for
    this role. Surfaces as HTTP 409 (or 403 for the role)."""

    def __init__(self, message: str, forbidden: bool = False) -> None:
        super().__init__(message)
        self.forbidden = forbidden


def seen_by(role: Role, state: State) -> State:
    """The state as ``role`` may know it. A proposed refusal is internal until a supervisor
    signs it: the applicant sees the final review going on, in every view and message."""
    if role == Role.applicant and state == State.refusal_pending:
        return State.final_review
    return state


def target(action: str, state: State, role: Role) -> State:
    """The state ``action`` leads to from ``state`` when ``role`` takes it."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise InvalidTransition(f"no action {action!r}; known: {', '.join(BY_ACTION)}")
    if role not in transition.roles:
        raise InvalidTransition(f"a {role} may not {action}", forbidden=True)
    if state not in transition.source:
        allowed = ", ".join(dict.fromkeys(seen_by(role, s).value for s in transition.source))
        raise InvalidTransition(
            f"cannot {action} an application that is {seen_by(role, state)} (only {allowed})"
        )
    return transition.target


def actions_for(state: State, role: Role) -> list[str]:
    """What this role may do now: the buttons a page shows."""
    return [t.action for t in TRANSITIONS if state in t.source and role in t.roles]
