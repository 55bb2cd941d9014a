"""The JSON API, /api/v1: programmes, assessments, comparison, changes, diffs, sources, schema."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response
from pydantic_core import to_json

from talentvisa import fx
from talentvisa.changes import by_reach, suggestions_for
from talentvisa.compare import DEFAULT_PREFERENCES, PREFERENCES, compare
from talentvisa.diff import diff
from talentvisa.inputs import check_on
from talentvisa.messages import Said
from talentvisa.profile import Profile
from talentvisa.provenance import source_entries
from talentvisa.report import (
    changes_document,
    check_document,
    comparison_document,
    diff_document,
    program_document,
    programs_document,
    sources_document,
)
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from talentvisa.vocab import IsoDate
from talentvisa.web.problems import Problem
from talentvisa.web.schemas import (
    AssessRequest,
    ChangesDocument,
    CheckDocument,
    CompareRequest,
    ComparisonDocument,
    DiffDocument,
    Lang,
    ProgramDocument,
    ProgramSummary,
    SourcesDocument,
)

PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The body is not UTF-8, or is nested too deeply."},
    404: {"model": Problem, "description": "No such programme."},
    413: {"model": Problem, "description": "The body is larger than the limit."},
    422: {
        "model": Problem,
        "description": "A field is wrong, or two disagree on the assessment date (age and "
        "birth_date); `errors` names each one.",
    },
}

router = APIRouter(prefix="/api/v1", responses=PROBLEMS)

ProgramId = Annotated[str, Path(description="Programme id, e.g. `cn-k`.", examples=["cn-k"])]
LangQuery = Annotated[Lang, Query(description="Language of texts.")]


def _today() -> dt.date:
    return dt.date.today()


def _program(program_id: str) -> Program:
    program = builtin_programs().get(program_id)
    if program is None:
        known = ", ".join(builtin_programs())
        raise HTTPException(
            404,
            Said(
                f"No programme {program_id!r}; known: {known}",
                f"没有代码为“{program_id}”的项目；现有项目：{known}",
            ),
        )
    return program


def _selected(ids: list[str] | None) -> list[Program]:
    return list(builtin_programs().values()) if not ids else [_program(i) for i in ids]


@router.get("/programs", response_model=list[ProgramSummary], summary="List programmes")
def list_programs(
    as_of: Annotated[IsoDate | None, Query(description="Date for `in_force`.")] = None,
    lang: LangQuery = "en",
) -> list[dict[str, Any]]:
    """Every programme with the dates its versions start and whether it is in force."""
    programs = list(builtin_programs().values())
    documents: list[dict[str, Any]] = programs_document(programs, as_of or _today(), lang)[
        "programs"
    ]
    return documents


@router.get("/programs/{program_id}", response_model=ProgramDocument, summary="A programme's rules")
def get_program(program_id: ProgramId, lang: LangQuery = "en") -> dict[str, Any]:
    """The rules as data: every version's criteria with conditions and citations, parameters
    with their dated values and interpretations, terms and fees."""
    return program_document(_program(program_id), lang)


@router.get(
    "/programs/{program_id}/diff",
    response_model=DiffDocument,
    summary="What changed between two dates",
)
def get_diff(
    program_id: ProgramId,
    date1: Annotated[IsoDate, Query(alias="from", examples=["2025-09-20"])],
    date2: Annotated[IsoDate, Query(alias="to", examples=["2025-09-21"])],
    lang: LangQuery = "en",
) -> dict[str, Any]:
    return diff_document(diff(_program(program_id), date1, date2), lang)


@router.post("/assess", response_model=CheckDocument, summary="Assess a profile")
def assess(request: AssessRequest) -> Response:
    """Status, every criterion with reason and citation, missing facts and interpretations,
    for one or all programmes on one date."""
    when = request.as_of or _today()
    profile = check_on(request.profile, when, "request", prefix=("profile",))
    assessments = [evaluate(profile, p, when) for p in _selected(request.programs)]
    # Built in the response model's shape (tests/web/test_api_document.py holds it to that),
    # so it is serialised once instead of validated again: validating it cost more than
    # evaluating every programme. The schema still comes from response_model.
    document = check_document(assessments, when, request.lang, profile)
    return Response(to_json(document), media_type="application/json")


def _preferences(request: CompareRequest) -> tuple[str, ...]:
    if request.preferences is None:
        return DEFAULT_PREFERENCES
    unknown = [p for p in request.preferences if p not in PREFERENCES]
    if unknown:
        given, known = ", ".join(unknown), ", ".join(PREFERENCES)
        raise HTTPException(
            422,
            Said(
                f"Unknown preference {given}; choose from {known}",
                f"未知的偏好：{given}；可选：{known}",
            ),
        )
    return tuple(dict.fromkeys(request.preferences))


@router.post("/compare", response_model=ComparisonDocument, summary="Compare programmes")
def compare_programs(
    request: CompareRequest, preferences: Annotated[tuple[str, ...], Depends(_preferences)]
) -> dict[str, Any]:
    """Rank programmes by status, then by the preferences in order; mark the unbeaten ones."""
    when = request.as_of or _today()
    if request.currency not in fx.currencies(when):
        known = ", ".join(fx.currencies(when))
        raise HTTPException(
            422,
            Said(
                f"No exchange rate for {request.currency}; known: {known}",
                f"没有{request.currency}的汇率；现有币种：{known}",
            ),
        )
    profile = check_on(request.profile, when, "request", prefix=("profile",))
    result = compare(profile, _selected(request.programs), when, request.currency, preferences)
    return comparison_document(result, request.lang)


@router.post("/changes", response_model=ChangesDocument, summary="What would need to change")
def what_would_change(request: AssessRequest) -> dict[str, Any]:
    """The cheapest actionable steps to eligibility per programme, and when time alone changes
    the answer."""
    when = request.as_of or _today()
    profile = check_on(request.profile, when, "request", prefix=("profile",))
    results = [suggestions_for(profile, p, when) for p in _selected(request.programs)]
    return changes_document(by_reach(results), when, request.lang)


@router.get("/sources", response_model=SourcesDocument, summary="Sources and when verified")
def list_sources(
    older_than: Annotated[
        int | None,
        Query(ge=0, description="Only sources last verified more than this many days ago."),
    ] = None,
    program: Annotated[list[str] | None, Query(description="Programme ids; default all.")] = None,
    as_of: Annotated[
        IsoDate | None, Query(description="Date ages count to; default today.")
    ] = None,
    lang: LangQuery = "en",
) -> dict[str, Any]:
    """Every source with its reliability, retrieved and verified dates, and the rules that
    rest on it; each programme's "rules verified on" date and any staleness warning."""
    when = as_of or _today()
    programs = _selected(program)
    return sources_document(
        source_entries(programs, when, older_than), programs, when, older_than, lang
    )


@router.get("/schema/profile", summary="The profile's JSON Schema")
def profile_schema() -> dict[str, Any]:
    return Profile.model_json_schema()
