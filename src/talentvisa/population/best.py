"""Each person's best option under the comparison's preference model, in columns.

``talentvisa.compare`` ranks one person's options by status, then by their preferences in
order, ties broken by programme id. Here the same keys are computed for millions of
people: keys that read only a programme's terms are one number per programme, the
per-person ones (costs and the lottery) are compiled, and the ranking is a lexicographic
minimum over arrays. ``tests/population`` hold it to ``compare()`` on the programme cases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import ibis.expr.types as ir
import numpy as np

from talentvisa.compare import PREFERENCES, STATUS_ORDER
from talentvisa.population.compile import STATUS_CODES, Compiler
from talentvisa.rules.model import Payer, Program

NONE: Final = "(none)"  # nothing may be open to the person

# status code -> the comparison's status order (eligible, undetermined, ineligible, ...)
_ORDER: Final = np.zeros(len(STATUS_CODES), dtype=np.int8)
for _status, _order in STATUS_ORDER.items():
    _ORDER[STATUS_CODES[_status]] = _order
_OPEN: Final = max(STATUS_ORDER["eligible"], STATUS_ORDER["undetermined"])


@dataclass(frozen=True, slots=True)
class Keys:
    """One programme's preference keys: constants, or the name of a compiled column."""

    program: str
    keys: dict[str, float | str]  # preference name -> its key


COSTS: Final = {"applicant": Payer.applicant, "employer": Payer.employer}
_COST_PREFERENCES: Final = {"low-cost": "applicant", "low-employer-cost": "employer"}


def cost_column(program: str, payer: str) -> str:
    return f"{program}__cost_{payer}"


def key_columns(
    compiler: Compiler, preferences: Sequence[str], currency: str, costs: bool = False
) -> tuple[Keys, dict[str, ir.Value]]:
    """The programme's keys, and the per-person columns to add to its query: a payer's
    cost when a preference or ``costs`` (for reports) asks for it, and the lottery when a
    preference does."""
    program = compiler.program
    version = program.version_at(compiler.as_of)
    terms = {t.kind: t for t in version.terms} if version is not None else {}
    payers = (
        set(COSTS)
        if costs
        else {_COST_PREFERENCES[p] for p in preferences if p in _COST_PREFERENCES}
    )
    columns: dict[str, ir.Value] = {
        cost_column(program.id, name): compiler.cost_key(payer, currency)
        for name, payer in COSTS.items()
        if name in payers
    }
    keys: dict[str, float | str] = {}
    for name in preferences:
        pref = PREFERENCES[name]
        if pref.terms_key is not None:
            keys[name] = float(pref.terms_key(terms))
        elif name in _COST_PREFERENCES:
            keys[name] = cost_column(program.id, _COST_PREFERENCES[name])
        elif name == "likely":
            column = f"{program.id}__chance"
            columns[column] = compiler.chance_key()
            keys[name] = column
        else:  # pragma: no cover - a new per-person preference must be compiled here
            raise NotImplementedError(f"preference {name!r} is not compiled")
    return Keys(program.id, keys), columns


def best_options(
    programs: Sequence[Program],
    keys: Mapping[str, Keys],
    results: Mapping[str, Any],
    n: int,
    preferences: Sequence[str],
) -> np.ndarray:
    """Per person, the id of the top-ranked programme that may be open, or ``NONE``.

    ``results`` maps a programme's status column and compiled key columns to arrays;
    ``keys`` must hold every preference named (one run can rank under many orders).
    """
    ids = sorted(p.id for p in programs)  # ties go to the lower id, as in compare()
    best = np.full(n, -1, dtype=np.int16)
    best_keys: list[np.ndarray] = []
    for i, pid in enumerate(ids):
        status = _ORDER[np.asarray(results[pid], dtype=np.int8)].astype(np.float64)
        mine = [status] + [
            np.full(n, k) if isinstance(k, float) else np.asarray(results[k], dtype=np.float64)
            for k in (keys[pid].keys[name] for name in preferences)
        ]
        if i == 0:
            best[:] = 0
            best_keys = mine
            continue
        better = np.zeros(n, dtype=bool)
        tied = np.ones(n, dtype=bool)
        for a, b in zip(mine, best_keys, strict=True):
            better |= tied & (a < b)
            tied &= a == b
        best[better] = i
        best_keys = [np.where(better, a, b) for a, b in zip(mine, best_keys, strict=True)]
    labels = np.array([*ids, NONE], dtype=object)
    open_to_you = best_keys[0] <= _OPEN if best_keys else np.zeros(n, dtype=bool)
    return np.asarray(labels[np.where(open_to_you, best, len(ids))])
