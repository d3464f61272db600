"""The map's legend: a compact strip of controller swatches along the map's bottom edge, folded to a
small tab when the student clicks it (`MapView.legend_open`), moved to the top when the card's marker
or a changed region's name is under it; "changed hands last turn" has its own entry when any did."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..i18n import pick, tr
from ..style import Painter, fit_text

if TYPE_CHECKING:
    from .map_view import MapView


def legend_layout(m: MapView, surf: pygame.Surface, painter: Painter,
                  marker: list[pygame.Rect]) -> tuple[pygame.Rect, list[str], list[str], int] | None:
    """Where the legend goes: a compact strip along the bottom edge (swatches and names flowing in at
    most a few short lines), or, folded, a small tab; at the top when the card's marker is under it."""
    used = [c for c in dict.fromkeys(m.control.values()) if c in m.colours]
    if not used:
        return None
    size = 11
    font = m.cache.fonts.get(m.px(size))
    lh = painter.line_height(size) + m.px(2)
    names = [pick(m.controller_names.get(c, c)) for c in used]
    if m.changed:
        names.append(tr("map.changed"))
    pad = m.px(6)
    width = surf.get_width() - 2 * m.px(8)
    if not m.legend_open:
        w = font.size(tr("map.legend") + " ▸")[0] + 2 * pad
        box = pygame.Rect(m.px(8), surf.get_height() - lh - 2 * pad + m.px(4) - m.px(8), w,
                          lh + 2 * pad - m.px(4))
        return box, [], [], lh
    x, lines = pad, 1
    for n in names:   # a name too long for a line gets lines of its own rather than being cut
        parts = _name_lines(m, n, width)
        item = m.px(14) + m.px(4) + max(font.size(p)[0] for p in parts) + m.px(12)
        if (x + item > width - pad or len(parts) > 1) and x > pad:
            x, lines = pad, lines + 1
        x += item
        if len(parts) > 1:
            lines += len(parts) - 1
            x = width   # the next name starts a line
    h = lines * lh + 2 * pad - m.px(4)
    box = pygame.Rect(m.px(8), surf.get_height() - h - m.px(8), width if lines > 1 else x + pad, h)
    points = (m.geo or {}).get("label_points", {})
    keep_clear = marker + [pygame.Rect(0, 0, m.px(60), m.px(20)).move(
        m.to_local(*points[r])[0] - m.px(30), m.to_local(*points[r])[1] - m.px(10))
        for r in m.changed if r in points]   # the card's marker and the changed regions' names
    if box.collidelist(keep_clear) >= 0:
        box.top = m.px(40) if m.interactive else m.px(8)
    return box, used, names, lh


def _name_lines(m: MapView, name: str, width: int) -> list[str]:
    """A controller's name in the lines it takes in a legend ``width`` wide: one, unless even a whole
    line but its swatch is too narrow (then wrapped, at most three lines, the last cut with "…")."""
    room = width - 2 * m.px(6) - m.px(14) - m.px(4) - m.px(12)
    font = m.cache.fonts.get(m.px(11))
    if font.size(name)[0] <= room:
        return [name]
    lines = m.cache.wrap(name, m.px(11), room)
    if len(lines) > 3:
        lines = [*lines[:2], fit_text(" ".join(lines[2:]), font, room)]
    return lines


def draw_legend(m: MapView, surf: pygame.Surface, painter: Painter, box: pygame.Rect, used: list[str],
                names: list[str], lh: int) -> None:
    pal = m.palette
    size = 11
    pad = m.px(6)
    veil = pygame.Surface(box.size, pygame.SRCALPHA)
    veil.fill((*pal.label_bg, 225))
    surf.blit(veil, box)
    pygame.draw.rect(surf, pal.border, box, 1)
    if not m.legend_open:
        painter.text(surf, tr("map.legend") + " ▸", (box.x + pad, box.y + pad - m.px(2)), size, pal.ink, "bold")
        return
    font = m.cache.fonts.get(m.px(size))
    x, y = box.x + pad, box.y + pad - m.px(2)
    for i, n in enumerate(names):
        parts = _name_lines(m, n, box.width)
        item = m.px(14) + m.px(4) + max(font.size(p)[0] for p in parts) + m.px(12)
        if (x + item > box.right - pad or len(parts) > 1) and x > box.x + pad:
            x, y = box.x + pad, y + lh
        sw = pygame.Rect(x, y + m.px(3), m.px(14), lh - m.px(8))
        if i < len(used):
            pygame.draw.rect(surf, m.colours[used[i]], sw)
            pygame.draw.rect(surf, pal.border, sw, 1)
        else:  # the outline of a region that changed hands
            pygame.draw.rect(surf, pal.ink, sw, m.px(3))
            pygame.draw.rect(surf, pal.highlight, sw.inflate(-m.px(2), -m.px(2)), max(1, m.px(1)))
        for k, part in enumerate(parts):
            painter.text(surf, part, (sw.right + m.px(4), y + k * lh), size, pal.ink)
        if len(parts) > 1:
            painter.texts.append(n)
            x, y = box.right, y + (len(parts) - 1) * lh   # the next name starts a line
        else:
            x += item
