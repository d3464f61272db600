"""The timeline of turns: dates, the current turn, whether past choices matched history."""

from __future__ import annotations

from typing import Any

import pygame

from ..i18n import language, pick
from ..style import Painter, TextCache
from .card_view import format_date


class Timeline:
    def __init__(self, cache: TextCache, palette: Any, rect: pygame.Rect, scale: float = 1.0) -> None:
        self.cache, self.palette, self.rect, self.scale = cache, palette, pygame.Rect(rect), scale
        self.texts: list[str] = []
        self._surf: pygame.Surface | None = None
        self._key: Any = None

    def surface(self, turns: list[dict], current: int, past: list[dict]) -> pygame.Surface:
        key = (repr(turns), current, repr(past), language(), self.rect.size, self.palette)
        if self._surf is None or key != self._key:
            self._surf = self._render(turns, current, past)
            self._key = key
        return self._surf

    def _render(self, turns: list[dict], current: int, past: list[dict]) -> pygame.Surface:
        pal = self.palette
        p = Painter(self.cache, self.scale)
        surf = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        n = max(1, len(turns))
        w = self.rect.width
        cy = p.px(12)
        pygame.draw.line(surf, pal.border, (p.px(10), cy), (w - p.px(10), cy), p.px(2))
        matched = {r.get("turn"): r for r in past}
        for i, t in enumerate(turns):
            num = t.get("turn", i + 1)
            x = p.px(10) + (w - p.px(20)) * (i + 0.5) / n
            done = num < current or num in matched
            r = p.px(9) if num == current else p.px(6)
            colour = pal.accent if num == current else (pal.ink if done else pal.upcoming)
            pygame.draw.circle(surf, colour, (x, cy), r)
            if num == current:
                pygame.draw.circle(surf, pal.highlight, (x, cy), r, p.px(2))
            label = pick(t.get("label")) or format_date(t.get("date"))
            size = 12 if n <= 8 else 11
            weight = "bold" if num == current else "regular"
            max_w = (w - p.px(20)) / n - p.px(4)
            colour = pal.ink if done or num == current else pal.muted
            while size > 9 and self.cache.fonts.get(p.px(size), weight).size(label)[0] > max_w:
                size -= 1
            lines = self.cache.wrap(label, p.px(size), int(max_w), weight)
            if len(lines) > 1:  # too long for one line: two lines, the second cut if it must be
                rest = " ".join(lines[1:])
                font = self.cache.fonts.get(p.px(size), weight)
                while len(rest) > 1 and font.size(rest + "…")[0] > max_w and len(lines) > 2:
                    rest = rest[:-1]
                lines = [lines[0], rest + ("…" if len(lines) > 2 else "")]
                p.texts.append(label)
            y = cy + p.px(12)
            for line in lines:
                p.text(surf, line, (round(x), y), size, colour, weight, anchor="midtop",
                       full=label if line.endswith("…") else line, more=num == current)  # the current turn's whole label is in the header
                y += p.line_height(size, weight) - p.px(2)
        self.texts = p.texts
        return surf
