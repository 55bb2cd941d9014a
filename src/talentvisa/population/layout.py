"""The flat column layout of a population: one row per person, one column per fact.

Derived from the profile schema, so a new profile field gets a column without new code:

- a field of a record is ``record__field`` (``job_offer__salary__amount``);
- a list holds up to ``SLOTS[name]`` entries, ``education_0__level`` … ``education_2__level``,
  and ``education__n`` says how many there are; a null ``__n`` means the list is unknown,
  0 means "none" (the profile's ``None`` versus ``[]``);
- a map keyed by country has one column per country in ``MAP_KEYS``
  (``education_0__recognition__DE``);
- enums are their text values, dates are dates, numbers are floats; null is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from enum import Enum
from typing import Any, Final, Literal, get_args, get_origin

from pydantic import BaseModel

from talentvisa.profile import Profile
from talentvisa.rules.types import unwrap

ColumnKind = Literal["bool", "number", "string", "date"]

SLOTS: Final[dict[str, int]] = {
    "citizenships": 3,
    "education": 3,
    "work": 4,
    "languages": 3,
    "family": 3,
    "stays": 3,
    "visas": 2,
    "registrations": 2,
}
MAP_KEYS: Final = ("CN", "DE", "KR", "NZ", "US")
SEP: Final = "__"


class LayoutError(ValueError):
    pass


def _is_list(annotation: Any) -> bool:
    return get_origin(annotation) is list


def _is_map(annotation: Any) -> bool:
    return get_origin(annotation) is dict


def _kind(annotation: Any) -> ColumnKind:
    if annotation is bool:
        return "bool"
    if isinstance(annotation, type) and issubclass(annotation, Enum | str):
        return "string"
    if annotation is dt.date:
        return "date"
    if annotation in (int, float, Decimal):
        return "number"
    raise LayoutError(f"no column kind for {annotation!r}")


def _columns(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, ColumnKind]]:
    for name, field in model.model_fields.items():
        if name == "cefr_basis":
            continue  # provenance of a value, not a fact the rules read
        annotation = unwrap(field.annotation)
        path = f"{prefix}{name}"
        if _is_list(annotation):
            inner = unwrap(get_args(annotation)[0])
            yield f"{path}{SEP}n", "number"
            for i in range(SLOTS[name]):
                slot = f"{path}_{i}"
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    yield from _columns(inner, slot + SEP)
                else:
                    yield slot, _kind(inner)
        elif _is_map(annotation):
            value = unwrap(get_args(annotation)[1])
            for key in MAP_KEYS:
                yield f"{path}{SEP}{key}", _kind(value)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _columns(annotation, path + SEP)
        else:
            yield path, _kind(annotation)


COLUMNS: Final[dict[str, ColumnKind]] = dict(_columns(Profile, ""))


def flatten(profile: Profile) -> dict[str, Any]:
    """One row: every column, null where the profile does not say."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    _fill(row, profile, "")
    return row


def _fill(row: dict[str, Any], model: BaseModel, prefix: str) -> None:
    for name in type(model).model_fields:
        if name == "cefr_basis":
            continue
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if value is None:
            continue
        if isinstance(value, list):
            if len(value) > SLOTS[name]:
                raise LayoutError(f"{path}: {len(value)} entries, the layout holds {SLOTS[name]}")
            row[f"{path}{SEP}n"] = float(len(value))
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _fill(row, item, f"{path}_{i}{SEP}")
                else:
                    row[f"{path}_{i}"] = _cell(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                column = f"{path}{SEP}{key}"
                if column in row:
                    row[column] = _cell(item)
        elif isinstance(value, BaseModel):
            _fill(row, value, path + SEP)
        else:
            row[path] = _cell(value)


def _cell(value: Any) -> Any:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return float(value)
    return value


def rows(profiles: Iterable[Profile]) -> list[dict[str, Any]]:
    return [flatten(p) for p in profiles]


ARROW_TYPES: Final = {"bool": "bool_", "number": "float64", "string": "string", "date": "date32"}


def arrow_schema() -> Any:
    """The layout as a pyarrow schema (imported lazily: the core does not need pyarrow)."""
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, ARROW_TYPES[kind])()) for name, kind in COLUMNS.items()])


def arrow_table(profiles: Iterable[Profile]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(rows(profiles), schema=arrow_schema())
