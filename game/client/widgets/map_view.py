"""The map: regions filled by controller, names, legend, card marker, hover, change animation.

Geometry comes from `game.mapgeo.load_geometry()["views"][name]`. The whole
map is rendered once into a cached Surface at the widget's size and re-rendered
only when control, colours, language, marker or size change; a control change
flashes the region for `ANIM_SECONDS` (only those polygons are redrawn per frame).
"""

from __future__ import annotations

import math
from typing import Any

import pygame

from ..i18n import language, pick, tr
from ..style import Colour, Painter, TextCache

ANIM_SECONDS = 1.6


def _load_view(name: str) -> dict[str, Any] | None:
    try:
        from game.mapgeo import load_geometry
        return load_geometry()["views"][name]
    except (ImportError, OSError, KeyError, ValueError):
        return None


def _load_names() -> tuple[dict[str, dict], dict[str, dict]]:
    try:
        from game.mapgeo import load_regions
        data = load_regions()
    except (ImportError, OSError, ValueError):
        return {}, {}
    regions = {r["id"]: {"pl": r.get("pl", r["id"]), "en": r.get("en", r["id"])} for r in data.get("regions", [])}
    places = {p["id"]: {"pl": p.get("pl", p["id"]), "en": p.get("en", p["id"])} for p in data.get("places", [])}
    return regions, places


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


