"""Saved solo games: continue one where it stopped (a finished one opens its debrief), or delete
it (after a confirmation). Its own list, apart from the teacher's saved lessons."""

from __future__ import annotations

from datetime import datetime

import pygame

from game.wire import Phase

from ..errors import HostingError
from ..i18n import pick, tr
from ..solo_book import SavedSolo
from .base import Scene

SHOWN = 8


def when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return iso


def stage_text(game: SavedSolo) -> str:
    """"turn 3 of 9", "finished", "not started" (how far the game got)."""
    if game.stage == "ended_early":
        return tr("saved.ended_early", turn=game.turn or "?", count=game.turn_count or "?")
    if game.stage == "ended":
        return tr("saved.ended")
    if game.stage == "playing" and game.turn:
        return tr("saved.turn", turn=game.turn, count=game.turn_count or "?")
    return tr("saved.lobby")


def row_title(game: SavedSolo) -> str:
    """What a saved game is: "Brest 1918: peace at any price? · Entente" (scenario · side)."""
    return tr("solo.row", title=pick(game.title) or game.scenario, side=pick(game.team_name) or game.team)


def row_detail(game: SavedSolo) -> str:
    """How far it got and when: "turn 3 of 9 · 02.12.2026 14:30 · bots: Hard"."""
    return tr("solo.row_detail", stage=stage_text(game), when=when(game.saved_at),
              level=tr(f"solo.level.{game.level}") if game.level else "?")


def continue_game(scene: Scene, game: SavedSolo) -> None:
    """Continue `game` from `scene` (its message says if the local server cannot start)."""
    scene.message = tr("solo.continuing")
    try:
        scene.app.solo.resume(game)
    except HostingError as e:
        scene.message = tr("host.server_failed", error=str(e))
    scene.dirty = True


class SoloSavedScene(Scene):
    confirming: int | None = None   # the row whose deletion waits for "Yes, delete"
    errand = None                   # a deletion under way (Solo.delete)

    @property
    def follows_session(self) -> bool:
        """The continued game's screen takes over once its state has arrived."""
        sess = self.app.session
        return bool(sess is not None and sess.solo and (sess.started or sess.phase == Phase.ENDED))

    def build(self) -> None:
        w, h = self.app.size
        x, y = self.px(60), self.px(90)
        side = self.px(150)
        bottom = h - self.px(90)
        bh = self.px(42)
        gap = bh + self.painter.line_height(14) + self.px(10)   # the button, its detail line under it
        shown = max(1, min(SHOWN, (bottom - self.px(90) - y) // gap))
        bw = w - 2 * x - side - self.px(10)
        self.games = self.app.solo.book.games[:shown]
        self.details: list[tuple[str, tuple[int, int]]] = []
        busy = self.errand is not None
        for i, game in enumerate(self.games):
            row_y = y + i * gap
            self.button(f"resume_{i}", row_title(game), (x, row_y, bw, bh), enabled=not busy)
            self.button(f"delete_{i}", tr("saved.delete"), (x + bw + self.px(10), row_y, side, bh), enabled=not busy)
            self.details.append((row_detail(game), (x + self.px(8), row_y + bh + self.px(2))))
        if self.confirming is not None and self.confirming < len(self.games):
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
            self.message = tr("saved.failed", error=errand.error) if errand.error else tr("solo.deleted")
            self.rebuild()

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        self.draw_header(surface, tr("solo.saved_title"), tr("app.title"))
        if not self.games:
            self.painter.text(surface, tr("solo.none"), (self.px(60), self.px(120)), 18, pal.muted)
        for text, pos in self.details:
            self.painter.text(surface, text, pos, 14, pal.muted)
        h = surface.get_height()
        if self.confirming is not None and self.confirming < len(self.games):
            title = pick(self.games[self.confirming].title)
            self.painter.paragraph(surface, tr("solo.delete_confirm", title=title),
                                   pygame.Rect(self.px(60), h - self.px(170), surface.get_width() - self.px(120), 0),
                                   18, pal.accent, "bold", max_lines=2)
        else:
            self.painter.text(surface, tr("solo.saved_hint"), (self.px(60), h - self.px(130)), 15, pal.muted)
        if self.message:
            self.painter.text(surface, self.message, (self.px(280), h - self.px(75)), 17, pal.accent, "bold")

    def on_action(self, action: str) -> None:
        if action == "back":
            self.app.scenes.pop()
            return
        kind, _, index = action.rpartition("_")
        if action == "cancel":
            self.confirming = None
            self.rebuild()
        elif action == "delete_yes" and self.confirming is not None:
            game, self.confirming = self.games[self.confirming], None
            self.message = tr("saved.working")
            try:
                self.errand = self.app.solo.delete(game)
            except HostingError as e:
                self.message = tr("host.server_failed", error=str(e))
            self.rebuild()
        elif kind == "delete":
            self.confirming = int(index)
            self.message = ""
            self.rebuild()
        elif kind == "resume":
            continue_game(self, self.games[int(index)])
