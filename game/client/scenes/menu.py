"""The main menu: host a lesson, join, play solo, settings, quit; and the solo games to continue."""

from __future__ import annotations

import pygame

from ..i18n import tr
from ..widgets.map_view import MapView
from .base import Scene
from .solo_saved import continue_game, row_detail, row_title

SOLO_SHOWN = 3  # the latest solo games on the menu; the rest in "All solo games"


class MenuScene(Scene):
    follows_session = True  # a session opened from here (e.g. --join) takes over the screen

    def build(self) -> None:
        w, h = self.app.size
        bw, bh = self.px(380), self.px(58)
        x = self.px(90)
        y = h // 2 - self.px(120)
        for i, action in enumerate(("host", "join", "solo", "settings", "quit")):
            self.button(action, tr(f"menu.{action}"), (x, y + i * (bh + self.px(14)), bw, bh), "#big_button")
        map_top = self.px(180)
        self.solo_games = self.app.solo.book.games[:SOLO_SHOWN]
        if self.solo_games:  # the solo games to continue, over the map's top
            lx, lw = max(x + bw + self.px(40), w // 2), w - max(x + bw + self.px(40), w // 2) - self.px(24)
            self.solo_head = (lx, self.px(180))
            ry = self.px(180) + self.px(30)
            self.solo_details: list[tuple[str, tuple[int, int]]] = []
            for i, game in enumerate(self.solo_games):
                self.button(f"continue_{i}", row_title(game), (lx, ry, lw, self.px(40)), "#small_button",
                            tooltip=row_title(game))
                self.solo_details.append((row_detail(game), (lx + self.px(8), ry + self.px(42))))
                ry += self.px(40) + self.painter.line_height(13) + self.px(10)
            self.button("solo_saved", tr("menu.solo_saved", n=len(self.app.solo.book.games)),
                        (lx, ry, min(lw, self.px(320)), self.px(38)), "#small_button")
            map_top = ry + self.px(50)
        self.map = MapView(self.app.text, self.app.palette,
                           pygame.Rect(w // 2, map_top, w // 2 - self.px(24), max(self.px(80), h - self.px(70) - map_top)),
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
        if self.solo_games:
            self.painter.text(surface, tr("menu.continue_solo"), self.solo_head, 17, pal.accent, "bold")
            for text, pos in self.solo_details:
                self.painter.text(surface, text, pos, 13, pal.muted)
        if self.message:
            self.painter.text(surface, self.message, (self.px(90), h - self.px(90)), 18, pal.accent, "bold")
        self.painter.text(surface, tr("menu.hint"), (self.px(90), h - self.px(40)), 14, pal.muted)

    def on_action(self, action: str) -> None:
        from .host_setup import HostSetupScene
        from .join import JoinScene
        from .settings_scene import SettingsScene
        from .solo_saved import SoloSavedScene
        from .solo_setup import SoloSetupScene

        self.message = ""
        if action == "host":
            self.app.scenes.push(HostSetupScene(self.app))
        elif action == "join":
            self.app.scenes.push(JoinScene(self.app))
        elif action == "solo":
            self.app.scenes.push(SoloSetupScene(self.app))
        elif action == "solo_saved":
            self.app.scenes.push(SoloSavedScene(self.app))
        elif action.startswith("continue_"):
            continue_game(self, self.solo_games[int(action[9:])])
        elif action == "settings":
            self.app.scenes.push(SettingsScene(self.app))
        elif action == "quit":
            self.app.running = False

    def back(self) -> None:
        self.app.running = False
