"""The K-visa case-work API: applicants apply, officers review and decide.

Sessions are server-side: the cookie holds a random token (HttpOnly, Secure,
SameSite=Strict) and every request that changes something must echo the session's CSRF
token in ``X-CSRF-Token``. Errors are problem documents with the status the service chose:
404 for anything you may not see (its existence is not disclosed), 403, 409 for a stale
version or a transition the workflow refuses, 422 for bad input.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, TypeVar

import anyio
from fastapi import APIRouter, Depends, File, Form, Header, Path, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from talentvisa.casework.documents import KINDS
from talentvisa.casework.grounds import GROUNDS
from talentvisa.casework.service import (
    SIGNED_UP,
    Actor,
    CaseError,
    CaseService,
    Forbidden,
    Identity,
    Invalid,
    LoginRefused,
    Reading,
    TooMany,
)
from talentvisa.web.i18n import translations
from talentvisa.web.problems import FieldError, Problem, lang_of, problem_response

router = APIRouter(
    prefix="/api/v1/cases",
    tags=["K-visa cases"],
    responses={
        400: {"model": Problem, "description": "The body is not UTF-8, or is nested too deeply"},
        401: {"model": Problem, "description": "Not signed in, or the sign-in failed"},
        403: {"model": Problem, "description": "Not allowed for your role, or no CSRF token"},
        404: {"model": Problem, "description": "No application or document you may see"},
        409: {"model": Problem, "description": "A stale version, or a step not allowed now"},
        413: {"model": Problem, "description": "The body or upload is too large"},
        429: {
            "model": Problem,
            "description": "Too many sign-in or sign-up attempts from your address; "
            "Retry-After says how many seconds to wait",
        },
    },
)
COOKIE = "tv_session"
UPLOAD_LIMIT = 12 * 1024 * 1024  # the largest document kind (10 MB) plus form overhead
SIGNIN_THREADS = 64  # sign-ins and sign-ups waiting for a password hash, on threads of their own
T = TypeVar("T")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Credentials(_Body):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1000)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"email": "priya@example.org", "password": "correct horse battery"}]
        },
    )


class SignIn(Credentials):
    code: str | None = Field(
        default=None,
        max_length=10,
        description="The 6-digit code from the authenticator app, for accounts with a "
        "second factor (staff, when the office requires it).",
    )
    end_other_sessions: bool = Field(
        default=False, description="Sign out every other session of the account."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"email": "priya@example.org", "password": "correct horse battery"},
                {
                    "email": "officer@example.org",
                    "password": "correct horse battery",
                    "code": "123456",
                    "end_other_sessions": True,
                },
            ]
        },
    )


VERSION_FIELD: Final = "The version you read (GET answers it); a stale one is a 409."


class Draft(_Body):
    version: int = Field(ge=1, description=VERSION_FIELD)
    # Declared as the checker's profile (every field's type and limit), stored as sent:
    # the service validates it against the same schema on the day it is saved.
    profile: Annotated[
        dict[str, Any],
        WithJsonSchema({"allOf": [{"$ref": "#/components/schemas/Profile"}]}),
        Field(description="The applicant's facts, as the checker reads them (codes)."),
    ]
    # Declared as the service's Identity, read by it (its messages name each field).
    identity: Annotated[
        dict[str, Any],
        WithJsonSchema(Identity.model_json_schema()),
        Field(description="As in the passport; blank fields are unknown."),
    ] = {}

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "version": 1,
                    "profile": {"birth_date": "1997-03-14", "citizenships": ["IN"]},
                    "identity": {
                        "surname": "Sharma",
                        "given_names": "Priya",
                        "passport_number": "E12345678",
                        "nationality": "IN",
                        "birth_date": "1997-03-14",
                    },
                }
            ]
        },
    )


class Act(_Body):
    version: int = Field(ge=1, description=VERSION_FIELD)
    kind: Literal["correct_form", "supplement_documents"] | None = Field(
        default=None, description="Required for request_correction: what the applicant must do."
    )
    note: str | None = Field(
        default=None,
        min_length=1,
        max_length=5000,
        description="Required for request_correction: what exactly to correct or supply.",
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"version": 3},
                {
                    "version": 4,
                    "kind": "supplement_documents",
                    "note": "Please add your degree certificate.",
                },
            ]
        },
    )


class FindingIn(_Body):
    criterion: str = Field(
        max_length=100,
        pattern=r"^[a-z0-9-]+$",
        description="A criterion the rules leave to judgement, e.g. stem-degree.",
    )
    met: bool
    note: str = Field(
        min_length=1, max_length=5000, description="Required: why it is met or not, not blank."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "criterion": "stem-degree",
                    "met": True,
                    "note": "Ranked 118th by QS: a well-known university.",
                }
            ]
        },
    )


class ReadingIn(_Body):
    holds: bool = Field(description="Whether the interpretation holds for this applicant.")
    note: str = Field(
        min_length=1,
        max_length=5000,
        description="Required, not blank: why ('I find the institution well-known …').",
    )


if TYPE_CHECKING:
    Ground = str
else:  # the codes of grounds.py, so the schema lists them
    Ground = Literal[tuple(GROUNDS)]
Parameter = Annotated[str, StringConstraints(max_length=100, pattern=r"^[a-z0-9_]+$")]


class DecisionIn(_Body):
    version: int = Field(ge=1, description=VERSION_FIELD)
    outcome: Literal["approve", "refuse"]
    reasons: list[Ground] = Field(
        default=[],
        max_length=6,
        description="Grounds of Art. 21: a refusal names at least one; an approval none.",
    )
    note: str = Field(default="", max_length=5000)
    readings: dict[Parameter, ReadingIn] = Field(
        default={},
        max_length=20,
        description="The officer's finding on each interpretation of the rules the "
        "recommendation rests on, by parameter (GET .../review lists them as relied_on). "
        "An approval needs one that holds, with a note, on each.",
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            # A refusal needs its grounds; an approval has none (the service says so too).
            "if": {"properties": {"outcome": {"const": "refuse"}}, "required": ["outcome"]},
            "then": {"required": ["reasons"], "properties": {"reasons": {"minItems": 1}}},
            "else": {"properties": {"reasons": {"maxItems": 0}}},
            "examples": [
                {
                    "version": 6,
                    "outcome": "approve",
                    "readings": {
                        "well_known_max_rank": {
                            "holds": True,
                            "note": "I find the institution well-known: ranked 118th by QS.",
                        }
                    },
                },
                {
                    "version": 6,
                    "outcome": "refuse",
                    "reasons": ["art21-5"],
                    "note": "The degree certificate was not supplied.",
                },
            ],
        },
    )


class SignatureIn(_Body):
    version: int = Field(ge=1, description=VERSION_FIELD)
    sign: bool

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"version": 7, "sign": True}]}
    )


def service(request: Request) -> CaseService:
    cases: CaseService = request.app.state.cases
    return cases


Service = Annotated[CaseService, Depends(service)]


def actor(
    request: Request,
    cases: Service,
    csrf: Annotated[str | None, Header(alias="X-CSRF-Token")] = None,
) -> Actor:
    """The signed-in person; a change without the session's CSRF token is refused."""
    token = request.cookies.get(COOKIE)
    found = cases.actor_for(token) if token else None
    if found is None:
        raise LoginRefused("sign in first")
    person, expected = found
    if request.method not in ("GET", "HEAD") and (
        csrf is None or not secrets.compare_digest(csrf, expected)
    ):
        raise Forbidden("missing or wrong CSRF token (send X-CSRF-Token)")
    return person


