"""The institution register: which rankings and official lists a university appears on, and
what that gives the rules on an assessment date.

People pick an institution by name; the rules read its standing from the cited register
(``data/institutions.json``), never from a rank the person types. The standing depends on
the date: the edition of each ranking in force is the latest published on or before it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from talentvisa.messages import said_error

if TYPE_CHECKING:
    from talentvisa.profile import Institution, Profile

REGISTER_FILE: Final = Path(str(resources.files("talentvisa") / "data" / "institutions.json"))


@dataclass(frozen=True, slots=True)
class Edition:
    list_id: str
    edition: str
    published: dt.date


@dataclass(frozen=True, slots=True)
class Entry:
    """One institution: its official name, other names, country and listings."""

    id: str
    name: str
    country: str
    aliases: tuple[tuple[str, str], ...]  # (name, language)
    positions: tuple[tuple[Edition, int], ...]  # an edition of a ranking and the position in it
    named: tuple[Edition, ...]  # editions of named lists it is on
    flagged: tuple[Edition, ...] = ()  # editions of lists that fill a field of their own


@dataclass(frozen=True, slots=True)
class Standing:
    """What the register says on one date: best position, which ranking and edition."""

    world_rank: int | None
    ranking: str | None
    ranking_year: int | None
    named_list: bool
    flags: tuple[tuple[str, bool], ...] = ()  # (institution field, on the list in force)


@cache
def _document() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    return doc


@cache
def lists() -> dict[str, dict[str, Any]]:
    """The rankings and official lists the register cites, by id."""
    found: dict[str, dict[str, Any]] = _document()["lists"]
    return found


@cache
def _editions() -> dict[tuple[str, str], Edition]:
    return {
        (lid, ed): Edition(lid, ed, dt.date.fromisoformat(info["published"]))
        for lid, meta in lists().items()
        for ed, info in meta["editions"].items()
    }


@cache
def entries() -> dict[str, Entry]:
    """Every institution of the register by id, in the register's order."""
    editions = _editions()
    found: dict[str, Entry] = {}
    for raw in _document()["institutions"]:
        on = [(editions[(a["list"], a["edition"])], a.get("position")) for a in raw["appears_on"]]
        found[raw["id"]] = Entry(
            id=raw["id"],
            name=raw["name"],
            country=raw["country"],
            aliases=tuple((a["text"], a["lang"]) for a in raw["aliases"]),
            positions=tuple((e, p) for e, p in on if p is not None),
            named=tuple(e for e, p in on if p is None and not _fills(e.list_id)),
            flagged=tuple(e for e, p in on if p is None and _fills(e.list_id)),
        )
    return found


def _fills(list_id: str) -> str | None:
    """The institution field a list fills (Japan's J-Find list: ``jp_jfind_list``), if any:
    such a list is read by its own programme only, never as the shared named list."""
    field: str | None = lists()[list_id].get("fills")
    return field


def check_institution_id(value: str | None) -> str | None:
    """Accept the id of an institution of the register."""
    if value is None or value in entries():
        return value
    raise said_error("institution_id", value=value)


def _in_force(list_id: str, as_of: dt.date) -> Edition | None:
    """The latest edition of a list published on or before the date."""
    published = [
        e for (lid, _), e in _editions().items() if lid == list_id and e.published <= as_of
    ]
    return max(published, key=lambda e: e.published, default=None)


def standing(entry: Entry, as_of: dt.date) -> Standing:
    """The best position across world rankings in their editions in force on ``as_of``,
    and whether a named list in force names the institution."""
    best: tuple[int, Edition] | None = None
    for edition, position in entry.positions:
        if _in_force(edition.list_id, as_of) != edition:
            continue
        if best is None or position < best[0]:
            best = (position, edition)
    named = any(_in_force(e.list_id, as_of) == e for e in entry.named)
    flags = _flags(entry, as_of)
    if best is None:
        return Standing(None, None, None, named, flags)
    position, edition = best
    ranking = lists()[edition.list_id].get("ranking")
    return Standing(position, ranking, int(edition.edition), named, flags)


