from __future__ import annotations

from pathlib import Path

import pytest

from game.scenarios import load_scenario

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini():
    return load_scenario(FIXTURES / "mini.yaml")
