"""The timeline of turns: dates, the current turn, whether past choices matched history.

A past turn is clickable: `turn_at(pos)` says which turn a click (screen coordinates) hit,
and `draw_turn(surface, record, …)` draws that turn's outcome over the screen (what each
side chose, what came of it), until the scene closes it with any click or Esc.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from ..i18n import language, pick, tr
from ..style import Painter, TextCache
from .card_view import format_date


class Timeline:
    def __init__(self, cache: TextCache, palette: Any, rect: pygame.Rect, scale: float = 1.0) -> None:
        self.cache, self.palette, self.rect, self.scale = cache, palette, pygame.Rect(rect), scale
        self.texts: list[str] = []
        self._surf: pygame.Surface | None = None
        self._key: Any = None
        self._centres: list[tuple[int, float]] = []   # (turn, x within the rect) of each dot, as drawn

    def turn_at(self, pos: tuple[int, int], past: list[dict]) -> int | None:
        """The past turn (one with a record in ``past``) whose dot or label is at ``pos``; else None."""
        if not self.rect.collidepoint(pos) or not self._centres:
            return None
        done = {r.get("turn") for r in past}
        x = pos[0] - self.rect.x
        num, cx = min(self._centres, key=lambda nc: abs(nc[1] - x))
        half = (self.rect.width - round(20 * self.scale)) / max(1, len(self._centres)) / 2
        return num if num in done and abs(cx - x) <= half else None

    def draw_turn(self, surface: pygame.Surface, record: dict, name_of: Callable[[str], str],
                  labels: dict[str, str]) -> list[str]:
        """Draw one past turn's outcome over ``surface``: each card, what each side chose, what came of it.
        ``name_of`` names a decider; ``labels`` holds the translated ``title``, ``chose``, ``default``,
        ``outcome`` and ``close`` strings. Returns the texts drawn (for the scene's shown texts)."""
        pal = self.palette
        p = Painter(self.cache, self.scale)
        w, h = surface.get_size()
        veil = pygame.Surface((w, h), pygame.SRCALPHA)
        veil.fill((*pal.veil, 150))
        surface.blit(veil, (0, 0))
        box = pygame.Rect(0, 0, min(w - p.px(40), p.px(900)), h - p.px(60))
        box.center = (w // 2, h // 2)
        pygame.draw.rect(surface, pal.paper, box, border_radius=p.px(12))
        pygame.draw.rect(surface, pal.accent, box, p.px(3), border_radius=p.px(12))
        pad = p.px(18)
        clip = surface.get_clip()
        surface.set_clip(box.inflate(-p.px(6), -p.px(6)))
        x, width = box.x + pad, box.width - 2 * pad
        y = p.paragraph(surface, labels["title"], pygame.Rect(x, box.y + pad, width, 0), 22, pal.accent, "serif")
        for c in record.get("cards", []):
            y += p.px(8)
            y = p.paragraph(surface, pick(c.get("title")), pygame.Rect(x, y, width, 0), 17, pal.accent, "bold")
            for d, o in (c.get("choices") or {}).items():
                text = pick((c.get("choice_text") or {}).get(d)) or o
                mark = f" {labels['default']}" if d in (c.get("defaulted") or []) else ""
                y = p.paragraph(surface, f"• {name_of(d)}: {text}{mark}", pygame.Rect(x, y, width, 0), 14, pal.ink)
            outcome = " ".join(pick(o.get("text")) for o in c.get("outcomes") or [] if pick(o.get("text")))
            if outcome:
                y = p.paragraph(surface, f"{labels['outcome']} {outcome}", pygame.Rect(x, y + p.px(2), width, 0), 14,
                                pal.ink)
        surface.set_clip(clip)
        p.text(surface, labels["close"], (box.centerx, box.bottom - p.px(8)), 12, pal.muted, anchor="midbottom")
        return p.texts

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
        self._centres = []
        for i, t in enumerate(turns):
            num = t.get("turn", i + 1)
            x = p.px(10) + (w - p.px(20)) * (i + 0.5) / n
            self._centres.append((num, x))
            done = num < current or num in matched
            r = p.px(9) if num == current else p.px(6)
            colour = pal.accent if num == current else (pal.ink if done else pal.upcoming)
            pygame.draw.circle(surf, colour, (x, cy), r)
            if num == current:
                pygame.draw.circle(surf, pal.highlight, (x, cy), r, p.px(2))
            elif num in matched:  # a ring: this past turn opens its outcome when clicked
                pygame.draw.circle(surf, pal.accent, (x, cy), r + p.px(3), max(1, p.px(2)))
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


def past_record(view: dict, turn: int) -> dict:
    """The record of ``turn`` in the view's timeline ({"cards": []} if there is none)."""
    return next((r for r in view.get("timeline") or [] if r.get("turn") == turn), {"cards": []})


def past_labels(view: dict, turn: int) -> dict[str, str]:
    """The translated strings `Timeline.draw_turn` needs for ``turn``."""
    record = past_record(view, turn)
    return {"title": tr("timeline.turn_title", turn=turn, date=format_date(record.get("date"))),
            "default": tr("outcome.default"), "outcome": tr("timeline.outcome"), "close": tr("timeline.close")}
