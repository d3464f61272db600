"""Scenes that show the live map (and the clock): the game, the teacher's panel, the projector, the outcome.

On the teacher's machine each of them switches between the teacher's screen and the projector
view with one key (P or F5), both ways, and says so in a hint at the bottom left.
"""

from __future__ import annotations

from typing import Any

import pygame
from pygame_gui.elements import UITextEntryLine

from game.wire import Role

from ..i18n import tr
from .base import Scene
from .common import timer_tick


class LiveScene(Scene):
    """Redraws when the map animates, the clock's shown second changes or the session changes;
    the map gets wheel, drag and hover before the rest of the scene."""

    shows_clock = True

    def __init__(self, app) -> None:
        super().__init__(app)
        self.map: Any = None
        self._tick: Any = None

    def on_session_change(self) -> None:
        self.resume()

    def update(self, dt: float) -> None:
        if self.map is not None and self.map.update(dt):
            self.dirty = True
        if self.shows_clock:
            tick = timer_tick(self.app.session)
            if tick != self._tick:
                self._tick = tick
                self.dirty = True

    SWITCH_KEYS = (pygame.K_p, pygame.K_F5)

    def hosting(self) -> bool:
        return self.app.session is not None and self.app.session.role == Role.HOST

    def on_key(self, event: pygame.event.Event) -> bool:
        typing = any(isinstance(f, UITextEntryLine) and f.is_focused for f in self.focusables)
        if event.key in self.SWITCH_KEYS and self.hosting() and not typing and not getattr(self, "dialog", None):
            self.app.router.show_projector(not self.app.router.host_projector)
            return True
        return super().on_key(event)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        if self.hosting():
            key = "live.to_panel" if self.app.router.host_projector else "live.to_projector"
            self.painter.text(surface, tr(key), (self.px(14), surface.get_height() - self.px(4)), 14,
                              self.app.palette.muted, "bold", anchor="bottomleft")

    def map_event(self, event: pygame.event.Event) -> bool:
        """Give the event to the map; True if the map consumed it (hovering does not consume)."""
        if self.map is None:
            return False
        changed = self.map.handle_event(event)
        if event.type == pygame.MOUSEMOTION and self.map.hover(event.pos):
            changed = True
        if changed:
            self.dirty = True
        return changed and event.type != pygame.MOUSEMOTION
