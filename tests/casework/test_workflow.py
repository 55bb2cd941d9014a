"""An application from draft to decision, as applicant, officer and supervisor do it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from talentvisa.casework import audit, documents
from talentvisa.casework.service import (
    Actor,
    CaseService,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Reading,
)
from talentvisa.casework.workflow import TRANSITIONS, State
from talentvisa.inputs import load_profile
from tests.casework import pdfs
from tests.casework.conftest import Clock

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
IDENTITY = {
    "passport_number": "E12345678",
    "surname": "Sharma",
    "given_names": "Priya",
    "birth_date": "1997-03-14",
    "nationality": "IN",
}
PDF = pdfs.plain()


def profile(name: str) -> dict[str, Any]:
    return load_profile(EXAMPLES / f"{name}.yaml").model_dump(mode="json", exclude_none=True)


def submitted(service: CaseService, applicant: Actor, example: str = "judgement") -> str:
    app_id = service.create(applicant)
    version = service.update(applicant, app_id, 1, profile(example), IDENTITY)
    service.upload(applicant, app_id, "cv", "cv.pdf", PDF)
    service.act(applicant, app_id, version, "submit")
    return app_id


def readings(service: CaseService, officer: Actor, app_id: str) -> dict[str, Reading]:
    """The officer's finding that each interpretation the recommendation rests on holds."""
    return {
        name: Reading(True, f"I find that {name} holds: checked against the documents.")
        for name in service.review(officer, app_id)["relied_on"]
    }


def version_of(service: CaseService, actor: Actor, app_id: str) -> int:
    return int(service.get(actor, app_id)["version"])


def to_final_review(service: CaseService, officer: Actor, app_id: str) -> None:
    """Preliminary review passed, passport and biometrics received."""
    for action in ("start_review", "pass_preliminary", "record_passport"):
        service.act(officer, app_id, version_of(service, officer, app_id), action)


def request_correction(service: CaseService, officer: Actor, app_id: str, note: str) -> None:
    service.act(officer, app_id, version_of(service, officer, app_id), "start_review")
    service.act(
        officer,
        app_id,
        version_of(service, officer, app_id),
        "request_correction",
        kind="correct_form",
        note=note,
    )


