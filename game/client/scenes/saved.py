"""Saved lessons: the teacher picks a lesson this computer hosted and takes it up again, starts a
fresh copy of it (same scenario and teams, a new code, no votes), deletes it (after a
confirmation), or replays a finished one turn by turn on the projector (`ReplayScene`).
Finished lessons are marked so."""

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
    follows_session = True  # once the lesson is resumed (or its copy created), its lobby or game takes over

    confirming: int | None = None  # the row whose deletion waits for "Yes, delete"
    errand = None  # a deletion or an export fetch under way (Lessons.delete, Lessons.fetch_export)
    wants = "replay"  # what the fetched export is for: "replay" or "explore" (the what-if explorer)

    def build(self) -> None:
        w, h = self.app.size
        x, y = self.px(60), self.px(110)
        side = self.px(130)
        bw, bh, gap = w - 2 * self.px(60) - 4 * (side + self.px(10)), self.px(50), self.px(60)
        self.seats = self.app.lessons.seats.hosted()[:SHOWN]
        busy = self.errand is not None
        for i, seat in enumerate(self.seats):
            title = pick(seat.title) if seat.title else ""
            row_y = y + i * gap
            # the stage before the title: on a small screen the title is what gets cut
            self.button(f"resume_{i}", tr("saved.row_stage_first", code=seat.code, title=title, stage=_stage(seat),
                                          when=_when(seat.saved_at)), (x, row_y, bw, bh), enabled=not busy)
            sx = x + bw + self.px(10)
            step = side + self.px(10)
            if seat.stage in ("ended", "ended_early"):  # what was played can be replayed, and explored
                self.button(f"replay_{i}", tr("replay.button"), (sx, row_y, side, bh), enabled=not busy)
                self.button(f"explore_{i}", tr("explorer.button"), (sx + step, row_y, side, bh), enabled=not busy)
            self.button(f"duplicate_{i}", tr("saved.duplicate"), (sx + 2 * step, row_y, side, bh),
                        enabled=not busy)
            self.button(f"delete_{i}", tr("saved.delete"), (sx + 3 * step, row_y, side, bh),
                        enabled=not busy)
        bottom = h - self.px(90)
        if self.confirming is not None and self.confirming < len(self.seats):
            self.button("delete_yes", tr("saved.delete_yes"), (w - self.px(520), bottom, self.px(220), self.px(54)))
            self.button("cancel", tr("saved.cancel"), (w - self.px(280), bottom, self.px(220), self.px(54)))
        self.button("back", tr("common.back"), (x, bottom, self.px(200), self.px(54)))
        if "cancel" in self.actions:  # confirming: the safe answer has the focus (Enter cancels)
            self.focus_index = self.focusables.index(self.actions["cancel"]) - 1
        self.move_focus(1)

    def rebuild(self) -> None:
        self.clear()
        self.build()
        self.dirty = True

    def update(self, dt: float) -> None:
        if self.errand is not None and self.errand.poll():
            errand, self.errand = self.errand, None
            if errand.error:
                self.message = tr("saved.failed", error=errand.error)
            elif errand.kind == "saved_export" and self.wants == "explore":
                from .explorer import open_explorer

                self.message = open_explorer(self.app, errand.result) or ""
            elif errand.kind == "saved_export":
                self.message = ""
                self._replay(errand.result)
            else:
                self.message = tr("saved.deleted", code=errand.seat.code)
            self.rebuild()

    def _replay(self, export: dict | None) -> None:
        from ..exporter import scenario_for
        from .replay import ReplayScene

        session = (export or {}).get("session") or {}
        scenario = scenario_for(str(session.get("scenario", "")), self.app.lessons.scenario_files)
        if scenario is None:
            self.message = tr("replay.no_scenario", id=session.get("scenario", "?"))
            return
        self.app.scenes.push(ReplayScene(self.app, export, scenario))

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        self.draw_header(surface, tr("saved.title"), tr("app.title"))
        if not self.seats:
            self.painter.text(surface, tr("saved.none"), (self.px(60), self.px(120)), 18, pal.muted)
        h = surface.get_height()
        if self.confirming is not None and self.confirming < len(self.seats):
            code = self.seats[self.confirming].code
            self.painter.text(surface, tr("saved.delete_confirm", code=code), (self.px(60), h - self.px(160)), 18,
                              pal.accent, "bold")
        else:
            self.painter.text(surface, tr("saved.hint"), (self.px(60), h - self.px(130)), 15, pal.muted)
        if self.message:
            self.painter.text(surface, self.message, (self.px(280), h - self.px(75)), 17, pal.accent, "bold")
        self.draw_status(surface)

    def on_action(self, action: str) -> None:
        if action == "back":
            self.app.scenes.pop()
            return
        kind, _, index = action.rpartition("_")
        if action == "cancel":
            self.confirming = None
            self.rebuild()
        elif action == "delete_yes" and self.confirming is not None:
            seat, self.confirming = self.seats[self.confirming], None
            self.message = tr("saved.working")
            try:
                self.errand = self.app.lessons.delete(seat)
            except HostingError as e:
                self.message = tr("host.server_failed", error=str(e))
            self.rebuild()
        elif kind in ("replay", "explore"):
            self.wants = kind
            self.message = tr("replay.loading")
            try:
                self.errand = self.app.lessons.fetch_export(self.seats[int(index)])
            except HostingError as e:
                self.message = tr("host.server_failed", error=str(e))
            self.rebuild()
        elif kind == "delete":
            self.confirming = int(index)
            self.message = ""
            self.rebuild()
        elif kind in ("resume", "duplicate"):
            seat = self.seats[int(index)]
            self.message = tr("host.starting" if kind == "resume" else "saved.duplicating")
            try:
                if kind == "resume":
                    self.app.lessons.resume(seat)
                else:
                    self.app.lessons.duplicate(seat)
            except HostingError as e:
                self.message = tr("host.server_failed", error=str(e))
            self.dirty = True
