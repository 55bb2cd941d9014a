"""Request and response shapes of the JSON API, as documented in the OpenAPI spec.

The responses mirror ``talentvisa.report``'s documents, which the CLI prints too, so
the terminal and the API can never drift apart: the API validates every document it
returns against these models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from talentvisa.profile import Profile
from talentvisa.vocab import IsoDate

Lang = Literal["en", "zh"]
StatusName = Literal["eligible", "ineligible", "undetermined", "not_in_force"]
ResultName = Literal["pass", "fail", "unknown", "judgement"]
PreferenceName = Literal[
    "no-sponsor",
    "low-cost",
    "low-employer-cost",
    "likely",
    "pr-path",
    "family",
    "fast",
    "work-rights",
    "long-stay",
    "citizenship",
]

EXAMPLE_PROFILE: dict[str, Any] = {
    "birth_date": "1999-06-15",
    "citizenships": ["IN"],
    "location": "IN",
    "education": [
        {
            "level": "master",
            "field": "0613",
            "institution": {"name": "An Indian institute of technology", "world_rank": 150},
            "completed": "2023-06-30",
        }
    ],
    "job_offer": {
        "country": "US",
        "employer": {"headcount": 5000, "nonprofit": False, "cap_exempt": "no"},
        "salary": {"amount": 120000, "currency": "USD", "period": "year"},
        "us_wage_level": 2,
    },
    "languages": [{"language": "en", "test": "ielts", "score": 7.5}],
}


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssessRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"profile": EXAMPLE_PROFILE, "as_of": "2026-11-29"}]},
    )

    profile: Profile
    as_of: IsoDate | None = Field(
        default=None, description="Assess as on this date; default today."
    )
    programs: list[str] | None = Field(default=None, description="Programme ids; default all.")
    lang: Lang = "en"


class CompareRequest(AssessRequest):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "profile": EXAMPLE_PROFILE,
                    "as_of": "2026-11-29",
                    "currency": "EUR",
                    "preferences": ["no-sponsor", "low-cost", "pr-path"],
                }
            ]
        },
    )

    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    preferences: list[PreferenceName] | None = Field(
        default=None, description="Most important first."
    )


class QuoteOut(Out):
    text: str = Field(description="The passage, verbatim, in its own language.")
    lang: str = Field(description="ISO 639-1 language of the passage.")
    en: str | None = Field(description="English translation; null when the passage is English.")


class Citation(Out):
    source: str
    title: str
    href: str
    at: str | None
    reliability: str
    retrieved: str
    verified: str = Field(description="The day the source was last checked against its text.")
    quote: QuoteOut | None = Field(description="The passage the rule rests on, when quoted.")


class WarningOut(Out):
    code: Literal["rules-may-have-changed"]
    text: str


class NoTextOut(Out):
    """A rule that rests on no published text: an interpretation, flagged as such."""

    kind: Literal["criterion", "points", "parameter", "fee"]
    id: str
    title: str
    reason: str


class Interpretation(Out):
    parameter: str
    description: str
    value: str
    confidence: str
    chosen_by: str
    note: str
    citations: list[Citation]


class TermOut(Out):
    kind: str
    value: bool | int | float | str | None
    text: str
    confidence: str | None
    citations: list[Citation]


class PointsRow(Out):
    table: str
    id: str
    title: str
    points: int
    result: ResultName
    counted: bool


class PointsOut(Out):
    score: int
    max_possible: int
    threshold: float | None
    rows: list[PointsRow]


class CriterionOut(Out):
    id: str
    kind: str
    depth: int
    title: str | None
    result: ResultName
    reason: str
    citations: list[Citation]
    missing: list[str]
    interpretations: list[str]
    no_text: str | None = Field(description="Why no published text can be quoted, if none.")
    officer_finding: bool | None = None


class AssessmentOut(Out):
    program: str
    name: str
    country: str
    status: StatusName
    verified: str = Field(description="Rules verified on: when the rules were last checked.")
    warnings: list[WarningOut]
    version_from: str | None
    versions: list[str]
    points: PointsOut | None
    criteria: list[CriterionOut]
    missing: list[str]
    judgements: list[str]
    missing_labels: list[str]
    interpretations: list[str]
    interpretation_details: list[Interpretation]
    no_text: list[NoTextOut]
    notes: list[str] = []  # e.g. which exchange rate converted a salary
    terms: list[TermOut]
    fees: list[FeeOut] = Field(
        default=[], description="Fees for this person; an unconfirmed one is never 'yes'."
    )


class CheckDocument(Out):
    as_of: str
    results: list[AssessmentOut]


class ProgramSummary(Out):
    id: str
    country: str
    name: str
    summary: str
    verified: str
    versions: list[str]
    in_force: bool


class PreferenceOut(Out):
    name: str
    title: str


class RateOut(Out):
    from_: str = Field(alias="from")
    to: str
    rate: float
    published: list[str]
    sources: list[str]

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CostOut(Out):
    certain: float | None
    possible: float | None
    recurring: float | None
    complete: bool
    unconfirmed: bool


class CostsOut(Out):
    currency: str
    applicant: CostOut | None
    employer: CostOut | None


class FeeOut(Out):
    id: str
    title: str
    payer: Literal["applicant", "employer"]
    due: Literal["yes", "no", "maybe"]
    amount: float | None
    currency: str
    converted: float | None
    recurrence: str
    optional: bool
    confidence: str | None
    no_text: str | None
    note: str | None
    missing: list[str]
    citations: list[Citation]


class ChanceOut(Out):
    applies: ResultName
    low: float | None
    high: float | None
    missing: list[str]
    confidence: Literal["reported", "estimate"] = Field(
        description="'estimate' for a projection (not an outcome, not your own odds)."
    )
    basis: str | None = Field(description="Where the chances come from, e.g. DHS projection.")
    text: str = Field(description="The chance as the source states it, e.g. '15.29%'.")


class WhyOut(Out):
    above: str | None
    because: str | None


class OptionOut(Out):
    rank: int
    unbeaten: bool
    beaten_by: list[str]
    program: str
    name: str
    country: str
    status: StatusName
    verified: str
    warnings: list[WarningOut]
    why: WhyOut
    sponsor: bool | None
    costs: CostsOut
    fees: list[FeeOut]
    chance: ChanceOut | None
    residence_path_years: float | bool | None
    citizenship_years: float | bool | None
    family: bool | None
    processing_months: float | bool | None
    validity_months: float | bool | None
    work_rights: str | None
    language: str | None
    missing: list[str]
    interpretations: list[str]
    terms: list[TermOut]


class ComparisonDocument(Out):
    as_of: str
    currency: str
    preferences: list[PreferenceOut]
    rates: list[RateOut]
    options: list[OptionOut]


class StepOut(Out):
    text: str
    path: str
    value: Any
    effort_months: float | None


class SuggestionOut(Out):
    effort_months: float | None
    status_after: StatusName
    steps: list[StepOut]


class TimeOut(Out):
    date: str
    before: StatusName
    after: StatusName
    criteria: list[str]


class ProgramChanges(Out):
    program: str
    name: str
    status: StatusName
    suggestions: list[SuggestionOut]
    time: TimeOut | None


class ChangesDocument(Out):
    as_of: str
    effort_note: str
    programs: list[ProgramChanges]


class DiffItem(Out):
    section: str
    id: str
    change: Literal["added", "removed", "changed"]
    title: str | None
    before: str | None
    after: str | None
    interpretation: bool
    citations: list[Citation]
    quote_changed: bool = Field(description="The quoted passage or no-text reason changed.")
    quotes_before: list[Citation]
    quotes_after: list[Citation]
    no_text_before: str | None
    no_text_after: str | None


class DiffDocument(Out):
    program: str
    date1: str
    date2: str
    version1: str | None
    version2: str | None
    changes: list[DiffItem]


class RuleNode(Out):
    id: str
    kind: str
    title: str | None
    when: str | None
    judgement: str | None
    no_text: str | None
    citations: list[Citation]
    children: list[RuleNode]


class ParamValueOut(Out):
    from_: str = Field(alias="from")
    value: str

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ParameterOut(Out):
    name: str
    description: str
    unit: str | None
    values: list[ParamValueOut]
    confidence: str | None
    note: str | None
    no_text: str | None
    citations: list[Citation]


class RuleFee(Out):
    id: str
    title: str
    amount: str
    currency: str
    payer: str
    recurrence: str
    optional: bool
    when: str
    confidence: str | None
    no_text: str | None
    citations: list[Citation]


class VersionOut(Out):
    from_: str = Field(alias="from")
    until: str | None
    criteria: RuleNode
    terms: list[TermOut]
    fees: list[RuleFee]

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ProgramDocument(Out):
    id: str
    country: str
    name: str
    summary: str
    verified: str
    parameters: list[ParameterOut]
    versions: list[VersionOut]


class ProgramVerified(Out):
    program: str
    name: str
    verified: str
    warnings: list[WarningOut]


class SourceUse(Out):
    kind: Literal[
        "criterion",
        "points",
        "points-row",
        "parameter",
        "interpretation",
        "fee",
        "term",
        "selection",
    ]
    id: str
    title: str | None
    versions: list[str] = Field(description="Start dates of the versions holding this rule.")
    at: list[str] = Field(description="The pinpoints cited.")
    quoted: bool = Field(description="A citation of this source here quotes its passage.")


class SourceOut(Out):
    key: str
    program: str
    title: str
    publisher: str | None
    href: str
    reliability: str
    published: str | None
    retrieved: str
    verified: str
    age_days: int = Field(description="Days from the verified date to `as_of`.")
    used_by: list[SourceUse]


class SourcesDocument(Out):
    as_of: str
    older_than: int | None
    horizon_days: int = Field(description="Days a verification holds before answers warn.")
    programs: list[ProgramVerified]
    sources: list[SourceOut]
