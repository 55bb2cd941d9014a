"""The eligibility interview: ask only what can still change an answer or its price, most
useful first, in plain words.

The evaluator lists, per criterion, fee and lottery, the missing facts that could change it.
The next question is the missing fact that most of them, across every programme still open
to the person, are waiting for: eligibility, but also what a fee costs, who pays it and the
chance of selection. A screen then also asks the other undecided facts about the same thing
(the same degree, job or offer), and names that thing in words. People type names, never
codes: occupations, fields, institutions, countries and currencies are resolved through
``vocab_search``; lists (degrees, jobs, language results) take as many entries as a person has.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import gettext
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any, Final, Literal, get_args, get_origin

import pycountry
from pydantic import BaseModel, ValidationError

from talentvisa import vocab_search
from talentvisa.explain import Lang
from talentvisa.interview_texts import (
    ADD_ANOTHER,
    CHOICES,
    ENTRY_NOUNS,
    MESSAGES,
    QUESTIONS,
    SCREENS,
)
from talentvisa.messages import said
from talentvisa.paths import set_path
from talentvisa.profile import Profile
from talentvisa.rules.costs import chance_for, fees_for
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.model import Program
from talentvisa.rules.types import unwrap

FieldKind = Literal["date", "number", "integer", "text", "select", "bool", "countries", "picker"]

# What to ask when a whole record is unknown, by its model: its most useful parts, in order.
ENTRY_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "Education": ("level", "field", "institution.name", "institution.country", "completed"),
    "Work": ("kind", "occupation", "field", "employer.name", "country", "start", "ongoing", "end"),
    "LanguageResult": ("language", "test", "score", "cefr"),
    "JobOffer": ("country", "occupation", "salary", "hours_per_week", "duration_months"),
    "FamilyMember": ("relation", "birth_date", "accompanying"),
    "Stay": ("country", "start", "end", "purpose", "lawful"),
    "VisaHeld": ("country", "category", "valid_from", "valid_until"),
    "Registration": ("country", "status", "training_years"),
    "Money": ("amount", "currency", "period"),
    "Institution": ("name", "country", "ranked", "world_rank"),
    "Employer": ("name", "headcount", "nonprofit", "cap_exempt"),
    "UsDegreeEquivalence": ("level", "basis", "field"),
}
# Lists and records that can be answered with "none": the list is empty, or no offer.
NONE_ANSWER: Final[dict[str, tuple[str, Any]]] = {
    "education": ("education", []),
    "work": ("work", []),
    "languages": ("languages", []),
    "family": ("family", []),
    "stays": ("stays", []),
    "visas": ("visas", []),
    "registrations": ("registrations", []),
    "job_offer": ("has_job_offer", False),
}
# Lists a person enters one entry after another ("add another degree").
REPEATED: Final = ("education", "work", "languages", "family", "stays", "visas", "registrations")
MAX_ENTRIES: Final = 10
MAX_FIELDS: Final = 8  # on one screen
# Facts asked together because a person thinks of them together.
WHERE: Final = ("residence", "location", "us_status")
# Facts not asked while another is undecided: where the person is settles whether the
# H-1B petition's request matters, and is the easier question.
ASK_AFTER: Final[dict[str, tuple[str, ...]]] = {"job_offer.us_petition": ("location",)}
# Ties in usefulness are broken in the order a person would expect to be asked.
ORDER: Final = (
    "birth_date",
    "age",
    "citizenships",
    "residence",
    "location",
    "us_status",
    "education",
    "us_degree_equivalence",
    "work",
    "languages",
    "has_job_offer",
    "job_offer",
    "funds",
    "family",
    "stays",
    "visas",
    "registrations",
)
# Facts whose answer is a name from a vocabulary (the last part of the path).
PICKERS: Final[dict[str, vocab_search.Kind]] = {
    "occupation": "occupations",
    "field": "fields",
    "country": "countries",
    "residence": "countries",
    "location": "countries",
    "currency": "currencies",
}

_INDEX = re.compile(r"\[\d+\]")
_COUNTRY_KEY = re.compile(r"\.(recognition|shortage_occupation|skilled)\.([A-Z]{2})$")


@dataclass(frozen=True, slots=True)
class Field:
    path: str  # absolute profile path it fills, e.g. "education[0].field"
    kind: FieldKind
    label: str  # the plain question
    options: tuple[tuple[str, str], ...] = ()  # (value, name); for pickers, names only
    hint: str | None = None  # what the question means, in the reader's language
    vocab: vocab_search.Kind | None = None  # the vocabulary a picker resolves against
    unlisted: bool = False  # offers "my institution is not listed"


@dataclass(frozen=True, slots=True)
class Block:
    """The fields about one thing: one degree, one job, or the whole screen."""

    legend: str | None
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Question:
    path: str  # the missing fact that most answers wait for, e.g. "education"
    title: str
    fields: tuple[Field, ...]
    none_label: Literal["none", "no_offer"] | None  # when the answer can be "none"
    waiting: int  # how many criteria, fees and lotteries are waiting for this fact
    help: str | None = None
    blocks: tuple[Block, ...] = ()
    add_label: str | None = None  # "Add another degree", for lists
    entries: int = 1
    members: tuple[str, ...] = ()  # every missing fact this screen answers

    def block_list(self) -> tuple[Block, ...]:
        return self.blocks or (Block(None, self.fields),)


@dataclass(frozen=True, slots=True)
class Progress:
    question: Question | None
    remaining: int  # distinct facts still asked for


def _pick(lang: Lang, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def generic(path: str) -> str:
    """The key of a path in ``QUESTIONS``: no indices, ``*`` for a country key."""
    plain = _COUNTRY_KEY.sub(r".\1.*", _INDEX.sub("", path))
    for prefix in ("education.institution.", "work.employer."):
        if plain.startswith(prefix) and plain.removeprefix(prefix) != "name":
            return "institution." + plain.removeprefix(prefix)
    if plain == "education.institution.name":
        return "institution.name"
    return plain


def _annotation_at(path: str) -> Any:
    """The profile annotation a dotted path (indices ignored) points at."""
    model: type[BaseModel] = Profile
    annotation: Any = None
    for part in _INDEX.sub("", path).split("."):
        if get_origin(annotation) is dict:  # a map entry such as recognition.DE
            annotation = unwrap(get_args(annotation)[1])
            continue
        field = model.model_fields.get(part)
        if field is None:
            raise KeyError(path)
        annotation = unwrap(field.annotation)
        inner = get_args(annotation)[0] if get_origin(annotation) is list else annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
    return annotation


@cache
def _language_names(lang: Lang) -> tuple[tuple[str, str], ...]:
    zh = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    names = [
        (x.alpha_2, zh.gettext(x.name) if lang == "zh" else x.name)
        for x in pycountry.languages
        if hasattr(x, "alpha_2")
    ]
    return tuple(sorted(names, key=lambda x: x[1]))


def _choices(key: str, lang: Lang) -> tuple[tuple[str, str], ...]:
    return tuple((value, _pick(lang, *names)) for value, names in CHOICES[key].items())


def _options(path: str, annotation: Any, lang: Lang) -> tuple[tuple[str, str], ...]:
    key = generic(path)
    if key in CHOICES:
        return _choices(key, lang)
    if key.endswith("language"):
        return _language_names(lang)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        if annotation.__name__ in CHOICES:
            return _choices(annotation.__name__, lang)
        return tuple((str(m.value), str(m.value).replace("_", " ")) for m in annotation)
    return ()


def _vocab(path: str) -> vocab_search.Kind | None:
    key = generic(path)
    if key in ("institution.name", "institution.id") or path.endswith("institution.name"):
        return "institutions"
    return PICKERS.get(key.rsplit(".", 1)[-1])


@cache
def vocab_options(kind: vocab_search.Kind, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Every name a picker suggests without JavaScript, in the reader's language."""
    names = {
        vocab_search.label(kind, t.code, lang): t.detail or "" for t in vocab_search.terms(kind)
    }
    return tuple(names.items())


