"""Kleene's laws, checked on the logic functions and through the parser and evaluator."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from talentvisa.profile import Profile
from talentvisa.rules.evaluator import Env, ev, needs_judgement
from talentvisa.rules.expr import parse
from talentvisa.rules.logic import UNKNOWN, Truth, t_and, t_not, t_or
from talentvisa.rules.types import Scope, check

values = st.sampled_from([True, False, UNKNOWN])


def same(a: Truth, b: Truth) -> bool:
    return a is b


@given(values, values)
def test_commutative(a: Truth, b: Truth) -> None:
    assert same(t_and(a, b), t_and(b, a))
    assert same(t_or(a, b), t_or(b, a))


@given(values, values, values)
def test_associative_and_distributive(a: Truth, b: Truth, c: Truth) -> None:
    assert same(t_and(a, t_and(b, c)), t_and(t_and(a, b), c))
    assert same(t_or(a, t_or(b, c)), t_or(t_or(a, b), c))
    assert same(t_and(a, t_or(b, c)), t_or(t_and(a, b), t_and(a, c)))
    assert same(t_or(a, t_and(b, c)), t_and(t_or(a, b), t_or(a, c)))


@given(values, values)
def test_de_morgan_and_double_negation(a: Truth, b: Truth) -> None:
    assert same(t_not(t_and(a, b)), t_or(t_not(a), t_not(b)))
    assert same(t_not(t_or(a, b)), t_and(t_not(a), t_not(b)))
    assert same(t_not(t_not(a)), a)


@given(values)
def test_identities_and_no_excluded_middle(a: Truth) -> None:
    assert same(t_and(a, True), a) and same(t_or(a, False), a)
    assert t_and(a, False) is False and t_or(a, True) is True
    if a is UNKNOWN:
        assert t_or(a, t_not(a)) is UNKNOWN  # Kleene: no law of excluded middle


def refine(v: Truth, to: bool) -> Truth:
    return to if v is UNKNOWN else v


@given(values, values, st.booleans())
def test_monotone(a: Truth, b: Truth, to: bool) -> None:
    """Settling an unknown never turns a determined result into another one."""
    for op in (t_and, t_or):
        before = op(a, b)
        after = op(refine(a, to), b)
        if isinstance(before, bool):
            assert after is before


# Formulas over atoms, run through the real parser and evaluator. An officer's judgement
# is unknown to the logic; a missing fact is the other kind of unknown.
ATOMS = [
    ("true", True),
    ("false", False),
    ("birth_date == 2000-01-01", UNKNOWN),
    ("judgement", UNKNOWN),
]


def formulas() -> st.SearchStrategy[tuple[str, Truth]]:
    leaf = st.sampled_from(ATOMS)

    def extend(
        children: st.SearchStrategy[tuple[str, Truth]],
    ) -> st.SearchStrategy[tuple[str, Truth]]:
        both = st.tuples(children, children)
        return st.one_of(
            both.map(lambda p: (f"({p[0][0]}) and ({p[1][0]})", t_and(p[0][1], p[1][1]))),
            both.map(lambda p: (f"({p[0][0]}) or ({p[1][0]})", t_or(p[0][1], p[1][1]))),
            children.map(lambda c: (f"not ({c[0]})", t_not(c[1]))),
        )

    return st.recursive(leaf, extend, max_leaves=12)


@given(formulas())
def test_evaluator_agrees_with_the_logic(formula: tuple[str, Truth]) -> None:
    text, expected = formula
    node = check(parse(text), Scope({}, {}))
    out = ev(node, Env(Profile(), dt.date(2026, 1, 1), {}, frozenset()))
    assert out.value is expected
    if expected is UNKNOWN:
        assert out.missing <= {"birth_date"}
        assert out.missing or needs_judgement(out)
    else:
        assert not out.missing
