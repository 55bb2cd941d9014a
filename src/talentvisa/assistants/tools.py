"""The tools an assistant calls: what each takes, what it returns, and what it means.

Each tool's answer is the document the CLI prints with ``--json`` for the same question
(built by the same ``talentvisa.report`` functions), plus ``for_the_user``: a short text in
the person's language that an assistant can relay as it is. Nothing is stored and nothing is
fetched: every answer comes from the programme files shipped with talentvisa.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from talentvisa import fx
from talentvisa.changes import by_reach, suggestions_for
from talentvisa.compare import compare, parse_preferences
from talentvisa.explain import Lang
from talentvisa.inputs import check_on
from talentvisa.interview import FieldKind, next_question
from talentvisa.profile import Profile
from talentvisa.provenance import BadSetting, source_entries
from talentvisa.report import (
    changes_document,
    check_document,
    comparison_document,
    program_document,
    programs_document,
    question_document,
    sources_document,
)
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import builtin_programs
from talentvisa.rules.model import Program
from talentvisa.vocab import IsoDate
from talentvisa.vocab_search import Kind, search
from talentvisa.web.i18n import translations
from talentvisa.web.schemas import (
    ChangesDocument,
    CheckDocument,
    ComparisonDocument,
    Out,
    PreferenceName,
    ProgramDocument,
    ProgramSummary,
    SourcesDocument,
)
from talentvisa.web.vocab_api import VocabItem, VocabResult
from talentvisa.yamlpos import InputError, dotted

# What every answer means; said once to the assistant in the server's instructions and
# repeated in the descriptions of the tools whose answers it concerns.
READING: Final = (
    'Read the answers as they are meant: "undetermined" is not "no" - it means a fact is '
    "missing or an officer must judge; ask the person for the missing fact (the next_question "
    "tool says which and how) instead of guessing it. An interpretation (a parameter or rule "
    "marked as such, with its confidence) is our reading where the law is silent, not law: say "
    "so. When you state a rule, quote its citation (source title, pinpoint, quoted passage) and "
    "its verified date, and pass on any warning. This is information, not legal advice."
)
PROFILE_HELP: Final = (
    "The person's facts, as the profile schema (resource talentvisa://schema/profile) defines "
    "them. Every field is optional: send what the person has told you, a partial or empty "
    "profile is fine; never fill in a fact they have not given."
)


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Lang = Field(default="en", description="Language of the answer and of for_the_user.")


class Dated(Args):
    as_of: IsoDate | None = Field(
        default=None, description="Assess as on this date; default today."
    )


class ProfileArgs(Dated):
    profile: Profile = Field(default_factory=Profile, description=PROFILE_HELP)
    programs: list[str] | None = Field(
        default=None,
        description="Programme ids (see the programs tool); default all. A check of every "
        "programme is large (some 30 KB each): name the ones the person asks about.",
    )


class QuestionArgs(ProfileArgs):
    skip: list[str] = Field(
        default=[],
        description="Question paths the person declined or could not answer; they are not "
        "asked again.",
    )


class CompareArgs(ProfileArgs):
    currency: str = Field(
        default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 currency for the costs."
    )
    preferences: list[PreferenceName] | None = Field(
        default=None, description="What matters to the person, most important first."
    )


class ExplainArgs(Args):
    program: str = Field(description="Programme id, e.g. cn-k (see the programs tool).")


class SourcesArgs(Dated):
    programs: list[str] | None = Field(default=None, description="Programme ids; default all.")
    older_than: int | None = Field(
        default=None, ge=0, description="Only sources last verified more than this many days ago."
    )


# The two documents the CLI has no --json for; the others are the API's response models.
class OptionOut(Out):
    value: str
    label: str


class FieldOut(Out):
    path: str = Field(description="Where the answer goes in the profile, e.g. education[0].level.")
    kind: FieldKind
    label: str
    hint: str | None = Field(description="What the question means, for the person.")
    vocabulary: str | None = Field(description="The standard code list the answer comes from.")
    options: list[OptionOut] = Field(description="The allowed answers, when they are few.")


class NoneAnswer(Out):
    path: str
    value: Any


class QuestionOut(Out):
    path: str
    title: str
    help: str | None = Field(description="What the question is about, for the person.")
    waiting: int = Field(description="How many criteria wait for this fact.")
    fields: list[FieldOut]
    none_answer: NoneAnswer | None = Field(
        description="What to put in the profile when the person has none (no degree, no offer)."
    )
    repeats: bool = Field(
        description="A list: ask for every entry the person has (each degree, each job); the "
        "fields are the first entry's, [0], and the next entries go to [1], [2], ..."
    )


class QuestionDocument(Out):
    as_of: str
    remaining: int = Field(description="Facts still asked for, this one included.")
    question: QuestionOut | None = Field(description="Null: nothing more can change an answer.")


class ProgramsDocument(Out):
    as_of: str
    programs: list[ProgramSummary]


class ToolFailure(Exception):
    """Arguments that cannot be used, each problem naming its field path."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    title: str
    description: str
    args: type[Args]
    output: type[BaseModel]
    run: Callable[[Any], dict[str, Any]]

    def input_schema(self) -> dict[str, Any]:
        return self.args.model_json_schema()

    def output_schema(self) -> dict[str, Any]:
        schema = self.output.model_json_schema()
        schema["properties"]["for_the_user"] = {
            "type": "string",
            "description": "A short text in the requested language to relay to the person as it is.",
        }
        schema["required"] = [*schema.get("required", []), "for_the_user"]
        return schema


