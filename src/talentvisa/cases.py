"""Programme test cases: YAML tables of profile, date and expected results beside each programme.

They are data so that a policy reader can add a worked example from a source without
writing Python, and so that every engine (the evaluator now, compiled ones later) can be
held to the same table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from talentvisa.rules.evaluator import Result, Status
from talentvisa.yamlpos import InputError, dotted, load


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Status
    criteria: dict[str, Result] = {}
    missing: list[str] | None = None
    interpretations: list[str] | None = None
    points: int | None = None
    points_possible: int | None = Field(
        default=None, description="Points if every undetermined row turned out true."
    )
    fees: dict[str, Decimal | Literal["maybe"] | None] = Field(
        default={},
        description="Fee id -> amount due, 'maybe' when it may be due, or null when not due.",
    )
    chance: Decimal | tuple[Decimal, Decimal] | None = Field(
        default=None, description="Selection chance, or [low, high] when facts are missing."
    )


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    as_of: dt.date
    source: str | None = Field(default=None, description="Where the worked example comes from.")
    profile: dict[str, Any]
    findings: dict[str, bool] = {}
    expect: Expected


_CASES = TypeAdapter(list[Case])


def case_files(programs_dir: Path) -> list[Path]:
    return sorted(programs_dir.glob("*.cases.yaml"))


def load_cases(path: Path) -> list[Case]:
    doc = load(path, aliases=True)  # our own case files share fragments
    try:
        return _CASES.validate_python(doc.data)
    except ValidationError as exc:
        problems = [
            (doc.position_of(e["loc"])[0], dotted(e["loc"]), e["msg"]) for e in exc.errors()
        ]
        raise InputError(str(path), problems) from None
