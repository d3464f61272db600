"""Track gauges: a bar per track with its value and this turn's change."""

from __future__ import annotations

from typing import Any

import pygame

from ..i18n import language, pick, tr
from ..style import Painter, TextCache


class Gauges:
    def __init__(self, cache: TextCache, palette: Any, rect: pygame.Rect, scale: float = 1.0) -> None:
        self.cache, self.palette, self.rect, self.scale = cache, palette, pygame.Rect(rect), scale
        self.texts: list[str] = []
        self._surf: pygame.Surface | None = None
        self._key: Any = None

    def surface(self, tracks: list[dict], values: dict[str, int], changes: dict[str, int]) -> pygame.Surface:
        key = (repr(tracks), repr(values), repr(changes), language(), self.rect.size, self.palette)
        if self._surf is None or key != self._key:
            self._surf = self._render(tracks, values, changes)
            self._key = key
        return self._surf

    def row_height(self) -> int:
        """The least height of one track's row: its name's line, then its bar with the value beside it."""
        p = Painter(self.cache, self.scale)
        return p.line_height(13) + p.line_height(12, "bold") + p.px(4)

    def needed_height(self, tracks: int) -> int:
        """The height that shows ``tracks`` tracks whole (two columns from five tracks on)."""
        p = Painter(self.cache, self.scale)
        rows = -(-tracks // (2 if tracks > 4 else 1))
        return p.line_height(16, "bold") + p.px(4) + rows * self.row_height()

    def _render(self, tracks: list[dict], values: dict[str, int], changes: dict[str, int]) -> pygame.Surface:
        pal = self.palette
        p = Painter(self.cache, self.scale)
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        p.text(surf, tr("game.tracks"), (0, 0), 16, pal.accent, "bold")
        y0 = p.line_height(16, "bold") + p.px(4)
        n = max(1, len(tracks))
        # two columns when there are many tracks, unless a name would not fit in half the width (then
        # one column, if the rows still fit); the name has its column's whole width (the value and this
        # turn's change sit right of the bar), shrinking to 10 before it is cut with "…"
        cols = 2 if n > 4 else 1
        gap = p.px(12)
        if cols == 2:
            half = (self.rect.width - gap) // 2
            too_long = any(self.cache.fonts.get(p.px(10)).size(pick(t.get("name", t.get("id"))))[0] > half
                           for t in tracks)
            if too_long and (self.rect.height - y0) // n >= p.px(30):
                cols = 1
        rows = -(-n // cols)
        cw = (self.rect.width - gap * (cols - 1)) // cols
        rh = min(p.px(44), max(self.row_height(), (self.rect.height - y0) // max(1, rows)))
        for i, t in enumerate(tracks):
            col, row = i % cols, i // cols
            x, y = col * (cw + gap), y0 + row * rh
            tid = t.get("id")
            v = values.get(tid, 0)
            lo, hi = t.get("min", 0), t.get("max", 10)
            d = changes.get(tid, 0)
            name = pick(t.get("name", tid))
            size = next((sz for sz in range(13, 9, -1) if self.cache.fonts.get(p.px(sz)).size(name)[0] <= cw), 10)
            font = self.cache.fonts.get(p.px(size))
            shown = name
            while len(shown) > 3 and font.size(shown)[0] > cw:
                shown = shown[:-2].rstrip() + "…"
            p.text(surf, shown, (x, y + p.line_height(13) - p.line_height(size)), size, pal.ink, full=name)
            if shown != name:
                p.texts[-1] = name
            by = y + p.line_height(13)
            bh = min(p.px(14), max(p.px(8), rh - p.line_height(13) - p.line_height(12, "bold") // 2 - p.px(6)))
            right = x + cw
            vy = by  # the value's line; the bar level with it
            by = vy + max(0, (p.line_height(12, "bold") - bh) // 2)
            vr = p.text(surf, f"{v}/{hi}", (right, vy), 12, pal.ink, "bold", anchor="topright")
            right = vr.left - p.px(6)
            if d:
                label = f"▲ +{d}" if d > 0 else f"▼ {d}"
                dr = p.text(surf, label, (right, vy), 12, pal.good if d > 0 else pal.bad, "bold", anchor="topright")
                right = dr.left - p.px(6)
            bar = pygame.Rect(x, by, max(p.px(20), right - x), bh)
            pygame.draw.rect(surf, pal.track, bar, border_radius=p.px(3))
            frac = 0 if hi == lo else (v - lo) / (hi - lo)
            fill = bar.copy()
            fill.width = round(bar.width * max(0, min(1, frac)))
            pygame.draw.rect(surf, pal.accent, fill, border_radius=p.px(3))
            pygame.draw.rect(surf, pal.border, bar, 1, border_radius=p.px(3))
        self.texts = p.texts
        return surf
