"""The coverage table: every construct of the rule language lowers to core operations, and
every core operation has both its meaning on one person and its translation to Ibis."""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing

from talentvisa.rules import core, expr, model
from talentvisa.rules.types import FUNCTIONS


def _grammar_tokens(name: str) -> list[str]:
    line = next(ln for ln in expr.GRAMMAR.splitlines() if ln.startswith(f"{name}:"))
    return re.findall(r'"([^"]+)"', line)


def constructs() -> set[str]:
    """Read off the language itself, so a new node kind, operator or function shows up."""
    nodes = {
        c.__name__
        for c in vars(expr).values()
        if inspect.isclass(c)
        and issubclass(c, expr.Node)
        and c is not expr.Node
        and dataclasses.is_dataclass(c)
    }
    found = nodes - {"BoolOp", "Compare", "Arith", "Call"}
    found |= {"BoolOp and", "BoolOp or", "Name age", "Name points"}
    found |= {f"Compare {op}" for op in [*_grammar_tokens("COMP_OP"), "in", "not in"]}
    found |= {f"Arith {op}" for op in [*_grammar_tokens("ADD_OP"), *_grammar_tokens("MUL_OP")]}
    found |= {f"Call {f}()" for f in FUNCTIONS}
    kinds = {model.Leaf: "criterion", model.AllOf: "all", model.AnyOf: "any"}
    kinds |= {model.NoneOf: "not", model.PointsNode: "points"}
    union = typing.get_args(model.Criterion)[0]
    assert set(kinds) == {typing.get_args(a)[0] for a in typing.get_args(union)}
    found |= set(kinds.values()) | {"fees", "selection"}
    return found


def test_every_construct_of_the_language_has_a_lowering() -> None:
    missing = constructs() - core.LOWERING.keys()
    assert not missing, f"no lowering in rules/core.py LOWERING for: {sorted(missing)}"
    stale = core.LOWERING.keys() - constructs()
    assert not stale, f"LOWERING names constructs the language does not have: {sorted(stale)}"


def test_lowerings_name_operations_that_exist() -> None:
    for construct, ops in core.LOWERING.items():
        assert ops, construct
        unknown = [o for o in ops if o not in core.OPS]
        assert not unknown, f"{construct} lowers to undefined operations {unknown}"


def test_every_operation_has_both_translations_and_is_used() -> None:
    for name, op in core.OPS.items():
        assert op.name == name
        assert callable(op.scalar), f"{name} has no scalar meaning"
        assert callable(op.ibis), f"{name} has no Ibis translation"
        assert op.doc, f"{name} is not described"
    used = {o for ops in core.LOWERING.values() for o in ops}
    assert not core.OPS.keys() - used, (
        f"operations no construct lowers to: {core.OPS.keys() - used}"
    )


def test_the_evaluator_and_the_compiler_handle_every_function() -> None:
    """Both paths dispatch every function of the language (no "not compiled yet")."""
    from talentvisa.population import compile as compiled
    from talentvisa.rules import evaluator

    assert set(evaluator._CALLS) == set(FUNCTIONS)
    source = inspect.getsource(compiled.Compiler._call)
    absent = [f for f in FUNCTIONS if f'"{f}"' not in source]
    assert not absent, f"the compiler does not lower {absent}"
