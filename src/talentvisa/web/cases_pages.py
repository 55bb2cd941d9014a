"""The K-visa portal pages: applicants apply, officers review, supervisors countersign.

Plain forms that post and redirect, so the portal works without JavaScript. Every form
carries the session's CSRF token; every change goes through ``CaseService``, which
decides who may do what. A form with a wrong answer is shown again, as typed, with a
message beside each field at fault (HTTP 422); nothing of it is saved.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentvisa.casework.documents import KINDS
from talentvisa.casework.grounds import GROUNDS
from talentvisa.casework.service import (
    SIGNED_UP,
    Actor,
    CaseService,
    Forbidden,
    Invalid,
    LoginRefused,
    Reading,
)
from talentvisa.casework.workflow import STAFF, Role, State, actions_for
from talentvisa.explain import Lang
from talentvisa.profile import Ranking, WorkKind
from talentvisa.vocab import EducationLevel
from talentvisa.vocab_search import Kind, label, terms
from talentvisa.web import cases_form
from talentvisa.web.cases_api import (
    COOKIE,
    UPLOAD_LIMIT,
    ActionName,
    AppId,
    client_of,
    letter_response,
    off_the_pool,
    set_session_cookie,
)
from talentvisa.web.i18n import LANGS
from talentvisa.web.pages import lang_of, render

router = APIRouter(prefix="/cases", include_in_schema=False)
IDENTITY_FIELDS = ("surname", "given_names", "birth_date", "nationality", "passport_number")
PICKERS: tuple[Kind, ...] = ("countries", "fields", "occupations", "institutions")


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
    """Forms are posted from these pages only: a cross-site post (login CSRF included) is
    refused. The browser's Sec-Fetch-Site says so when it sends one; the pages' referrer
    policy (no-referrer) makes a browser send ``Origin: null`` even for this site's forms,
    so only a real Origin is compared."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        if fetch_site not in ("same-origin", "none"):
            raise Forbidden("forms are accepted from this site only")
        return
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
async def signup(
    request: Request, email: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Response:
    """The same page whether or not the address has an account already (no
    enumeration): it says to sign in, with the address filled in."""
    _same_origin(request)
    cases = _cases(request)
    await off_the_pool(request, partial(cases.signup, email, password, client_of(request)))
    return render(request, "cases/signin.html", notice=SIGNED_UP, email=email)


@router.post("/signin")
async def signin(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    code: Annotated[str | None, Form(max_length=10)] = None,
    end_others: Annotated[str | None, Form()] = None,
) -> Response:
    _same_origin(request)
    cases = _cases(request)
    token, _ = await off_the_pool(
        request,
        partial(
            cases.login,
            email,
            password,
            client_of(request),
            code or None,
            end_others == "yes",
            request.cookies.get(COOKIE),
        ),
    )
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
def case(request: Request, app_id: AppId) -> HTMLResponse:
    return _case_page(request, _me(request), app_id)


@router.get("/{app_id}/save")
@router.get("/{app_id}/decide")
def back_to_case(request: Request, app_id: AppId) -> RedirectResponse:
    """A form shown again after a post has these addresses; switching its language (a
    link, so a GET) leads back to the application."""
    lang = request.query_params.get("lang")
    return RedirectResponse(f"/cases/{app_id}" + (f"?lang={lang}" if lang in LANGS else ""), 303)


def _case_page(
    request: Request,
    me: Actor,
    app_id: str,
    form: cases_form.Form | None = None,
    decision: dict[str, str] | None = None,
    decision_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The application as the signed-in person may see it; ``form`` and ``decision`` are
    what was just posted, shown again with their messages."""
    found = _session(request)
    assert found is not None
    cases = _cases(request)
    lang = lang_of(request)
    view = cases.get(me, app_id)
    state = State(view["state"])
    staff = me.role in STAFF
    editable = state in (State.draft, State.correction_requested) and me.role == Role.applicant
    latest = view.get("prechecks", [])[-1:] or [None]
    review = cases.review(me, app_id, lang) if staff else None
    if form is None:
        form = cases_form.from_case(view["profile"], view["identity"], lang)
    return render(
        request,
        "cases/case.html",
        status,
        me=me,
        csrf=found[1],
        case=view,
        staff=staff,
        actions=actions_for(state, Role(me.role)),
        kinds=KINDS,
        grounds=GROUNDS,
        editable=editable,
        form=form,
        pickers=_pickers(lang) if editable else {},
        levels=[e.value for e in EducationLevel],
        work_kinds=[k.value for k in WorkKind],
        rankings=[r.value for r in Ranking],
        shown=_shown(view, lang),
        precheck=latest[0],
        review=review,
        judged=_judged(review["assessment"] if review else None),
        decision=decision or {},
        decision_errors=decision_errors or {},
        identity_fields=IDENTITY_FIELDS,
        findings={f["criterion"]: f for f in view.get("findings", [])},
    )


def _pickers(lang: Lang) -> dict[str, list[tuple[str, str]]]:
    """The suggestions each picker offers: the name in the page's language, and the other
    language's name beside it, so either can be typed."""
    other: Lang = "en" if lang == "zh" else "zh"
    out: dict[str, list[tuple[str, str]]] = {}
    for kind in PICKERS:
        out[kind] = []
        for t in terms(kind):
            name, alt = label(kind, t.code, lang), label(kind, t.code, other)
            detail = (t.detail_zh or t.detail) if lang == "zh" else t.detail
            out[kind].append((name, alt if alt != name else (detail or "")))
    return out


def _shown(view: dict[str, Any], lang: Lang) -> dict[str, str]:
    """The identity as read-only text: names, not codes."""
    identity = view["identity"]
    shown = {k: str(identity.get(k) or "") for k in IDENTITY_FIELDS}
    if identity.get("nationality"):
        shown["nationality"] = label("countries", identity["nationality"], lang)
    return shown


@router.post("/{app_id}/save")
async def save(request: Request, app_id: AppId) -> Response:
    """Save the form; "add another" and "remove" show it again with a row more or less,
    saving nothing, so they work without JavaScript."""
    posted = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    me = _me(request, posted.get("csrf_token"))
    cases = _cases(request)
    form = cases_form.from_post(posted)
    if "add" in posted or "remove" in posted:
        return _case_page(request, me, app_id, form=form)
    parsed = cases_form.parse(form, cases.clock().date())
    if form.errors:
        return _case_page(request, me, app_id, form=form, status=422)
    kept = {
        k: v for k, v in cases.get(me, app_id)["profile"].items() if k not in cases_form.MANAGED
    }
    version = posted.get("version", "")
    try:
        cases.update(
            me,
            app_id,
            int(version) if version.isdigit() else 0,
            kept | parsed.profile,
            parsed.identity,
        )
    except Invalid as exc:
        form.errors["form"] = (str(exc), {})
        return _case_page(request, me, app_id, form=form, status=422)
    return _back(app_id)


@router.post("/{app_id}/documents")
async def upload(
    request: Request,
    app_id: AppId,
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
    app_id: AppId,
    action: ActionName,
    version: Version,
    csrf: Csrf = None,
    kind: Annotated[str | None, Form()] = None,
    note: Annotated[str | None, Form()] = None,
) -> Response:
    me = _me(request, csrf)
    details = {k: v for k, v in (("kind", kind), ("note", note)) if v}
    try:
        _cases(request).act(me, app_id, version, action, **details)
    except Invalid as exc:
        if not exc.fields:
            raise
        form = cases_form.from_case(
            _cases(request).get(me, app_id)["profile"],
            _cases(request).get(me, app_id)["identity"],
            lang_of(request),
        )
        form.errors = {k: (v, {}) for k, v in exc.fields.items()}
        return _case_page(request, me, app_id, form=form, status=422)
    return _back(app_id)


@router.post("/{app_id}/finding")
def finding(
    request: Request,
    app_id: AppId,
    criterion: Annotated[str, Form()],
    met: Annotated[str, Form()],
    note: Annotated[str, Form()],
    csrf: Csrf = None,
) -> Response:
    me = _me(request, csrf)
    _cases(request).record_finding(me, app_id, criterion, met == "yes", note)
    return _back(app_id)


@router.post("/{app_id}/decide")
async def decide(request: Request, app_id: AppId) -> Response:
    """Record the decision. An approval resting on interpretations of the rules needs the
    officer's finding on each (``reading-<parameter>-holds`` and ``-note``); without them
    the form comes back with a message beside each one still needed."""
    data = await request.form()
    posted = {k: v for k, v in data.items() if isinstance(v, str)}
    me = _me(request, posted.get("csrf_token"))
    cases = _cases(request)
    readings = {}
    for name in cases.review(me, app_id)["relied_on"]:
        holds = posted.get(f"reading-{name}-holds", "")
        note = posted.get(f"reading-{name}-note", "")
        if holds or note.strip():
            readings[name] = Reading(holds == "yes", note)
    version = posted.get("version", "")
    reasons = [r for r in data.getlist("reasons") if isinstance(r, str)]
    try:
        cases.decide(
            me,
            app_id,
            int(version) if version.isdigit() else 0,
            posted.get("outcome", ""),
            reasons,
            posted.get("note", ""),
            readings,
        )
    except Invalid as exc:
        if not exc.fields:
            raise
        errors = {k.replace("readings.", "reading-"): v for k, v in exc.fields.items()}
        return _case_page(request, me, app_id, decision=posted, decision_errors=errors, status=422)
    return _back(app_id)


@router.post("/{app_id}/sign")
def sign(
    request: Request,
    app_id: AppId,
    version: Version,
    sign: Annotated[str, Form()],
    csrf: Csrf = None,
) -> Response:
    me = _me(request, csrf)
    _cases(request).sign_refusal(me, app_id, version, sign == "yes")
    return _back(app_id)


@router.get("/{app_id}/letter")
def letter(request: Request, app_id: AppId, lang: str = "en") -> Response:
    pdf = _cases(request).letter(_me(request), app_id, lang)
    return letter_response(pdf, lang, "inline")  # opens in the browser's PDF viewer


def _judged(assessment: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Criteria the rules leave to the officer: still open, or settled by a finding."""
    if assessment is None:
        return []
    return [
        c
        for c in assessment["criteria"]
        if c["kind"] == "criterion" and (c["result"] == "judgement" or "officer_finding" in c)
    ]
