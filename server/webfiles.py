"""Plain HTTP on the game's port: the browser client's few static files, served from memory.

The WebSocket server hands every opening handshake to ``WebFiles.process_request`` (websockets'
``process_request`` hook). A WebSocket upgrade goes on to the game protocol untouched; any other
request is answered here, and the connection is closed after the response:

- ``GET /`` (any query: ``/?code=K7QXPM``, ``/?projector=K7QXPM``) is the web client's page;
- ``GET /static/<name>`` is one of the files in ``server/web/`` (package data),
  ``GET /static/map.json`` the map geometry (``assets/map``) as SVG paths, built at start, and
  ``GET /static/where.json`` this machine's LAN addresses (for the projector opened as localhost);
- nothing else: unknown paths are 404 (no listing, and no path ever reaches the file system:
  the routes are a fixed table filled at start), methods other than GET and HEAD are 405.

Every file is read (and gzip-compressed) once, when the server starts; nothing is fetched from
the internet, and nothing on disk is read per request. Responses carry ``Content-Type``, an
``ETag`` (``If-None-Match`` gets 304) and ``Cache-Control: no-cache`` (the browser revalidates,
so a new version of the game is picked up on the next load). Requests with a body, huge headers
or a malformed request line are refused by websockets itself before this hook runs (400-class
response or a closed connection); see docs/web.md.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from importlib.resources import files
from itertools import pairwise
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

log = logging.getLogger("crossroads.web")

#: The files of server/web/ the client needs, by URL path, with their media types.
STATIC = {
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/screens.js": ("screens.js", "text/javascript; charset=utf-8"),
    "/static/wire.js": ("wire.js", "text/javascript; charset=utf-8"),
    "/static/i18n.js": ("i18n.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
    "/static/msgpack.min.js": ("vendor/msgpack-3.1.2.min.js", "text/javascript; charset=utf-8"),
    "/static/msgpack-LICENSE.txt": ("vendor/msgpack-LICENSE.txt", "text/plain; charset=utf-8"),
}
INDEX = ("index.html", "text/html; charset=utf-8")
MAP_PATH = "/static/map.json"
WHERE_PATH = "/static/where.json"  # this machine's LAN addresses: the projector shows them when opened as localhost
ALLOWED = ("GET", "HEAD")
#: Sent with every response: no sniffing, no framing, scripts only from this server.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": ("default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
                                "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'"),
}


@dataclass(frozen=True, slots=True)
class Asset:
    """One file as served: its bytes, their gzip form (when smaller), type and validator."""

    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, content_type: str) -> Asset:
        # level 9 for the small files; the map (170 KB) at 9 would add 0.3 s to every server start for 6% less
        squeezed = gzip.compress(body, compresslevel=9 if len(body) < 64 * 1024 else 6, mtime=0)
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        return cls(body, squeezed if len(squeezed) < len(body) else None, content_type, etag)


def map_document() -> dict[str, Any]:
    """The map views of ``assets/map`` as the browser draws them: one SVG path per region
    (in whole units, relative steps), the land around them, places and label points,
    and the names of regions and places in both languages."""
    from game.mapgeo import load_geometry, load_regions

    def path(rings: list[list[list[float]]]) -> str:
        """Rings as one SVG path in whole units, relative moves ("l dx dy"), repeated points dropped."""
        parts = []
        for ring in rings:
            pts: list[tuple[int, int]] = []
            for x, y in ring:
                p = (round(x), round(y))
                if not pts or p != pts[-1]:
                    pts.append(p)
            if len(pts) >= 3:
                steps = " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in pairwise(pts))
                parts.append(f"M{pts[0][0]} {pts[0][1]}l{steps}z")
        return "".join(parts)

    views = {}
    for name, view in load_geometry()["views"].items():
        views[name] = {
            "width": view["width"],
            "height": view["height"],
            "regions": {rid: path(rings) for rid, rings in view["regions"].items()},
            "context": path(view["context"]),
            "places": {pid: [round(x, 1), round(y, 1)] for pid, (x, y) in view["places"].items()},
            "labels": {rid: [round(x, 1), round(y, 1)] for rid, (x, y) in view["label_points"].items()},
        }
    names = load_regions()
    return {
        "views": views,
        "regions": {r["id"]: {"pl": r.get("pl", r["id"]), "en": r.get("en", r["id"])} for r in names["regions"]},
        "places": {p["id"]: {"pl": p.get("pl", p["id"]), "en": p.get("en", p["id"])} for p in names["places"]},
    }


class WebFiles:
    """The routes of the web client, loaded into memory; ``process_request`` is the websockets hook."""

    def __init__(self, *, with_map: bool = True, addresses: list[str] | None = None) -> None:
        root = files("server") / "web"
        self.routes: dict[str, Asset] = {}
        index = Asset.of(root.joinpath(INDEX[0]).read_bytes(), INDEX[1])
        self.routes["/"] = self.routes["/index.html"] = index
        for url, (name, kind) in STATIC.items():
            self.routes[url] = Asset.of(root.joinpath(*name.split("/")).read_bytes(), kind)
        if addresses is None:
            from server.announce import local_addresses

            addresses = local_addresses()
        where = json.dumps({"addresses": addresses}).encode()
        self.routes[WHERE_PATH] = Asset.of(where, "application/json")
        if with_map:
            try:
                body = json.dumps(map_document(), ensure_ascii=False, separators=(",", ":")).encode()
            except (OSError, ValueError, KeyError) as exc:  # a broken install: the client plays without a map
                log.warning("no map for the web client: %s", exc)
            else:
                self.routes[MAP_PATH] = Asset.of(body, "application/json")

    def sizes(self) -> dict[str, tuple[int, int]]:
        """URL -> (bytes, bytes as sent gzip-compressed): for bench/web.py and the docs."""
        return {url: (len(a.body), len(a.gzipped or a.body)) for url, a in self.routes.items()}

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """None for a WebSocket upgrade (the game protocol takes it); otherwise the HTTP answer."""
        if "websocket" in request.headers.get("Upgrade", "").lower():
            return None
        return self.answer(request.method, request.path, request.headers)

    def answer(self, method: str, target: str, headers: Headers) -> Response:
        """The response to one plain HTTP request (``target`` as sent: path and query)."""
        if method not in ALLOWED:
            return _plain(HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD are served here\n",
                          {"Allow": ", ".join(ALLOWED)})
        path = target.split("?", 1)[0].split("#", 1)[0]
        asset = self.routes.get(path)  # a fixed table: '..', '%2e', '//' or absolute forms never match
        if asset is None:
            return _plain(HTTPStatus.NOT_FOUND, "not found\n")
        common = {"ETag": asset.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if asset.etag in {t.strip() for t in headers.get("If-None-Match", "").split(",")}:
            return _response(HTTPStatus.NOT_MODIFIED, b"", common)
        body, extra = asset.body, {"Content-Type": asset.content_type}
        if asset.gzipped is not None and _accepts_gzip(headers.get("Accept-Encoding", "")):
            body, extra["Content-Encoding"] = asset.gzipped, "gzip"
        response = _response(HTTPStatus.OK, body, {**common, **extra})
        if method == "HEAD":
            response.body = b""  # Content-Length stays that of the GET
        return response


def _accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _response(status: HTTPStatus, body: bytes, headers: dict[str, str]) -> Response:
    h = Headers(**SECURITY_HEADERS)
    for key, value in headers.items():
        h[key] = value
    h["Content-Length"] = str(len(body))
    h["Connection"] = "close"
    return Response(status.value, status.phrase, h, body)


def _plain(status: HTTPStatus, text: str, headers: dict[str, str] | None = None) -> Response:
    return _response(status, text.encode(), {"Content-Type": "text/plain; charset=utf-8",
                                             "Cache-Control": "no-store", **(headers or {})})


@cache
def shared_web_files() -> WebFiles:
    """One ``WebFiles`` per process (the files do not change while it runs): servers share it."""
    return WebFiles()