def _today() -> dt.date:
    return dt.date.today()


def _programs(ids: list[str] | None, field: str = "programs") -> list[Program]:
    programs = builtin_programs()
    if ids is None:
        return list(programs.values())
    unknown = [(f"{field}[{i}]", p) for i, p in enumerate(ids) if p not in programs]
    if unknown:
        known = ", ".join(programs)
        raise ToolFailure(
            [(path, f"unknown programme {p!r}; known: {known}") for path, p in unknown]
        )
    return [programs[i] for i in ids]


def _profile(a: ProfileArgs, when: dt.date) -> Profile:
    """The profile, if its facts hold together on the date (the CLI's and the API's check)."""
    try:
        return check_on(a.profile, when, "profile", prefix=("profile",))
    except InputError as exc:
        raise ToolFailure([(path, message) for _, path, message in exc.problems]) from None


def _gettext(lang: Lang) -> Callable[[str], str]:
    return translations(lang).gettext


_STATUS: Final = {
    "eligible": "Eligible",
    "ineligible": "Not eligible",
    "undetermined": "Undetermined",
    "not_in_force": "Not in force",
}


def _status(status: str, lang: Lang) -> str:
    return _gettext(lang)(_STATUS[status])


def _sentence_join(lang: Lang) -> str:
    return "" if lang == "zh" else " "


def _list_join(lang: Lang) -> str:
    return "、" if lang == "zh" else ", "


# ---------------------------------------------------------------- the tools


def run_check(a: ProfileArgs) -> dict[str, Any]:
    when = a.as_of or _today()
    programs = _programs(a.programs)
    person = _profile(a, when)
    document = check_document([evaluate(person, p, when) for p in programs], when, a.lang, person)
    _ = _gettext(a.lang)
    lines = []
    for r in document["results"]:
        line = _("{name}: {status}.").format(name=r["name"], status=_status(r["status"], a.lang))
        if r["missing_labels"]:
            line += _sentence_join(a.lang) + _("Still needed to decide: {facts}.").format(
                facts=_list_join(a.lang).join(r["missing_labels"])
            )
        if r["judgements"]:
            line += _sentence_join(a.lang) + _("An officer must judge: {what}.").format(
                what="; ".join(j.rstrip(".。") for j in r["judgements"])
            )
        if r["interpretations"]:
            line += _sentence_join(a.lang) + _(
                "This answer rests on interpretations, not on published law."
            )
        line += _sentence_join(a.lang) + _("Rules verified on {date}.").format(date=r["verified"])
        lines.extend([line, *(w["text"] for w in r["warnings"])])
    if any(r["status"] == "undetermined" for r in document["results"]):
        lines.append(_('"Undetermined" is not "no": it waits on a fact or on an officer.'))
    return {**document, "for_the_user": "\n".join(lines)}


def run_next_question(a: QuestionArgs) -> dict[str, Any]:
    when = a.as_of or _today()
    programs = _programs(a.programs)
    person = _profile(a, when)
    document = question_document(next_question(person, programs, when, a.lang, a.skip), when)
    _ = _gettext(a.lang)
    q = document["question"]
    if q is None:
        text = _("That is all I need: nothing else you could tell me would change an answer.")
    else:
        labels = [f["label"] for f in q["fields"]]
        text = q["title"]
        if labels != [q["title"]]:
            stop = "。" if a.lang == "zh" else "."
            questions = [x if x[-1] in "?.!？。！" else x + stop for x in labels]
            text = _("{title}: {questions}").format(
                title=q["title"], questions=_sentence_join(a.lang).join(questions)
            )
        # What the person needs to know to answer; "type the name and pick it" is for screens.
        hints = [f["hint"] for f in q["fields"] if f["kind"] != "picker" and not f["vocabulary"]]
        notes = [q["help"], *hints]
        text += "".join(_sentence_join(a.lang) + n for n in dict.fromkeys(notes) if n)
        if q["none_answer"] is not None:
            text += _sentence_join(a.lang) + (
                _("If you have no job offer, say so.")
                if q["none_answer"]["path"] == "has_job_offer"
                else _("If you have none, say so.")
            )
    return {**document, "for_the_user": text}


