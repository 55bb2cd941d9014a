from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


# Machines here are noisy: property tests check behaviour, never speed.
settings.register_profile("talentvisa", deadline=None, max_examples=200)
settings.load_profile("talentvisa")
