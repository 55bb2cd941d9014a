"""The K-visa application form: plain fields in, the checker's profile out.

Applicants pick countries, fields of study, occupations and institutions by name (in
English or Chinese, through ``vocab_search``); they never type a code, YAML or a regex.
Degrees and jobs are repeatable rows, numbered ``edu-0-…``, ``work-0-…``; "add another"
and "remove" are submit buttons, so the form works without JavaScript.

Every problem is a message on the field it concerns (an entry of the gettext catalogue,
with its parameters), and the form is shown again with everything as it was typed:
nothing is saved until all of it holds together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from talentvisa.explain import Lang
from talentvisa.profile import Profile, Ranking, WorkKind
from talentvisa.vocab import EducationLevel
from talentvisa.vocab_search import Kind, label, resolve, search

PERSONAL: Final = (
    "surname",
    "given_names",
    "birth_date",
    "nationality",
    "other_nationality",
    "passport_number",
)
EDUCATION: Final = ("level", "field", "institution", "not_listed", "rank", "ranking", "completed")
WORK: Final = (
    "kind",
    "occupation",
    "field",
    "employer",
    "not_listed",
    "rank",
    "ranking",
    "country",
    "start",
    "end",
    "ongoing",
)
ROWS: Final = {"edu": EDUCATION, "work": WORK}
CHECKBOXES: Final = frozenset({"not_listed", "ongoing"})
MANAGED: Final = ("birth_date", "citizenships", "education", "work")  # profile keys it writes
MAX_ROWS: Final = 20
MAX_TEXT: Final = 200
_PASSPORT = re.compile(r"^[A-Z0-9]{1,30}$")

# A message is a catalogue entry and its parameters: the page translates it.
Message = tuple[str, dict[str, str]]


@dataclass
class Form:
    """What the form shows: every field as text, the number of rows, the messages."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=lambda: {"edu": 1, "work": 1})
    errors: dict[str, Message] = field(default_factory=dict)


@dataclass
class Parsed:
    form: Form
    profile: dict[str, Any]
    identity: dict[str, Any]


def _msg(message_id: str, **params: str) -> Message:
    return message_id, params


def from_case(profile: Mapping[str, Any], identity: Mapping[str, Any], lang: Lang) -> Form:
    """The stored application as the form shows it: codes become names in ``lang``."""
    v: dict[str, str] = {}
    for name in ("surname", "given_names", "passport_number"):
        v[name] = str(identity.get(name) or "")
    v["birth_date"] = str(identity.get("birth_date") or profile.get("birth_date") or "")
    nationality = identity.get("nationality")
    others = [c for c in profile.get("citizenships") or [] if c != nationality]
    if nationality is None and others:
        nationality = others.pop(0)
    v["nationality"] = label("countries", nationality, lang) if nationality else ""
    v["other_nationality"] = label("countries", others[0], lang) if others else ""
    education = list(profile.get("education") or [])
    for i, e in enumerate(education):
        p = f"edu-{i}-"
        v[p + "level"] = str(e.get("level") or "")
        v[p + "field"] = label("fields", e["field"], lang) if e.get("field") else ""
        v[p + "completed"] = str(e.get("completed") or "")
        _institution_values(v, p, e.get("institution"), lang)
    work = list(profile.get("work") or [])
    for i, w in enumerate(work):
        p = f"work-{i}-"
        v[p + "kind"] = str(w.get("kind") or "")
        v[p + "occupation"] = (
            label("occupations", w["occupation"], lang) if w.get("occupation") else ""
        )
        v[p + "field"] = label("fields", w["field"], lang) if w.get("field") else ""
        v[p + "country"] = label("countries", w["country"], lang) if w.get("country") else ""
        v[p + "start"] = str(w.get("start") or "")
        v[p + "end"] = str(w.get("end") or "")
        v[p + "ongoing"] = "on" if w.get("ongoing") else ""
        _institution_values(v, p, w.get("employer"), lang, "employer")
    return Form(v, {"edu": max(1, len(education)), "work": max(1, len(work))})


def _institution_values(
    v: dict[str, str], p: str, inst: Mapping[str, Any] | None, lang: Lang, name: str = "institution"
) -> None:
    inst = inst or {}
    if inst.get("id"):  # from the register: its name in the page's language
        v[p + name] = label("institutions", str(inst["id"]), lang)
        return
    v[p + name] = str(inst.get("name") or "")
    if inst.get("world_rank") is not None:
        v[p + "not_listed"] = "on"
        v[p + "rank"] = str(inst["world_rank"])
        v[p + "ranking"] = str(inst.get("ranking") or "")
    elif inst.get("name") and resolve("institutions", str(inst["name"]), lang) is None:
        v[p + "not_listed"] = "on"


