"""The main menu: host a lesson, join, play solo (coming soon), settings, quit."""

from __future__ import annotations

import pygame

from ..i18n import tr
from ..widgets.map_view import MapView
from .base import Scene


class MenuScene(Scene):
    follows_session = True  # a session opened from here (e.g. --join) takes over the screen

    def build(self) -> None:
        w, h = self.app.size
        bw, bh = self.px(380), self.px(58)
        x = self.px(90)
        y = h // 2 - self.px(120)
        for i, action in enumerate(("host", "join", "solo", "settings", "quit")):
            self.button(action, tr(f"menu.{action}"), (x, y + i * (bh + self.px(14)), bw, bh), "#big_button")
        self.map = MapView(self.app.text, self.app.palette,
                           pygame.Rect(w // 2, self.px(180), w // 2 - self.px(24), h - self.px(250)),
                           self.app.scale, labels=False, legend=False)
        self.move_focus(1)

    def widgets(self) -> list:
        return [self.map]

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        h = surface.get_height()
        self.map.draw(surface)
        veil = pygame.Surface(self.map.rect.size, pygame.SRCALPHA)
        veil.fill((*pal.bg, 90))
        surface.blit(veil, self.map.rect)
        self.painter.text(surface, tr("app.title"), (self.px(90), self.px(70)), 46, pal.accent, "serif")
        self.painter.text(surface, tr("app.subtitle"), (self.px(92), self.px(135)), 20, pal.muted)
        if self.message:
            self.painter.text(surface, self.message, (self.px(90), h - self.px(90)), 18, pal.accent, "bold")
        self.painter.text(surface, tr("menu.hint"), (self.px(90), h - self.px(40)), 14, pal.muted)

    def on_action(self, action: str) -> None:
        from .host_setup import HostSetupScene
        from .join import JoinScene
        from .settings_scene import SettingsScene

        self.message = ""
        if action == "host":
            self.app.scenes.push(HostSetupScene(self.app))
        elif action == "join":
            self.app.scenes.push(JoinScene(self.app))
        elif action == "solo":
            self.message = tr("menu.solo_soon")
        elif action == "settings":
            self.app.scenes.push(SettingsScene(self.app))
        elif action == "quit":
            self.app.running = False

    def back(self) -> None:
        self.app.running = False
