"""The K-visa portal pages: applicants apply, officers review, supervisors countersign.

Plain forms that post and redirect, so the portal works without JavaScript. Every form
carries the session's CSRF token; every change goes through ``CaseService``, which
decides who may do what.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentvisa.casework.documents import KINDS
from talentvisa.casework.grounds import GROUNDS
from talentvisa.casework.service import Actor, CaseService, Forbidden, Invalid, LoginRefused
from talentvisa.casework.workflow import STAFF, Role, State, actions_for
from talentvisa.web.cases_api import COOKIE, UPLOAD_LIMIT, letter_response, set_session_cookie
from talentvisa.web.pages import render
from talentvisa.yamlpos import InputError, loads

router = APIRouter(prefix="/cases", include_in_schema=False)
IDENTITY_FIELDS = ("surname", "given_names", "birth_date", "nationality", "passport_number")


def _cases(request: Request) -> CaseService:
    cases: CaseService = request.app.state.cases
    return cases


def _session(request: Request) -> tuple[Actor, str] | None:
    token = request.cookies.get(COOKIE)
    return _cases(request).actor_for(token) if token else None


def _me(request: Request, csrf: str | None = None) -> Actor:
    """The signed-in person; for a form post, its CSRF token must match the session's."""
    found = _session(request)
    if found is None:
        raise LoginRefused("sign in first")
    actor, expected = found
    if request.method == "POST":
        _same_origin(request)
    if request.method == "POST" and csrf != expected:
        raise Forbidden("the form is out of date or was not sent from this site; reload it")
    return actor


def _same_origin(request: Request) -> None:
    """Forms are posted from these pages only: a cross-site post (login CSRF included)
    carries another Origin and is refused."""
    origin = request.headers.get("origin")
    if origin is not None and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise Forbidden("forms are accepted from this site only")


def _back(app_id: str | None = None) -> RedirectResponse:
    return RedirectResponse(f"/cases/{app_id}" if app_id else "/cases", status_code=303)


Csrf = Annotated[str | None, Form(alias="csrf_token")]
Version = Annotated[int, Form()]