def test_from_sign_up_to_issue_with_a_correction_loop(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant, officer = person("applicant"), person("officer")
    app_id = submitted(service, applicant)
    seen = service.get(officer, app_id)
    assert seen["state"] == State.submitted
    first = seen["prechecks"][0]
    assert first["stage"] == "submission" and first["status"] == "undetermined"
    assert first["rule_version"].startswith("cn-k@2025-10-01#") and len(first["facts_hash"]) == 64

    service.act(officer, app_id, seen["version"], "start_review")
    service.act(
        officer,
        app_id,
        version_of(service, officer, app_id),
        "request_correction",
        kind="supplement_documents",
        note="Please add your degree certificate.",
    )
    mine = service.get(applicant, app_id)
    assert mine["state"] == State.correction_requested and mine["correction_due"] == "2026-12-29"
    assert mine["requests"][0]["note"] == "Please add your degree certificate."
    service.upload(applicant, app_id, "degree_certificate", "degree.pdf", PDF)
    version = service.update(applicant, app_id, mine["version"], profile("full"), IDENTITY)
    service.act(applicant, app_id, version, "resubmit")

    for action in ("pass_preliminary", "record_passport"):
        service.act(officer, app_id, version_of(service, officer, app_id), action)
    result = service.decide(
        officer,
        app_id,
        version_of(service, officer, app_id),
        "approve",
        [],
        "",
        readings(service, officer, app_id),
    )
    assert result.state == State.approved and result.recommendation == "eligible"
    assert result.rules_changed and "facts changed" in result.changes[0]  # full.yaml replaced it
    service.act(officer, app_id, version_of(service, officer, app_id), "issue")
    assert service.get(applicant, app_id)["state"] == State.issued
    with service.session() as s:
        check = audit.verify(s)
    assert check.ok and check.events >= 12


def test_a_judgement_needs_a_finding_and_a_refusal_a_second_signature(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant, officer, other = person("applicant"), person("officer"), person("supervisor")
    app_id = submitted(service, applicant)
    to_final_review(service, officer, app_id)
    with pytest.raises(Conflict, match="record a finding first for: stem-degree"):
        service.decide(
            officer, app_id, version_of(service, officer, app_id), "refuse", ["art21-5"], ""
        )
    with pytest.raises(Invalid, match="does not need a finding"):
        service.record_finding(officer, app_id, "young", True, "old enough")
    service.record_finding(officer, app_id, "stem-degree", False, "Not a well-known university.")
    with pytest.raises(Invalid, match="unknown refusal ground"):
        service.decide(
            officer, app_id, version_of(service, officer, app_id), "refuse", ["art99"], ""
        )
    result = service.decide(
        officer,
        app_id,
        version_of(service, officer, app_id),
        "refuse",
        ["art21-5"],
        "Degree not from a recognised institution.",
    )
    assert result.state == State.refusal_pending and result.recommendation == "ineligible"
    assert not result.rules_changed
    assert service.get(applicant, app_id)["decisions"] == []  # unsigned: not yet a decision
    # a supervisor who proposed it cannot sign it; an officer cannot sign at all
    with pytest.raises(Forbidden):
        service.sign_refusal(officer, app_id, version_of(service, officer, app_id), True)
    assert (
        service.sign_refusal(other, app_id, version_of(service, other, app_id), True)
        == State.refused
    )
    shown = service.get(applicant, app_id)["decisions"]
    assert shown == [
        {
            "outcome": "refuse",
            "signed": True,
            "at": shown[0]["at"],
            "reasons": ["art21-5"],
            "findings": [
                {
                    "kind": "judgement",
                    "criterion": "stem-degree",
                    "title": shown[0]["findings"][0]["title"],
                    "met": False,
                    "note": "Not a well-known university.",
                }
            ],
        }
    ]


def test_reasons_can_be_withheld(
    engine: Any, tmp_path: Path, clock: Clock, person: Callable[[str], Actor]
) -> None:
    from talentvisa.casework.service import Settings
    from talentvisa.rules.loader import builtin_programs

    quiet = CaseService(
        engine,
        builtin_programs()["cn-k"],
        Settings(storage=tmp_path / "d", show_reasons=False),
        clock,
    )
    applicant, officer, supervisor = person("applicant"), person("officer"), person("supervisor")
    app_id = submitted(quiet, applicant, "full")
    to_final_review(quiet, officer, app_id)
    quiet.decide(officer, app_id, version_of(quiet, officer, app_id), "refuse", ["art21-6"], "x")
    quiet.sign_refusal(supervisor, app_id, version_of(quiet, supervisor, app_id), True)
    decision = quiet.get(applicant, app_id)["decisions"][0]
    assert decision["outcome"] == "refuse" and "reasons" not in decision
    assert quiet.get(officer, app_id)["decisions"][0]["reasons"] == ["art21-6"]


@pytest.mark.parametrize(
    ("who", "action", "error"),
    [
        ("applicant", "start_review", Forbidden),
        ("officer", "submit", Forbidden),
        ("officer", "issue", Conflict),  # not approved
        ("officer", "resubmit", Forbidden),
        ("officer", "fly", Conflict),
    ],
)
def test_a_transition_the_workflow_does_not_allow_is_refused(
    service: CaseService, person: Callable[[str], Actor], who: str, action: str, error: type
) -> None:
    applicant = person("applicant")
    actor = applicant if who == "applicant" else person(who)
    app_id = submitted(service, applicant)
    before = service.get(applicant, app_id)
    with pytest.raises(error):
        service.act(actor, app_id, before["version"], action)
    assert service.get(applicant, app_id) == before  # nothing changed


def test_withdrawing_works_before_a_decision_only(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant, officer = person("applicant"), person("officer")
    app_id = submitted(service, applicant, "full")
    to_final_review(service, officer, app_id)
    service.decide(
        officer,
        app_id,
        version_of(service, officer, app_id),
        "approve",
        [],
        "",
        readings(service, officer, app_id),
    )
    with pytest.raises(Conflict, match="cannot withdraw an application that is approved"):
        service.act(applicant, app_id, version_of(service, applicant, app_id), "withdraw")
    second = submitted(service, applicant, "full")
    assert (
        service.act(applicant, second, version_of(service, applicant, second), "withdraw")
        == State.withdrawn
    )


def test_an_unanswered_request_lapses_after_its_deadline(
    service: CaseService, person: Callable[[str], Actor], clock: Clock
) -> None:
    applicant, officer = person("applicant"), person("officer")
    app_id = submitted(service, applicant)
    request_correction(service, officer, app_id, "Your passport number has a typo.")
    clock.advance(days=30)
    assert service.lapse_overdue() == []  # the due day itself still counts
    clock.advance(days=1)
    assert service.lapse_overdue() == [app_id]
    assert service.get(applicant, app_id)["state"] == State.deemed_withdrawn


def test_a_stale_version_is_a_conflict_not_a_lost_update(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    service.update(applicant, app_id, 1, profile("full"), IDENTITY)
    with pytest.raises(Conflict, match="changed since you read it"):
        service.update(applicant, app_id, 1, profile("judgement"), IDENTITY)
    assert service.get(applicant, app_id)["profile"] == profile("full")


def test_a_retried_create_returns_the_same_draft(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant = person("applicant")
    first = service.create(applicant, idempotency_key="k-1")
    assert service.create(applicant, idempotency_key="k-1") == first
    assert service.create(applicant, idempotency_key="k-2") != first
    assert len(service.queue(applicant)) == 2


def test_submitting_needs_the_identity_fields(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    version = service.update(applicant, app_id, 1, profile("full"), {"surname": "Sharma"})
    with pytest.raises(Invalid, match="complete the form first: passport_number"):
        service.act(applicant, app_id, version, "submit")


def test_every_transition_names_its_roles() -> None:
    assert all(t.roles for t in TRANSITIONS)
    assert {t.target for t in TRANSITIONS} | {State.draft} == set(State)


def test_the_audit_table_refuses_changes_and_verify_finds_a_forged_event(
    service: CaseService, person: Callable[[str], Actor], engine: Any
) -> None:
    applicant = person("applicant")
    submitted(service, applicant, "full")
    with engine.connect() as c, pytest.raises(Exception, match="append-only"):
        c.execute(text("UPDATE audit_events SET action = 'x' WHERE id = 2"))
        c.commit()
    with engine.connect() as c, pytest.raises(Exception, match="append-only"):
        c.execute(text("DELETE FROM audit_events WHERE id = 2"))
        c.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as c, pytest.raises(Exception, match="append-only"):
            c.execute(text("TRUNCATE audit_events"))
            c.commit()
    with service.session() as s:
        good = audit.verify(s)
    assert good.ok
    with service.session() as s, s.begin():  # someone with INSERT rights forges an event
        s.execute(
            text(
                "INSERT INTO audit_events (at, actor_id, action, subject, data, prev_hash, hash) "
                "VALUES (:at, NULL, 'application.approve', 'x', '{}', :prev, :hash)"
            ),
            {"at": "2026-11-29 10:00:00+00:00", "prev": "0" * 64, "hash": "f" * 64},
        )
    with service.session() as s:
        bad = audit.verify(s)
    assert not bad.ok and bad.broken_at == good.events + 1
    assert bad.kind == "moved" and bad.reason.startswith("does not follow the event before it")


def test_access_is_per_person(service: CaseService, person: Callable[[str], Actor]) -> None:
    alice, bob, officer = person("applicant"), person("applicant"), person("officer")
    draft = service.create(alice)
    app_id = submitted(service, alice, "full")
    doc_id = service.get(alice, app_id)["documents"][0]["id"]
    for attempt in (
        lambda: service.get(bob, app_id),
        lambda: service.update(bob, app_id, 3, profile("full"), IDENTITY),
        lambda: service.act(bob, app_id, 3, "withdraw"),
        lambda: service.upload(bob, app_id, "cv", "cv.pdf", PDF),
        lambda: service.download(bob, doc_id),
        lambda: service.get(officer, draft),  # staff never see drafts
    ):
        with pytest.raises(NotFound):
            attempt()
    assert [a["id"] for a in service.queue(bob)] == []
    assert service.download(officer, doc_id)[0] == documents.check("cv", "cv.pdf", PDF).data
    assert {a["id"] for a in service.queue(officer)} == {app_id}


def test_purge_deletes_old_closed_cases_and_keeps_the_chain_verifiable(
    service: CaseService, person: Callable[[str], Actor], clock: Clock, tmp_path: Path
) -> None:
    applicant = person("applicant")
    old = submitted(service, applicant, "full")
    service.act(applicant, old, version_of(service, applicant, old), "withdraw")
    open_case = submitted(service, applicant, "full")
    clock.advance(days=365 * 2 + 1)
    assert service.purge() == [old]
    with pytest.raises(NotFound):
        service.get(applicant, old)
    assert service.get(applicant, open_case)["state"] == State.submitted
    # the shared CV is still used by the open case, so its file stays
    assert len([p for p in (tmp_path / "documents").rglob("*") if p.is_file()]) == 1
    with service.session() as s:
        assert audit.verify(s).ok


def test_an_applicant_can_download_everything_held_about_them(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant = person("applicant")
    app_id = submitted(service, applicant, "full")
    export = service.export(applicant)
    assert export["account"]["email"] == applicant.email
    (only,) = export["applications"]
    assert only["id"] == app_id and only["identity"]["passport_number"] == "E12345678"
    assert only["prechecks"][0]["status"] == "eligible" and only["documents"][0]["kind"] == "cv"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["has been refused", "Failed to submit the documents", "Priya Sharma"]),
        ("zh", ["不予签发", "不能提交签证机关要求提交的相关材料的", "Priya Sharma"]),
    ],
)
def test_the_decision_letter_in_english_and_chinese(
    service: CaseService, person: Callable[[str], Actor], lang: str, expected: list[str]
) -> None:
    import io

    from pypdf import PdfReader

    applicant, officer, supervisor = person("applicant"), person("officer"), person("supervisor")
    app_id = submitted(service, applicant, "full")
    with pytest.raises(NotFound, match="no decision yet"):
        service.letter(applicant, app_id, lang)
    to_final_review(service, officer, app_id)
    service.decide(officer, app_id, version_of(service, officer, app_id), "refuse", ["art21-5"], "")
    service.sign_refusal(supervisor, app_id, version_of(service, supervisor, app_id), True)
    pdf = service.letter(applicant, app_id, lang)
    assert pdf.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for phrase in expected:
        assert phrase in text.replace("\n", " "), phrase


def test_nobody_signs_their_own_refusal(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant, supervisor = person("applicant"), person("supervisor")
    app_id = submitted(service, applicant, "full")
    to_final_review(service, supervisor, app_id)
    service.decide(
        supervisor, app_id, version_of(service, supervisor, app_id), "refuse", ["art21-6"], ""
    )
    with pytest.raises(Forbidden, match="second person's signature"):
        service.sign_refusal(supervisor, app_id, version_of(service, supervisor, app_id), True)
    assert service.get(supervisor, app_id)["state"] == State.refusal_pending


def test_a_withdrawn_draft_stays_the_applicants_alone(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant, officer = person("applicant"), person("officer")
    app_id = service.create(applicant)
    version = service.update(applicant, app_id, 1, profile("full"), IDENTITY)
    service.act(applicant, app_id, version, "withdraw")
    with pytest.raises(NotFound):
        service.get(officer, app_id)
    assert service.queue(officer) == []


def test_answers_after_the_deadline_are_refused(
    service: CaseService, person: Callable[[str], Actor], clock: Clock
) -> None:
    applicant, officer = person("applicant"), person("officer")
    app_id = submitted(service, applicant)
    request_correction(service, officer, app_id, "Fix the passport number.")
    clock.advance(days=31)
    version = version_of(service, applicant, app_id)
    with pytest.raises(Conflict, match="the deadline to answer was 2026-12-29"):
        service.act(applicant, app_id, version, "resubmit")
    with pytest.raises(Conflict, match="deadline"):
        service.upload(applicant, app_id, "cv", "cv.pdf", PDF)


def test_nul_characters_are_refused_clearly(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    with pytest.raises(Invalid, match="email: contains a NUL character"):
        service.create_user("a\x00@example.org", "correct horse battery", "applicant")
    applicant, officer = person("applicant"), person("officer")
    app_id = submitted(service, applicant)
    service.act(officer, app_id, version_of(service, officer, app_id), "start_review")
    with pytest.raises(Invalid, match="note: contains a NUL character"):
        service.act(
            officer,
            app_id,
            version_of(service, officer, app_id),
            "request_correction",
            kind="correct_form",
            note="bad\x00note",
        )
    with pytest.raises(Invalid, match=r"identity\.surname"):
        service.update(applicant, service.create(applicant), 1, {}, {"surname": "A\x00B"})