def _flags(
    entry: Entry, as_of: dt.date, awarded: dt.date | None = None
) -> tuple[tuple[str, bool], ...]:
    """For each list that fills a field: true when its edition in force names the
    institution; false only when that edition is held whole and does not. Not being on the
    part of a list we hold says nothing, so the field stays unknown.

    A list for an award year (``awarded``: the UK's HPI Global Universities List N covers
    degrees awarded 1 Nov N to 31 Oct N+1) is read only for a degree awarded in its range;
    an edition that ``keeps`` an earlier one (the retrospective expansion of November 2025)
    names every institution that one named, and more."""
    found: list[tuple[str, bool]] = []
    for list_id, meta in lists().items():
        field = meta.get("fills")
        edition = _in_force(list_id, as_of) if field else None
        if field is None or edition is None or not _covers(meta, awarded):
            continue
        if _names(entry, list_id, edition.edition):
            found.append((field, True))
        elif meta["editions"][edition.edition].get("whole", False):
            found.append((field, False))
    return tuple(found)


def _covers(meta: dict[str, Any], awarded: dt.date | None) -> bool:
    """Whether a list applies to a degree awarded on ``awarded`` (lists without an award
    range apply to every degree; one with a range needs the award date)."""
    span = meta.get("awarded")
    if span is None:
        return True
    if awarded is None:
        return False
    return dt.date.fromisoformat(span["from"]) <= awarded <= dt.date.fromisoformat(span["until"])


def _names(entry: Entry, list_id: str, edition: str) -> bool:
    """On that edition, or on an earlier edition it keeps."""
    if Edition(list_id, edition, _editions()[(list_id, edition)].published) in entry.flagged:
        return True
    kept = lists()[list_id]["editions"][edition].get("keeps")
    return kept is not None and _names(entry, list_id, str(kept))


def fill(institution: Institution, as_of: dt.date, awarded: dt.date | None = None) -> Institution:
    """The institution with the facts the register gives on ``as_of`` filled in
    (``awarded``: the date of the degree, for lists kept by award year).

    What the person stated stays: a typed world rank is kept (the way to answer for an
    institution the register does not list, or an edition it lacks)."""
    from talentvisa.profile import ListMembership, Ranking  # the profile imports this module

    if institution.id is None:
        return institution
    entry = entries()[institution.id]
    given = institution.model_fields_set
    found = standing(entry, as_of)
    if awarded is not None:
        found = Standing(
            found.world_rank,
            found.ranking,
            found.ranking_year,
            found.named_list,
            _flags(entry, as_of, awarded),
        )
    update: dict[str, Any] = {}
    if "name" not in given:
        update["name"] = entry.name
    if "country" not in given:
        update["country"] = entry.country
    if "world_rank" not in given and found.world_rank is not None:
        update |= {
            "world_rank": found.world_rank,
            "ranking": Ranking(found.ranking) if found.ranking else None,
            "ranking_year": found.ranking_year,
            "ranked": True,
        }
    if "named_list" not in given and found.named_list:
        update["named_list"] = ListMembership.listed
    update |= {field: on for field, on in found.flags if field not in given}
    return institution.model_copy(update=update) if update else institution


def on_date(profile: Profile, as_of: dt.date) -> Profile:
    """The profile with every institution picked from the register (education and
    employers) filled in from the register's editions in force on ``as_of``."""
    update: dict[str, Any] = {}
    if profile.education and any(e.institution and e.institution.id for e in profile.education):
        update["education"] = [
            e.model_copy(update={"institution": fill(e.institution, as_of, e.completed)})
            if e.institution is not None
            else e
            for e in profile.education
        ]
    if profile.work and any(w.employer and w.employer.id for w in profile.work):
        update["work"] = [
            w.model_copy(update={"employer": fill(w.employer, as_of)})
            if w.employer is not None
            else w
            for w in profile.work
        ]
    return profile.model_copy(update=update) if update else profile