@router.get("", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    found = _session(request)
    if found is None:
        return render(request, "cases/signin.html")
    actor, csrf = found
    cases = _cases(request)
    if actor.role == Role.admin:
        return render(request, "cases/admin.html", me=actor, csrf=csrf, settings=cases.settings)
    return render(
        request,
        "cases/list.html",
        me=actor,
        csrf=csrf,
        rows=cases.queue(actor),
        staff=actor.role in STAFF,
    )


@router.post("/signup")
def signup(
    request: Request, email: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Response:
    _same_origin(request)
    _cases(request).create_user(email, password, "applicant")
    return signin(request, email, password)


@router.post("/signin")
def signin(
    request: Request, email: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Response:
    _same_origin(request)
    cases = _cases(request)
    token, _ = cases.login(email, password)
    response = _back()
    set_session_cookie(request, response, token, cases.settings.session_hours)
    return response


@router.post("/signout")
def signout(request: Request, csrf: Csrf = None) -> Response:
    _me(request, csrf)
    _cases(request).logout(request.cookies.get(COOKIE, ""))
    response = _back()
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/new")
def new(request: Request, csrf: Csrf = None) -> Response:
    me = _me(request, csrf)
    return _back(_cases(request).create(me))


@router.get("/{app_id}", response_class=HTMLResponse)
def case(request: Request, app_id: str) -> HTMLResponse:
    me = _me(request)
    found = _session(request)
    assert found is not None
    view = _cases(request).get(me, app_id)
    state = State(view["state"])
    latest = view.get("prechecks", [])[-1:] or [None]
    return render(
        request,
        "cases/case.html",
        me=me,
        csrf=found[1],
        case=view,
        staff=me.role in STAFF,
        actions=actions_for(state, Role(me.role)),
        kinds=KINDS,
        grounds=GROUNDS,
        editable=state in (State.draft, State.correction_requested) and me.role == Role.applicant,
        profile_text=yaml.safe_dump(view["profile"], allow_unicode=True, sort_keys=False)
        if view["profile"]
        else "",
        precheck=latest[0],
        judged=_judged(latest[0]),
        identity_fields=IDENTITY_FIELDS,
        findings={f["criterion"]: f for f in view.get("findings", [])},
    )


@router.post("/{app_id}/save")
def save(
    request: Request,
    app_id: str,
    version: Version,
    csrf: Csrf = None,
    profile: Annotated[str, Form()] = "",
    surname: Annotated[str, Form()] = "",
    given_names: Annotated[str, Form()] = "",
    birth_date: Annotated[str, Form()] = "",
    nationality: Annotated[str, Form()] = "",
    passport_number: Annotated[str, Form()] = "",
) -> Response:
    me = _me(request, csrf)
    try:
        facts = loads(profile, "profile").data if profile.strip() else {}
    except InputError as exc:
        raise Invalid(exc.render()) from None
    if not isinstance(facts, dict):
        raise Invalid("the profile must be a mapping of fields (see examples/)")
    identity = {
        "surname": surname,
        "given_names": given_names,
        "birth_date": birth_date or None,
        "nationality": nationality.upper() or None,
        "passport_number": passport_number,
    }
    _cases(request).update(me, app_id, version, _jsonable(facts), identity)
    return _back(app_id)


@router.post("/{app_id}/documents")
async def upload(
    request: Request,
    app_id: str,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
    csrf: Csrf = None,
) -> Response:
    me = _me(request, csrf)
    data = await file.read(UPLOAD_LIMIT + 1)
    _cases(request).upload(me, app_id, kind, file.filename or "document", data)
    return _back(app_id)


@router.post("/{app_id}/act/{action}")
def act(
    request: Request,
    app_id: str,
    action: str,
    version: Version,
    csrf: Csrf = None,
    kind: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form()] = None,
) -> Response:
    me = _me(request, csrf)
    details = {k: v for k, v in (("kind", kind), ("note", note)) if v}
    _cases(request).act(me, app_id, version, action, **details)
    return _back(app_id)


@router.post("/{app_id}/finding")
def finding(
    request: Request,
    app_id: str,
    criterion: Annotated[str, Form()],
    met: Annotated[str, Form()],
    note: Annotated[str, Form()],
    csrf: Csrf = None,
) -> Response:
    me = _me(request, csrf)
    _cases(request).record_finding(me, app_id, criterion, met == "yes", note)
    return _back(app_id)


@router.post("/{app_id}/decide")
def decide(
    request: Request,
    app_id: str,
    version: Version,
    outcome: Annotated[str, Form()],
    csrf: Csrf = None,
    reasons: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form()] = "",
) -> Response:
    me = _me(request, csrf)
    _cases(request).decide(me, app_id, version, outcome, reasons or [], note)
    return _back(app_id)


@router.post("/{app_id}/sign")
def sign(
    request: Request,
    app_id: str,
    version: Version,
    sign: Annotated[str, Form()],
    csrf: Csrf = None,
) -> Response:
    me = _me(request, csrf)
    _cases(request).sign_refusal(me, app_id, version, sign == "yes")
    return _back(app_id)


@router.get("/{app_id}/letter")
def letter(request: Request, app_id: str, lang: str = "en") -> Response:
    pdf = _cases(request).letter(_me(request), app_id, lang)
    return letter_response(pdf, lang, "inline")  # opens in the browser's PDF viewer


def _judged(precheck: dict[str, Any] | None) -> list[dict[str, Any]]:
    if precheck is None:
        return []
    return [
        c
        for c in precheck["result"]["criteria"]
        if c.get("kind", "criterion") == "criterion" and c["result"] == "judgement"
    ]


def _jsonable(value: Any) -> Any:
    """YAML reads dates as dates; the stored profile is JSON, so dates become ISO text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):  # the YAML reader keeps decimals exact
        return int(value) if value == value.to_integral_value() else float(value)
    return value