def _kind(path: str, annotation: Any, lang: Lang) -> FieldKind:
    if get_origin(annotation) is list:
        return "countries"
    if _vocab(path) is not None:
        return "picker"
    if annotation is bool:
        return "bool"
    if annotation is dt.date:
        return "date"
    if _options(path, annotation, lang):
        return "select"
    if annotation is int:
        return "integer"
    if annotation in (Decimal, float):
        return "number"
    return "text"


def _question_text(path: str, lang: Lang) -> tuple[str, str | None]:
    """The plain question and its help for one fact."""
    key = generic(path)
    texts = QUESTIONS.get(key)
    if texts is None:  # a name the schema gained after these texts were written
        return key.rsplit(".", 1)[-1].replace("_", " ").capitalize(), None
    label, help_text = (texts[1], texts[3]) if lang == "zh" else (texts[0], texts[2])
    m = _COUNTRY_KEY.search(path)
    if m is not None:
        country = vocab_search.label("countries", m[2], lang)
        label, help_text = label.format(country=country), help_text.format(country=country)
    return label, help_text


def fields_for(path: str, lang: Lang) -> tuple[Field, ...]:
    """Input fields that answer ``path``: one for a plain fact, several for a record."""
    annotation = _annotation_at(path)
    inner = get_args(annotation)[0] if get_origin(annotation) is list else annotation
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        base = f"{path}[0]" if get_origin(annotation) is list else path
        out: list[Field] = []
        for sub in ENTRY_FIELDS.get(inner.__name__, ()):
            out.extend(fields_for(f"{base}.{sub}", lang))
        return tuple(out)
    kind = _kind(path, annotation, lang)
    vocab = "countries" if kind == "countries" else _vocab(path)
    options = vocab_options(vocab, lang) if vocab is not None else _options(path, annotation, lang)
    label, hint = _question_text(path, lang)
    return (Field(path, kind, label, options, hint, vocab, unlisted=vocab == "institutions"),)


