"""Scenarios: "what if" edits to the cited rules, applied from a date.

A scenario changes parameter values from a date onward, or switches a programme off from
a date. It produces ordinary ``Program`` objects, so the scalar evaluator, the comparison
and the compiled population path all answer the same question the same way, and nothing
about a scenario is hidden in one of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from talentvisa.rules.loader import pydantic_problems
from talentvisa.rules.model import ParamValue, Program, _value_kind
from talentvisa.vocab import IsoDate
from talentvisa.yamlpos import InputError, dotted, load

_VALUE: TypeAdapter[ParamValue] = TypeAdapter(ParamValue)
Loc = tuple[str | int, ...]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ParameterChange(_Spec):
    program: str
    parameter: str
    from_: IsoDate = Field(alias="from")
    value: Any = Field(description="Same type as the parameter's cited values.")
    note: str | None = None


class SwitchOff(_Spec):
    program: str
    from_: IsoDate = Field(alias="from")
    note: str | None = None


class Scenario(_Spec):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str | None = None
    parameters: tuple[ParameterChange, ...] = ()
    switch_off: tuple[SwitchOff, ...] = ()

    def lines(self) -> list[str]:
        """One sentence per change, for reports."""
        out = [
            f"{c.program}: {c.parameter} = {c.value} from {c.from_.isoformat()}"
            for c in self.parameters
        ]
        out += [f"{s.program}: switched off from {s.from_.isoformat()}" for s in self.switch_off]
        return out


def load_scenario(path: Path, programs: Sequence[Program]) -> Scenario:
    """Read a scenario file and check it against the programmes it edits; every problem
    is reported with file, line and column."""
    doc = load(path)
    data = doc.data
    if isinstance(data, dict) and "name" not in data:
        data = {"name": re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-"), **data}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(doc.file, pydantic_problems(exc, doc, ())) from None
    problems = [
        (doc.position_of(loc)[0], dotted(loc), msg) for loc, msg in check(scenario, programs)
    ]
    if problems:
        raise InputError(doc.file, problems)
    return scenario


def check(scenario: Scenario, programs: Sequence[Program]) -> list[tuple[Loc, str]]:
    """Changes that cannot apply: an unknown programme or parameter, a value of the wrong type."""
    by_id = {p.id: p for p in programs}
    problems: list[tuple[Loc, str]] = []
    for i, change in enumerate(scenario.parameters):
        program = by_id.get(change.program)
        if program is None:
            problems.append(
                (("parameters", i, "program"), _unknown("programme", change.program, by_id))
            )
            continue
        param = program.parameters.get(change.parameter)
        if param is None:
            problems.append(
                (
                    ("parameters", i, "parameter"),
                    _unknown("parameter", change.parameter, program.parameters),
                )
            )
            continue
        expected = _value_kind(next(iter(param.values.values())))
        try:
            found = _value_kind(_VALUE.validate_python(_exact(change.value)))
        except ValidationError:
            found = type(change.value).__name__
        if found != expected:
            problems.append(
                (("parameters", i, "value"), f"{change.parameter} is a {expected}, not {found}")
            )
    for i, off in enumerate(scenario.switch_off):
        if off.program not in by_id:
            problems.append(
                (("switch_off", i, "program"), _unknown("programme", off.program, by_id))
            )
    return problems


def apply(scenario: Scenario, programs: Sequence[Program]) -> list[Program]:
    """The programmes as the scenario would have them."""
    problems = check(scenario, programs)
    if problems:
        raise InputError(
            f"scenario {scenario.name}", [(None, dotted(loc), m) for loc, m in problems]
        )
    values: dict[tuple[str, str], dict[dt.date, ParamValue]] = {}
    by_id = {p.id: p for p in programs}
    for change in scenario.parameters:
        key = (change.program, change.parameter)
        current = values.get(key, by_id[change.program].parameters[change.parameter].values)
        kept = {d: v for d, v in current.items() if d < change.from_}
        values[key] = {**kept, change.from_: _VALUE.validate_python(_exact(change.value))}
    out = []
    for program in programs:
        params = dict(program.parameters)
        for (pid, name), vals in values.items():
            if pid == program.id:
                params[name] = params[name].model_copy(update={"values": vals})
        updated = program.model_copy(update={"parameters": params})
        for off in scenario.switch_off:
            if off.program == program.id:
                updated = _switched_off(updated, off.from_)
        out.append(updated)
    return out


def _switched_off(program: Program, when: dt.date) -> Program:
    versions = []
    for i, v in enumerate(program.versions):
        if v.from_ >= when:
            break
        end = v.until or (program.versions[i + 1].from_ if i + 1 < len(program.versions) else None)
        ends_before = end is not None and end <= when
        versions.append(v if ends_before else v.model_copy(update={"until": when}))
    return program.model_copy(update={"versions": tuple(versions)})


def _exact(value: Any) -> Any:
    """YAML floats become decimals and lists tuples, as in programme files."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, list):
        return tuple(value)
    return value


def _unknown(what: str, name: str, known: Mapping[str, Any]) -> str:
    return f"unknown {what} {name!r}; known: {', '.join(sorted(known))}"
