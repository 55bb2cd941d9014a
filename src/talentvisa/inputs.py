"""Reading applicant profiles from YAML or JSON, with errors that point at the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from pydantic import ValidationError

from talentvisa.messages import TEMPLATES, Said, said
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import whole_years
from talentvisa.yamlpos import InputError, Located, PathKey, dotted, load, loads

# A profile is a few kilobytes; anything near this is not one. The web body guard and the
# upload form use the same limit.
MAX_PROFILE_BYTES: Final = 256 * 1024


def profile_from(doc: Located) -> Profile:
    if not isinstance(doc.data, dict):
        raise InputError(
            doc.file,
            [(None, "", "a profile must be a mapping of fields, e.g. 'birth_date: 1997-05-10'")],
        )
    try:
        return Profile.model_validate(doc.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            pos, _ = doc.position_of(err["loc"])
            message = said(err)
            if err["type"] == "extra_forbidden":
                message = Said(
                    "unknown field (see 'talentvisa schema' for the fields a profile can have)",
                    "未知字段（`talentvisa schema` 列出个人资料可填写的字段）",
                )
            problems.append((pos, dotted(err["loc"]), message))
        raise InputError(doc.file, problems) from None


def _said(kind: str, **ctx: object) -> Said:
    en, zh = TEMPLATES[kind]
    return Said(en.format(**ctx), zh.format(**ctx))


def conflicts_on(profile: Profile, as_of: dt.date) -> list[tuple[PathKey, str]]:
    """Stated facts that cannot both be true on the assessment date, as (field path, message).

    A profile is validated before the date is known, and may be assessed for any date, so
    these checks belong to the assessment, not to the profile: a birth date after the
    assessment date, and a stated age that the birth date contradicts on that date (the
    evaluator would silently prefer the birth date).
    """
    born = profile.birth_date
    if born is None:
        return []
    if born > as_of:
        return [(("birth_date",), _said("birth_after_as_of", born=born, as_of=as_of))]
    if profile.age is not None and profile.age != (years := whole_years(born, as_of)):
        return [
            (
                ("age",),
                _said("age_disagrees", age=profile.age, born=born, as_of=as_of, years=years),
            )
        ]
    return []


def check_on(
    profile: Profile,
    as_of: dt.date,
    file: str = "<profile>",
    doc: Located | None = None,
    prefix: PathKey = (),
) -> Profile:
    """The profile, if it holds together on ``as_of``; else InputError naming the fields
    (with line and column when ``doc`` is the text it was read from). Every surface that
    assesses (CLI check, compare and changes, the API and the pages) calls this."""
    conflicts = conflicts_on(profile, as_of)
    if conflicts:
        raise InputError(
            file,
            [
                (doc.position_of(path)[0] if doc else None, dotted((*prefix, *path)), message)
                for path, message in conflicts
            ],
        )
    return profile


def load_profile(path: Path, as_of: dt.date | None = None) -> Profile:
    """A profile file, refused unread when over MAX_PROFILE_BYTES; checked on ``as_of``."""
    doc = load(path, max_bytes=MAX_PROFILE_BYTES)
    profile = profile_from(doc)
    return profile if as_of is None else check_on(profile, as_of, doc.file, doc)


def parse_profile(text: str, name: str = "<profile>") -> Profile:
    if len(text.encode("utf-8")) > MAX_PROFILE_BYTES:
        limit = MAX_PROFILE_BYTES // 1024
        raise InputError(name, [(None, "", f"too large: more than {limit} KiB, the limit")])
    return profile_from(loads(text, name))