Me = Annotated[Actor, Depends(actor)]
# Ids are 32 lowercase hex digits (``secrets.token_hex(16)``). Checking the form here, once
# for every route, keeps NUL characters and other text away from the database: PostgreSQL
# cannot hold a NUL, and an id that cannot exist is a 422, not a query.
ID_PATTERN: Final = r"^[0-9a-f]{32}$"
ActionName = Annotated[
    str,
    Path(
        description="A workflow action, e.g. submit or start_review",
        pattern=r"^[a-z_]{1,40}$",
        examples=["submit"],
    ),
]
AppId = Annotated[
    str,
    Path(
        description="Application id: 32 lowercase hexadecimal digits",
        pattern=ID_PATTERN,
        examples=["3f9a1c0e5b7d4e2a8c6b1d0f9e8a7b6c"],
    ),
]
DocId = Annotated[
    str,
    Path(
        description="Document id: 32 lowercase hexadecimal digits",
        pattern=ID_PATTERN,
        examples=["a1b2c3d4e5f60718293a4b5c6d7e8f90"],
    ),
]


_TITLES = {
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict with the application's current state",
    422: "The input has problems",
    429: "Too many attempts",
}


async def case_problem(request: Request, exc: Exception) -> Response:
    """A problem document for the API; the portal's error page for its forms."""
    assert isinstance(exc, CaseError)
    # A message that is a catalogue entry is said in the reader's language (plain gettext,
    # never %-formatting: a message may quote what the person sent).
    message = translations(lang_of(request)).gettext(str(exc))
    if not request.url.path.startswith("/api/"):
        from talentvisa.web.pages import render

        page = render(
            request,
            "cases/error.html",
            exc.status,
            message=message,
            signin=exc.status in (401, 429),
        )
        if isinstance(exc, TooMany):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    said = translations("zh" if lang_of(request) == "zh" else "en").gettext
    errors = [
        FieldError(path=path, message=said(message))
        for path, message in (exc.fields.items() if isinstance(exc, Invalid) else ())
    ]
    title = _TITLES.get(exc.status, "Bad request")
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooMany) else None
    return problem_response(exc.status, title, request, message, errors, headers=headers)


