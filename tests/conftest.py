from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from talentvisa.rules.loader import load_program
from talentvisa.rules.model import Program

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


# Machines here are noisy: property tests check behaviour, never speed.
settings.register_profile("talentvisa", deadline=None, max_examples=200)
settings.load_profile("talentvisa")


@pytest.fixture
def make_program(tmp_path: Path) -> Callable[[str], Program]:
    """Load a programme from YAML text through the real loader."""

    def make(text: str) -> Program:
        path = tmp_path / f"prog{len(list(tmp_path.glob('*.yaml')))}.yaml"
        path.write_text(text, encoding="utf-8")
        return load_program(path)

    return make
