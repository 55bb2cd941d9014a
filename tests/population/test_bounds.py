"""The compiled engines bound partly unknown counts and months exactly as the evaluator
does: an added job with unknown facts never undoes a pass on ">=" (a fail on "<=")."""

from __future__ import annotations

from typing import Any

import pytest

from talentvisa.population.compile import STATUS_CODES
from talentvisa.population.layout import arrow_table
from talentvisa.population.run import ENGINES, connect, run, table_from
from talentvisa.profile import Profile
from talentvisa.rules.evaluator import evaluate
from tests.population.bounds import AS_OF, CRITERIA, extended, programs

STATUS = {code: name for name, code in STATUS_CODES.items()}
TRIPLES = 150


def drawn() -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    from hypothesis import HealthCheck, given, settings

    out: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = []

    @settings(
        max_examples=TRIPLES, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(extended())
    def collect(triple: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> None:
        out.append(triple)

    collect()
    return out


@pytest.mark.parametrize(
    "engine", [pytest.param(e, marks=pytest.mark.slow) if e == "spark" else e for e in ENGINES]
)
def test_an_unknown_entry_never_undoes_a_decided_bound_on_any_engine(engine: str) -> None:
    triples = drawn()
    people = [Profile.model_validate(p) for t in triples for p in t]
    con = connect(engine)  # type: ignore[arg-type]
    table = table_from(con, arrow_table(people))
    result = run(con, table, list(programs().values()), AS_OF).columns.to_pylist()
    decided = 0
    for name, (_, kept) in CRITERIA.items():
        program = programs()[name]
        status = {"pass": "eligible", "fail": "ineligible"}[kept]
        got = [STATUS[row[program.id]] for row in result]
        for person, answer in zip(people, got, strict=True):
            assert answer == evaluate(person, program, AS_OF).status, (engine, name, person)
        for i in range(len(triples)):
            before, after, full = got[3 * i : 3 * i + 3]
            if before == status:
                decided += 1
                assert after == status, (engine, name, triples[i])
            if after != "undetermined":
                assert full == after, (engine, name, triples[i])
    assert decided > TRIPLES  # the property was put to the test, not vacuously true