def client_of(request: Request) -> str:
    """The client's address, as the server sees it (behind a proxy, run uvicorn with
    --proxy-headers so it is the client's, not the proxy's)."""
    return request.client.host if request.client else "unknown"


async def off_the_pool(request: Request, call: Callable[[], T]) -> T:
    """Run a sign-in or sign-up, which waits for a password hash, on threads of its own:
    a flood of them never takes the threads the rest of the app answers with."""
    limiter = getattr(request.app.state, "signin_threads", None)
    if limiter is None:
        limiter = request.app.state.signin_threads = anyio.CapacityLimiter(SIGNIN_THREADS)
    return await anyio.to_thread.run_sync(call, limiter=limiter)


@router.post("/signup", status_code=201, summary="Create an applicant account")
async def signup(body: Credentials, cases: Service, request: Request) -> dict[str, str]:
    """The answer is the same whether or not the address has an account already, so it
    cannot be used to find out who has one; sign in next."""
    await off_the_pool(
        request, partial(cases.signup, body.email, body.password, client_of(request))
    )
    said = translations("zh" if lang_of(request) == "zh" else "en").gettext
    return {"detail": said(SIGNED_UP)}


@router.post("/login", summary="Sign in: sets the session cookie, returns the CSRF token")
async def login(
    body: SignIn, cases: Service, request: Request, response: Response
) -> dict[str, str]:
    """A new session every time (the one the browser held ends); the same refusal for an
    unknown address, a wrong password or a locked account; 429 with Retry-After when this
    address has failed too often."""
    token, csrf = await off_the_pool(
        request,
        partial(
            cases.login,
            body.email,
            body.password,
            client_of(request),
            body.code,
            body.end_other_sessions,
            request.cookies.get(COOKIE),
        ),
    )
    set_session_cookie(request, response, token, cases.settings.session_hours)
    return {"csrf_token": csrf}


def set_session_cookie(request: Request, response: Response, token: str, hours: int) -> None:
    """HttpOnly and SameSite=Strict always; Secure whenever the request came over HTTPS
    (behind a proxy, run uvicorn with --proxy-headers), so plain-HTTP local use works."""
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
        max_age=hours * 3600,
        path="/",
    )


@router.post("/logout", status_code=204, summary="Sign out")
def logout(request: Request, me: Me, cases: Service, response: Response) -> None:
    cases.logout(request.cookies.get(COOKIE, ""))
    response.delete_cookie(COOKIE, path="/")


@router.get("/me", summary="Who is signed in")
def me(me: Me) -> dict[str, Any]:
    return {"id": me.id, "email": me.email, "role": me.role}


@router.get("/applications", summary="Your applications, or the officers' queue")
def applications(me: Me, cases: Service) -> list[dict[str, Any]]:
    return cases.queue(me)


@router.post("/applications", status_code=201, summary="Start an application (a draft)")
def create(
    me: Me,
    cases: Service,
    key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)] = None,
) -> dict[str, str]:
    return {"id": cases.create(me, key)}


