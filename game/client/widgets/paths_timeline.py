"""Paths side by side, turn by turn: one row per path (history, our game, each branch), one column
per turn, and the ending at the right.

Each cell is a dot: on history's path (good colour), off it (bad colour), with a ring where the
path leaves history; a branch's turns before its branch point are the ones it shares with its
parent (drawn hollow), and the turn it starts from carries a diamond. `cell_at(pos)` says which
(lane, turn) a click hit; the scene draws the chosen cell's cards and outcomes. A lane's name that
is wider than its label column (`label_rect`) is cut at a word and ends with "…" (`style.fit_text`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pygame

from ..scenes.base import fit_text
from ..style import Painter, TextCache


class PathsTimeline:
    def __init__(self, cache: TextCache, palette: Any, rect: pygame.Rect, scale: float = 1.0) -> None:
        self.cache, self.palette, self.rect, self.scale = cache, palette, pygame.Rect(rect), scale
        self.texts: list[str] = []
        self._cells: dict[tuple[str, int], pygame.Rect] = {}
        self._labels: dict[str, pygame.Rect] = {}  # lane key -> the room its name is fitted into

    def px(self, v: float) -> int:
        return round(v * self.scale)

    def row_height(self) -> int:
        return self.px(30)

    def height_for(self, lanes: int) -> int:
        return self.px(26) + lanes * self.row_height()

    def cell_at(self, pos: tuple[int, int]) -> tuple[str, int] | None:
        """The (lane key, turn) of the cell at screen position `pos`, or None."""
        for key, r in self._cells.items():
            if r.collidepoint(pos):
                return key
        return None

    def cell_rect(self, lane: str, turn: int) -> pygame.Rect | None:
        return self._cells.get((lane, turn))

    def label_rect(self, lane: str) -> pygame.Rect | None:
        """Where `lane`'s name may be drawn (after its indent): it is fitted to this width."""
        return self._labels.get(lane)

    def draw(self, surface: pygame.Surface, lanes: Sequence[Any], turns: Sequence[dict], selected: tuple[str, int] | None,
             ending_name: Callable[[str | None, bool], tuple[str, bool | None]], head: dict[str, str]) -> None:
        """Draw the grid into `self.rect` of `surface`. `lanes`: objects with `key`, `label`, `path`,
        `depth`; `turns`: the scenario's turns ({turn, date}); `ending_name(ending, early)` the
        ending's short title and whether it is history's (None: no ending); `head`: the translated column heads ("path", "ending")."""
        pal = self.palette
        p = Painter(self.cache, self.scale)
        r = self.rect
        self._cells, self._labels = {}, {}
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(8))
        label_w = min(self.px(250), r.width // 4)
        end_w = min(self.px(190), r.width // 6)
        n = max(1, len(turns))
        col_w = (r.width - label_w - end_w - self.px(12)) / n
        y0 = r.y + self.px(4)
        p.text(surface, head["path"], (r.x + self.px(10), y0), 12, pal.muted, "bold")
        for i, t in enumerate(turns):
            cx = round(r.x + label_w + col_w * (i + 0.5))
            p.text(surface, str(t.get("turn", i + 1)), (cx, y0), 12, pal.muted, "bold", anchor="midtop")
        p.text(surface, head["ending"], (r.right - end_w, y0), 12, pal.muted, "bold")
        rh = self.row_height()
        for row, lane in enumerate(lanes):
            top = r.y + self.px(24) + row * rh
            if row % 2:
                pygame.draw.rect(surface, pal.panel, (r.x + self.px(4), top, r.width - self.px(8), rh))
            indent = self.px(14) * lane.depth
            name = ("↳ " if lane.depth else "") + lane.label
            font = self.cache.fonts.get(p.px(14), "bold" if lane.key in ("history", "game") else "regular")
            room = self._labels[lane.key] = pygame.Rect(r.x + self.px(10) + indent, top,
                                                        label_w - indent - self.px(14), rh)
            shown = fit_text(name, font, room.width)
            p.text(surface, shown, (room.x, room.centery), 14, pal.ink,
                   "bold" if lane.key in ("history", "game") else "regular", anchor="midleft", full=name)
            path = lane.path
            steps = {s.turn: s for s in path.turns}
            where = path.departure
            shared_until = None
            if path.branched_at is not None:
                shared_until = next((s.turn for s in path.turns if s.log_index >= path.branched_at), None)
            for i, t in enumerate(turns):
                num = int(t.get("turn", i + 1))
                cx = round(r.x + label_w + col_w * (i + 0.5))
                cy = top + rh // 2
                cell = pygame.Rect(0, 0, max(self.px(18), round(col_w) - self.px(4)), rh - self.px(4))
                cell.center = (cx, cy)
                step = steps.get(num)
                if step is None:
                    pygame.draw.circle(surface, pal.upcoming, (cx, cy), self.px(3))
                    continue
                self._cells[(lane.key, num)] = cell
                if selected == (lane.key, num):
                    pygame.draw.rect(surface, pal.highlight, cell, border_radius=self.px(6))
                colour = pal.good if step.on_history else pal.bad
                rad = self.px(7)
                shared = shared_until is not None and num < shared_until
                if shared:
                    pygame.draw.circle(surface, colour, (cx, cy), rad, max(2, self.px(2)))
                else:
                    pygame.draw.circle(surface, colour, (cx, cy), rad)
                if where is not None and where.turn == num:
                    pygame.draw.circle(surface, pal.ink, (cx, cy), rad + self.px(4), max(2, self.px(2)))
                if shared_until == num:
                    d = self.px(6)
                    x = cx - rad - self.px(9)
                    pygame.draw.polygon(surface, pal.accent, [(x, cy - d), (x + d, cy), (x, cy + d), (x - d, cy)])
            ending, historical = ending_name(path.ending, path.ended_early) if path.finished else ("…", None)
            ex = r.right - end_w
            if historical is not None:
                pygame.draw.circle(surface, pal.good if historical else pal.bad, (ex + self.px(4), top + rh // 2),
                                   self.px(4))
            efont = self.cache.fonts.get(p.px(13), "regular")
            eshown = fit_text(ending, efont, end_w - self.px(20))
            p.text(surface, eshown, (ex + self.px(13), top + rh // 2), 13, pal.ink, anchor="midleft", full=ending,
                   more=True)
        self.texts = p.texts
