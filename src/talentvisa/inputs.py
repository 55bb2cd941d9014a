"""Reading applicant profiles from YAML or JSON, with errors that point at the field."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from talentvisa.profile import Profile
from talentvisa.yamlpos import InputError, Located, dotted, load, loads


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
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = (
                    "unknown field (see 'talentvisa schema' for the fields a profile can have)"
                )
            problems.append((pos, dotted(err["loc"]), message))
        raise InputError(doc.file, problems) from None


def load_profile(path: Path) -> Profile:
    return profile_from(load(path))


def parse_profile(text: str, name: str = "<profile>") -> Profile:
    return profile_from(loads(text, name))
