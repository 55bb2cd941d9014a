"""The shape of a programme file, validated and type-checked as it loads.

Conditions are parsed and checked inside validation (the parameter types travel in the
validation context), so a loaded ``Program`` only ever holds typed condition trees.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Final, Literal, Protocol, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from talentvisa.rules.expr import ExprSyntaxError, Node, parse, shared_calls, source_text
from talentvisa.rules.types import BOOL, NUMBER, ExprTypeError, Scope, Ty, check


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Spec):
    """User-facing text, always in English and Simplified Chinese."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Reliability(StrEnum):
    official = "official"  # a government or legal text, or a verbatim reproduction
    secondary = "secondary"  # a law firm, news outlet or agency summary
    unconfirmed = "unconfirmed"  # a low-quality or commercial page, or nothing official found


class Source(Spec):
    title: str
    href: str = Field(pattern=r"^https?://")
    publisher: str | None = None
    published: dt.date | None = None
    effective: dt.date | None = None
    retrieved: dt.date
    verified: dt.date = Field(
        description="The day this source was last checked against its text (not merely found)."
    )
    reliability: Reliability

    @model_validator(mode="after")
    def _verified_after_retrieved(self) -> Self:
        if self.verified < self.retrieved:
            raise ValueError("verified is before retrieved: a source is checked after it is found")
        return self


class Quote(Spec):
    """The passage a rule rests on, verbatim, with an English translation if it is not English.

    A policy reader holds the rule against this text, as a statute annotator would.
    """

    text: str = Field(min_length=1, description="The passage, verbatim, in its own language.")
    lang: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 language of the passage.")
    en: str | None = Field(
        default=None, description="English translation (ours unless the source gives one)."
    )

    @model_validator(mode="after")
    def _translated(self) -> Self:
        if self.lang != "en" and not self.en:
            raise ValueError(f"a quote in '{self.lang}' needs an English translation (en)")
        if self.lang == "en" and self.en:
            raise ValueError("an English quote needs no translation; drop en")
        return self


class Citation(Spec):
    source: str
    at: str | None = Field(default=None, description="Pinpoint: article, section, page.")
    quote: Quote | None = Field(default=None, description="The passage cited, verbatim.")

    @model_validator(mode="before")
    @classmethod
    def _from_key(cls, data: Any) -> Any:
        return {"source": data} if isinstance(data, str) else data


class Confidence(StrEnum):
    unconfirmed = "unconfirmed"  # the facts sheet found no official figure
    disagree = "disagree"  # sources conflict; both are cited
    interpretation = "interpretation"  # the law is vague; someone chose a reading


class Interpretation(Spec):
    confidence: Confidence
    chosen_by: str
    note: Text
    sources: tuple[Citation, ...] = ()


ParamValue = bool | int | Decimal | str | dt.date | tuple[str, ...]


class Parameter(Spec):
    """A value that changes over time: effective dates mapped to values."""

    description: Text
    unit: str | None = None
    values: dict[dt.date, ParamValue] = Field(min_length=1)
    sources: tuple[Citation, ...] = Field(
        default=(), description="Where the value comes from; empty only for a value we chose."
    )
    interpretation: Interpretation | None = None
    no_text: Text | None = Field(
        default=None,
        description="No published text to quote: why this rests on an interpretation. "
        "Shown to users as such.",
    )

    @model_validator(mode="after")
    def _cited_or_chosen(self) -> Self:
        if not self.sources and (
            self.interpretation is None
            or self.interpretation.confidence != Confidence.interpretation
        ):
            raise ValueError(
                "a parameter needs sources, unless it is an interpretation someone chose"
            )
        return self

    @field_validator("values", mode="before")
    @classmethod
    def _lists_to_tuples(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {k: tuple(x) if isinstance(x, list) else x for k, x in v.items()}
        return v

    @model_validator(mode="after")
    def _one_type(self) -> Self:
        kinds = {_value_kind(v) for v in self.values.values()}
        if len(kinds) > 1:
            raise ValueError(f"values mix types: {', '.join(sorted(kinds))}")
        return self

    @property
    def ty(self) -> Ty:
        first = next(iter(self.values.values()))
        kind = _value_kind(first)
        if kind == "list":
            return Ty("list", elem=Ty("string"))
        return Ty(kind)  # type: ignore[arg-type]

    def at(self, when: dt.date) -> ParamValue | None:
        dates = sorted(self.values)
        i = bisect_right(dates, when)
        return self.values[dates[i - 1]] if i else None


def _value_kind(v: ParamValue) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | Decimal):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dt.date):
        return "date"
    return "list"


class Condition:
    """A parsed, type-checked condition; built from its text during validation."""

    __slots__ = ("node", "text")

    def __init__(self, text: str, node: Node) -> None:
        self.text = text
        self.node = node

    def __repr__(self) -> str:
        return f"Condition({self.text!r})"


