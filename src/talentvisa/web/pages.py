"""Server-rendered pages: interview, results, comparison, programme rules. A thin surface.

The person's answers travel in the page links (see ``state``), never in a server store,
so a result can be bookmarked, shared or downloaded and re-opened later.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from starlette.exceptions import HTTPException

from talentvisa import fx, summary, vocab_search
from talentvisa.casework.labels import document_label, role_label, state_label, status_label
from talentvisa.changes import by_reach, suggestions_for
from talentvisa.compare import DEFAULT_PREFERENCES, PREFERENCES, compare
from talentvisa.diff import diff
from talentvisa.explain import Lang, value_label
from talentvisa.fonts import FILES as FONT_FILES
from talentvisa.fonts import FONT_DIR, STACK, font_face_css
from talentvisa.inputs import MAX_PROFILE_BYTES, check_on, parse_profile, profile_from
from talentvisa.interview import AnswerError, answer, next_question, unanswered, vocab_options
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
# A saved result carries every programme's answer beside the profile, so it outgrows a
# profile as programmes are added; the profile inside is still held to MAX_PROFILE_BYTES.
MAX_UPLOAD = 4 * MAX_PROFILE_BYTES
OPEN_PATH = re.compile(r"^/open$")

router = APIRouter(include_in_schema=False)
_HAN = re.compile(r"[\u3400-\u9fff]")
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
    env.filters["currency_name"] = lambda code: (
        f"{vocab_search.label('currencies', code, lang)} ({code})"
    )
    env.filters["pct"] = lambda v: "?" if v is None else f"{v:.0%}"
    env.globals["vocab_options"] = vocab_options
    # A name we have only in a Latin script is marked as such on a Chinese page, so screen
    # readers say it in the right voice.
    env.globals["lang_of_name"] = lambda text: (
        "en" if lang == "zh" and not _HAN.search(text) else ""
    )
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


def _interview_url(data: dict[str, Any], skipped: list[str], n: int, **extra: str) -> str:
    query = {"p": state.encode(data), "skip": ",".join(skipped), "n": str(n), **extra}
    return "/interview?" + urlencode({k: v for k, v in query.items() if v})


def _interview_page(
    request: Request,
    data: dict[str, Any],
    when: dt.date,
    skipped: list[str],
    n: int,
    entries: int = 1,
    prev: str | None = None,
    as_of: str | None = None,
    errors: list[tuple[str, str]] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The next question's screen, or the results once nothing can change an answer."""
    profile = _profile_on(data, when)
    progress = next_question(profile, _programs(), when, lang_of(request), skipped, data, entries)
    if progress.question is None:
        extra = f"&as_of={as_of}" if as_of else ""
        return RedirectResponse(f"/results?p={state.encode(data)}{extra}", status_code=303)
    return render(
        request,
        "interview.html",
        status,
        question=progress.question,
        token=state.encode(data),
        skip=",".join(skipped),
        prev=prev,
        answered=max(n, 0),
        remaining=progress.remaining,
        errors=errors or [],
        values=values or {},
        as_of=as_of or "",
    )


@router.get("/interview", response_class=HTMLResponse)
def interview(
    request: Request,
    p: str | None = None,
    skip: str = "",
    as_of: str | None = None,
    prev: str | None = None,
    n: int = 0,
    entries: int = 1,
) -> Response:
    data = _data(p)
    skipped = [s for s in skip.split(",") if s]
    return _interview_page(
        request, data, _as_of(as_of), skipped, n, entries, prev=prev, as_of=as_of
    )


