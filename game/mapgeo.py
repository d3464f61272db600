"""Map geometry loader: pure Python, no pygame and no shapely at run time.

`assets/map/geometry.json` is built by `tools/build_map.py` from public-domain Natural
Earth data (see `assets/map/LICENSE.md`). It holds one or more *views* ("russia",
"europe"); each view is a box `width` x `height` in screen-like units (x right, y down)
with:

* `regions`: `{region_id: [ring, ...]}`, each ring a list of `[x, y]` (not closed);
  every ring is an outer ring (islands are separate rings, there are no holes), so a
  region is drawn by filling each ring; `point_in_polygon` uses the even-odd rule,
* `context`: a list of outer rings of the land outside the playable regions (grey, one
  or more rings per modern country, so country borders can be outlined),
* `places`: `{place_id: [x, y]}` for the places that fall inside the view box,
* `label_points`: `{region_id: [x, y]}` a point inside the region's largest ring,
* `projection`: the parameters that `project()` uses.

The projection is a spherical Lambert conformal conic on the unit sphere:
`(X, Y) = lcc(lon, lat)`, then `x = (X - xmin) * scale`, `y = (ymax - Y) * scale`.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

Ring = list[list[float]]


@cache
def _geometry() -> dict[str, Any]:
    with (files("assets") / "map" / "geometry.json").open("r", encoding="utf-8") as f:
        return json.load(f)


def load_geometry() -> dict[str, Any]:
    """The parsed geometry.json (cached; treat it as read-only)."""
    return _geometry()


def load_regions() -> dict[str, Any]:
    """The parsed regions.yaml: `{"regions": [...], "places": [...]}`."""
    with (files("assets") / "map" / "regions.yaml").open("r", encoding="utf-8") as f:
        return yaml.safe_load(f)


def point_in_polygon(x: float, y: float, rings: list[Ring]) -> bool:
    """Even-odd test of (x, y) against all `rings` together (rings need not be closed)."""
    inside = False
    for ring in rings:
        n = len(ring)
        if n < 3:
            continue
        x0, y0 = ring[-1][0], ring[-1][1]
        for i in range(n):
            x1, y1 = ring[i][0], ring[i][1]
            if (y1 > y) != (y0 > y) and x < (x0 - x1) * (y - y1) / (y0 - y1) + x1:
                inside = not inside
            x0, y0 = x1, y1
    return inside


def lcc_constants(lat0: float, lat1: float, lat2: float) -> tuple[float, float, float]:
    """(n, F, rho0) of a spherical Lambert conformal conic with standard parallels lat1, lat2."""
    p0, p1, p2 = (math.radians(v) for v in (lat0, lat1, lat2))

    def t(p: float) -> float:
        return math.tan(math.pi / 4 + p / 2)

    if abs(p1 - p2) < 1e-12:
        n = math.sin(p1)
    else:
        n = math.log(math.cos(p1) / math.cos(p2)) / math.log(t(p2) / t(p1))
    f = math.cos(p1) * t(p1) ** n / n
    rho0 = f / t(p0) ** n
    return n, f, rho0


def lcc_forward(params: dict[str, Any], lon: float, lat: float) -> tuple[float, float]:
    """Unit-sphere LCC coordinates (X east, Y north) of (lon, lat) in degrees."""
    n, f, rho0 = lcc_constants(params["lat0"], params["lat1"], params["lat2"])
    dlon = (lon - params["lon0"] + 180.0) % 360.0 - 180.0
    rho = f / math.tan(math.pi / 4 + math.radians(lat) / 2) ** n
    theta = n * math.radians(dlon)
    return rho * math.sin(theta), rho0 - rho * math.cos(theta)


def _view(view: str | dict[str, Any]) -> dict[str, Any]:
    return _geometry()["views"][view] if isinstance(view, str) else view


def project(view: str | dict[str, Any], lon: float, lat: float) -> tuple[float, float]:
    """Screen-like (x, y) of (lon, lat) in `view` (a view name or a view dict)."""
    p = _view(view)["projection"]
    big_x, big_y = lcc_forward(p, lon, lat)
    return (big_x - p["xmin"]) * p["scale"], (p["ymax"] - big_y) * p["scale"]


def _bbox(rings: list[Ring]) -> tuple[float, float, float, float]:
    xs = [pt[0] for r in rings for pt in r]
    ys = [pt[1] for r in rings for pt in r]
    return min(xs), min(ys), max(xs), max(ys)


@cache
def _bboxes(view: str) -> dict[str, tuple[float, float, float, float]]:
    return {rid: _bbox(rings) for rid, rings in _geometry()["views"][view]["regions"].items() if rings}


def region_at(view: str, x: float, y: float) -> str | None:
    """The id of the region of `view` under (x, y), or None (sea or context land)."""
    regions = _geometry()["views"][view]["regions"]
    for rid, (x0, y0, x1, y1) in _bboxes(view).items():
        if x0 <= x <= x1 and y0 <= y <= y1 and point_in_polygon(x, y, regions[rid]):
            return rid
    return None