def compile_condition(value: Any, info: ValidationInfo, expect: Ty) -> Condition:
    if isinstance(value, int | Decimal) and not isinstance(value, bool) and expect == NUMBER:
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("condition", "a condition must be text")
    scope = (info.context or {}).get("scope")
    if not isinstance(scope, Scope):  # pragma: no cover - the loader always passes one
        raise PydanticCustomError("condition", "conditions can only be checked by the loader")
    try:
        node = check(parse(value), scope, expect=expect)
    except (ExprSyntaxError, ExprTypeError) as exc:
        raise PydanticCustomError(
            "condition",
            "{message}",
            {"message": exc.message, "line": exc.line, "column": exc.column},
        ) from exc
    pool = (info.context or {}).get("shared")
    return Condition(value, node if pool is None else shared_calls(node, pool))


class _Conditional(Spec):
    """Anything decided by a condition: a criterion, or a row of a points table."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    when: Condition

    @field_validator("when", mode="before")
    @classmethod
    def _compile(cls, v: Any, info: ValidationInfo) -> Condition:
        return compile_condition(v, info, BOOL)


class Leaf(_Conditional):
    """One criterion: a condition with its citation."""

    sources: tuple[Citation, ...] = Field(min_length=1)
    judgement: Text | None = Field(
        default=None, description="What an officer must judge when the result is 'judgement'."
    )
    note: Text | None = None
    no_text: Text | None = Field(
        default=None,
        description="No published text to quote: why this rests on an interpretation. "
        "Shown to users as such.",
    )


class PointsRow(_Conditional):
    points: int = Field(ge=0)
    sources: tuple[Citation, ...] = ()


class PointsTable(Spec):
    """Rows scored together: ``max`` for mutually exclusive tiers, ``sum`` for items that add."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    pick: Literal["max", "sum"]
    rows: tuple[PointsRow, ...] = Field(min_length=1)


class Points(Spec):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    threshold: Condition
    sources: tuple[Citation, ...] = Field(min_length=1)
    tables: tuple[PointsTable, ...] = Field(min_length=1)
    pick: Literal["sum", "max"] = Field(
        default="sum", description="'max' when only one table may count (one skill category)."
    )
    judgement: Text | None = Field(
        default=None,
        description="What an officer must judge when a row's points turn on 'judgement'.",
    )
    no_text: Text | None = Field(
        default=None,
        description="No published text to quote: why this rests on an interpretation. "
        "Shown to users as such.",
    )

    @field_validator("threshold", mode="before")
    @classmethod
    def _compile(cls, v: Any, info: ValidationInfo) -> Condition:
        return compile_condition(v, info, NUMBER)


