"""GET /api/v1/vocab/{kind}: the pickers' search, as JSON, for the pages' progressive
enhancement and for clients that let people type words instead of codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from talentvisa.vocab_search import KINDS, search
from talentvisa.web.problems import Problem
from talentvisa.web.schemas import Lang

MAX_LIMIT = 50

router = APIRouter(
    prefix="/api/v1",
    tags=["vocabularies"],
    responses={
        404: {"model": Problem, "description": "No such vocabulary."},
        422: {"model": Problem, "description": "`lang` or `limit` is out of range."},
    },
)


class VocabItem(BaseModel):
    code: str = Field(description="The code the profile stores, e.g. ISCO-08 '2512'.")
    label: str = Field(description="The entry's name in the language asked for.")
    detail: str | None = Field(
        description="What tells similar entries apart: a field's level and broad field, an "
        "institution's country."
    )


class VocabResult(BaseModel):
    kind: str = Field(description="The vocabulary searched.")
    q: str = Field(description="What was typed.")
    lang: Lang = Field(description="Language of the labels.")
    items: list[VocabItem] = Field(description="Matches, best first.")


KindPath = Annotated[
    str,
    Path(
        description="occupations (ISCO-08), fields (ISCED-F 2013), institutions (the "
        "institution register), countries (ISO 3166-1) or currencies (ISO 4217).",
        examples=["occupations"],
    ),
]


@router.get("/vocab/{kind}", summary="Find a code by the words people use")
def vocab(
    kind: KindPath,
    q: Annotated[
        str, Query(max_length=200, description="Words typed, in English or Chinese.")
    ] = "",
    lang: Annotated[Lang, Query(description="Language of the labels.")] = "en",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many items.")] = 10,
) -> VocabResult:
    """Entries whose code, name or another name matches `q`: an exact name first, then names
    starting with it, then names containing it."""
    if kind not in KINDS:
        raise HTTPException(404, f"No vocabulary {kind!r}; known: {', '.join(KINDS)}")
    hits = search(kind, q, lang, limit)
    items = [VocabItem(code=h.code, label=h.label, detail=h.detail) for h in hits]
    return VocabResult(kind=kind, q=q, lang=lang, items=items)
