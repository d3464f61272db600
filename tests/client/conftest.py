"""Client tests run headless: no window, no sound device."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame
import pytest


@pytest.fixture(autouse=True)
def _config_dir(tmp_path, monkeypatch):
    """Settings go to a temporary directory, never the tester's profile."""
    monkeypatch.setenv("CROSSROADS_CONFIG_DIR", str(tmp_path / "config"))
    yield


@pytest.fixture(scope="session", autouse=True)
def _pygame():
    pygame.init()
    pygame.display.set_mode((1, 1))
    yield
    pygame.quit()
