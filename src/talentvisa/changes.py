"""What would I need to change: the smallest actionable steps to eligibility, and what time does.

Candidate steps come from the rules themselves: every comparison that failed on a fact a
person can act on (a language level, a test score, a salary, savings, recognition of a
degree, hours) proposes setting that fact to the value that would pass, and every
language condition proposes taking that language to the level it names. Each step is
re-assessed with the real evaluator, so a suggestion is only made if it truly changes
the answer. Facts nobody can act on (age, nationality) are never proposed; instead, the
assessment is re-run at later dates to say when time alone opens or closes a door.

Effort is in estimated months and is our assumption, stated as such to users:
about six months of study per CEFR level (roughly the 200 guided learning hours per level
language examiners publish as a rule of thumb), three months to prepare a test retake,
four months for a recognition procedure, one month to put savings in place, and two to
twelve months to find pay that is up to 10 %, 30 % or more above the current offer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any, Final

from pydantic import ValidationError

from talentvisa.paths import set_path
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import Assessment, Check, Status, evaluate
from talentvisa.rules.expr import Attr as AttrNode
from talentvisa.rules.expr import Call, Compare, Lambda, ListLit, Name, Node
from talentvisa.rules.expr import Literal as Lit
from talentvisa.rules.loader import version_conditions, walk
from talentvisa.rules.model import Program, Text
from talentvisa.vocab import Cefr

MONTHS_PER_CEFR_LEVEL: Final = Decimal(6)
TEST_RETAKE_MONTHS: Final = Decimal(3)
RECOGNITION_MONTHS: Final = Decimal(4)
SAVINGS_MONTHS: Final = Decimal(1)
HOURS_MONTHS: Final = Decimal(1)
MAX_CANDIDATES: Final = 30
EFFORT_NOTE: Final = Text(
    en="Effort is our rough estimate in months (about 6 per CEFR language level, 3 for a "
    "test retake, 4 for a recognition procedure, 2-12 for better pay), not a figure from "
    "any authority.",
    zh="所需时间为本工具的粗略估计（每提升一个CEFR语言等级约6个月，重考约3个月，学历认证约4个月，"
    "加薪2至12个月），并非任何官方数字。",
)
TIME_HORIZON_MONTHS: Final = 72

_LANGUAGE_NAMES: Final = {
    "de": ("German", "德语"),
    "en": ("English", "英语"),
    "zh": ("Chinese", "中文"),
    "ko": ("Korean", "韩语"),
}


@dataclass(frozen=True, slots=True)
class Step:
    """One change to a fact the person can act on."""

    path: str  # the profile path it sets
    value: Any
    text: Text
    effort_months: Decimal


@dataclass(frozen=True, slots=True)
class Suggestion:
    program: str
    steps: tuple[Step, ...]
    status: Status  # the status after the steps

    @property
    def effort_months(self) -> Decimal:
        return sum((s.effort_months for s in self.steps), Decimal(0))


@dataclass(frozen=True, slots=True)
class TimeEffect:
    """The first date on which the status changes with no action, and the criteria that do it."""

    program: str
    date: dt.date
    before: Status
    after: Status
    criteria: tuple[Text, ...]


@dataclass(frozen=True, slots=True)
class Changes:
    program: str
    name: Text
    status: Status
    suggestions: tuple[Suggestion, ...]
    time: TimeEffect | None


# ---------------------------------------------------------------- applying steps


def apply(profile: Profile, steps: Sequence[Step]) -> Profile | None:
    """The profile with the steps applied, or None if the result is not a valid profile."""
    data = profile.model_dump(mode="json", exclude_none=True)
    for step in steps:
        set_path(data, step.path, step.value)
    try:
        return Profile.model_validate(data)
    except ValidationError:
        return None


# ---------------------------------------------------------------- candidate steps


def _language_name(code: str, zh: bool) -> str:
    names = _LANGUAGE_NAMES.get(code)
    return names[1 if zh else 0] if names else code


def _language_step(profile: Profile, index: int, level: Cefr) -> Step | None:
    entries = profile.languages or []
    current = entries[index].cefr if index < len(entries) else None
    if current is not None and Cefr.rank(current) >= Cefr.rank(level):
        return None
    gained = Cefr.rank(level) - (Cefr.rank(current) if current is not None else -1)
    code = entries[index].language if index < len(entries) else None
    entry: dict[str, Any] = {"cefr": level.value, "cefr_basis": "stated"}
    if code:
        entry["language"] = code
    return Step(
        f"languages[{index}]",
        entry,
        Text(
            en=f"Reach {_language_name(code or '', False)} {level.value}",
            zh=f"{_language_name(code or '', True)}达到{level.value}",
        ),
        MONTHS_PER_CEFR_LEVEL * gained,
    )


def _raise_months(old: Decimal, new: Decimal) -> Decimal:
    ratio = new / old if old else Decimal(99)
    if ratio <= Decimal("1.1"):
        return Decimal(2)
    return Decimal(6) if ratio <= Decimal("1.3") else Decimal(12)


_SALARY: Final = re.compile(r"^job_offer\.salary\.per_(year|hour)$")
_RECOGNITION: Final = re.compile(r"^education\[(\d+)\]\.recognition\.([A-Z]{2})$")
_LANG_FIELD: Final = re.compile(r"^languages\[(\d+)\]\.(cefr|score)$")


def _from_check(profile: Profile, check: Check) -> Step | None:
    """The step that would turn this failed comparison around, if a person can take it."""
    if check.result is not False or check.left is None:
        return None
    target, op = check.right_value, check.op
    if op not in (">=", ">", "==", "in"):
        return None
    if m := _LANG_FIELD.match(check.left):
        index = int(m[1])
        if m[2] == "cefr" and isinstance(target, str) and op in (">=", "=="):
            return _language_step(profile, index, Cefr(target))
        if m[2] == "score" and isinstance(target, int | Decimal) and op == ">=":
            entry = (profile.languages or [])[index]
            test = entry.test.value if entry.test else "test"
            return Step(
                f"languages[{index}]",
                {"language": entry.language, "test": test, "score": str(target)},
                Text(en=f"Score {target} in {test}", zh=f"{test}考到{target}分"),
                TEST_RETAKE_MONTHS,
            )
        return None
    if m := _SALARY.match(check.left):
        if op not in (">=", ">") or not isinstance(target, int | Decimal):
            return None
        salary = profile.job_offer.salary if profile.job_offer else None
        if salary is None:
            return None
        amount = Decimal(target) if op == ">=" else Decimal(target) + Decimal("0.01")
        period = m[1]
        amount = amount.quantize(Decimal("0.01"))
        return Step(
            "job_offer.salary",
            {"amount": str(amount), "currency": salary.currency, "period": period},
            Text(
                en=f"A salary of at least {salary.currency} {amount:,} per {period}",
                zh=f"薪资至少每{'年' if period == 'year' else '小时'}{salary.currency} {amount:,}",
            ),
            _raise_months(Decimal(check.left_value), amount),
        )
    if check.left == "funds.amount" and op in (">=", ">") and profile.funds is not None:
        amount = Decimal(target)
        return Step(
            "funds",
            {**profile.funds.model_dump(mode="json", exclude_none=True), "amount": str(amount)},
            Text(
                en=f"Show funds of {profile.funds.currency} {amount:,}",
                zh=f"证明资金达到{profile.funds.currency} {amount:,}",
            ),
            SAVINGS_MONTHS,
        )
    if (m := _RECOGNITION.match(check.left)) and op in ("==", "in"):
        levels = target if isinstance(target, tuple) else (target,)
        if "full" in levels or "partial" in levels:
            level = "partial" if "partial" in levels else "full"
            return Step(
                f"education[{m[1]}].recognition.{m[2]}",
                level,
                Text(
                    en=f"Get qualification {int(m[1]) + 1} {'partially' if level == 'partial' else 'fully'} recognised in {m[2]}",
                    zh=f"使学历{int(m[1]) + 1}在{m[2]}获得{'部分' if level == 'partial' else '完全'}认可",
                ),
                RECOGNITION_MONTHS,
            )
    if check.left == "job_offer.hours_per_week" and op in (">=", ">"):
        return Step(
            "job_offer.hours_per_week",
            str(target),
            Text(en=f"Work at least {target} hours a week", zh=f"每周工作至少{target}小时"),
            HOURS_MONTHS,
        )
    return None


def _checks(a: Assessment) -> Iterator[Check]:
    for c in a.criteria:
        yield from c.checks
    if a.points is not None:
        for row in a.points.rows:
            yield from row.checks


def _language_templates(program: Program, as_of: dt.date) -> Iterator[tuple[str, Cefr]]:
    """(language, level) pairs the rules name: ``any(languages, l => l.language == "de"
    and l.cefr >= "B1")`` gives ("de", B1)."""
    version = program.version_at(as_of)
    if version is None:
        return
    for _, node in version_conditions(version):
        for n in walk(node):
            if not (isinstance(n, Call) and n.func == "any" and _is_languages(n.args[0])):
                continue
            fn = n.args[1]
            assert isinstance(fn, Lambda)
            codes = list(_attr_literals(fn.body, "language"))
            levels = list(_attr_literals(fn.body, "cefr"))
            for code in codes:
                for level in levels:
                    yield code, Cefr(level)


def _is_languages(node: Node) -> bool:
    return isinstance(node, Name) and node.name == "languages"


def _attr_literals(body: Node, attr: str) -> Iterator[str]:
    for n in walk(body):
        if (
            isinstance(n, Compare)
            and isinstance(n.left, AttrNode)
            and n.left.name == attr
            and n.op in ("==", ">=", "in")
        ):
            if isinstance(n.right, Lit) and isinstance(n.right.value, str):
                yield n.right.value
            elif isinstance(n.right, ListLit):
                yield from (i.value for i in n.right.items if isinstance(i, Lit))


def candidates(profile: Profile, program: Program, baseline: Assessment) -> list[Step]:
    steps: dict[tuple[str, str], Step] = {}

    def add(step: Step | None) -> None:
        if step is not None:
            steps.setdefault((step.path, repr(step.value)), step)

    for check in _checks(baseline):
        add(_from_check(profile, check))
    entries = profile.languages or []
    for code, level in _language_templates(program, baseline.as_of):
        index = next((i for i, e in enumerate(entries) if e.language == code), len(entries))
        step = _language_step(profile, index, level)
        if step is not None and index == len(entries):
            step = Step(
                step.path,
                {"language": code, "cefr": level.value, "cefr_basis": "stated"},
                Text(
                    en=f"Reach {_language_name(code, False)} {level.value}",
                    zh=f"{_language_name(code, True)}达到{level.value}",
                ),
                step.effort_months,
            )
        add(step)
    return sorted(steps.values(), key=lambda s: s.effort_months)[:MAX_CANDIDATES]


# ---------------------------------------------------------------- search


_STATUS_GAIN: Final[dict[Status, int]] = {
    "eligible": 0,
    "undetermined": 1,
    "ineligible": 2,
    "not_in_force": 3,
}


def _conflict(steps: Sequence[Step]) -> bool:
    paths = [s.path for s in steps]
    return any(
        a == b or b.startswith(a + ".") or a.startswith(b + ".") for a, b in combinations(paths, 2)
    )


def suggestions_for(
    profile: Profile, program: Program, as_of: dt.date, *, max_steps: int = 2, limit: int = 5
) -> Changes:
    baseline = evaluate(profile, program, as_of)
    time = time_effect(profile, program, as_of, baseline)
    if baseline.status in ("eligible", "not_in_force"):
        return Changes(program.id, program.name, baseline.status, (), time)
    pool = candidates(profile, program, baseline)
    found: list[Suggestion] = []
    for size in range(1, max_steps + 1):
        for steps in combinations(pool, size):
            if _conflict(steps) or any(all(s in steps for s in f.steps) for f in found):
                continue
            changed = apply(profile, steps)
            if changed is None:
                continue
            after = evaluate(changed, program, as_of).status
            if after == "eligible":
                found.append(Suggestion(program.id, tuple(steps), after))
        if found:
            break  # fewer steps first: a two-step plan is offered only if no one step does it
    found.sort(key=lambda s: (s.effort_months, len(s.steps)))
    return Changes(program.id, program.name, baseline.status, tuple(found[:limit]), time)


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def time_effect(
    profile: Profile, program: Program, as_of: dt.date, baseline: Assessment | None = None
) -> TimeEffect | None:
    """When will the answer change if nothing but time passes (birthdays, experience, law)?"""
    before = baseline or evaluate(profile, program, as_of)
    lo = as_of
    for months in range(1, TIME_HORIZON_MONTHS + 1):
        hi = _add_months(as_of, months)
        later = evaluate(profile, program, hi)
        if later.status != before.status:
            while (hi - lo).days > 1:
                mid = lo + (hi - lo) / 2
                if evaluate(profile, program, mid).status == before.status:
                    lo = mid
                else:
                    hi = mid
            after = evaluate(profile, program, hi)
            return TimeEffect(program.id, hi, before.status, after.status, _changed(before, after))
        lo = hi
    return None


def _changed(before: Assessment, after: Assessment) -> tuple[Text, ...]:
    was = {c.id: c.result for c in before.criteria}
    texts: list[Text] = []
    for c in after.criteria:
        if c.kind == "criterion" and c.title is not None and was.get(c.id, c.result) != c.result:
            texts.append(c.title)
    if before.points and after.points and before.points.score != after.points.score:
        texts.extend(
            r.title
            for r, old in zip(after.points.rows, before.points.rows, strict=False)
            if r.result != old.result
        )
    return tuple(texts)


def by_reach(results: Sequence[Changes]) -> tuple[Changes, ...]:
    """Eligible first, then the programmes that take the least effort to reach."""

    def key(c: Changes) -> tuple[int, Decimal]:
        best = c.suggestions[0].effort_months if c.suggestions else Decimal("Infinity")
        return (_STATUS_GAIN[c.status] if c.status == "eligible" else 1, best)

    return tuple(sorted(results, key=key))
