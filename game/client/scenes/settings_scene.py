"""Settings: language (live), UI scale, colour-blind palette, full screen, sound."""

from __future__ import annotations

import pygame

from ..i18n import tr
from ..settings import SCALES
from .base import Scene


class SettingsScene(Scene):
    def build(self) -> None:
        s = self.app.settings
        x, y = self.px(90), self.px(120)
        lw, bw, bh, gap = self.px(380), self.px(150), self.px(48), self.px(66)
        rows = [
            ("settings.language", [("lang_pl", tr("lang.pl"), s.language == "pl"),
                                   ("lang_en", tr("lang.en"), s.language == "en")]),
            ("settings.scale", [(f"scale_{v}", f"{v:g}×", abs(s.scale - v) < 1e-6) for v in SCALES]),
            ("settings.palette", [("cb_on", tr("settings.on"), s.colourblind),
                                  ("cb_off", tr("settings.off"), not s.colourblind)]),
            ("settings.fullscreen", [("fs_on", tr("settings.on"), s.fullscreen),
                                     ("fs_off", tr("settings.off"), not s.fullscreen)]),
            ("settings.sound", [("snd_on", tr("settings.on"), s.sound),
                                ("snd_off", tr("settings.off"), not s.sound)]),
        ]
        self.rows = []
        for i, (key, choices) in enumerate(rows):
            ry = y + i * gap
            self.label(tr(key), (x, ry, lw, bh))
            width = bw if len(choices) <= 2 else self.px(88)
            for j, (action, text, chosen) in enumerate(choices):
                self.button(action, ("● " if chosen else "") + text,
                            (x + lw + j * (width + self.px(10)), ry, width, bh),
                            "#chosen_button" if chosen else None)
        self.button("back", tr("common.back"), (x, y + len(rows) * gap + self.px(20), self.px(200), bh))
        self.move_focus(1)

    def draw_scene(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, tr("settings.title"), tr("app.title"))
        if self.message:
            self.painter.text(surface, self.message, (self.px(90), surface.get_height() - self.px(60)), 16,
                              self.app.palette.good, "bold")

    def on_action(self, action: str) -> None:
        s = self.app.settings
        if action == "back":
            self.app.scenes.pop()
            return
        if action.startswith("lang_"):
            s.language = action[5:]
            self.app.apply_settings(language_only=True)
        elif action.startswith("scale_"):
            s.scale = float(action[6:])
            self.app.apply_settings()
        elif action in ("cb_on", "cb_off"):
            s.colourblind = action == "cb_on"
            self.app.apply_settings()
        elif action in ("fs_on", "fs_off"):
            self.app.set_fullscreen(action == "fs_on")
        elif action in ("snd_on", "snd_off"):
            s.sound = action == "snd_on"
            self.app.apply_settings(language_only=True)
        self.message = tr("settings.saved")