def from_post(data: Mapping[str, str]) -> Form:
    """The form as posted, with rows added or removed when one of those buttons was pressed."""
    rows = {kind: _count(data.get(f"{kind}_rows")) for kind in ROWS}
    values: dict[str, str] = {n: _clean(data.get(n, "")) for n in PERSONAL}
    for kind, names in ROWS.items():
        for i in range(rows[kind]):
            for n in names:
                values[f"{kind}-{i}-{n}"] = _clean(data.get(f"{kind}-{i}-{n}", ""))
    form = Form(values, rows)
    add = data.get("add")
    if add in ROWS and rows[add] < MAX_ROWS:
        form.rows[add] += 1
    remove = data.get("remove", "")
    kind, _, index = remove.partition("-")
    if kind in ROWS and index.isdigit() and int(index) < rows[kind]:
        _remove_row(form, kind, int(index))
    return form


def _count(text: str | None) -> int:
    return min(MAX_ROWS, int(text)) if text and text.isdigit() and int(text) > 0 else 1


def _clean(text: str) -> str:
    return text.strip()[: MAX_TEXT * 5]


def _remove_row(form: Form, kind: str, index: int) -> None:
    count = form.rows[kind]
    for i in range(index, count - 1):
        for n in ROWS[kind]:
            form.values[f"{kind}-{i}-{n}"] = form.values.get(f"{kind}-{i + 1}-{n}", "")
    for n in ROWS[kind]:
        form.values.pop(f"{kind}-{count - 1}-{n}", None)
    form.rows[kind] = max(1, count - 1)


def parse(form: Form, today: dt.date) -> Parsed:
    """The profile and identity the form's answers make, and a message on every field
    that is wrong; only a form without messages is saved."""
    reader = _Reader(form)
    born = reader.date("birth_date", before=today)
    nationality = reader.pick("nationality", "countries")
    other = reader.pick("other_nationality", "countries")
    passport = form.values.get("passport_number", "").replace(" ", "").upper()
    if passport and not _PASSPORT.match(passport):
        reader.error(
            "passport_number",
            _msg("Use only the letters and digits of your passport number (at most 30)."),
        )
    identity = {
        "surname": reader.text("surname", 100),
        "given_names": reader.text("given_names", 100),
        "birth_date": born.isoformat() if born else None,
        "nationality": nationality,
        "passport_number": passport,
    }
    profile: dict[str, Any] = {}
    if born:
        profile["birth_date"] = born.isoformat()
    citizenships = list(dict.fromkeys(c for c in (nationality, other) if c))
    if citizenships:
        profile["citizenships"] = citizenships
    education = [e for i in range(form.rows["edu"]) if (e := reader.education(i))]
    work = [w for i in range(form.rows["work"]) if (w := reader.work(i))]
    if education:
        profile["education"] = education
    if work:
        profile["work"] = work
    if not form.errors:
        _check_profile(form, profile)
    return Parsed(form, profile, identity)


def _check_profile(form: Form, profile: dict[str, Any]) -> None:
    """The checker's own schema has the last word; anything it still refuses is shown on
    the row it concerns rather than lost."""
    try:
        Profile.model_validate(profile)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            prefix = {"education": "edu", "work": "work"}.get(loc[0]) if loc else None
            name = f"{prefix}-{loc[1]}-{loc[2]}" if prefix and len(loc) > 2 else "form"
            detail = str(err["msg"]).removeprefix("Value error, ")
            form.errors.setdefault(
                name, _msg("This answer does not fit: %(detail)s", detail=detail)
            )


