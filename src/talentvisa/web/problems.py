"""One error shape for the whole API: RFC 9457 problem details, with the field paths at fault."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from talentvisa.yamlpos import InputError, dotted

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    path: str = Field(description="Where the problem is, e.g. 'profile.education[0].level'.")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", description="A URI identifying the problem type.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = Field(default=[], description="One entry per wrong field.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "type": "https://talentvisa.org/problems/invalid-request",
                    "title": "The request has problems",
                    "status": 422,
                    "detail": "1 problem: profile.birth_date: Input should be a valid date",
                    "instance": "/api/v1/assess",
                    "errors": [
                        {"path": "profile.birth_date", "message": "Input should be a valid date"}
                    ],
                }
            ]
        }
    }


def problem_response(
    status: int,
    title: str,
    request: Request,
    detail: str | None = None,
    errors: Sequence[FieldError] = (),
    kind: str = "about:blank",
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=kind,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=list(errors),
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _path(loc: Sequence[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path"):
        parts = parts[1:]
    return dotted(tuple(parts)) or "(request)"


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field (GET /api/v1/schema/profile lists the fields a profile can have)"
    return str(error["msg"]).removeprefix("Value error, ")


async def validation_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [FieldError(path=_path(e["loc"]), message=_message(e)) for e in exc.errors()]
    detail = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}: " + "; ".join(
        f"{e.path}: {e.message}" for e in errors[:5]
    )
    return problem_response(
        422,
        "The request has problems",
        request,
        detail,
        errors,
        "https://talentvisa.org/problems/invalid-request",
    )


async def http_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem_response(exc.status_code, str(exc.detail), request, headers=exc.headers)


async def input_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    errors = [FieldError(path=path or "(file)", message=msg) for _, path, msg in exc.problems]
    return problem_response(
        422,
        "The input has problems",
        request,
        exc.render(),
        errors,
        "https://talentvisa.org/problems/invalid-input",
    )