class FindArgs(Args):
    kind: Kind = Field(
        description="occupations (ISCO-08), fields of study (ISCED-F 2013), institutions (the "
        "institution register: its id goes in an institution's `id`), countries (ISO 3166-1 "
        "alpha-2) or currencies (ISO 4217)."
    )
    q: str = Field(
        min_length=1, max_length=200, description="The person's own words, in English or Chinese."
    )
    limit: int = Field(default=5, ge=1, le=50, description="At most this many matches.")


def run_find_code(a: FindArgs) -> dict[str, Any]:
    hits = search(a.kind, a.q, a.lang, a.limit)
    items = [VocabItem(code=h.code, label=h.label, detail=h.detail) for h in hits]
    document = VocabResult(kind=a.kind, q=a.q, lang=a.lang, items=items).model_dump()
    _ = _gettext(a.lang)
    if not hits:
        text = _("I found nothing called “{q}”. Could you say it in other words?").format(q=a.q)
    elif len(hits) == 1:
        text = _("I understood “{q}” as: {name}.").format(q=a.q, name=hits[0].label)
    else:
        text = _("Which of these do you mean: {names}?").format(
            names=_list_join(a.lang).join(h.label for h in hits)
        )
    return {**document, "for_the_user": text}


def run_compare(a: CompareArgs) -> dict[str, Any]:
    when = a.as_of or _today()
    if a.currency not in fx.currencies(when):
        known = ", ".join(fx.currencies(when))
        raise ToolFailure([("currency", f"no exchange rate for {a.currency}; known: {known}")])
    programs = _programs(a.programs)
    person = _profile(a, when)
    preferences = parse_preferences(",".join(a.preferences) if a.preferences else None)
    document = comparison_document(compare(person, programs, when, a.currency, preferences), a.lang)
    _ = _gettext(a.lang)
    lines = [
        _("Ranked by what matters to you: {preferences}.").format(
            preferences=" > ".join(p["title"] for p in document["preferences"])
        )
    ]
    for o in document["options"]:
        mark = " ★" if o["unbeaten"] else ""
        lines.append(f"{o['rank']}. {o['name']}{mark}: {_status(o['status'], a.lang)}")
    lines.append(_("★ no other option is as good on every preference and better on one."))
    return {**document, "for_the_user": "\n".join(lines)}


def run_changes(a: ProfileArgs) -> dict[str, Any]:
    when = a.as_of or _today()
    programs = _programs(a.programs)
    person = _profile(a, when)
    results = by_reach([suggestions_for(person, p, when) for p in programs])
    document = changes_document(results, when, a.lang)
    _ = _gettext(a.lang)
    lines = []
    for c in document["programs"]:
        if c["status"] == "eligible":
            lines.append(_("{name}: already eligible.").format(name=c["name"]))
        elif c["suggestions"]:
            steps = " + ".join(s["text"] for s in c["suggestions"][0]["steps"])
            lines.append(
                _("{name}: the smallest change is {steps}.").format(name=c["name"], steps=steps)
            )
        else:
            lines.append(
                _("{name}: no change of one or two steps settles it.").format(name=c["name"])
            )
    lines.append(document["effort_note"])
    return {**document, "for_the_user": "\n".join(lines)}


def run_explain(a: ExplainArgs) -> dict[str, Any]:
    (program,) = _programs([a.program], "program")
    document = program_document(program, a.lang)
    _ = _gettext(a.lang)
    text = _sentence_join(a.lang).join(
        [
            f"{document['name']}: {document['summary']}",
            _("Rules verified on {date}.").format(date=document["verified"]),
            _("Each rule cites its source; an interpretation is our reading, not law."),
        ]
    )
    return {**document, "for_the_user": text}


def run_programs(a: Dated) -> dict[str, Any]:
    when = a.as_of or _today()
    document = programs_document(_programs(None), when, a.lang)
    _ = _gettext(a.lang)
    lines = [
        f"{p['name']} ({p['country']}): "
        + (_("in force") if p["in_force"] else _("not in force on {date}").format(date=when))
        for p in document["programs"]
    ]
    return {**document, "for_the_user": "\n".join(lines)}


def run_sources(a: SourcesArgs) -> dict[str, Any]:
    when = a.as_of or _today()
    programs = _programs(a.programs)
    entries = source_entries(programs, when, a.older_than)
    document = sources_document(entries, programs, when, a.older_than, a.lang)
    _ = _gettext(a.lang)
    lines = [
        _("{name}: rules verified on {date}.").format(name=p["name"], date=p["verified"])
        for p in document["programs"]
    ]
    lines.extend(w["text"] for p in document["programs"] for w in p["warnings"])
    lines.append(_("{n} sources listed.").format(n=len(document["sources"])))
    return {**document, "for_the_user": "\n".join(lines)}