def pending(profile: Profile, programs: Sequence[Program], as_of: dt.date) -> Counter[str]:
    """Missing facts by how many undecided answers, across programmes, wait for each: a
    criterion's result, what a fee costs and who pays it, the chance in a lottery."""
    waiting: Counter[str] = Counter()
    for program in programs:
        result = evaluate(profile, program, as_of)
        if result.status in ("ineligible", "not_in_force"):
            continue  # closed: neither eligibility nor its cost can change
        if result.status == "undetermined":  # an eligible answer is decided
            for c in result.criteria:
                if c.kind == "criterion":
                    waiting.update(c.missing)
            if result.points is not None:
                waiting.update(m for m in result.missing if m not in waiting)
        version = program.version_at(as_of)
        if version is None:
            continue
        for fee in fees_for(profile, program, version, as_of):
            if not fee.fee.optional and fee.possible and (not fee.due or fee.amount is None):
                waiting.update(fee.missing)  # whether it is due, or how much it is
        if version.selection is not None:
            chance = chance_for(profile, program, version.selection, as_of)
            if chance.low != chance.high or chance.low is None:
                waiting.update(chance.missing)
    return waiting


def _order(path: str) -> int:
    root = _INDEX.sub("", path).split(".", 1)[0]
    return ORDER.index(root) if root in ORDER else len(ORDER)


def _subject(path: str) -> str:
    """What a fact is about: one degree or job, the offer, where the person is, or itself."""
    root = path.split(".", 1)[0]
    if root in WHERE:
        return "where"
    if "." not in path:
        return path
    return root


