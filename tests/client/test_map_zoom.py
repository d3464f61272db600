"""The map widget's zoom and pan: the cached surface is re-rendered only on a change, the point under the
cursor stays put, hovering after a zoom or a drag still names the right region, labels never overlap."""

from __future__ import annotations

import itertools

import pygame
import pytest

from game.client.widgets.map_view import MAX_ZOOM, MapView

from .helpers import make_app

RECT = pygame.Rect(12, 74, 550, 360)


@pytest.fixture
def mapview():
    app = make_app("en")
    m = MapView(app.text, app.palette, RECT, 1.0, "russia", interactive=True)
    if not m.geo:
        pytest.skip("no map geometry")
    m.set_state({}, {}, {})
    return m


def motion(pos, buttons=(0, 0, 0)):
    return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=buttons)


def wheel(y):
    return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y))


def inner_point(m: MapView) -> tuple[str, tuple[int, int]]:
    """A screen point inside some region, away from the widget's edges (and its zoom buttons)."""
    inner = RECT.inflate(-160, -120)
    for x in range(inner.left, inner.right, 9):
        for y in range(inner.top, inner.bottom, 9):
            rid = m.region_at((x, y))
            if rid and all(m.region_at((x + dx, y + dy)) == rid for dx, dy in ((-6, 0), (6, 0), (0, -6), (0, 6))):
                return rid, (x, y)
    raise AssertionError("no region found")


def test_cached_surface_is_reused_until_zoom_changes_it(mapview):
    screen = pygame.Surface((1280, 720))
    mapview.draw(screen)
    first, renders = mapview._cache_surf, mapview.renders
    mapview.draw(screen)
    assert mapview._cache_surf is first and mapview.renders == renders     # nothing changed: no re-render
    k1 = mapview._fit[0]
    _, pos = inner_point(mapview)
    assert not mapview.handle_event(motion(pos))
    assert mapview.handle_event(wheel(2))
    assert mapview.zoom == pytest.approx(1.25 ** 2)
    assert mapview._fit[0] == pytest.approx(k1 * 1.25 ** 2)                 # the projection's scale follows
    mapview.draw(screen)
    assert mapview.renders == renders + 1 and mapview._cache_surf is not first
    mapview.draw(screen)
    assert mapview.renders == renders + 1


def test_zoom_keeps_the_point_under_the_cursor_and_hover_is_right(mapview):
    rid, pos = inner_point(mapview)
    mapview.handle_event(motion(pos))
    for _ in range(10):
        mapview.handle_event(wheel(1))
    assert mapview.zoom == MAX_ZOOM                                         # clamped at 4x
    assert mapview.region_at(pos) == rid
    assert mapview.hover(pos) and mapview.hover_region == rid
    assert rid in mapview.hover_text() or mapview.region_name(rid) in mapview.hover_text()
    for _ in range(20):
        mapview.handle_event(wheel(-1))
    assert mapview.zoom == 1.0 and mapview.pan == (0.0, 0.0)                # and back to the whole map


def test_drag_pans_and_the_dragged_region_follows_the_mouse(mapview):
    mapview.zoom_by(3.0)
    rid, pos = inner_point(mapview)
    target = (pos[0] + 40, pos[1] + 25)
    mapview.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    assert mapview.handle_event(motion((pos[0] + 20, pos[1] + 12), buttons=(1, 0, 0)))
    assert mapview.handle_event(motion(target, buttons=(1, 0, 0)))
    assert mapview.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=target, button=1))
    assert mapview.region_at(target) == rid
    # panning never shows past the map's edge
    mapview.set_view(mapview.zoom, (10_000, 10_000))
    assert mapview.pan == (0.0, 0.0)


def test_keys_and_corner_buttons_zoom(mapview):
    key = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_PLUS, mod=0, unicode="+", scancode=0)
    assert mapview.handle_key(key) and mapview.zoom == pytest.approx(1.5)
    key = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_0, mod=0, unicode="0", scancode=0)
    assert mapview.handle_key(key) and mapview.zoom == 1.0
    plus = dict(mapview.controls())["in"]
    assert mapview.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=plus.center, button=1))
    assert mapview.zoom == pytest.approx(1.5)
    not_interactive = MapView(mapview.cache, mapview.palette, RECT, 1.0, "russia")
    assert not not_interactive.handle_key(key) and not not_interactive.controls()


def test_labels_never_overlap_and_zooming_in_names_more(mapview):
    screen = pygame.Surface((1280, 720))
    names_at = {}
    for zoom in (1.0, 2.5):
        mapview.set_view(zoom, (0, 0))
        places = mapview.geo["places"]
        mapview.center_on(*places[next(iter(places))])
        mapview.draw(screen)
        rects = [r.inflate(-4, -2) for r in mapview.label_rects]
        for a, b in itertools.combinations(rects, 2):
            assert not a.colliderect(b), (a, b)
        names_at[zoom] = len(mapview.texts)
    assert names_at[2.5] > names_at[1.0]


def test_new_marker_is_brought_into_view_when_zoomed(mapview):
    places = mapview.geo["places"]
    far = max(places, key=lambda p: places[p][0])          # the easternmost place
    mapview.zoom_by(3.0)
    mapview.set_view(3.0, (0, 0))                          # looking at the top-left corner
    mapview.set_state({}, {}, {}, None, far)
    x, y = mapview.to_local(*places[far])
    assert 0 <= x <= RECT.width and 0 <= y <= RECT.height
