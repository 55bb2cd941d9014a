"""The flat column layout of a population: one row per person, one column per fact.

Derived from the profile schema, so a new profile field gets a column without new code:

- a field of a record is ``record__field`` (``job_offer__salary__amount``);
- a list holds up to ``SLOTS[name]`` entries, ``education_0__level`` … ``education_2__level``,
  and ``education__n`` says how many there are; a null ``__n`` means the list is unknown,
  0 means "none" (the profile's ``None`` versus ``[]``);
- a map keyed by country has one column per country in ``MAP_KEYS``
  (``education_0__recognition__DE``);
- version 2 (``LAYOUT_VERSION``) types the columns: an enum is a dictionary column of its
  text values, a count or a whole number an integer, money a float64 that reads back as
  exactly its decimal, any other number (hours, scores) a float, a date a date; null is
  unknown. The version is written in the Parquet file's key-value metadata; a file without
  one is version 1 (enums as text, every number a float), refused with the command that
  converts it (``population upgrade``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Final, Literal, get_args, get_origin

from pydantic import BaseModel

from talentvisa.profile import Money, Profile
from talentvisa.rules.types import unwrap

ColumnKind = Literal["bool", "int", "number", "money", "enum", "string", "date"]

LAYOUT_VERSION: Final = 2
VERSION_KEY: Final = b"talentvisa.layout"

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
MAP_KEYS: Final = ("CA", "CN", "DE", "GB", "KR", "NZ", "US")  # GB: Ecctis equivalence (uk-hpi)
SEP: Final = "__"


class LayoutError(ValueError):
    pass


class OldLayout(LayoutError):
    """A population file written in an earlier layout, which ``population upgrade`` converts."""


def _is_list(annotation: Any) -> bool:
    return get_origin(annotation) is list


def _is_map(annotation: Any) -> bool:
    return get_origin(annotation) is dict


def _kind(annotation: Any, money: bool = False) -> ColumnKind:
    if annotation is bool:
        return "bool"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "enum"
    if annotation is str:
        return "string"
    if annotation is dt.date:
        return "date"
    if annotation is int:
        return "int"
    if annotation in (float, Decimal):
        return "money" if money else "number"
    raise LayoutError(f"no column kind for {annotation!r}")


def _columns(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, ColumnKind]]:
    for name, field in model.model_fields.items():
        if name == "cefr_basis":
            continue  # provenance of a value, not a fact the rules read
        annotation = unwrap(field.annotation)
        path = f"{prefix}{name}"
        if _is_list(annotation):
            inner = unwrap(get_args(annotation)[0])
            yield f"{path}{SEP}n", "int"
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
            yield path, _kind(annotation, money=model is Money and name == "amount")


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
            row[f"{path}{SEP}n"] = len(value)
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _fill(row, item, f"{path}_{i}{SEP}")
                else:
                    row[f"{path}_{i}"] = _cell(item, f"{path}_{i}")
        elif isinstance(value, dict):
            for key, item in value.items():
                column = f"{path}{SEP}{key}"
                if column in row:
                    row[column] = _cell(item, column)
        elif isinstance(value, BaseModel):
            _fill(row, value, path + SEP)
        else:
            row[path] = _cell(value, path)


def _cell(value: Any, column: str) -> Any:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return _money(value, column) if COLUMNS[column] == "money" else float(value)
    return value


def _money(amount: Decimal, column: str) -> float:
    """An amount as a float64 that reads back as exactly the same decimal (true of every
    amount of up to 15 significant digits); anything else is refused, not rounded."""
    value = float(amount)
    if Decimal(repr(value)) != amount:
        raise LayoutError(f"{column}: {amount} cannot be held exactly (at most 15 digits)")
    return value


def rows(profiles: Iterable[Profile]) -> list[dict[str, Any]]:
    return [flatten(p) for p in profiles]


def arrow_type(kind: ColumnKind) -> Any:
    """A column kind's Arrow type in this layout version."""
    import pyarrow as pa

    return {
        "bool": pa.bool_(),
        "int": pa.int64(),
        "number": pa.float64(),
        "money": pa.float64(),  # measured against decimals and cents: docs/population.md
        "enum": pa.dictionary(pa.int32(), pa.string()),
        "string": pa.string(),
        "date": pa.date32(),
    }[kind]


def arrow_schema() -> Any:
    """The layout as a pyarrow schema, its version in the metadata that Parquet keeps
    (pyarrow is imported lazily: the core does not need it)."""
    import pyarrow as pa

    fields = [(name, arrow_type(kind)) for name, kind in COLUMNS.items()]
    return pa.schema(fields, metadata={VERSION_KEY: str(LAYOUT_VERSION).encode()})


def version_of(metadata: Mapping[bytes, bytes] | None) -> int:
    """The layout version a file's key-value metadata declares; 1 when it declares none
    (version 1 wrote no version)."""
    raw = (metadata or {}).get(VERSION_KEY)
    if raw is None:
        return 1
    try:
        return int(raw)
    except ValueError:
        raise LayoutError(f"population layout version {raw!r} is not a number") from None


def require_current(path: str | Path) -> None:
    """Refuse a Parquet population that is not in this layout version, in one line that
    says what to do."""
    import pyarrow.parquet as pq

    files = sorted(Path(path).rglob("*.parquet")) if Path(path).is_dir() else [Path(path)]
    if not files:
        raise LayoutError(f"{path}: a directory with no Parquet files")
    version = version_of(pq.read_schema(files[0]).metadata)
    if version < LAYOUT_VERSION:
        raise OldLayout(
            f"{path} is in population layout version {version}; convert it with "
            f"`talentvisa population upgrade {path} OUT.parquet` (layout {LAYOUT_VERSION})"
        )
    if version > LAYOUT_VERSION:
        raise LayoutError(
            f"{path} is in population layout version {version}, newer than this talentvisa "
            f"reads ({LAYOUT_VERSION}); upgrade talentvisa"
        )


def arrow_table(profiles: Iterable[Profile]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(rows(profiles), schema=arrow_schema())
