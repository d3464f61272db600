"""Settings: language (live), UI scale (only the scales this screen fits), colour-blind palette, full screen.

There is no sound setting: the game has no sounds (the old switch turned on nothing).
"""

from __future__ import annotations

import pygame

from ..i18n import tr
from ..settings import SCALES
from .base import Scene

FIT_W, FIT_H = 1100, 640   # the smallest window (in 1x pixels) the layouts are designed to fill


def largest_screen(app) -> tuple[int, int]:
    """The biggest window this client can have: the desktop (a window grows up to it), or the
    window itself when full screen or headless."""
    if app.headless or app.settings.fullscreen:
        return app.size
    try:
        return tuple(pygame.display.get_desktop_sizes()[0])  # type: ignore[return-value]
    except (pygame.error, IndexError):
        return app.size


def fitting_scales(size: tuple[int, int]) -> list[float]:
    """The UI scales a screen of ``size`` can show whole (1× always)."""
    fit = min(size[0] / FIT_W, size[1] / FIT_H)
    return [v for v in SCALES if v == 1.0 or v <= fit + 1e-6]


class SettingsScene(Scene):
    def build(self) -> None:
        s = self.app.settings
        screen = largest_screen(self.app)
        self.scales = fitting_scales(screen)
        self.scale_note = "" if len(self.scales) == len(SCALES) else tr(
            "settings.scale_limit", scale=f"{self.scales[-1]:g}", size=f"{screen[0]}×{screen[1]}")
        x, y = self.px(90), self.px(120)
        lw, bw, bh, gap = self.px(380), self.px(150), self.px(48), self.px(66)
        rows = [
            ("settings.language", [("lang_pl", tr("lang.pl"), s.language == "pl"),
                                   ("lang_en", tr("lang.en"), s.language == "en")]),
            ("settings.scale", [(f"scale_{v}", f"{v:g}×", abs(self.app.scale - v) < 1e-6) for v in self.scales]),
            ("settings.palette", [("cb_on", tr("settings.on"), s.colourblind),
                                  ("cb_off", tr("settings.off"), not s.colourblind)]),
            ("settings.fullscreen", [("fs_on", tr("settings.on"), s.fullscreen),
                                     ("fs_off", tr("settings.off"), not s.fullscreen)]),
        ]
        self.rows = []
        for i, (key, choices) in enumerate(rows):
            ry = y + i * gap + (self.px(34) if i >= 2 and self.scale_note else 0)
            self.label(tr(key), (x, ry, lw, bh))
            width = bw if len(choices) <= 2 else self.px(88)
            for j, (action, text, chosen) in enumerate(choices):
                self.button(action, ("● " if chosen else "") + text,
                            (x + lw + j * (width + self.px(10)), ry, width, bh),
                            "#chosen_button" if chosen else None)
        self.note_pos = (x + lw, y + gap + bh + self.px(2))
        if self.scale_note:  # the scale row's note takes a little room under it
            y += self.px(34)
        self.button("back", tr("common.back"), (x, y + len(rows) * gap + self.px(20), self.px(200), bh))
        self.move_focus(1)

    def draw_scene(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, tr("settings.title"), tr("app.title"))
        if self.scale_note:
            x, y = self.note_pos
            self.painter.paragraph(surface, self.scale_note, pygame.Rect(x, y, surface.get_width() - x - self.px(30),
                                                                         self.px(40)), 14, self.app.palette.muted,
                                   max_lines=2)
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
        self.message = tr("settings.saved")