class MapView:
    """Draws one map view into `rect`; call `set_state` with control and controller colours."""

    def __init__(self, cache: TextCache, palette: Any, rect: pygame.Rect, scale: float = 1.0,
                 view_name: str = "russia", labels: bool = True, legend: bool = True,
                 focus: list[str] | None = None) -> None:
        self.cache = cache
        self.palette = palette
        self.rect = pygame.Rect(rect)
        self.scale = scale
        self.view_name = view_name
        self.focus = list(focus or [])
        self.show_labels = labels
        self.show_legend = legend
        self.geo = _load_view(view_name)
        self.region_names, self.place_names = _load_names()
        self.control: dict[str, str] = {}
        self.colours: dict[str, Colour] = {}
        self.controller_names: dict[str, Any] = {}
        self.marker_region: str | None = None
        self.marker_place: str | None = None
        self.hover_region: str | None = None
        self.texts: list[str] = []
        self._cache_surf: pygame.Surface | None = None
        self._key: Any = None
        self._screen_polys: dict[str, list[list[tuple[float, float]]]] = {}
        self._context: list[list[tuple[float, float]]] = []
        self._fit: tuple[float, float, float] = (1.0, 0.0, 0.0)
        self._anim: dict[str, tuple[Colour, float]] = {}
        self.flashed_for: Any = None
        self._project()

    # -- inputs ------------------------------------------------------------------------
    def set_state(self, control: dict[str, str], colours: dict[str, Colour], names: dict[str, Any],
                  marker_region: str | None = None, marker_place: str | None = None) -> None:
        """New control/colours; regions whose controller changed start their flash."""
        for region, ctrl in control.items():
            old = self.control.get(region)
            if old is not None and old != ctrl and region in self._screen_polys:
                self._anim[region] = (self.colours.get(old, self.palette.land), 0.0)
        self.control = dict(control)
        self.colours = dict(colours)
        self.controller_names = dict(names)
        self.marker_region, self.marker_place = marker_region, marker_place

    def flash(self, changes: dict[str, Any]) -> None:
        """Animate regions that changed hands: `{region: [old_controller, new_controller]}`."""
        for region, change in changes.items():
            old = change[0] if isinstance(change, list | tuple) and change else None
            if region in self._screen_polys:
                self._anim[region] = (self.colours.get(str(old), self.palette.land), 0.0)

    def resize(self, rect: pygame.Rect) -> None:
        if pygame.Rect(rect) != self.rect:
            self.rect = pygame.Rect(rect)
            self._project()

    @property
    def animating(self) -> bool:
        return bool(self._anim)

    def update(self, dt: float) -> bool:
        """Advance the flash; True while something moves (the scene must redraw)."""
        if not self._anim:
            return False
        for region in list(self._anim):
            colour, t = self._anim[region]
            t += dt
            if t >= ANIM_SECONDS:
                del self._anim[region]
            else:
                self._anim[region] = (colour, t)
        return True

    # -- geometry ----------------------------------------------------------------------
    def _project(self) -> None:
        self._screen_polys, self._context = {}, []
        if not self.geo:
            return
        x0, y0, x1, y1 = self._focus_box()
        gw, gh = x1 - x0, y1 - y0
        k = min(self.rect.width / gw, self.rect.height / gh)
        ox = (self.rect.width - gw * k) / 2 - x0 * k
        oy = (self.rect.height - gh * k) / 2 - y0 * k
        self._fit = (k, ox, oy)

        def tf(ring: list) -> list[tuple[float, float]]:
            return [(ox + p[0] * k, oy + p[1] * k) for p in ring]

        for rid, rings in self.geo.get("regions", {}).items():
            self._screen_polys[rid] = [tf(r) for r in rings if len(r) >= 3]
        self._context = [tf(r) for r in self.geo.get("context", []) if len(r) >= 3]
        self._cache_surf = None

    def _focus_box(self) -> tuple[float, float, float, float]:
        """The part of the view to show: the focus regions (the scenario's) with a margin, else all."""
        geo = self.geo or {}
        regions = geo.get("regions", {})
        pts = [pt for rid in self.focus for ring in regions.get(rid, []) for pt in ring]
        if not pts:
            return 0.0, 0.0, float(geo.get("width", 1000)), float(geo.get("height", 600))
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        mx, my = (x1 - x0) * 0.08 + 10, (y1 - y0) * 0.08 + 10
        return x0 - mx, y0 - my, x1 + mx, y1 + my

    def to_local(self, gx: float, gy: float) -> tuple[int, int]:
        k, ox, oy = self._fit
        return round(ox + gx * k), round(oy + gy * k)

    def region_at(self, pos: tuple[int, int]) -> str | None:
        """The region under a screen position, or None."""
        if not self.geo or not self.rect.collidepoint(pos):
            return None
        k, ox, oy = self._fit
        gx, gy = (pos[0] - self.rect.x - ox) / k, (pos[1] - self.rect.y - oy) / k
        try:
            from game.mapgeo import point_in_polygon
        except ImportError:
            return None
        for rid, rings in self.geo.get("regions", {}).items():
            if point_in_polygon(gx, gy, rings):
                return rid
        return None

    def hover(self, pos: tuple[int, int]) -> bool:
        """Track the mouse; True when the hovered region changed."""
        rid = self.region_at(pos)
        if rid != self.hover_region:
            self.hover_region = rid
            return True
        return False

    # -- drawing -----------------------------------------------------------------------
    def px(self, v: float) -> int:
        return max(1, round(v * self.scale))

    def region_name(self, rid: str) -> str:
        return pick(self.region_names.get(rid, rid))

    def _render(self) -> pygame.Surface:
        pal = self.palette
        surf = pygame.Surface(self.rect.size)
        surf.fill(pal.sea)
        painter = Painter(self.cache, self.scale)
        if not self.geo:
            painter.text(surf, "…", surf.get_rect().center, 30, pal.muted, anchor="center")
            self.texts = painter.texts
            return surf
        for ring in self._context:
            pygame.draw.polygon(surf, pal.land, ring)
            pygame.draw.aalines(surf, (170, 160, 140), True, ring)
        for rid, rings in self._screen_polys.items():
            fill = self.colours.get(self.control.get(rid, ""), pal.land)
            for ring in rings:
                pygame.draw.polygon(surf, fill, ring)
        for rings in self._screen_polys.values():
            for ring in rings:
                pygame.draw.lines(surf, pal.border, True, ring, self.px(1))
        if self.marker_region and self.marker_region in self._screen_polys:
            for ring in self._screen_polys[self.marker_region]:
                pygame.draw.lines(surf, pal.highlight, True, ring, self.px(3))
        taken = self._draw_marker(surf, painter)
        if self.show_labels:
            self._draw_labels(surf, painter, taken)
        if self.show_legend:
            self._draw_legend(surf, painter)
        pygame.draw.rect(surf, pal.border, surf.get_rect(), self.px(2))
        self.texts = painter.texts
        return surf

    def _draw_labels(self, surf: pygame.Surface, painter: Painter, taken: list[pygame.Rect]) -> None:
        size = 12 if self.rect.width < 700 * self.scale else 15
        bounds = pygame.Rect((0, 0), self.rect.size)
        points = (self.geo or {}).get("label_points", {})
        order = [r for r in self.focus if r in points] + [r for r in points if r not in self.focus]
        for rid in order:
            if rid not in self._screen_polys:
                continue
            x, y = self.to_local(*points[rid])
            name = self.region_name(rid)
            psize = round(size * self.scale)
            halo = self.cache.render(name, psize, (250, 246, 236), "bold")
            ink = self.cache.render(name, psize, self.palette.ink, "bold")
            r = ink.get_rect(center=(x, y))
            if not bounds.contains(r) or r.collidelist(taken) >= 0:
                continue
            taken.append(r.inflate(4, 2))
            painter.texts.append(name)
            for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                surf.blit(halo, r.move(dx, dy))
            surf.blit(ink, r)

    def _draw_marker(self, surf: pygame.Surface, painter: Painter) -> list[pygame.Rect]:
        """The card's place (or region) marker; returns the rects it covers, which labels avoid."""
        pal = self.palette
        places = (self.geo or {}).get("places", {})
        pt = None
        if self.marker_place and self.marker_place in places:
            pt = self.to_local(*places[self.marker_place])
            name = pick(self.place_names.get(self.marker_place, self.marker_place))
        elif self.marker_region and self.marker_region in (self.geo or {}).get("label_points", {}):
            pt = self.to_local(*self.geo["label_points"][self.marker_region])
            pt = (pt[0], pt[1] - self.px(18))
            name = ""
        if pt is None:
            return []
        r = self.px(9)
        pygame.draw.circle(surf, pal.ink, pt, r + self.px(3))
        pygame.draw.circle(surf, pal.highlight, pt, r)
        pygame.draw.circle(surf, pal.accent, pt, max(2, r // 2))
        covered = [pygame.Rect(pt[0] - r - 3, pt[1] - r - 3, 2 * r + 6, 2 * r + 6)]
        if name:
            img = self.cache.render(name, self.px(13), pal.ink, "bold")
            box = img.get_rect(midleft=(pt[0] + r + self.px(6), pt[1]))
            if box.right > surf.get_width() - 4:
                box.midright = (pt[0] - r - self.px(6), pt[1])
            pygame.draw.rect(surf, (255, 250, 235), box.inflate(self.px(8), self.px(4)), border_radius=self.px(4))
            pygame.draw.rect(surf, pal.ink, box.inflate(self.px(8), self.px(4)), 1, border_radius=self.px(4))
            surf.blit(img, box)
            painter.texts.append(name)
            covered.append(box.inflate(self.px(10), self.px(6)))
        return covered

    def _draw_legend(self, surf: pygame.Surface, painter: Painter) -> None:
        pal = self.palette
        used = [c for c in dict.fromkeys(self.control.values()) if c in self.colours]
        if not used:
            return
        size = 12
        lh = painter.line_height(size) + self.px(2)
        names = [pick(self.controller_names.get(c, c)) for c in used]
        w = max(self.cache.fonts.get(self.px(size)).size(n)[0] for n in names) + self.px(34)
        title = tr("map.legend")
        h = lh * (len(used) + 1) + self.px(10)
        box = pygame.Rect(self.px(8), surf.get_height() - h - self.px(8), w, h)
        pygame.draw.rect(surf, (250, 246, 236), box)
        pygame.draw.rect(surf, pal.border, box, 1)
        painter.text(surf, title, (box.x + self.px(8), box.y + self.px(5)), size, pal.ink, "bold")
        for i, (c, n) in enumerate(zip(used, names, strict=True)):
            y = box.y + self.px(5) + lh * (i + 1)
            sw = pygame.Rect(box.x + self.px(8), y + self.px(2), self.px(16), lh - self.px(6))
            pygame.draw.rect(surf, self.colours[c], sw)
            pygame.draw.rect(surf, pal.border, sw, 1)
            painter.text(surf, n, (sw.right + self.px(6), y), size, pal.ink)

    def draw(self, target: pygame.Surface) -> None:
        key = (self.rect.size, tuple(sorted(self.control.items())), tuple(sorted(self.colours.items())),
               self.marker_region, self.marker_place, language(), self.palette)
        if self._cache_surf is None or key != self._key:
            self._cache_surf = self._render()
            self._key = key
        target.blit(self._cache_surf, self.rect)
        for rid, (old, t) in self._anim.items():
            new = self.colours.get(self.control.get(rid, ""), self.palette.land)
            blend = min(1.0, t / (ANIM_SECONDS * 0.6))
            flash = 0.5 + 0.5 * math.sin(t * 10)
            for ring in self._screen_polys.get(rid, []):
                pts = [(x + self.rect.x, y + self.rect.y) for x, y in ring]
                pygame.draw.polygon(target, _mix(old, new, blend), pts)
                pygame.draw.lines(target, _mix(self.palette.highlight, self.palette.ink, flash), True, pts,
                                  self.px(3))
        if self.hover_region:
            self._draw_hover(target)

    def hover_text(self) -> str:
        rid = self.hover_region
        if not rid:
            return ""
        ctrl = self.control.get(rid)
        cname = pick(self.controller_names.get(ctrl, ctrl)) if ctrl else tr("map.nobody")
        return tr("map.region_control", region=self.region_name(rid), controller=cname)

    def _draw_hover(self, target: pygame.Surface) -> None:
        pal = self.palette
        for ring in self._screen_polys.get(self.hover_region or "", []):
            pygame.draw.lines(target, pal.ink, True, [(x + self.rect.x, y + self.rect.y) for x, y in ring],
                              self.px(2))
        text = self.hover_text()
        img = self.cache.render(text, self.px(15), pal.accent_text, "bold")
        box = img.get_rect(topright=(self.rect.right - self.px(8), self.rect.y + self.px(8))).inflate(
            self.px(16), self.px(10))
        pygame.draw.rect(target, pal.ink, box, border_radius=self.px(4))
        target.blit(img, img.get_rect(center=box.center))