@router.get("/applications/{app_id}", summary="One application, as you may see it")
def read(app_id: AppId, me: Me, cases: Service) -> dict[str, Any]:
    return cases.get(me, app_id)


@router.put("/applications/{app_id}", summary="Save the form (draft or correction)")
def update(app_id: AppId, body: Draft, me: Me, cases: Service) -> dict[str, int]:
    return {"version": cases.update(me, app_id, body.version, body.profile, body.identity)}


@router.post("/applications/{app_id}/actions/{action}", summary="Take a workflow action")
def act(app_id: AppId, action: ActionName, body: Act, me: Me, cases: Service) -> dict[str, str]:
    details = {k: v for k, v in (("kind", body.kind), ("note", body.note)) if v is not None}
    return {"state": cases.act(me, app_id, body.version, action, **details)}


@router.post("/applications/{app_id}/findings", status_code=201, summary="Record a finding")
def finding(app_id: AppId, body: FindingIn, me: Me, cases: Service) -> dict[str, str]:
    cases.record_finding(me, app_id, body.criterion, body.met, body.note)
    return {"criterion": body.criterion}


@router.get("/applications/{app_id}/review", summary="The pre-check an officer reviews")
def review(
    app_id: AppId, me: Me, cases: Service, lang: Literal["en", "zh"] = "en"
) -> dict[str, Any]:
    """The rules on the application as it stands, with the findings so far; each
    interpretation a criterion rests on (``readings``), with sources and their reliability;
    and ``relied_on``, the interpretations an approval needs a finding on."""
    return cases.review(me, app_id, lang)


@router.post("/applications/{app_id}/decision", summary="Approve, or propose a refusal")
def decide(app_id: AppId, body: DecisionIn, me: Me, cases: Service) -> dict[str, Any]:
    readings = {k: Reading(v.holds, v.note) for k, v in body.readings.items()}
    result = cases.decide(me, app_id, body.version, body.outcome, body.reasons, body.note, readings)
    return {
        "state": result.state,
        "recommendation": result.recommendation,
        "rules_changed": result.rules_changed,
        "changes": list(result.changes),
        "findings": list(result.findings),
    }


@router.post("/applications/{app_id}/refusal", summary="Sign a refusal, or return it")
def sign(app_id: AppId, body: SignatureIn, me: Me, cases: Service) -> dict[str, str]:
    return {"state": cases.sign_refusal(me, app_id, body.version, body.sign)}


@router.post("/applications/{app_id}/documents", status_code=201, summary="Upload evidence")
async def upload(
    app_id: AppId,
    me: Me,
    cases: Service,
    kind: Annotated[str, Form(description=f"One of {', '.join(KINDS)}")],
    file: Annotated[UploadFile, File()],
) -> dict[str, str]:
    data = await file.read(UPLOAD_LIMIT + 1)
    return {"id": cases.upload(me, app_id, kind, file.filename or "document", data)}


@router.get("/documents/{doc_id}", summary="Download a document (owner or staff)")
def download(doc_id: DocId, me: Me, cases: Service) -> Response:
    data, content_type, name = cases.download(me, doc_id)
    safe = name.encode("ascii", "replace").decode().replace('"', "")
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
            "Cache-Control": "no-store",
        },
    )


@router.get("/applications/{app_id}/letter", summary="The decision letter (PDF)")
def letter(app_id: AppId, me: Me, cases: Service, lang: Literal["en", "zh"] = "en") -> Response:
    return letter_response(cases.letter(me, app_id, lang), lang, "attachment")


def letter_response(pdf: bytes, lang: str, disposition: str) -> Response:
    """A decision letter: never cached, since it is personal."""
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="k-visa-decision-{lang}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/export", summary="Everything held about you")
def export(me: Me, cases: Service) -> dict[str, Any]:
    return cases.export(me)


@router.get("/admin/status", summary="Case store settings an admin should know")
def status(me: Me, cases: Service) -> dict[str, Any]:
    if me.role != "admin":
        raise Forbidden("admins only")
    scanner = cases.settings.scanner
    return {
        "scanner": scanner.name if scanner else None,
        "scanner_note": None
        if scanner
        else "no virus scanner is configured: uploads are checked for type and structure only",
        "show_reasons": cases.settings.show_reasons,
        "retention_days": cases.settings.retention_days,
        "correction_days": cases.settings.correction_days,
    }
