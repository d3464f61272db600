"""The generated map geometry (assets/map/geometry.json) agrees with assets/map/regions.yaml.

Pure Python: no pygame, no shapely. Rebuild the geometry with `python tools/build_map.py`.
"""

from __future__ import annotations

import math
from importlib.resources import files

import pytest

from game import mapgeo

GEO = mapgeo.load_geometry()
SPEC = mapgeo.load_regions()
REGIONS = {r["id"]: r for r in SPEC["regions"]}
PLACES = {p["id"]: p for p in SPEC["places"]}
VIEWS = list(GEO["views"])

# Neighbours that face each other across water rather than sharing a land border, with the
# gap allowed (in view units; a view is 1000 wide).
NEIGHBOUR_GAP = 2.5
SEA_NEIGHBOURS = {
    frozenset({"finlandia", "estonia"}): 15.0,  # across the Gulf of Finland (Helsinki-Tallinn)
}


def _dist_point_segment(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _near(points: list[list[float]], box: tuple[float, float, float, float], pad: float) -> list[list[float]]:
    x0, y0, x1, y1 = box
    return [p for p in points if x0 - pad <= p[0] <= x1 + pad and y0 - pad <= p[1] <= y1 + pad]


def _bbox(rings: list[list[list[float]]]) -> tuple[float, float, float, float]:
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    return min(xs), min(ys), max(xs), max(ys)


def _rings_distance(a: list[list[list[float]]], b: list[list[list[float]]], pad: float) -> float:
    """Smallest distance between the outlines of two ring sets (inf if farther than about pad)."""
    best = math.inf
    box_a, box_b = _bbox(a), _bbox(b)
    for rings_p, rings_s, box_s, box_p in ((a, b, box_b, box_a), (b, a, box_a, box_b)):
        pts = _near([p for r in rings_p for p in r], box_s, pad)
        if not pts:
            continue
        for ring in rings_s:
            n = len(ring)
            for i in range(n):
                (ax, ay), (bx, by) = ring[i - 1], ring[i]
                if (
                    max(ax, bx) < box_p[0] - pad
                    or min(ax, bx) > box_p[2] + pad
                    or max(ay, by) < box_p[1] - pad
                    or min(ay, by) > box_p[3] + pad
                ):
                    continue
                for px, py in pts:
                    if abs(px - ax) > pad + abs(bx - ax) or abs(py - ay) > pad + abs(by - ay):
                        continue
                    best = min(best, _dist_point_segment(px, py, ax, ay, bx, by))
                    if best == 0.0:
                        return best
    return best


def test_json_size_and_metadata() -> None:
    size = len((files("assets") / "map" / "geometry.json").read_bytes())
    assert size < 700 * 1024, size
    assert "Natural Earth" in GEO["source"]
    assert "public domain" in GEO["license"]
    assert {"russia", "europe"} <= set(GEO["views"])


@pytest.mark.parametrize("view", VIEWS)
def test_view_shape(view: str) -> None:
    v = GEO["views"][view]
    assert v["width"] == 1000 and v["height"] > 0
    assert v["context"], "context land is missing"
    assert set(v["regions"]) <= set(REGIONS)
    assert set(v["label_points"]) == set(v["regions"])
    for rid, rings in v["regions"].items():
        assert rings, rid
        for ring in rings:
            assert len(ring) >= 3, rid
            for x, y in ring:
                assert -0.5 <= x <= v["width"] + 0.5 and -0.5 <= y <= v["height"] + 0.5, (rid, x, y)


def test_every_region_has_geometry_in_the_russia_view() -> None:
    regions = GEO["views"]["russia"]["regions"]
    assert set(regions) == set(REGIONS)


@pytest.mark.parametrize("view", VIEWS)
def test_label_points_lie_inside_their_region(view: str) -> None:
    v = GEO["views"][view]
    for rid, (x, y) in v["label_points"].items():
        assert mapgeo.point_in_polygon(x, y, v["regions"][rid]), rid
        assert mapgeo.region_at(view, x, y) == rid


def test_region_centres_lie_inside_their_region() -> None:
    # Only the "russia" view: the "europe" view clips the eastern regions at its edge, so the
    # centres of Siberia, Kazakhstan and Central Asia fall outside their clipped polygons there.
    v = GEO["views"]["russia"]
    for rid, r in REGIONS.items():
        x, y = mapgeo.project("russia", r["lon"], r["lat"])
        assert mapgeo.point_in_polygon(x, y, v["regions"][rid]), rid
        assert mapgeo.region_at("russia", x, y) == rid


@pytest.mark.parametrize("view", VIEWS)
def test_places_are_projected_into_their_region(view: str) -> None:
    v = GEO["views"][view]
    for pid, p in PLACES.items():
        x, y = mapgeo.project(view, p["lon"], p["lat"])
        inside_box = 0 <= x <= v["width"] and 0 <= y <= v["height"]
        assert (pid in v["places"]) == inside_box, pid
        if not inside_box:
            continue
        sx, sy = v["places"][pid]
        assert abs(sx - x) < 0.1 and abs(sy - y) < 0.1, pid
        if p.get("region") and p["region"] in v["regions"]:
            assert mapgeo.region_at(view, x, y) == p["region"], pid


def test_views_show_the_places_they_are_for() -> None:
    # "europe" (the diplomatic scenarios) shows every place west of the Urals ...
    west = {pid for pid, p in PLACES.items() if p["lon"] <= 60}
    assert west <= set(GEO["views"]["europe"]["places"])
    # ... and "russia" every place that lies in a region, plus Warsaw and Berlin
    in_regions = {pid for pid, p in PLACES.items() if p.get("region")}
    assert in_regions | {"warszawa", "berlin"} <= set(GEO["views"]["russia"]["places"])


def test_neighbours_touch() -> None:
    regions = GEO["views"]["russia"]["regions"]
    pairs = {frozenset({a, b}) for a, r in REGIONS.items() for b in r["neighbours"]}
    for pair in sorted(pairs, key=sorted):
        a, b = sorted(pair)
        limit = SEA_NEIGHBOURS.get(pair, NEIGHBOUR_GAP)
        gap = _rings_distance(regions[a], regions[b], pad=limit)
        assert gap < limit, (a, b, gap)


def test_neighbour_lists_are_symmetric() -> None:
    for a, r in REGIONS.items():
        for b in r["neighbours"]:
            assert a in REGIONS[b]["neighbours"], (a, b)


def test_regions_do_not_overlap_at_their_label_points() -> None:
    for view, v in GEO["views"].items():
        for rid, (x, y) in v["label_points"].items():
            others = [
                o for o, rings in v["regions"].items() if o != rid and mapgeo.point_in_polygon(x, y, rings)
            ]
            assert not others, (view, rid, others)


@pytest.mark.parametrize("view", VIEWS)
def test_regions_do_not_overlap(view: str) -> None:
    v = GEO["views"][view]
    boxes = {rid: _bbox(rings) for rid, rings in v["regions"].items()}
    step = 10
    for gx in range(step // 2, v["width"], step):
        for gy in range(step // 2, v["height"], step):
            hits = [
                rid
                for rid, (x0, y0, x1, y1) in boxes.items()
                if x0 <= gx <= x1 and y0 <= gy <= y1 and mapgeo.point_in_polygon(gx, gy, v["regions"][rid])
            ]
            assert len(hits) <= 1, (gx, gy, hits)


def test_point_in_polygon_basics() -> None:
    square = [[[0, 0], [10, 0], [10, 10], [0, 10]]]
    assert mapgeo.point_in_polygon(5, 5, square)
    assert not mapgeo.point_in_polygon(15, 5, square)
    with_hole = [*square, [[4, 4], [6, 4], [6, 6], [4, 6]]]
    assert not mapgeo.point_in_polygon(5, 5, with_hole)
    assert mapgeo.point_in_polygon(2, 2, with_hole)


def test_sea_is_no_region() -> None:
    # the middle of the Black Sea and of the Caspian Sea
    for lon, lat in ((34.0, 43.0), (50.5, 42.0)):
        for view in VIEWS:
            x, y = mapgeo.project(view, lon, lat)
            assert mapgeo.region_at(view, x, y) is None, (view, lon, lat)
