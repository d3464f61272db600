"""Scenes that show the live map (and the clock): the game, the teacher's panel, the projector, the outcome."""

from __future__ import annotations

from typing import Any

import pygame

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
