"""The eligibility interview: ask only what can still change an answer, most useful first.

The evaluator already lists, per criterion, the missing facts that could change it. The
next question is the missing fact that the most criteria (across every programme) are
waiting for; a fact no criterion is waiting for is never asked, unless it decides whether a
fee is due for a programme still open to the person (who owes the H-1B payment, say). Questions are built from
the profile schema itself, so a new profile field can be asked without new code.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Final, Literal, get_args, get_origin

import pycountry
from pydantic import BaseModel, ValidationError

from talentvisa.explain import Lang, field_label
from talentvisa.paths import set_path
from talentvisa.profile import Profile
from talentvisa.rules.costs import fees_for
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.model import Program
from talentvisa.rules.types import unwrap
from talentvisa.vocab import ISCED_F_BROAD, ISCED_F_NARROW

FieldKind = Literal["date", "number", "integer", "text", "select", "bool", "countries"]

# What to ask when a whole list or record is unknown: its most useful parts, in order.
ENTRY_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "education": ("level", "field", "institution.name", "institution.world_rank", "completed"),
    "work": ("kind", "occupation", "field", "country", "start", "ongoing", "end"),
    "languages": ("language", "test", "score", "cefr"),
    "job_offer": ("country", "salary", "hours_per_week", "duration_months"),
    "family": ("relation", "birth_date", "accompanying"),
    "stays": ("country", "start", "end", "purpose", "lawful"),
    "visas": ("country", "category", "valid_from", "valid_until"),
    "registrations": ("country", "status", "training_years"),
    "funds": ("amount", "currency", "period"),
    "salary": ("amount", "currency", "period"),
    "institution": ("name", "world_rank", "ranked"),
    "employer": ("name", "headcount", "nonprofit"),
    "us_degree_equivalence": ("level", "basis", "field"),
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

_INDEX = re.compile(r"\[\d+\]")

# What a person needs to know to answer the questions that use official vocabularies.
HINTS: Final[dict[str, tuple[str, str]]] = {
    "recognition": (
        "Whether that country's authority has assessed your qualification: full (equivalent), "
        "partial (adjustment measures needed), none, or pending. In Germany this is the "
        "anabin/ZAB check or a recognition notice; in New Zealand an NZQA assessment (IQA).",
        "该国主管机构是否已评估你的学历：完全认可（等同）、部分认可（需补充措施）、未认可或评估中。"
        "德国为anabin/ZAB核查或认可决定；新西兰为NZQA学历评估（IQA）。",
    ),
    "shortage_occupation": (
        "Whether the occupation is on that country's official shortage list "
        "(Germany: Engpassberufe published by the Federal Employment Agency).",
        "该职业是否列入该国官方紧缺职业清单（德国：联邦就业局公布的紧缺职业）。",
    ),
    "occupation": (
        "The ISCO-08 code of the occupation, e.g. 2512 software developers, 2152 electronics "
        "engineers, 2310 university teachers, 133 ICT service managers.",
        "该职业的ISCO-08代码，例如2512软件开发人员、2152电子工程师、2310高校教师、133信息通信服务经理。",
    ),
    "field": (
        "The ISCED-F 2013 field of study: pick a field from the list, or type a 4-digit code "
        "such as 0613 (software) or 0533 (physics).",
        "ISCED-F 2013学科领域：从列表中选择，或输入四位代码，例如0613（软件）、0533（物理）。",
    ),
    "us_wage_level": (
        "The US Department of Labor wage level (I to IV) your offered wage reaches for the job "
        "and place; your employer's registration states it.",
        "你的薪资在该职位和地区达到的美国劳工部工资等级（I至IV），雇主注册时会填写。",
    ),
    "cap_exempt": (
        "Whether the employer is exempt from the H-1B cap: universities, their affiliated "
        "non-profits and non-profit or government research organisations are.",
        "雇主是否免受H-1B配额限制：高校、其附属非营利机构以及非营利或政府科研机构免配额。",
    ),
    "skill_level": (
        "The ANZSCO skill level of the job in New Zealand, 1 (highest) to 5.",
        "该职位在新西兰ANZSCO职业分类中的技能等级，1（最高）至5。",
    ),
    "state_recognised": (
        "Whether the qualification is officially recognised in the country that awarded it.",
        "该学历是否获颁发国官方认可。",
    ),
    "nzqf_level": (
        "The New Zealand Qualifications Framework level (1-10): listed for a New Zealand "
        "qualification, or given by NZQA's assessment (IQA) of a foreign one; an honours "
        "bachelor's is level 8.",
        "新西兰资格框架等级（1-10）：新西兰学历可查询其列明等级，境外学历以NZQA评估（IQA）结果为准；荣誉学士为第8级。",
    ),
    "skilled": (
        "For New Zealand: full-time (30+ guaranteed hours a week) and paid at least the median "
        "wage then in effect (1.5 times it at ANZSCO skill level 4-5).",
        "新西兰：全职（每周保证工时30小时以上），且薪资当时不低于中位数工资（ANZSCO技能等级4-5为其1.5倍）。",
    ),
    "training_years": (
        "The minimum years of training the registration requires, as Immigration New Zealand's "
        "list of registrations eligible for points gives it.",
        "该注册所需的最低培训年限，以新西兰移民局可计分职业注册清单为准。",
    ),
    "accredited": (
        "Whether the New Zealand employer is accredited by Immigration New Zealand.",
        "该新西兰雇主是否获得新西兰移民局认证。",
    ),
    "world_rank": (
        "The institution's position in a world ranking (QS, THE or ARWU), if it is ranked.",
        "该院校在世界排名（QS、THE或ARWU）中的名次（如有）。",
    ),
    "us_petition": (
        "What the employer's H-1B petition asks USCIS for: a change of status, extension or "
        "amendment if you are in the US, or consular, port-of-entry or pre-flight notification. "
        "It decides whether the US$100,000 payment is due.",
        "雇主的H-1B申请向移民局请求的事项：若你在美国，为身份变更、延期或修改；或为领事馆、入境口岸"
        "或预检通知。它决定是否须缴纳10万美元。",
    ),
    "us_status": (
        "Your current US immigration status, if you are in the United States (out of status if "
        "you have not kept a lawful status).",
        "若你身在美国，你当前的美国移民身份（未保持合法身份者选out of status）。",
    ),
    "us_degree_equivalence": (
        "If you have no bachelor's degree: the US degree level an evaluation found your "
        "education (and training or experience) equivalent to, and who made it (a college "
        "official, equivalency exams, a credential evaluation service, a professional body, or "
        "USCIS).",
        "若你没有学士学位：经评估你的教育（及培训或经验）相当于的美国学位层次，以及评估方（大学官员、"
        "同等学力考试、学历评估机构、专业协会或移民局）。",
    ),
}


@dataclass(frozen=True, slots=True)
class Field:
    path: str  # absolute profile path it fills, e.g. "education[0].field"
    kind: FieldKind
    label: str
    options: tuple[tuple[str, str], ...] = ()
    hint: str | None = None  # what the question means, in the reader's language


@dataclass(frozen=True, slots=True)
class Question:
    path: str  # the missing fact, e.g. "education[0].institution.world_rank"
    title: str
    fields: tuple[Field, ...]
    none_label: Literal["none", "no_offer"] | None  # when the answer can be "none"
    waiting: int  # how many criteria are waiting for this fact


@dataclass(frozen=True, slots=True)
class Progress:
    question: Question | None
    remaining: int  # distinct facts still asked for


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


def _countries() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1]))


def _options(path: str, annotation: Any) -> tuple[tuple[str, str], ...]:
    leaf = _INDEX.sub("", path).rsplit(".", 1)[-1]
    if leaf == "field":
        codes = {**ISCED_F_BROAD, **ISCED_F_NARROW}
        return tuple((code, f"{code} {name}") for code, name in sorted(codes.items()))
    if leaf in ("country", "residence", "location"):
        return _countries()
    if leaf == "language":
        return tuple(
            sorted(
                (
                    (lang.alpha_2, lang.name)
                    for lang in pycountry.languages
                    if hasattr(lang, "alpha_2")
                ),
                key=lambda x: x[1],
            )
        )
    if leaf == "currency":
        return tuple(sorted((c.alpha_3, f"{c.alpha_3} {c.name}") for c in pycountry.currencies))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple((str(m.value), str(m.value).replace("_", " ")) for m in annotation)
    return ()


def _kind(path: str, annotation: Any) -> FieldKind:
    if get_origin(annotation) is list:
        return "countries"
    if annotation is bool:
        return "bool"
    if annotation is dt.date:
        return "date"
    if annotation is int:
        return "integer"
    if annotation in (Decimal, float):
        return "number"
    if _INDEX.sub("", path).endswith(".field"):
        return "text"  # detailed codes such as 0613 too; the broad and narrow ones are suggested
    if _options(path, annotation):
        return "select"
    return "text"


def fields_for(path: str, lang: Lang) -> tuple[Field, ...]:
    """Input fields that answer ``path``: one for a plain fact, several for a record."""
    annotation = _annotation_at(path)
    inner = get_args(annotation)[0] if get_origin(annotation) is list else annotation
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        name = _INDEX.sub("", path).rsplit(".", 1)[-1]
        base = f"{path}[0]" if get_origin(annotation) is list else path
        out: list[Field] = []
        for sub in ENTRY_FIELDS.get(name, ()):
            out.extend(fields_for(f"{base}.{sub}", lang))
        return tuple(out)
    leaf = _INDEX.sub("", path).split(".")
    hint = HINTS.get(leaf[-1]) or HINTS.get(leaf[-2] if len(leaf) > 1 else "")
    return (
        Field(
            path,
            _kind(path, annotation),
            field_label(path, lang),
            _options(path, annotation),
            None if hint is None else hint[1 if lang == "zh" else 0],
        ),
    )


def pending(profile: Profile, programs: Sequence[Program], as_of: dt.date) -> Counter[str]:
    """Missing facts by how many criteria, across programmes, wait for each."""
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
        if version is not None:
            # A fee that may be due: the facts that decide it change what it costs.
            for fee in fees_for(profile, program, version, as_of):
                if fee.possible and not fee.due and not fee.fee.optional:
                    waiting.update(m for m in fee.missing if m not in waiting)
    return waiting


def _order(path: str) -> int:
    root = _INDEX.sub("", path).split(".", 1)[0]
    return ORDER.index(root) if root in ORDER else len(ORDER)


def next_question(
    profile: Profile,
    programs: Sequence[Program],
    as_of: dt.date,
    lang: Lang,
    skip: Sequence[str] = (),
) -> Progress:
    waiting = pending(profile, programs, as_of)
    for path in skip:
        waiting.pop(path, None)
    if not waiting:
        return Progress(None, 0)
    path = min(waiting, key=lambda p: (-waiting[p], _order(p), p))
    none = NONE_ANSWER.get(path)
    none_label: Literal["none", "no_offer"] | None = None
    if none is not None:
        none_label = "no_offer" if path == "job_offer" else "none"
    question = Question(
        path, field_label(path, lang), fields_for(path, lang), none_label, waiting[path]
    )
    return Progress(question, len(waiting))


# Codes the surfaces turn into words in the reader's language; other messages are pydantic's.
REQUIRED: Final = "required"
INVALID: Final = "invalid"


class AnswerError(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))
        self.problems = problems


def _parse(f: Field, raw: str) -> Any:
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
        return [c.strip().upper() for c in raw.split(",") if c.strip()]
    return raw


def answer(
    data: dict[str, Any], question: Question, form: Mapping[str, str], none: bool = False
) -> dict[str, Any]:
    """The profile data with this answer applied; raise AnswerError naming each bad field."""
    updated = copy.deepcopy(data)
    if none:
        key, value = NONE_ANSWER[question.path]
        updated[key] = value
    else:
        problems: list[tuple[str, str]] = []
        given = 0
        for f in question.fields:
            raw = (form.get(f.path) or "").strip()
            if not raw:
                continue
            try:
                set_path(updated, f.path, _parse(f, raw))
                given += 1
            except (ValueError, KeyError):
                problems.append((f.path, INVALID))
        if not given and not problems:
            problems.append((question.fields[0].path, REQUIRED))
        if problems:
            raise AnswerError(problems)
    try:
        Profile.model_validate(updated)
    except ValidationError as exc:
        raise AnswerError(
            [(_dotted(e["loc"]), str(e["msg"]).removeprefix("Value error, ")) for e in exc.errors()]
        ) from None
    return updated


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