class _Reader:
    """Reads fields of a form, leaving a message on each one that is wrong."""

    def __init__(self, form: Form) -> None:
        self.form = form

    def error(self, name: str, message: Message) -> None:
        self.form.errors.setdefault(name, message)

    def get(self, name: str) -> str:
        return self.form.values.get(name, "")

    def text(self, name: str, limit: int = MAX_TEXT) -> str | None:
        value = self.get(name)
        if "\x00" in value:
            self.error(name, _msg("This text contains a character that cannot be stored."))
            return None
        if len(value) > limit:
            self.error(name, _msg("At most %(n)s characters, please.", n=str(limit)))
            return None
        return value or None

    def date(self, name: str, before: dt.date | None = None) -> dt.date | None:
        value = self.get(name)
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.error(
                name,
                _msg(
                    "This is not a date. Pick it in the calendar, or write year-month-day, "
                    "e.g. 1997-03-14."
                ),
            )
            return None
        if day.year < 1900:
            self.error(name, _msg("This date is too long ago; check the year."))
            return None
        if before is not None and day > before:
            self.error(name, _msg("This date is in the future; check it."))
            return None
        return day

    def pick(self, name: str, kind: Kind) -> str | None:
        """A code from a name the person typed or picked from the suggestions."""
        value = self.text(name)
        if not value:
            return None
        code = resolve(kind, value)
        if code is None:
            near = ", ".join(h.label for h in search(kind, value, limit=3))
            self.error(
                name,
                _msg("We do not know “%(text)s”. Did you mean: %(near)s?", text=value, near=near)
                if near
                else _msg(
                    "We do not know “%(text)s”. Pick a name from the suggestions.", text=value
                ),
            )
        return code

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        value = self.get(name)
        if value and value not in allowed:
            self.error(name, _msg("Choose one of the options."))
            return None
        return value or None

    def number(self, name: str) -> int | None:
        value = self.get(name)
        if not value:
            return None
        if not value.isdigit() or not 1 <= int(value) <= 100000:
            self.error(name, _msg("A position in the ranking, a whole number such as 118."))
            return None
        return int(value)

    def blank(self, prefix: str, names: tuple[str, ...]) -> bool:
        return not any(self.get(prefix + n) for n in names)

    def institution(self, p: str, name: str) -> dict[str, Any] | None:
        """An institution from the register by name (the rules then read its rankings and
        lists there), or, ticked "not listed", as typed
            with its world rank; a rank is typed only for an institution we do not list."""
        typed = self.text(p + name)
        not_listed = bool(self.get(p + "not_listed"))
        rank = self.number(p + "rank")
        ranking = self.choice(p + "ranking", tuple(r.value for r in Ranking))
        if not not_listed:
            if rank is not None or ranking is not None:
                self.error(
                    p + "rank",
                    _msg(
                        "Tick “My institution is not listed” to give a rank yourself; for a "
                        "listed institution the rankings come from our register."
                    ),
                )
            if typed is None:
                return None
            code = resolve("institutions", typed)
            if code is None:
                self.error(
                    p + name,
                    _msg(
                        "This institution is not in our list. Pick one of the suggestions, "
                        "or tick “My institution is not listed”."
                    ),
                )
                return None
            return {"id": code}  # the register gives its name, country and standing
        if typed is None:
            self.error(p + name, _msg("Give the institution's name."))
            return None
        found: dict[str, Any] = {"name": typed}
        if rank is not None:
            found["world_rank"] = rank
            if ranking:
                found["ranking"] = ranking
        elif ranking:
            self.error(p + "rank", _msg("Give the position in the ranking you chose."))
        return found

    def education(self, i: int) -> dict[str, Any] | None:
        p = f"edu-{i}-"
        if self.blank(p, EDUCATION):
            return None
        entry: dict[str, Any] = {}
        level = self.choice(p + "level", tuple(e.value for e in EducationLevel))
        if level:
            entry["level"] = level
        if (code := self.pick(p + "field", "fields")) is not None:
            entry["field"] = code
        if (inst := self.institution(p, "institution")) is not None:
            entry["institution"] = inst
        if (done := self.date(p + "completed")) is not None:
            entry["completed"] = done.isoformat()
        return entry

    def work(self, i: int) -> dict[str, Any] | None:
        p = f"work-{i}-"
        if self.blank(p, WORK):
            return None
        entry: dict[str, Any] = {}
        kind = self.choice(p + "kind", tuple(k.value for k in WorkKind))
        if kind:
            entry["kind"] = kind
        picks: tuple[tuple[str, Kind], ...] = (
            ("occupation", "occupations"),
            ("field", "fields"),
            ("country", "countries"),
        )
        for name, vocabulary in picks:
            if (code := self.pick(p + name, vocabulary)) is not None:
                entry[name] = code
        if (employer := self.institution(p, "employer")) is not None:
            entry["employer"] = employer
        start = self.date(p + "start")
        end = self.date(p + "end")
        ongoing = bool(self.get(p + "ongoing"))
        if start:
            entry["start"] = start.isoformat()
        if ongoing and end:
            self.error(
                p + "end",
                _msg("You said you still do this work: leave the end date empty, or untick it."),
            )
        elif start and end and end < start:
            self.error(p + "end", _msg("The end date is before the start date."))
        elif end:
            entry["end"] = end.isoformat()
        elif ongoing:
            entry["ongoing"] = True
        return entry
