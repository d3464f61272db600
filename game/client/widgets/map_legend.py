"""The map's legend: a compact strip of controller swatches along the map's bottom edge, folded to a
small tab when the student clicks it (`MapView.legend_open`), moved to the top when the card's marker
or a changed region's name is under it; "changed hands last turn" has its own entry when any did."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..i18n import pick, tr
from ..style import Painter

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
    for n in names:
        item = m.px(14) + m.px(4) + min(font.size(n)[0], width // 2) + m.px(12)
        if x + item > width - pad and x > pad:
            x, lines = pad, lines + 1
        x += item
    h = lines * lh + 2 * pad - m.px(4)
    box = pygame.Rect(m.px(8), surf.get_height() - h - m.px(8), width if lines > 1 else x + pad, h)
    points = (m.geo or {}).get("label_points", {})
    keep_clear = marker + [pygame.Rect(0, 0, m.px(60), m.px(20)).move(
        m.to_local(*points[r])[0] - m.px(30), m.to_local(*points[r])[1] - m.px(10))
        for r in m.changed if r in points]   # the card's marker and the changed regions' names
    if box.collidelist(keep_clear) >= 0:
        box.top = m.px(40) if m.interactive else m.px(8)
    return box, used, names, lh


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
        shown = n if font.size(n)[0] <= (box.width - 2 * pad) // 2 else n[: max(3, len(n) // 2)] + "…"
        item = m.px(14) + m.px(4) + font.size(shown)[0] + m.px(12)
        if x + item > box.right - pad and x > box.x + pad:
            x, y = box.x + pad, y + lh
        sw = pygame.Rect(x, y + m.px(3), m.px(14), lh - m.px(8))
        if i < len(used):
            pygame.draw.rect(surf, m.colours[used[i]], sw)
            pygame.draw.rect(surf, pal.border, sw, 1)
        else:  # the outline of a region that changed hands
            pygame.draw.rect(surf, pal.ink, sw, m.px(3))
            pygame.draw.rect(surf, pal.highlight, sw.inflate(-m.px(2), -m.px(2)), max(1, m.px(1)))
        painter.text(surf, shown, (sw.right + m.px(4), y), size, pal.ink)
        if shown != n:
            painter.texts.append(n)
        x += item
