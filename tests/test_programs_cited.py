"""Every built-in programme is cited on every criterion and flags its interpretations."""

from __future__ import annotations

import pytest

from talentvisa.rules.loader import builtin_programs, criteria_in
from talentvisa.rules.model import Leaf, Program

PROGRAMS = list(builtin_programs().values())


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.id)
def test_every_criterion_cites_a_known_source(program: Program) -> None:
    for version in program.versions:
        leaves = [c for c in criteria_in(version.criteria) if isinstance(c, Leaf)]
        assert leaves
        for leaf in leaves:
            assert leaf.sources, leaf.id
            assert all(s.source in program.sources for s in leaf.sources)


def test_k_visa_vague_terms_are_interpretations() -> None:
    k = builtin_programs()["cn-k"]
    for name in ("max_age", "well_known_max_rank", "stem_fields"):
        interp = k.parameters[name].interpretation
        assert interp is not None, name
        assert interp.note.en and interp.note.zh and interp.chosen_by
