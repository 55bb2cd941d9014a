"""The web application: API and pages on one FastAPI app, embedded defaults, no set-up."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from talentvisa.assistants.server import mount as mount_mcp
from talentvisa.casework.service import CaseError, CaseService, from_environment
from talentvisa.messages import N_
from talentvisa.web.api import router as api_router
from talentvisa.web.cases_api import UPLOAD_LIMIT, case_problem
from talentvisa.web.cases_api import router as cases_router
from talentvisa.web.cases_pages import router as cases_pages_router
from talentvisa.web.guard import BodyGuard
from talentvisa.web.headers import SecurityHeaders
from talentvisa.web.i18n import translations
from talentvisa.web.pages import MAX_UPLOAD, OPEN_PATH, http_error
from talentvisa.web.pages import router as pages_router
from talentvisa.web.problems import PROBLEM_JSON, input_problem, lang_of, validation_problem
from talentvisa.web.vocab_api import router as vocab_router
from talentvisa.yamlpos import InputError

STATIC = Path(str(resources.files("talentvisa.web") / "static"))
UPLOAD_PATH = re.compile(r"^(/api/v1/cases/applications|/cases)/[^/]+/documents$")


def create_app(cases: CaseService | None = None) -> FastAPI:
    """``cases`` is the K-visa case store; by default the one DATABASE_URL names
    (SQLite beside the working directory when unset)."""
    app = FastAPI(
        title="talentvisa",
        summary="Which skilled-talent visa is open to you, why, and what it costs.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served below from our own copy of Swagger UI: works offline
        redoc_url=None,
    )
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(InputError, input_problem)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(CaseError, case_problem)
    app.add_middleware(BodyGuard, larger={UPLOAD_PATH: UPLOAD_LIMIT, OPEN_PATH: MAX_UPLOAD})
    app.add_middleware(SecurityHeaders)  # outermost: the guard's refusals get them too
    app.state.cases = cases or from_environment()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/api/v1/docs", _docs, include_in_schema=False)
    mount_mcp(app)  # /mcp: the same tools for AI assistants, over streamable HTTP
    app.include_router(api_router)
    app.include_router(vocab_router)
    app.include_router(cases_router)
    app.include_router(cases_pages_router)
    app.include_router(pages_router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


# Said on the portal's error page when an address holds an id that cannot exist.
NOT_AN_ID: Final = N_("This address cannot name an application; open it from your list.")


async def _invalid_request(request: Request, exc: Exception) -> Response:
    """A problem document, except for a portal address whose id cannot exist (say, with a
    NUL in it): a person followed or typed it, so they get the portal's page, also 422."""
    assert isinstance(exc, RequestValidationError)
    in_path = all(e["loc"][:1] == ("path",) for e in exc.errors())
    if request.url.path.startswith("/cases/") and in_path:
        from talentvisa.web.pages import render

        message = translations(lang_of(request)).gettext(NOT_AN_ID)
        return render(request, "cases/error.html", 422, message=message, signin=False)
    return await validation_problem(request, exc)


DOCS: Final = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>talentvisa API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/swagger/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger/start.js"></script>
</body>
</html>
"""


def _docs() -> HTMLResponse:
    """Our own copy of Swagger UI (works offline), started from a file: no inline script."""
    return HTMLResponse(DOCS)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's spec, with every error documented as what it is: a problem document."""
    if app.openapi_schema is None:
        spec = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for operations in spec["paths"].values():
            for op in operations.values():
                for status, response in op.get("responses", {}).items():
                    if status.startswith(("4", "5")):
                        response["content"] = {PROBLEM_JSON: problem}
                op["responses"].setdefault(
                    "422", {"description": "A field is wrong", "content": {PROBLEM_JSON: problem}}
                )
        schemas = spec.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = spec
    return app.openapi_schema
