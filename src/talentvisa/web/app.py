"""The web application: API and pages on one FastAPI app, embedded defaults, no set-up."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from talentvisa.web.api import router as api_router
from talentvisa.web.guard import BodyGuard
from talentvisa.web.pages import http_error
from talentvisa.web.pages import router as pages_router
from talentvisa.web.problems import input_problem, validation_problem
from talentvisa.yamlpos import InputError

STATIC = Path(str(resources.files("talentvisa.web") / "static"))


def create_app() -> FastAPI:
    app = FastAPI(
        title="talentvisa",
        summary="Which skilled-talent visa is open to you, why, and what it costs.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.add_exception_handler(RequestValidationError, validation_problem)
    app.add_exception_handler(InputError, input_problem)
    app.add_exception_handler(HTTPException, http_error)
    app.add_middleware(BodyGuard)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(pages_router)
    return app
