"""Saved lessons: the teacher picks a lesson this computer hosted and takes it up again."""

from __future__ import annotations

from datetime import datetime

import pygame

from ..errors import HostingError
from ..i18n import pick, tr
from .base import Scene

SHOWN = 8


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return iso


def _stage(seat) -> str:
    if seat.stage == "ended_early":
        return tr("saved.ended_early", turn=seat.turn or "?", count=seat.turn_count or "?")
    if seat.stage == "ended":
        return tr("saved.ended")
    if seat.stage == "playing" and seat.turn:
        return tr("saved.turn", turn=seat.turn, count=seat.turn_count or "?")
    if seat.stage == "lobby":
        return tr("saved.lobby")
    return "…"


class SavedLessonsScene(Scene):
    follows_session = True  # once the lesson is resumed, its lobby or game takes over

    def build(self) -> None:
        w, h = self.app.size
        x, y = self.px(60), self.px(110)
        bw, bh, gap = w - 2 * self.px(60), self.px(50), self.px(60)
        self.seats = self.app.lessons.seats.hosted()[:SHOWN]
        for i, seat in enumerate(self.seats):
            title = pick(seat.title) if seat.title else ""
            self.button(f"resume_{i}", tr("saved.row", code=seat.code, title=title, stage=_stage(seat),
                                          when=_when(seat.saved_at)), (x, y + i * gap, bw, bh))
        self.button("back", tr("common.back"), (x, h - self.px(90), self.px(200), self.px(54)))
        self.move_focus(1)

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        self.draw_header(surface, tr("saved.title"), tr("app.title"))
        if not self.seats:
            self.painter.text(surface, tr("saved.none"), (self.px(60), self.px(120)), 18, pal.muted)
        self.painter.text(surface, tr("saved.hint"), (self.px(60), surface.get_height() - self.px(130)), 15, pal.muted)
        if self.message:
            self.painter.text(surface, self.message, (self.px(260), surface.get_height() - self.px(75)), 17,
                              pal.accent, "bold")
        self.draw_status(surface)

    def on_action(self, action: str) -> None:
        if action == "back":
            self.app.scenes.pop()
            return
        if action.startswith("resume_"):
            seat = self.seats[int(action[7:])]
            self.message = tr("host.starting")
            try:
                self.app.lessons.resume(seat)
            except HostingError as e:
                self.message = tr("host.server_failed", error=str(e))
            self.dirty = True
