"""One error shape for the whole API: RFC 9457 problem details, with the field paths at fault."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from talentvisa.messages import Said, in_lang, said
from talentvisa.web.i18n import negotiate
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


def lang_of(request: Request) -> str:
    """The reader's language: ``?lang=``, then the cookie, then Accept-Language."""
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )


_UNKNOWN_FIELD = Said(
    "unknown field (GET /api/v1/schema/profile lists the fields a profile can have)",
    "未知字段（GET /api/v1/schema/profile 列出个人资料可填写的字段）",
)
_TITLES = {
    "request": Said("The request has problems", "请求有误"),
    "input": Said("The input has problems", "输入有误"),
}


def _message(error: Any, lang: str) -> str:
    if error["type"] == "extra_forbidden":
        return _UNKNOWN_FIELD.get(lang)
    return said(error).get(lang)


def _count(n: int, lang: str) -> str:
    if lang == "zh":
        return f"{n}处问题"
    return f"{n} problem{'s' if n != 1 else ''}"


async def validation_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = lang_of(request)
    errors = [FieldError(path=_path(e["loc"]), message=_message(e, lang)) for e in exc.errors()]
    sep = "；" if lang == "zh" else "; "
    detail = f"{_count(len(errors), lang)}: " + sep.join(
        f"{e.path}: {e.message}" for e in errors[:5]
    )
    return problem_response(
        422,
        _TITLES["request"].get(lang),
        request,
        detail,
        errors,
        "https://talentvisa.org/problems/invalid-request",
    )


# Starlette's own details for the statuses it raises by itself.
_HTTP_ZH = {
    "Not Found": "未找到该页面或资源",
    "Method Not Allowed": "不支持此请求方法",
    "Unsupported Media Type": "不支持此内容类型",
    "Request Entity Too Large": "请求内容过大",
    "Content Too Large": "请求内容过大",
    "Forbidden": "无权访问",
    "Unauthorized": "请先登录",
    "Bad Request": "请求有误",
    "Conflict": "与当前状态冲突",
    "Too Many Requests": "请求过于频繁，请稍后再试",
}


def http_title(detail: Any, lang: str) -> str:
    """An HTTP error's detail in the reader's language."""
    if isinstance(detail, Said):
        return detail.get(lang)
    text = str(detail)
    return _HTTP_ZH.get(text, text) if lang == "zh" else text


async def http_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    title = http_title(exc.detail, lang_of(request))
    return problem_response(exc.status_code, title, request, headers=exc.headers)


async def input_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    lang = lang_of(request)
    errors = [
        FieldError(path=path or "(file)", message=in_lang(msg, lang))
        for _, path, msg in exc.problems
    ]
    return problem_response(
        422,
        _TITLES["input"].get(lang),
        request,
        exc.render(lang),
        errors,
        "https://talentvisa.org/problems/invalid-input",
    )
