"""Server-rendered pages: interview, results, comparison, programme rules. A thin surface.

The person's answers travel in the page links (see ``state``), never in a server store,
so a result can be bookmarked, shared or downloaded and re-opened later.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from starlette.exceptions import HTTPException

from talentvisa import fx
from talentvisa.casework.labels import document_label, role_label, state_label, status_label
from talentvisa.changes import by_reach, suggestions_for
from talentvisa.compare import DEFAULT_PREFERENCES, PREFERENCES, compare
from talentvisa.diff import diff
from talentvisa.explain import Lang, value_label
from talentvisa.inputs import MAX_PROFILE_BYTES, check_on, parse_profile, profile_from
from talentvisa.interview import AnswerError, answer, next_question
from talentvisa.messages import Said
from talentvisa.profile import Profile
from talentvisa.report import (
    changes_document,
    check_document,
    comparison_document,
    diff_document,
)
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from talentvisa.rules.render import program_markdown
from talentvisa.web import state
from talentvisa.web.i18n import LANGS, negotiate, translations
from talentvisa.web.problems import http_title, problem_response
from talentvisa.yamlpos import InputError, loads

TEMPLATES = Path(str(resources.files("talentvisa.web") / "templates"))
MAX_UPLOAD = MAX_PROFILE_BYTES

router = APIRouter(include_in_schema=False)
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@cache
def _env(lang: Lang) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["money"] = _money
    # Codes in words, in the page's language: {{ case.state | state_label }}.
    env.filters["state_label"] = lambda v: state_label(v, lang)
    env.filters["role_label"] = lambda v: role_label(v, lang)
    env.filters["status_label"] = lambda v: status_label(v, lang)
    env.filters["document_label"] = lambda v: document_label(v, lang)
    env.filters["word"] = lambda v, kind: "" if v is None else value_label(kind, str(v), lang)
    env.filters["pct"] = lambda v: "?" if v is None else f"{v:.0%}"
    return env


def _money(value: Any) -> str:
    if value is None:
        return "?"
    return f"{Decimal(str(value)):,.0f}"


def lang_of(request: Request) -> Lang:
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    html = (
        _env(lang)
        .get_template(template)
        .render(
            request=request,
            lang=lang,
            langs=LANGS,
            path=request.url.path,
            query=dict(request.query_params),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:  # Starlette names only the first route's methods
        exc.headers = {**(exc.headers or {}), "Allow": _allowed(request)}
    title = http_title(exc.detail, lang_of(request))
    if request.url.path.startswith("/api/"):
        return problem_response(exc.status_code, title, request, headers=exc.headers)
    response = render(request, "error.html", exc.status_code, message=title)
    response.headers.update(exc.headers or {})
    return response


def _allowed(request: Request) -> str:
    """Every method any route at this path accepts."""
    methods: set[str] = set()
    for route in request.app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def _as_of(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(
            400,
            Said(
                f"{value!r} is not a date (YYYY-MM-DD)",
                f"“{value}”不是日期（格式为YYYY-MM-DD）",
            ),
        ) from None


def _data(token: str | None) -> dict[str, Any]:
    try:
        data = state.decode(token)
        state.profile_of(data)
    except state.BadToken as exc:
        raise HTTPException(400, str(exc)) from None
    return data


def _profile_on(data: dict[str, Any], when: dt.date) -> Profile:
    """The saved profile, if its facts agree on the assessment date (else a 422 page)."""
    try:
        return check_on(state.profile_of(data), when, "profile")
    except InputError as exc:
        raise HTTPException(422, Said(exc.render(), exc.render("zh"))) from None


def _programs() -> list[Program]:
    return list(builtin_programs().values())


# ---------------------------------------------------------------- home and interview


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html", programs=_programs())


@router.get("/interview", response_class=HTMLResponse)
def interview(
    request: Request,
    p: str | None = None,
    skip: str = "",
    as_of: str | None = None,
    prev: str | None = None,
    n: int = 0,
) -> Response:
    data = _data(p)
    lang = lang_of(request)
    when = _as_of(as_of)
    skipped = [s for s in skip.split(",") if s]
    progress = next_question(_profile_on(data, when), _programs(), when, lang, skipped)
    if progress.question is None:
        return RedirectResponse(f"/results?p={state.encode(data)}", status_code=303)
    return render(
        request,
        "interview.html",
        question=progress.question,
        token=state.encode(data),
        skip=",".join(skipped),
        prev=prev,
        answered=max(n, 0),
        remaining=progress.remaining,
        errors=[],
        values={},
    )


@router.post("/interview", response_class=HTMLResponse)
async def interview_answer(
    request: Request,
    p: Annotated[str, Form()] = "",
    skip: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "answer",
    n: Annotated[int, Form()] = 0,
) -> Response:
    data = _data(p)
    lang = lang_of(request)
    skipped = [s for s in skip.split(",") if s]
    progress = next_question(state.profile_of(data), _programs(), dt.date.today(), lang, skipped)
    current = progress.question
    if current is None or current.path != question:
        return RedirectResponse(f"/interview?p={state.encode(data)}", status_code=303)
    if action == "skip":
        skipped.append(question)
        return RedirectResponse(
            f"/interview?p={state.encode(data)}&skip={','.join(skipped)}&prev={p}&n={n}",
            status_code=303,
        )
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        updated = answer(data, current, values, none=action == "none")
    except AnswerError as exc:
        return render(
            request,
            "interview.html",
            422,
            question=current,
            token=p,
            skip=skip,
            prev=None,
            answered=n,
            remaining=progress.remaining,
            errors=exc.problems,
            values=values,
        )
    return RedirectResponse(
        f"/interview?p={state.encode(updated)}&skip={','.join(skipped)}&prev={p}&n={n + 1}",
        status_code=303,
    )


# ---------------------------------------------------------------- results


def _assessed(
    request: Request, p: str | None, as_of: str | None
) -> tuple[dict[str, Any], dt.date, dict[str, Any]]:
    data = _data(p)
    when = _as_of(as_of)
    profile = _profile_on(data, when)
    programs = _programs()
    document = check_document(
        [evaluate(profile, x, when) for x in programs], when, lang_of(request), profile
    )
    return data, when, document


@router.get("/results", response_class=HTMLResponse)
def results(request: Request, p: str | None = None, as_of: str | None = None) -> HTMLResponse:
    data, when, document = _assessed(request, p, as_of)
    return render(
        request, "results.html", document=document, token=state.encode(data), as_of=when.isoformat()
    )


@router.get("/results/changes", response_class=HTMLResponse)
def results_changes(
    request: Request, p: str | None = None, as_of: str | None = None
) -> HTMLResponse:
    data = _data(p)
    when = _as_of(as_of)
    profile = _profile_on(data, when)
    found = by_reach([suggestions_for(profile, x, when) for x in _programs()])
    document = changes_document(found, when, lang_of(request))
    template = "_changes.html" if request.headers.get("hx-request") else "changes.html"
    return render(request, template, changes=document, token=state.encode(data))


@router.get("/results.json")
def results_json(request: Request, p: str | None = None, as_of: str | None = None) -> JSONResponse:
    data, when, document = _assessed(request, p, as_of)
    return JSONResponse(
        {"profile": data, **document},
        headers={"content-disposition": f'attachment; filename="talentvisa-{when}.json"'},
    )


@router.post("/open", response_class=HTMLResponse)
async def open_saved(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    """Re-open a downloaded result, or a profile written in YAML or JSON."""
    raw = await file.read(MAX_UPLOAD + 1)
    problem, detail = None, None
    if len(raw) > MAX_UPLOAD:
        problem = "file-too-large"
    else:
        try:
            text = raw.decode("utf-8")
            doc = loads(text, file.filename or "upload")
            saved = doc.data.get("profile") if isinstance(doc.data, dict) else None
            profile = (
                parse_profile(json.dumps(saved, default=str), "profile")
                if isinstance(saved, dict)
                else profile_from(doc)
            )
        except UnicodeDecodeError:
            problem = "not-text"
        except InputError as exc:
            problem, detail = "not-a-profile", exc.render(lang_of(request))
        else:
            data = profile.model_dump(mode="json", exclude_none=True)
            return RedirectResponse(f"/results?p={state.encode(data)}", status_code=303)
    return render(
        request, "home.html", 422, programs=_programs(), open_problem=problem, open_detail=detail
    )


# ---------------------------------------------------------------- comparison


def _compare_context(
    request: Request, p: str | None, currency: str, prefer: list[str], as_of: str | None
) -> dict[str, Any]:
    data = _data(p)
    when = _as_of(as_of)
    if currency not in fx.currencies(when):
        raise HTTPException(400, f"no exchange rate for {currency}")
    chosen = tuple(dict.fromkeys(x for x in prefer if x in PREFERENCES)) or DEFAULT_PREFERENCES
    result = compare(_profile_on(data, when), _programs(), when, currency, chosen)
    document = comparison_document(result, lang_of(request))
    top = max(
        (
            sum((o["costs"][k] or {}).get("possible") or 0 for k in ("applicant", "employer"))
            for o in document["options"]
        ),
        default=0,
    )
    return {
        "document": document,
        "token": state.encode(data),
        "currencies": fx.currencies(when),
        "preferences": PREFERENCES,
        "chosen": chosen,
        "top": top,
        "as_of": when.isoformat(),
    }


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    p: str | None = None,
    currency: str = "USD",
    prefer: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads it, never mutates
    as_of: str | None = None,
) -> HTMLResponse:
    context = _compare_context(request, p, currency, prefer, as_of)
    template = "_compare_table.html" if request.headers.get("hx-request") else "compare.html"
    return render(request, template, **context)


# ---------------------------------------------------------------- programmes


@router.get("/programs", response_class=HTMLResponse)
def programs_page(request: Request) -> HTMLResponse:
    return render(request, "programs.html", programs=_programs(), today=dt.date.today())


@router.get("/programs/{program_id}", response_class=HTMLResponse)
def program_page(
    request: Request,
    program_id: str,
    as_of: str | None = None,
    date1: Annotated[str | None, Query(alias="from")] = None,
    date2: Annotated[str | None, Query(alias="to")] = None,
) -> HTMLResponse:
    program = builtin_programs().get(program_id)
    if program is None:
        raise HTTPException(
            404, Said(f"no programme {program_id!r}", f"没有代码为“{program_id}”的项目")
        )
    lang = lang_of(request)
    when = _as_of(as_of)
    rules = _markdown.render(program_markdown(program, when, lang))
    changes = None
    if date1 and date2:
        changes = diff_document(diff(program, _as_of(date1), _as_of(date2)), lang)
    template = "_diff.html" if request.headers.get("hx-request") and changes else "program.html"
    return render(
        request,
        template,
        program=program,
        name=program.name.get(lang),
        summary=program.summary.get(lang),
        rules=rules,
        changes=changes,
        as_of=when.isoformat(),
        date1=date1 or "",
        date2=date2 or "",
    )