class AllOf(Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text | None = None
    all: tuple[Criterion, ...] = Field(min_length=1)


class AnyOf(Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text | None = None
    any: tuple[Criterion, ...] = Field(min_length=1)


class NoneOf(Spec):
    """Negation of a criterion, e.g. 'not excluded by ...'."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text | None = None
    not_: Criterion = Field(alias="not")


class PointsNode(Spec):
    points: Points


def _criterion_kind(v: Any) -> str | None:
    if isinstance(v, dict):
        for key in ("all", "any", "not", "points", "when"):
            if key in v:
                return key
        return "when"
    if isinstance(v, BaseModel):
        return {AllOf: "all", AnyOf: "any", NoneOf: "not", PointsNode: "points"}.get(
            type(v), "when"
        )
    return None


Criterion = Annotated[
    Annotated[Leaf, Tag("when")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NoneOf, Tag("not")]
    | Annotated[PointsNode, Tag("points")],
    Discriminator(_criterion_kind),
]


class TermKind(StrEnum):
    sponsor = "sponsor"
    activities = "activities"
    work_rights = "work_rights"
    family = "family"
    validity = "validity"
    stay = "stay"
    fees = "fees"
    processing = "processing"
    residence_path = "residence_path"
    citizenship = "citizenship"
    language = "language"
    where_to_apply = "where_to_apply"
    cap = "cap"


# The machine value each kind of term carries, so programmes can be compared on it.
TERM_VALUES: Final[dict[TermKind, tuple[str, str]]] = {
    TermKind.sponsor: ("bool", "true when an employer or other sponsor must apply or petition"),
    TermKind.family: ("bool", "true when spouse and children can come on the same route"),
    TermKind.processing: ("number", "typical time to a decision, in months"),
    TermKind.validity: ("number", "length of the first grant, in months"),
    TermKind.residence_path: ("number", "years until permanent residence can be applied for"),
    TermKind.citizenship: ("number", "years of residence before naturalisation"),
    TermKind.cap: ("number", "places per year; absent when there is no cap"),
    TermKind.work_rights: ("string", "any, restricted, sponsor_only or unclear"),
    TermKind.language: ("string", "the CEFR level or test score asked for, as text"),
}
WORK_RIGHTS: Final = ("any", "restricted", "sponsor_only", "unclear")


class Term(Spec):
    """What a programme gives or asks, as cited data (sponsor, family, path to residence...).

    ``value: false`` on a number kind means "there is none" (no path to residence).
    """

    kind: TermKind
    value: bool | int | Decimal | str | None = Field(
        default=None, description="Machine-readable value when there is one; None when unknown."
    )
    text: Text
    sources: tuple[Citation, ...] = Field(min_length=1)
    confidence: Confidence | None = None

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Self:
        expected = TERM_VALUES.get(self.kind)
        if self.value is None or expected is None:
            return self
        kind, meaning = expected
        found = _value_kind(self.value)
        if kind == "number" and self.value is False:
            return self
        if found != kind:
            raise ValueError(f"a {self.kind} term's value is a {kind} ({meaning}), not {found}")
        if self.kind == TermKind.work_rights and self.value not in WORK_RIGHTS:
            raise ValueError(f"work_rights must be one of {', '.join(WORK_RIGHTS)}")
        return self


class Payer(StrEnum):
    applicant = "applicant"
    employer = "employer"


class Recurrence(StrEnum):
    once = "once"  # paid once for this application or petition
    yearly = "yearly"
    per_renewal = "per_renewal"


class Fee(_Conditional):
    """A government fee or payment, due when its condition holds (default: always)."""

    when: Condition = Field(default=None, validate_default=True)
    amount: Condition
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    payer: Payer
    recurrence: Recurrence = Recurrence.once
    optional: bool = Field(
        default=False, description="Chosen by the payer, e.g. premium processing."
    )
    alternatives: str | None = Field(
        default=None,
        description="Fees sharing this key are alternatives (large or small employer): "
        "at most one of them is due, so a range counts only the largest.",
    )
    sources: tuple[Citation, ...] = Field(min_length=1)
    confidence: Confidence | None = None
    note: Text | None = None
    no_text: Text | None = Field(
        default=None,
        description="No published text to quote: why this rests on an interpretation. "
        "Shown to users as such.",
    )

    @field_validator("when", mode="before")
    @classmethod
    def _compile(cls, v: Any, info: ValidationInfo) -> Condition:
        return compile_condition("true" if v is None else v, info, BOOL)

    @field_validator("amount", mode="before")
    @classmethod
    def _compile_amount(cls, v: Any, info: ValidationInfo) -> Condition:
        return compile_condition(v, info, NUMBER)


class ChanceRow(_Conditional):
    chance: Condition = Field(description="Probability of selection, between 0 and 1.")

    @field_validator("chance", mode="before")
    @classmethod
    def _compile_chance(cls, v: Any, info: ValidationInfo) -> Condition:
        return compile_condition(v, info, NUMBER)


class Selection(Spec):
    """A lottery or quota that stands between eligibility and a grant."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    applies: Condition = Field(description="When the person is subject to the selection.")
    rows: tuple[ChanceRow, ...] = Field(min_length=1)
    sources: tuple[Citation, ...] = Field(min_length=1)
    note: Text | None = None
    basis: Text | None = Field(
        default=None, description="Where the chances come from, e.g. 'DHS projection'."
    )
    estimate: bool = Field(
        default=False,
        description="The chances are a projection, not an outcome: shown as an estimate, "
        "at the source's own precision.",
    )

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @field_validator("applies", mode="before")
    @classmethod
    def _compile(cls, v: Any, info: ValidationInfo) -> Condition:
        return compile_condition(v, info, BOOL)


class Version(Spec):
    from_: dt.date = Field(alias="from")
    until: dt.date | None = None
    criteria: Criterion
    terms: tuple[Term, ...] = ()
    fees: tuple[Fee, ...] = ()
    selection: Selection | None = None
    note: Text | None = None


class Program(Spec):
    """A programme as loaded: typed conditions, dated versions, cited sources."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: Text
    summary: Text
    verified: dt.date = Field(
        description="Rules verified on: the day the rules were last held against their sources."
    )
    sources: dict[str, Source] = Field(min_length=1)
    parameters: dict[str, Parameter] = {}
    versions: tuple[Version, ...] = Field(min_length=1)

    def version_at(self, when: dt.date) -> Version | None:
        for i, v in enumerate(self.versions):
            end = v.until or (self.versions[i + 1].from_ if i + 1 < len(self.versions) else None)
            if v.from_ <= when and (end is None or when < end):
                return v
        return None

    def parameter_values(self, when: dt.date) -> dict[str, ParamValue | None]:
        return {name: p.at(when) for name, p in self.parameters.items()}


class Quoted(Protocol):
    """A criterion, parameter, fee or points test: it rests on a quoted passage or says why not."""

    @property
    def sources(self) -> tuple[Citation, ...]: ...
    @property
    def no_text(self) -> Text | None: ...


def is_quoted(item: Quoted) -> bool:
    return item.no_text is not None or any(c.quote is not None for c in item.sources)


def condition_text(c: Condition) -> str:
    return source_text(c.node)