def _described(text: str) -> str:
    return f"{text}\n\n{READING}"


TOOLS: Final[dict[str, Tool]] = {
    t.name: t
    for t in (
        Tool(
            "check",
            "Check eligibility",
            _described(
                "Assess the person's facts against each programme's rules on a date: status "
                "(eligible, ineligible, undetermined, not_in_force), every criterion with its "
                "result, reason and citations (each with the quoted passage and the source's "
                "verified date), the facts still missing, officer judgements, interpretations, "
                "fees, and warnings when the rules may be out of date. When a status is "
                "undetermined, call next_question and ask the person."
            ),
            ProfileArgs,
            CheckDocument,
            run_check,
        ),
        Tool(
            "next_question",
            "Next question to ask",
            _described(
                "The one fact to ask the person next: the missing fact the most criteria wait "
                "for, across the programmes. Ask it in your own words or relay for_the_user; put "
                "each answer at its field's path in the profile (a number for number and "
                "integer fields, YYYY-MM-DD for dates, true/false for bool, a code from the "
                "field's options, or for a vocabulary field the code the find_code tool gives for "
                "the person's words: never guess a code), or the none_answer when they have none, then "
                "call again with the fuller profile. If they cannot answer, add the question's "
                "path to skip. A null question means nothing more can change an answer: call "
                "check and compare."
            ),
            QuestionArgs,
            QuestionDocument,
            run_next_question,
        ),
        Tool(
            "compare",
            "Compare and rank programmes",
            _described(
                "Rank the programmes for the person: by status, then by their preferences in "
                "order; with sponsor need, costs by payer (applicant, employer) in one "
                "currency, lottery chance, years to permanent residence, family, every fee and "
                "the exchange rates used. Unbeaten options are marked."
            ),
            CompareArgs,
            ComparisonDocument,
            run_compare,
        ),
        Tool(
            "changes",
            "What would need to change",
            _described(
                "The smallest actionable steps that would make the person eligible for each "
                "programme (with a rough effort in months), and the date when time alone turns "
                "an answer (an age limit, years of experience)."
            ),
            ProfileArgs,
            ChangesDocument,
            run_changes,
        ),
        Tool(
            "explain",
            "A programme's rules",
            _described(
                "A programme's rules as data: every version's criteria with their conditions "
                "and citations, parameters with dated values and interpretations, terms and "
                "fees. For the same rules as readable text, read the resource "
                "talentvisa://programs/{id}."
            ),
            ExplainArgs,
            ProgramDocument,
            run_explain,
        ),
        Tool(
            "find_code",
            "Find a code by name",
            "Turn the person's words for an occupation, field of study, institution, country or "
            "currency into the code a profile holds: matches best first, with their official "
            "names. When more than one could be meant, ask the person which (for_the_user asks "
            "it); never pick one for them.",
            FindArgs,
            VocabResult,
            run_find_code,
        ),
        Tool(
            "programs",
            "List programmes",
            "The programmes talentvisa knows, with their ids, the dates their versions start, "
            "when their rules were last verified and whether they are in force on the date.",
            Dated,
            ProgramsDocument,
            run_programs,
        ),
        Tool(
            "sources",
            "Sources and when verified",
            _described(
                "Every source the rules rest on, with its reliability, retrieved and verified "
                "dates and the rules that use it; each programme's verified date and any "
                "warning that its rules may have changed since."
            ),
            SourcesArgs,
            SourcesDocument,
            run_sources,
        ),
    )
}


def _dotted_loc(loc: tuple[int | str, ...]) -> str:
    return dotted(loc) or "(arguments)"


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field (the resource talentvisa://schema/profile lists a profile's fields)"
    return str(error["msg"]).removeprefix("Value error, ")


def call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """The tool's document for these arguments; ToolFailure names each unusable field."""
    tool = TOOLS[name]
    try:
        args = tool.args.model_validate(arguments)
    except ValidationError as exc:
        raise ToolFailure([(_dotted_loc(e["loc"]), _message(e)) for e in exc.errors()]) from None
    try:
        return tool.run(args)
    except BadSetting as exc:
        raise ToolFailure([("(server setting)", str(exc))]) from None


def failure_document(failure: ToolFailure, lang: Lang = "en") -> dict[str, Any]:
    """A tool error as data: each problem with the field path it concerns."""
    _ = _gettext(lang)
    return {
        "error": "invalid-arguments",
        "problems": [{"path": p, "message": m} for p, m in failure.problems],
        "for_the_user": _("Some of the facts could not be used: {problems}").format(
            problems="; ".join(f"{p}: {m}" for p, m in failure.problems)
        ),
    }