@router.post("/interview", response_class=HTMLResponse)
async def interview_answer(
    request: Request,
    p: Annotated[str, Form()] = "",
    skip: Annotated[str, Form()] = "",
    question: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "answer",
    n: Annotated[int, Form()] = 0,
    entries: Annotated[int, Form()] = 1,
    as_of: Annotated[str, Form()] = "",
) -> Response:
    data = _data(p)
    lang = lang_of(request)
    when = _as_of(as_of or None)
    skipped = [s for s in skip.split(",") if s]
    extra = {"as_of": as_of} if as_of else {}
    progress = next_question(
        _profile_on(data, when), _programs(), when, lang, skipped, data, entries
    )
    current = progress.question
    if current is None or current.path != question:
        return RedirectResponse(_interview_url(data, skipped, n, **extra), status_code=303)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    if action == "add":  # one more degree, job or nationality: the same screen, values kept
        return _interview_page(
            request, data, when, skipped, n, entries + 1, as_of=as_of, values=values
        )
    if action == "skip":
        skipped += [m for m in (*current.members, question) if m not in skipped]
        return RedirectResponse(_interview_url(data, skipped, n, prev=p, **extra), status_code=303)
    try:
        updated = answer(data, current, values, none=action == "none", lang=lang)
    except AnswerError as exc:
        return _interview_page(
            request,
            data,
            when,
            skipped,
            n,
            entries,
            as_of=as_of,
            errors=exc.problems,
            values=values,
            status=422,
        )
    if action != "none":
        skipped += [m for m in unanswered(current, values) if m not in skipped]
    return RedirectResponse(
        _interview_url(updated, skipped, n + 1, prev=p, **extra), status_code=303
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


def _currency(value: str | None, when: dt.date) -> str | None:
    """The currency asked for, if any; a 400 page for one without a published rate."""
    if value and value not in fx.currencies(when):
        raise HTTPException(400, f"no exchange rate for {value}")
    return value or None


def _summary(
    request: Request, p: str | None, as_of: str | None, currency: str | None
) -> tuple[dict[str, Any], dt.date, dict[str, Any]]:
    data = _data(p)
    when = _as_of(as_of)
    profile = _profile_on(data, when)
    chosen = summary.currency_for(profile, when, _currency(currency, when))
    document = summary.summary_document(profile, _programs(), when, chosen, lang_of(request))
    return data, when, document


@router.get("/results", response_class=HTMLResponse)
def results(
    request: Request, p: str | None = None, as_of: str | None = None, currency: str | None = None
) -> HTMLResponse:
    data, when, document = _assessed(request, p, as_of)
    _, _, plain = _summary(request, p, as_of, currency)
    return render(
        request,
        "results.html",
        document=document,
        summary=plain,
        currencies=fx.currencies(when),
        token=state.encode(data),
        as_of=when.isoformat(),
    )


def _summary_html(
    request: Request, p: str | None, as_of: str | None, currency: str | None, *, pdf: bool
) -> tuple[str, dt.date]:
    data, when, plain = _summary(request, p, as_of, currency)
    lang = lang_of(request)
    html = (
        _env(lang)
        .get_template("summary.html")
        .render(
            lang=lang,
            langs=LANGS,
            summary=plain,
            token=state.encode(data),
            as_of=when.isoformat(),
            pdf=pdf,
            font_faces=font_face_css(None if pdf else "/fonts/"),
            csp_nonce=getattr(request.state, "csp_nonce", ""),  # its <style>, under the CSP
            font_stack=STACK,
        )
    )
    return html, when


@router.get("/results/summary", response_class=HTMLResponse)
def results_summary(
    request: Request, p: str | None = None, as_of: str | None = None, currency: str | None = None
) -> HTMLResponse:
    """The summary on one printable page, with every source it rests on."""
    html, _ = _summary_html(request, p, as_of, currency, pdf=False)
    response = HTMLResponse(html)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(
            "lang", lang_of(request), max_age=365 * 86400, samesite="lax", httponly=True
        )
    return response


@router.get("/results/summary.pdf")
def results_summary_pdf(
    request: Request, p: str | None = None, as_of: str | None = None, currency: str | None = None
) -> Response:
    """The same summary as a PDF, the Chinese set in the font shipped with the package."""
    html, when = _summary_html(request, p, as_of, currency, pdf=True)
    name = f"talentvisa-summary-{when}-{lang_of(request)}.pdf"
    return Response(
        summary.pdf_of(html),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/fonts/{name}")
def font_file(name: str) -> FileResponse:
    """The shipped Chinese font (and its licence), for pages on machines without one."""
    if name not in {*FONT_FILES.values(), "OFL.txt"}:
        raise HTTPException(404, f"no font {name!r}")
    media = "text/plain; charset=utf-8" if name == "OFL.txt" else "font/woff"
    return FileResponse(
        FONT_DIR / name, media_type=media, headers={"cache-control": "public, max-age=604800"}
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
    lang = lang_of(request)
    document = comparison_document(result, lang)
    # What the table needs beyond the JSON document: why a cost is a range, and the
    # processing times the sources publish.
    for ranked, option in zip(result.ranked, document["options"], strict=True):
        program = ranked.option.program
        option["maybe_fees"] = summary.maybe_fees(program, ranked.option, currency, lang)
        option["processing"] = summary.processing_dicts(program.id, lang)
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