def _at(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        m = re.fullmatch(r"([A-Za-z0-9_]+)(?:\[(\d+)\])?", part)
        if m is None or not isinstance(node, Mapping):
            return None
        node = node.get(m[1])
        if m[2] is not None:
            node = node[int(m[2])] if isinstance(node, list) and int(m[2]) < len(node) else None
    return node


_LEVEL_NOUNS: Final[dict[str, tuple[str, str]]] = {
    "secondary": ("secondary school qualification", "高中学历"),
    "vocational": ("vocational qualification", "职业资格"),
    "short_cycle": ("associate degree", "专科学历"),
    "bachelor": ("bachelor's degree", "学士学位"),
    "master": ("master's degree", "硕士学位"),
    "doctorate": ("doctorate", "博士学位"),
}


def describe(data: Mapping[str, Any], subject: str, lang: Lang) -> str:
    """Name one entry by what the person told us, e.g. "Your master's degree in Software
    and applications development from IIT Bombay"."""
    m = re.fullmatch(r"([a-z_]+)\[(\d+)\]", subject)
    if m is None:
        screen = SCREENS.get(subject)
        return _pick(lang, screen[0], screen[1]) if screen else _question_text(subject, lang)[0]
    name, n = m[1], int(m[2]) + 1
    entry = _at(data, subject) or {}
    noun = ENTRY_NOUNS[name]
    fallback = _pick(lang, noun[0], noun[1]).format(n=n)

    def word(kind: vocab_search.Kind, code: Any) -> str | None:
        return vocab_search.label(kind, str(code), lang) if code else None

    if name == "education":
        level = _LEVEL_NOUNS.get(str(entry.get("level")))
        noun_text = _pick(lang, *level) if level else _pick(lang, "degree", "学历")
        field = word("fields", entry.get("field"))
        institution = entry.get("institution") or {}
        place = institution.get("name") or (
            vocab_search.label("institutions", institution["id"], lang)
            if institution.get("id")
            else None
        )
        if not (level or field or place):
            return fallback
        if lang == "zh":
            return f"你{'在' + place if place else ''}获得的{field or ''}{noun_text}"
        return (
            f"Your {noun_text}"
            + (f" in {field}" if field else "")
            + (f" from {place}" if place else "")
        )
    if name == "work":
        job = word("occupations", entry.get("occupation"))
        where = (entry.get("employer") or {}).get("name")
        if not (job or where):
            return fallback
        if lang == "zh":
            return f"你{'在' + where if where else ''}担任{job or '该职位'}的工作"
        return "Your work" + (f" as {job}" if job else "") + (f" at {where}" if where else "")
    if name == "languages":
        language = dict(_language_names(lang)).get(str(entry.get("language")))
        if language is None:
            return fallback
        return _pick(lang, f"Your {language} result", f"你的{language}成绩")
    if name == "family" and entry.get("relation") in CHOICES["Relation"]:
        relation = _pick(lang, *CHOICES["Relation"][entry["relation"]])
        return _pick(lang, f"Your {relation.lower()}", f"你的{relation}")
    country = word("countries", entry.get("country"))
    if name in ("stays", "visas", "registrations") and country:
        what = {
            "stays": ("Your stay in {c}", "你在{c}的居留"),
            "visas": ("Your visa from {c}", "你持有的{c}签证"),
            "registrations": ("Your registration in {c}", "你在{c}的注册"),
        }[name]
        return _pick(lang, *what).format(c=country)
    return fallback


def _entry_fields(path: str, index: int, lang: Lang) -> tuple[Field, ...]:
    return tuple(
        Field(f.path.replace(f"{path}[0]", f"{path}[{index}]", 1), *_rest(f))
        for f in fields_for(path, lang)
    )


def _rest(f: Field) -> tuple[Any, ...]:
    return (f.kind, f.label, f.options, f.hint, f.vocab, f.unlisted)


def question_for(
    path: str,
    waiting: Mapping[str, int],
    lang: Lang,
    data: Mapping[str, Any] | None = None,
    entries: int = 1,
) -> Question:
    """The screen that asks ``path``, and the other undecided facts about the same thing."""
    data = data or {}
    none = NONE_ANSWER.get(path)
    none_label: Literal["none", "no_offer"] | None = None
    if none is not None:
        none_label = "no_offer" if path == "job_offer" else "none"
    entries = max(1, min(entries, MAX_ENTRIES))
    screen = SCREENS.get(generic(path))
    if path in REPEATED or path == "citizenships":
        if path == "citizenships":
            fields = fields_for(path, lang)
            blocks: tuple[Block, ...] = (Block(None, fields),)
            title, help_text = _question_text(path, lang)
        else:
            assert screen is not None
            blocks = tuple(
                Block(_pick(lang, *ENTRY_NOUNS[path]).format(n=i + 1), _entry_fields(path, i, lang))
                for i in range(entries)
            )
            fields = tuple(f for b in blocks for f in b.fields)
            title, help_text = _pick(lang, screen[0], screen[1]), _pick(lang, screen[2], screen[3])
        add = _pick(lang, *ADD_ANOTHER[path])
        return Question(
            path, title, fields, none_label, waiting[path], help_text, blocks, add, entries, (path,)
        )
    subject = _subject(path)
    members = [path]
    if subject != path:
        others = sorted(
            (p for p in waiting if p != path and _subject(p) == subject),
            key=lambda p: (-waiting[p], _order(p), p),
        )
        members += others
    fields_list: list[Field] = []
    chosen: list[str] = []
    for member in members:
        more = [f for f in fields_for(member, lang) if f.path not in {x.path for x in fields_list}]
        if chosen and len(fields_list) + len(more) > MAX_FIELDS:
            continue
        fields_list.extend(more)
        chosen.append(member)
    fields = tuple(fields_list)
    if screen is not None and subject == path:
        title, help_text = _pick(lang, screen[0], screen[1]), _pick(lang, screen[2], screen[3])
    elif len(fields) == 1 and subject in (path, "where"):
        title, help_text = fields[0].label, None
    else:
        title = describe(data, subject, lang)
        where = SCREENS.get(subject)
        help_text = _pick(lang, where[2], where[3]) if where else None
    return Question(
        path,
        title,
        fields,
        none_label,
        waiting[path],
        help_text,
        (Block(None, fields),),
        None,
        1,
        tuple(chosen),
    )


def next_question(
    profile: Profile,
    programs: Sequence[Program],
    as_of: dt.date,
    lang: Lang,
    skip: Sequence[str] = (),
    data: Mapping[str, Any] | None = None,
    entries: int = 1,
) -> Progress:
    waiting = pending(profile, programs, as_of)
    for path in skip:
        waiting.pop(path, None)
    if not waiting:
        return Progress(None, 0)
    ready = Counter({p: n for p, n in waiting.items() if not _later(p, waiting)}) or waiting
    path = min(ready, key=lambda p: (-ready[p], _order(p), p))
    if data is None:
        data = profile.model_dump(mode="json", exclude_none=True)
    return Progress(question_for(path, ready, lang, data, entries), len(waiting))


def _later(path: str, waiting: Mapping[str, int]) -> bool:
    return any(first in waiting for first in ASK_AFTER.get(generic(path), ()))


# Codes the surfaces turn into words in the reader's language; other messages are ours
# (already in the reader's language) or pydantic's.
REQUIRED: Final = "required"
INVALID: Final = "invalid"


class AnswerError(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class _Registered:
    """An institution picked from the register, by its id."""

    id: str


class _NotFound(ValueError):
    """A name that matches nothing; the message suggests the nearest names."""


def _nearest(kind: vocab_search.Kind, text: str, lang: Lang) -> list[str]:
    names: list[str] = []
    for word in [text, *(w for w in re.split(r"[\s,，、]+", text) if len(w) >= 3)]:
        names.extend(h.label for h in vocab_search.search(kind, word, lang, limit=3))
    labels = [name for name, _ in vocab_options(kind, lang)]
    names.extend(difflib.get_close_matches(text, labels, n=3, cutoff=0.5))
    return list(dict.fromkeys(names))[:3]


def _message(key: str, lang: Lang, **values: str) -> str:
    en, zh = MESSAGES[key]
    return _pick(lang, en, zh).format(**values)


def register_id(text: str, lang: Lang, unlisted: bool = False) -> str | None:
    """The register id of the institution meant by what was typed; None when the person
    says it is not listed (the name is kept as typed, and its rank is asked)."""
    if unlisted or not vocab_search.terms("institutions"):
        return None
    code = vocab_search.resolve("institutions", text, lang)
    hits = vocab_search.search("institutions", text, lang, limit=2)
    if code is None and len(hits) == 1:
        code = hits[0].code
    if code is None:
        names = ", ".join(_nearest("institutions", text, lang)) or "—"
        raise _NotFound(_message("institution_not_found", lang, text=text, names=names))
    return code


def resolve_name(kind: vocab_search.Kind, text: str, lang: Lang) -> str:
    """The code meant by a name typed for an occupation, field, country or currency."""
    code = vocab_search.resolve(kind, text, lang)
    if code is None:
        hits = vocab_search.search(kind, text, lang, limit=1)
        code = hits[0].code if hits else None
    if code is None:
        near = _nearest(kind, text, lang)
        if near:
            raise _NotFound(_message("not_found", lang, text=text, names=", ".join(near)))
        raise _NotFound(_message("not_found_none", lang, text=text))
    return code


def _parse(f: Field, raw: str, lang: Lang, form: Mapping[str, str]) -> Any:
    if f.kind == "bool":
        return {"yes": True, "no": False}[raw]
    if f.kind == "integer":
        return int(raw)
    if f.kind == "number":
        try:
            return str(Decimal(raw.replace(",", "")))
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not a number") from None
    if f.kind == "countries":
        parts = [p.strip() for p in re.split(r"[,，、;]", raw) if p.strip()]
        return list(dict.fromkeys(resolve_name("countries", p, lang) for p in parts))
    if f.kind == "picker" and f.vocab == "institutions":
        code = register_id(raw, lang, unlisted=bool(form.get(f"unlisted:{f.path}")))
        return raw if code is None else _Registered(code)
    if f.kind == "picker" and f.vocab is not None:
        return resolve_name(f.vocab, raw, lang)
    if f.kind == "select" and f.options and raw not in {v for v, _ in f.options}:
        raise ValueError(f"{raw!r} is not one of the choices")
    if f.kind == "select" and _INDEX.sub("", f.path).endswith(("us_wage_level", "skill_level")):
        return int(raw)
    return raw


def raw_answer(f: Field, form: Mapping[str, str]) -> str:
    """What was typed for one field; several nationalities arrive as one entry each."""
    if f.kind == "countries":
        parts = [form.get(f.path) or ""]
        parts += [v for k, v in sorted(form.items()) if re.fullmatch(rf"{f.path}\[\d+\]", k)]
        return ", ".join(p.strip() for p in parts if p.strip())
    return (form.get(f.path) or "").strip()


def unanswered(question: Question, form: Mapping[str, str]) -> list[str]:
    """The facts on this screen left blank: taken as "I don't know", so not asked again."""
    given = {f.path for f in question.fields if raw_answer(f, form)}
    out = []
    for member in question.members:
        if not any(p == member or p.startswith((f"{member}.", f"{member}[")) for p in given):
            out.append(member)
    if question.path in REPEATED:
        return out
    return out + [f.path for f in question.fields if f.path not in given]


def answer(
    data: dict[str, Any],
    question: Question,
    form: Mapping[str, str],
    none: bool = False,
    lang: Lang = "en",
) -> dict[str, Any]:
    """The profile data with this answer applied; raise AnswerError naming each bad field."""
    updated = copy.deepcopy(data)
    if none:
        key, value = NONE_ANSWER[question.path]
        updated[key] = value
    else:
        problems: list[tuple[str, str]] = []
        given = 0
        # Entries left wholly blank are dropped; the others are numbered from 0.
        renumber: dict[str, str] = {}
        if question.path in REPEATED:
            kept = 0
            for block in question.block_list():
                if any(raw_answer(f, form) for f in block.fields) and block.fields:
                    old = block.fields[0].path.split(".", 1)[0]
                    renumber[old] = f"{question.path}[{kept}]"
                    kept += 1
        for f in question.fields:
            raw = raw_answer(f, form)
            if not raw:
                continue
            target = f.path
            head = f.path.split(".", 1)[0]
            if head in renumber:
                target = renumber[head] + f.path[len(head) :]
            try:
                value = _parse(f, raw, lang, form)
                if isinstance(value, _Registered):  # the rules read it from the register
                    target, value = (
                        target.removesuffix(".name").removesuffix(".id") + ".id",
                        value.id,
                    )
                elif f.vocab == "institutions":  # not listed: the name as typed
                    target = target.removesuffix(".id").removesuffix(".name") + ".name"
                set_path(updated, target, value)
                given += 1
            except _NotFound as exc:
                problems.append((f.path, str(exc)))
            except (ValueError, KeyError):
                problems.append((f.path, INVALID))
        if not given and not problems:
            problems.append((question.fields[0].path, REQUIRED))
        if problems:
            raise AnswerError(problems)
    try:
        Profile.model_validate(updated)
    except ValidationError as exc:
        raise AnswerError([(_dotted(e["loc"]), said(e).get(lang)) for e in exc.errors()]) from None
    return updated


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
