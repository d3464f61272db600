"""The map: regions filled by controller, names, legend, card marker, hover, change animation, zoom and pan.

Geometry comes from `game.mapgeo.load_geometry()["views"][name]`. The whole
map is rendered once into a cached Surface at the widget's size and re-rendered
only when control, colours, language, marker, size, zoom or pan change; a control
change flashes the region for `ANIM_SECONDS` (only those polygons are redrawn per frame).

Zoom (1x–4x) and pan (`interactive=True`): the mouse wheel zooms around the cursor,
dragging with the left button pans, the `+ − ↺` buttons in the corner (and the
`+`/`-`/`0` keys, which scenes pass to `handle_key`) zoom about the centre or reset.
A new card marker is brought into view when zoomed in. Labels never overlap: a
name that would collide with one already placed is tried smaller, then skipped;
regions too small on screen for their name get none, so zooming in shows more
names, and from `PLACES_ZOOM` on the scenario's places (towns) are named too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pygame

from ..i18n import language, pick, tr
from ..style import Colour, Painter, TextCache
from .map_legend import draw_legend, legend_layout

ANIM_SECONDS = 1.6
MIN_ZOOM, MAX_ZOOM = 1.0, 4.0
WHEEL_STEP = 1.25       # zoom factor per wheel notch
KEY_STEP = 1.5          # zoom factor per +/- key or button
PLACES_ZOOM = 1.8       # from this zoom on, towns get a dot and a name
DRAG_SLOP = 3           # pixels the mouse must move before a press becomes a drag


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


def region_names() -> dict[str, dict]:
    """Every region's name, ``{id: {"pl", "en"}}`` (from the map's region list)."""
    return _load_names()[0]


def _bbox(rings: list) -> tuple[float, float, float, float]:
    xs = [p[0] for ring in rings for p in ring] or [0.0]
    ys = [p[1] for ring in rings for p in ring] or [0.0]
    return min(xs), min(ys), max(xs), max(ys)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


class MapView:
    """Draws one map view into `rect`; call `set_state` with control and controller colours."""

    def __init__(self, cache: TextCache, palette: Any, rect: pygame.Rect, scale: float = 1.0,
                 view_name: str = "russia", labels: bool = True, legend: bool = True,
                 focus: list[str] | None = None, interactive: bool = False) -> None:
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
        self.label_rects: list[pygame.Rect] = []   # what the last render's marker and names cover
        self._cache_surf: pygame.Surface | None = None
        # what the last render drew over the regions (the marker, the names): drawn again over a flash
        self._overlay: list[Callable[[pygame.Surface], None]] = []
        self._key: Any = None
        self._screen_polys: dict[str, list[list[tuple[float, float]]]] = {}
        self._context: list[list[tuple[float, float]]] = []
        self._fit: tuple[float, float, float] = (1.0, 0.0, 0.0)       # geometry → local pixels, zoom included
        self._base_fit: tuple[float, float, float] = (1.0, 0.0, 0.0)  # the same at zoom 1
        self._boxes: dict[str, pygame.Rect] = {}                      # each region's bounding box, local pixels
        self.interactive = interactive
        self._geo_boxes: dict[str, tuple[float, float, float, float]] | None = None
        self._context_boxes: list[tuple[list, tuple[float, float, float, float]]] = []
        self.zoom = 1.0
        self.pan = (0.0, 0.0)          # local offset of the zoomed map's top-left corner (≤ 0)
        self.renders = 0               # how many times the cached surface was rendered (tests, bench)
        self._mouse: tuple[int, int] | None = None
        self._press: tuple[int, int] | None = None
        self.dragging = False
        self._anim: dict[str, tuple[Colour, float]] = {}
        self.flashed_for: Any = None
        self.changed: tuple[str, ...] = ()   # regions that changed hands last turn: outlined until the next
        self.legend_open = True              # a click on the legend folds it to a small tab (and back)
        self.legend_rect: pygame.Rect | None = None   # where the legend (or its tab) is, in screen pixels
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
        moved = (marker_region, marker_place) != (self.marker_region, self.marker_place)
        self.marker_region, self.marker_place = marker_region, marker_place
        if moved and self.zoom > MIN_ZOOM:
            self.center_on_marker()
        elif moved:
            self._project()   # the whole map's framing keeps the marker in view

    def set_changes(self, changes: dict[str, Any]) -> None:
        """Regions that changed hands in the last turn (`{region: [old, new]}`): outlined until replaced."""
        self.changed = tuple(sorted(r for r in changes if r in (self.geo or {}).get("regions", {})))

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

    # -- zoom and pan --------------------------------------------------------------------
    def set_view(self, zoom: float, pan: tuple[float, float]) -> bool:
        """Set zoom and pan (clamped so the map always fills the widget); True if anything changed."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        w, h = self.rect.size
        tx = max(w - w * zoom, min(0.0, pan[0]))
        ty = max(h - h * zoom, min(0.0, pan[1]))
        if abs(zoom - self.zoom) < 1e-9 and abs(tx - self.pan[0]) < 0.5 and abs(ty - self.pan[1]) < 0.5:
            return False
        self.zoom, self.pan = zoom, (tx, ty)
        self._project()
        return True

    def zoom_at(self, local: tuple[float, float], factor: float) -> bool:
        """Zoom by `factor` keeping the point under `local` (widget pixels) where it is."""
        z = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom * factor))
        px, py = local
        tx = px - (px - self.pan[0]) * z / self.zoom
        ty = py - (py - self.pan[1]) * z / self.zoom
        return self.set_view(z, (tx, ty))

    def zoom_by(self, factor: float) -> bool:
        return self.zoom_at((self.rect.width / 2, self.rect.height / 2), factor)

    def reset_view(self) -> bool:
        return self.set_view(MIN_ZOOM, (0.0, 0.0))

    def center_on(self, gx: float, gy: float) -> bool:
        """Pan so that the geometry point (gx, gy) is in the middle (as far as the edges allow)."""
        k, ox, oy = self._base_fit
        z = self.zoom
        return self.set_view(z, (self.rect.width / 2 - (ox + gx * k) * z, self.rect.height / 2 - (oy + gy * k) * z))

    def marker_point(self) -> tuple[float, float] | None:
        geo = self.geo or {}
        if self.marker_place and self.marker_place in geo.get("places", {}):
            return tuple(geo["places"][self.marker_place])  # type: ignore[return-value]
        if self.marker_region and self.marker_region in geo.get("label_points", {}):
            return tuple(geo["label_points"][self.marker_region])  # type: ignore[return-value]
        return None

    def center_on_marker(self) -> bool:
        pt = self.marker_point()
        return self.center_on(*pt) if pt else False

    def controls(self) -> list[tuple[str, pygame.Rect]]:
        """The zoom buttons (screen rects) in the widget's top-left corner."""
        if not self.interactive or not self.geo:
            return []
        s = self.px(26)
        gap = self.px(4)
        x, y = self.rect.x + self.px(8), self.rect.y + self.px(8)
        return [(name, pygame.Rect(x + i * (s + gap), y, s, s)) for i, name in enumerate(("in", "out", "reset"))]

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Wheel, drag and the corner buttons; True when the picture changed (the scene redraws)."""
        if not self.interactive or not self.geo:
            return False
        if event.type == pygame.MOUSEMOTION:
            pos = event.pos
            self._mouse = pos
            buttons = getattr(event, "buttons", None)
            if self._press is not None and buttons is not None and not buttons[0]:
                self._press, self.dragging = None, False   # released outside the window
            if self._press is not None:
                dx, dy = pos[0] - self._press[0], pos[1] - self._press[1]
                if self.dragging or abs(dx) + abs(dy) >= DRAG_SLOP:
                    self.dragging = True
                    self._press = pos
                    self.set_view(self.zoom, (self.pan[0] + dx, self.pan[1] + dy))
                    return True
            return False
        if event.type == pygame.MOUSEWHEEL:
            pos = self._mouse if self._mouse is not None else pygame.mouse.get_pos()
            if not self.rect.collidepoint(pos) or not event.y:
                return False
            return self.zoom_at((pos[0] - self.rect.x, pos[1] - self.rect.y), WHEEL_STEP ** event.y) or True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self._mouse = event.pos
            if self.legend_rect is not None and self.legend_rect.collidepoint(event.pos):
                self.legend_open = not self.legend_open
                return True
            for name, r in self.controls():
                if r.collidepoint(event.pos):
                    {"in": lambda: self.zoom_by(KEY_STEP), "out": lambda: self.zoom_by(1 / KEY_STEP),
                     "reset": self.reset_view}[name]()
                    return True
            self._press = event.pos
            return False
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            was = self.dragging
            self._press, self.dragging = None, False
            return was
        return False

    def handle_key(self, event: pygame.event.Event) -> bool:
        """`+`/`=` zoom in, `-` zoom out, `0` the whole map (numpad too)."""
        if not self.interactive or not self.geo or event.type != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.zoom_by(KEY_STEP)
        elif event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.zoom_by(1 / KEY_STEP)
        elif event.key in (pygame.K_0, pygame.K_KP0):
            self.reset_view()
        else:
            return False
        return True

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
        self._screen_polys, self._context, self._boxes = {}, [], {}
        self._cache_surf = None
        if not self.geo:
            return
        self._base_fit = k, ox, oy = self._fit_focus()
        z, (tx, ty) = self.zoom, self.pan
        k, ox, oy = k * z, ox * z + tx, oy * z + ty
        self._fit = (k, ox, oy)

        def tf(ring: list) -> list[tuple[float, float]]:
            return [(ox + p[0] * k, oy + p[1] * k) for p in ring]

        def box(b: tuple[float, float, float, float]) -> pygame.Rect:
            return pygame.Rect(ox + b[0] * k, oy + b[1] * k, (b[2] - b[0]) * k + 1, (b[3] - b[1]) * k + 1)

        if self._geo_boxes is None:   # bounding boxes in geometry units, once: culling costs no projection
            self._geo_boxes = {rid: _bbox(rings) for rid, rings in self.geo.get("regions", {}).items()}
            self._context_boxes = [(ring, _bbox([ring])) for ring in self.geo.get("context", []) if len(ring) >= 3]
        view = pygame.Rect(-50, -50, self.rect.width + 100, self.rect.height + 100)
        for rid, rings in self.geo.get("regions", {}).items():
            b = self._boxes[rid] = box(self._geo_boxes[rid])
            self._screen_polys[rid] = [tf(r) for r in rings if len(r) >= 3] if view.colliderect(b) else []
        self._context = [tf(ring) for ring, b in self._context_boxes if view.colliderect(box(b))]

    def _fit_focus(self) -> tuple[float, float, float]:
        """(scale, x offset, y offset) at zoom 1: the focus box whole in the widget, centred, but never
        showing beyond the geometry's own box (the land is cut there in straight lines, with sea
        beyond): a widget of another shape than the geometry sees a little less of its far edges."""
        w, h = self.rect.size
        x0, y0, x1, y1 = self._focus_box()
        gw, gh = max(1e-6, x1 - x0), max(1e-6, y1 - y0)
        width, height = float((self.geo or {}).get("width", 1000)), float((self.geo or {}).get("height", 600))
        k = max(min(w / gw, h / gh), w / width, h / height)
        vw, vh = w / k, h / k                      # what the widget shows, in geometry units
        left, top = (x0 + x1) / 2 - vw / 2, (y0 + y1) / 2 - vh / 2
        pt = self.marker_point()
        if pt is not None:  # the card's marker stays in view, clear of the edges
            m = min(vw, vh) * 0.12
            left = min(max(left, pt[0] + m - vw), pt[0] - m)
            top = min(max(top, pt[1] + m - vh), pt[1] - m)
        left = max(0.0, min(width - vw, left))
        top = max(0.0, min(height - vh, top))
        return k, -left * k, -top * k

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
        self._overlay = []
        surf = pygame.Surface(self.rect.size)
        surf.fill(pal.sea)
        painter = Painter(self.cache, self.scale)
        if not self.geo:
            painter.text(surf, "…", surf.get_rect().center, 30, pal.muted, anchor="center")
            self.texts = painter.texts
            return surf
        for ring in self._context:
            pygame.draw.polygon(surf, pal.land, ring)
            pygame.draw.aalines(surf, pal.region_edge, True, ring)
        for rid, rings in self._screen_polys.items():
            fill = self.colours.get(self.control.get(rid, ""), pal.land)
            for ring in rings:
                pygame.draw.polygon(surf, fill, ring)
        for rings in self._screen_polys.values():
            for ring in rings:
                pygame.draw.lines(surf, pal.border, True, ring, self.px(1))
        for rid in self.changed:  # last turn's changes of hands: a two-tone outline until the next turn
            for ring in self._screen_polys.get(rid, []):
                pygame.draw.lines(surf, pal.ink, True, ring, self.px(4))
                pygame.draw.lines(surf, pal.highlight, True, ring, self.px(2))
        if self.marker_region and self.marker_region in self._screen_polys:
            for ring in self._screen_polys[self.marker_region]:
                pygame.draw.lines(surf, pal.highlight, True, ring, self.px(3))
        taken = self._draw_marker(surf, painter)
        legend = legend_layout(self, surf, painter, taken) if self.show_legend else None
        self.legend_rect = legend[0].move(self.rect.topleft) if legend else None
        placed = taken + ([legend[0]] if legend else [])   # the names avoid the marker and the legend
        if self.show_labels:
            self._draw_labels(surf, painter, placed)
        self.label_rects = [r for r in placed if not legend or r is not legend[0]]  # the marker, then the names
        if legend:
            draw_legend(self, surf, painter, *legend)
        pygame.draw.rect(surf, pal.border, surf.get_rect(), self.px(2))
        self.texts = painter.texts
        return surf

    def _draw_labels(self, surf: pygame.Surface, painter: Painter, taken: list[pygame.Rect]) -> None:
        """Region names (focus regions first), then, zoomed in, towns; nothing overlaps.

        A name that collides with one already placed is tried a size smaller, then skipped; a region
        much narrower on screen than its name gets none (zooming in makes room for it)."""
        size = 12 if self.rect.width < 700 * self.scale else 15
        bounds = pygame.Rect((0, 0), self.rect.size).inflate(-4, -4)
        points = (self.geo or {}).get("label_points", {})
        for rid in self.label_order():
            if rid not in self._screen_polys:
                continue
            box = self._boxes.get(rid)
            if rid == self.marker_region or rid in self.changed:  # named even if small, a little smaller,
                at = self.to_local(*points[rid])                  # moved off the marker if it sits there
                line = round(self.cache.fonts.get(max(8, round(size * self.scale)), "bold").get_linesize())
                for dy in (0, line, -line, 2 * line, -2 * line):
                    if self._place_label(surf, painter, taken, bounds, self.region_name(rid), (at[0], at[1] + dy),
                                         (size, size - 2, size - 4), None):
                        break
                continue
            self._place_label(surf, painter, taken, bounds, self.region_name(rid), self.to_local(*points[rid]),
                              (size, size - 2), box.width * 1.6 if box is not None else None)
        if self.zoom < PLACES_ZOOM:
            return
        for pid, pt in (self.geo or {}).get("places", {}).items():
            if pid == self.marker_place:
                continue
            x, y = self.to_local(*pt)
            if not bounds.collidepoint(x, y):
                continue
            dot = pygame.Rect(x - self.px(3), y - self.px(3), self.px(6), self.px(6))
            if dot.collidelist(taken) >= 0:
                continue
            name = pick(self.place_names.get(pid, pid))
            if self._place_label(surf, painter, taken, bounds, name, (x + self.px(6), y), (11, 10), None,
                                 weight="regular", anchor="midleft"):
                pygame.draw.circle(surf, self.palette.ink, (x, y), self.px(3))
                taken.append(dot)

    def label_order(self) -> list[str]:
        """Regions in the order their names are placed (a later name that would overlap an earlier one
        is dropped): the card's region, the regions that changed hands, the scenario's focus regions,
        then the rest, larger on screen first."""
        points = (self.geo or {}).get("label_points", {})

        def area(rid: str) -> int:
            b = self._boxes.get(rid)
            return b.width * b.height if b is not None else 0

        rank = {rid: 3 for rid in points}
        for rid in self.focus:
            rank[rid] = 2
        for rid in self.changed:
            rank[rid] = 1
        if self.marker_region:
            rank[self.marker_region] = 0
        return sorted((r for r in points if r in rank), key=lambda r: (rank[r], -area(r), r))

    def _place_label(self, surf: pygame.Surface, painter: Painter, taken: list[pygame.Rect], bounds: pygame.Rect,
                     name: str, at: tuple[int, int], sizes: tuple[int, ...], max_width: float | None,
                     weight: str = "bold", anchor: str = "center") -> bool:
        """Draw `name` with a halo at the first size that fits without touching `taken`; False if none does."""
        if not name or not bounds.collidepoint(at):
            return False
        for size in sizes:
            psize = max(8, round(size * self.scale))
            ink = self.cache.render(name, psize, self.palette.ink, weight)
            r = ink.get_rect(**{anchor: at})
            if max_width is not None and r.width > max_width:
                continue
            room = r.inflate(4, 2)   # a name keeps this margin from the marker and from other names
            if not bounds.contains(r) or room.collidelist(taken) >= 0:
                continue
            halo = self.cache.render(name, psize, self.palette.label_bg, weight)
            taken.append(room)
            painter.texts.append(name)

            def draw(target: pygame.Surface, halo: pygame.Surface = halo, ink: pygame.Surface = ink,
                     r: pygame.Rect = r) -> None:
                for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                    target.blit(halo, r.move(dx, dy))
                target.blit(ink, r)

            draw(surf)
            self._overlay.append(draw)
            return True
        return False

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
        covered = [pygame.Rect(pt[0] - r - 3, pt[1] - r - 3, 2 * r + 6, 2 * r + 6)]
        label: tuple[pygame.Surface, pygame.Rect] | None = None
        if name:
            img = self.cache.render(name, self.px(13), pal.ink, "bold")
            box = self._marker_name_box(img.get_rect(), pt, r, surf.get_rect().inflate(-4, -4))
            label = img, box
            painter.texts.append(name)
            covered.append(box.inflate(self.px(10), self.px(6)))

        def draw(target: pygame.Surface) -> None:
            pygame.draw.circle(target, pal.ink, pt, r + self.px(3))
            pygame.draw.circle(target, pal.highlight, pt, r)
            pygame.draw.circle(target, pal.accent, pt, max(2, r // 2))
            if label is not None:
                img, box = label
                pygame.draw.rect(target, pal.tooltip_bg, box.inflate(self.px(8), self.px(4)), border_radius=self.px(4))
                pygame.draw.rect(target, pal.ink, box.inflate(self.px(8), self.px(4)), 1, border_radius=self.px(4))
                target.blit(img, box)

        draw(surf)
        self._overlay.append(draw)
        return covered

    def _marker_name_box(self, box: pygame.Rect, pt: tuple[int, int], r: int, bounds: pygame.Rect) -> pygame.Rect:
        """Where the marker's name goes: right of the marker, else left, below or above it — the first
        place inside the map that hides the fewest region names (the card's region's and the changed
        regions' count most, then the scenario's, then the rest), so the names stay readable."""
        gap = r + self.px(6)
        places = [("midleft", (pt[0] + gap, pt[1])), ("midright", (pt[0] - gap, pt[1])),
                  ("midtop", (pt[0], pt[1] + gap)), ("midbottom", (pt[0], pt[1] - gap))]
        names = self._estimated_labels()
        best, best_cost = None, math.inf
        for i, (anchor, at) in enumerate(places):
            cand = box.copy()
            setattr(cand, anchor, at)
            if not bounds.contains(cand):
                continue
            hit = cand.inflate(self.px(10), self.px(6))
            cost = sum(weight for rect, weight in names if hit.colliderect(rect)) + i * 0.01  # (ties: in order)
            if cost < best_cost:
                best, best_cost = cand, cost
        if best is None:  # a tiny map: right of the marker, or left when that runs off the edge
            best = box.copy()
            best.midleft = places[0][1]
            if best.right > bounds.right:
                best.midright = places[1][1]
        return best

    def _estimated_labels(self) -> list[tuple[pygame.Rect, float]]:
        """Where the region names would go (at their label points, at the usual size) and how much each
        matters: the card's region 8, the changed ones 4, the scenario's 2, any other 1."""
        if not self.show_labels:
            return []
        points = (self.geo or {}).get("label_points", {})
        size = max(8, round((12 if self.rect.width < 700 * self.scale else 15) * self.scale))
        font = self.cache.fonts.get(size, "bold")
        out = []
        for rid in self.label_order():
            if not self._screen_polys.get(rid):
                continue
            w, h = font.size(self.region_name(rid))
            rect = pygame.Rect(0, 0, w, h)
            rect.center = self.to_local(*points[rid])
            weight = 8.0 if rid == self.marker_region else 4.0 if rid in self.changed else \
                2.0 if rid in self.focus else 1.0
            out.append((rect, weight))
        return out

    def draw(self, target: pygame.Surface) -> None:
        key = (self.rect.size, tuple(sorted(self.control.items())), tuple(sorted(self.colours.items())),
               self.marker_region, self.marker_place, language(), self.palette, self.zoom, self.pan,
               self.changed, self.legend_open)
        if self._cache_surf is None or key != self._key:
            self._cache_surf = self._render()
            self._key = key
            self.renders += 1
        target.blit(self._cache_surf, self.rect)
        clip = target.get_clip()
        target.set_clip(self.rect.clip(clip) if clip else self.rect)
        try:
            self._draw_live(target)
        finally:
            target.set_clip(clip)
        self._draw_controls(target)

    def _draw_controls(self, target: pygame.Surface) -> None:
        pal = self.palette
        for name, r in self.controls():
            off = (name == "in" and self.zoom >= MAX_ZOOM) or (name != "in" and self.zoom <= MIN_ZOOM)
            pygame.draw.rect(target, pal.label_bg, r, border_radius=self.px(4))
            pygame.draw.rect(target, pal.border, r, 1, border_radius=self.px(4))
            glyph = {"in": "+", "out": "−", "reset": "↺"}[name]
            img = self.cache.render(glyph, self.px(16), pal.muted if off else pal.ink, "bold")
            target.blit(img, img.get_rect(center=r.center))
        if self.interactive and self.zoom > MIN_ZOOM and self.geo:
            r = self.controls()[-1][1]
            text = f"{self.zoom:.1f}×"
            img = self.cache.render(text, self.px(12), pal.ink, "bold")
            box = img.get_rect(midleft=(r.right + self.px(8), r.centery)).inflate(self.px(8), self.px(4))
            pygame.draw.rect(target, pal.label_bg, box, border_radius=self.px(3))
            target.blit(img, img.get_rect(center=box.center))

    def _draw_live(self, target: pygame.Surface) -> None:
        """What changes between renders of the cached surface: the flash, the hover outline."""
        for rid, (old, t) in self._anim.items():
            new = self.colours.get(self.control.get(rid, ""), self.palette.land)
            blend = min(1.0, t / (ANIM_SECONDS * 0.6))
            flash = 0.5 + 0.5 * math.sin(t * 10)
            for ring in self._screen_polys.get(rid, []):
                pts = [(x + self.rect.x, y + self.rect.y) for x, y in ring]
                pygame.draw.polygon(target, _mix(old, new, blend), pts)
                pygame.draw.lines(target, _mix(self.palette.highlight, self.palette.ink, flash), True, pts,
                                  self.px(3))
        if self._anim and self._overlay:   # the marker and the names stay readable over the flash
            area = self.rect.clip(target.get_rect())
            if area.size == self.rect.size:
                local = target.subsurface(area)
                for draw in self._overlay:
                    draw(local)
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
        if self.dragging:
            return
        text = self.hover_text()
        img = self.cache.render(text, self.px(15), pal.accent_text, "bold")
        box = img.get_rect(topright=(self.rect.right - self.px(8), self.rect.y + self.px(8))).inflate(
            self.px(16), self.px(10))
        pygame.draw.rect(target, pal.ink, box, border_radius=self.px(4))
        target.blit(img, img.get_rect(center=box.center))
