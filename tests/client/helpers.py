"""Driving headless client `App`s against a real server in this process."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from game.client.app import App
from game.client.scenes.menu import MenuScene
from game.client.settings import Settings


def make_app(lang: str = "pl", scale: float = 1.0, size: tuple[int, int] = (1280, 720)) -> App:
    app = App(Settings(language=lang, scale=scale), size=size, headless=True, save_settings=False)
    app.scenes.push(MenuScene(app))
    return app


def pump(apps: Iterable[App], until: Callable[[], bool], timeout: float = 8.0, what: str = "") -> None:
    """Step every app until `until()` holds (the network runs on its own threads meanwhile)."""
    apps = list(apps)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for a in apps:
            a.step()
        if until():
            for a in apps:  # one more frame so what is asserted has been drawn
                a.step()
                a.scenes.top.dirty = True
                a.step()
            return
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what or until}")


def scene_name(app: App) -> str:
    return type(app.scenes.top).__name__


def texts(app: App) -> list[str]:
    """What the top scene shows, after a fresh draw."""
    app.scenes.top.dirty = True
    app.step()
    return app.scenes.top.visible_texts()


def shown(app: App, needle: str) -> bool:
    return any(needle in t for t in texts(app))
