"""Driving headless client `App`s against a real server in this process."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from game.client.app import App
from game.client.scenes.menu import MenuScene
from game.client.settings import Settings
from game.client.transport import TransportFactory, WebSocketFactory


def make_app(lang: str = "pl", scale: float = 1.0, size: tuple[int, int] = (1280, 720),
             transport_factory: TransportFactory | None = None) -> App:
    """A headless client on its main menu; `transport_factory` as for `App` (default: websockets)."""
    app = App(Settings(language=lang, scale=scale), size=size, headless=True, save_settings=False,
              transport_factory=transport_factory)
    app.scenes.push(MenuScene(app))
    return app


def lan_server(db: Path) -> WebSocketFactory:
    """The teacher's websocket transports, hosting on a free loopback-reachable port with database `db`
    and no LAN announcement."""
    return WebSocketFactory(port=0, db=str(db), announce=False)


def address_of(host: App) -> str:
    """The address students type to reach the lesson `host` serves."""
    return host.transport_factory.host()


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


def label_margins(button) -> tuple[int, int]:
    """How many pixels a drawn pygame_gui button leaves between its label and its border, on the left
    and on the right (negative: the label runs into or past the border)."""
    theme = button.ui_theme
    border = theme.get_misc_data("border_width", button.combined_element_ids)
    left_b, right_b = (border["left"], border["right"]) if isinstance(border, dict) else (int(border), int(border))
    items = [item for row in button.drawable_shape.text_box_layout.layout_rows for item in row.items]
    x0 = min(item.x for item in items)
    x1 = max(item.x + item.width for item in items)
    return x0 - left_b, button.rect.width - right_b - x1
