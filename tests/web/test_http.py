"""Plain HTTP on the game's port (server.webfiles): real requests to 127.0.0.1, raw bytes on a socket."""

from __future__ import annotations

import gzip
import json
import socket
from importlib.resources import files

import msgpack
import pytest
from websockets.sync.client import connect

from game.wire import FrameReader, unpack_server_frame
from tests.web.host import SyncClient


def raw(port: int, request: bytes, timeout: float = 5) -> tuple[int | None, dict[str, str], bytes]:
    """Send ``request`` as is; (status or None if the server closed without answering, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            data += chunk
    if not data:
        return None, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


def get(port: int, target: str, *, method: str = "GET", extra: str = "") -> tuple[int | None, dict[str, str], bytes]:
    return raw(port, f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode())


def static_bytes(name: str) -> bytes:
    return (files("server") / "web").joinpath(*name.split("/")).read_bytes()


@pytest.fixture
def port(web_server) -> int:
    return web_server.server.port


def test_the_page_and_its_files_with_types_and_caching(port: int) -> None:
    for target in ("/", "/?code=K7QXPM", "/?projector=K7QXPM", "/index.html"):
        status, headers, body = get(port, target)
        assert status == 200, target
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["cache-control"] == "no-cache"
        assert headers["x-content-type-options"] == "nosniff"
        assert body == static_bytes("index.html")
    expected = {
        "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
        "/static/style.css": ("style.css", "text/css; charset=utf-8"),
        "/static/msgpack.min.js": ("vendor/msgpack-3.1.2.min.js", "text/javascript; charset=utf-8"),
        "/static/msgpack-LICENSE.txt": ("vendor/msgpack-LICENSE.txt", "text/plain; charset=utf-8"),
    }
    for target, (name, kind) in expected.items():
        status, headers, body = get(port, target)
        assert (status, headers["content-type"], body) == (200, kind, static_bytes(name)), target
        assert int(headers["content-length"]) == len(body)
    status, headers, body = get(port, "/static/map.json")
    assert status == 200 and headers["content-type"] == "application/json"
    assert b'"russia"' in body and b'"brzesc"' in body
    status, headers, body = get(port, "/static/where.json")
    assert status == 200 and headers["content-type"] == "application/json"
    addresses = json.loads(body)["addresses"]
    assert all(not a.startswith("127.") for a in addresses)


def test_gzip_when_asked_and_304_when_unchanged(port: int) -> None:
    status, headers, body = get(port, "/static/app.js", extra="Accept-Encoding: gzip, deflate\r\n")
    assert status == 200 and headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == static_bytes("app.js")
    status, headers, body = get(port, "/static/app.js", extra="Accept-Encoding: gzip;q=0\r\n")
    assert "content-encoding" not in headers and body == static_bytes("app.js")
    etag = headers["etag"]
    status, headers, body = get(port, "/static/app.js", extra=f"If-None-Match: {etag}\r\n")
    assert (status, body) == (304, b"")
    status, _, _ = get(port, "/static/app.js", extra='If-None-Match: "something-else"\r\n')
    assert status == 200


@pytest.mark.parametrize("target", [
    "/nope", "/static/", "/static", "/static/nope.js", "/static/app.js/", "/static/vendor/msgpack-3.1.2.min.js",
    "/../pyproject.toml", "/static/../pyproject.toml", "/static/../../server/app.py",
    "/%2e%2e/pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/..%2fapp.js", "/static%2fapp.js",
    "/%2Fetc%2Fpasswd", "//etc/passwd", "/etc/passwd", "/static/..\\..\\pyproject.toml", "/server/web/app.js",
    "/static/app.js%00.png", "http://127.0.0.1/static/app.js", "*",
])
def test_unknown_paths_traversal_and_listing_are_404(port: int, target: str) -> None:
    status, headers, body = get(port, target)
    assert status == 404, (target, status)
    assert headers["content-type"] == "text/plain; charset=utf-8" and body == b"not found\n"


def test_other_methods_are_refused_and_head_has_no_body(port: int) -> None:
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"):
        status, headers, _ = get(port, "/", method=method)
        assert status == 405, method
        assert headers["allow"] == "GET, HEAD"
    status, headers, body = get(port, "/static/app.js", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) == len(static_bytes("app.js"))


def test_bodies_huge_headers_and_garbage_are_refused_and_the_server_goes_on(port: int) -> None:
    # a body: websockets refuses it before our hook (closes without a response)
    status, _, _ = raw(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
    assert status is None or status >= 400
    status, _, _ = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    assert status is None or status >= 400
    status, _, _ = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 10_000 + b"\r\n\r\n")
    assert status == 431
    many = b"".join(b"X-H%d: 1\r\n" % i for i in range(200))
    status, _, _ = raw(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert status == 431
    status, _, _ = raw(port, b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 414
    status, _, _ = raw(port, b"\x16\x03\x01\x02\x00garbage\r\n\r\n")  # a TLS hello
    assert status is None or status >= 400
    status, _, _ = raw(port, b"GET / HTTP/2.0\r\nHost: x\r\n\r\n")
    assert status is None or status >= 400
    # still serving, over HTTP and over the WebSocket on the same port
    assert get(port, "/")[0] == 200
    with connect(f"ws://127.0.0.1:{port}/", compression=None) as ws:
        ws.send(msgpack.packb({"v": 1, "type": "ping", "id": 1}))
        assert unpack_server_frame(ws.recv(timeout=5))["type"] == "pong"


def _frames(url: str, accept: list[str] | None) -> list[dict]:
    """The raw envelopes a player who joins with ``accept`` receives through a game's first turn."""
    host = SyncClient(url)
    code = host.ok("create_session", scenario="brest-1918", formation="auto", timer=None, briefing=None)["code"]
    with connect(url, compression=None, max_size=2**22) as ws:
        fields = {"code": code, "name": "Ania"} | ({} if accept is None else {"accept": accept})
        ws.send(msgpack.packb({"v": 1, "type": "join", "id": 1, **fields}))
        host.ok("start")
        host.ok("force_resolve")  # the outcome: an update large enough to be compressed
        host.ok("advance")
        frames = []
        while True:
            try:
                frames.append(msgpack.unpackb(ws.recv(timeout=0.5)))
            except TimeoutError:
                break
    host.close()
    return frames


def _inner(frame: dict) -> dict:
    return unpack_server_frame(msgpack.packb(frame)) if frame["type"] == "z" else frame


def test_a_browser_gets_frames_it_can_read(web_server) -> None:
    url = web_server.url
    default = _frames(url, None)
    assert any(f["type"] == "z" and f.get("d") for f in default), "today's clients: the dictionary"
    reader = FrameReader()
    read = [reader.read(msgpack.packb(f)) for f in default]  # the dictionary from the view reads the rest
    assert "view" in [m["type"] for m in read] and reader.zdict

    zlib_only = _frames(url, ["zlib"])
    assert any(f["type"] == "z" for f in zlib_only)
    assert not any(f.get("d") for f in zlib_only), "no frame needs the dictionary"
    kinds = [_inner(f)["type"] for f in zlib_only]
    assert "view" in kinds and "update" in kinds
    assert all("zdict" not in _inner(f) for f in zlib_only)

    plain = _frames(url, [])
    assert plain and all(f["type"] != "z" for f in plain), "no envelope at all"
    assert {"joined", "view", "update"} <= {f["type"] for f in plain}

    # names this server does not know are ignored (a newer client), not an error
    newer = _frames(url, ["br", "zlib"])
    assert not any(f.get("d") for f in newer) and any(f["type"] == "z" for f in newer)


def test_accept_must_be_a_list_of_names(web_server) -> None:
    host = SyncClient(web_server.url)
    code = host.ok("create_session", scenario="brest-1918")["code"]
    player = SyncClient(web_server.url)
    reply = player.request("join", code=code, name="Ania", accept="zlib")
    assert (reply["type"], reply["code"], reply["field"]) == ("error", "msg/bad_field", "accept")
    assert player.request("join", code=code, name="Ania", accept=["zlib"])["type"] == "joined"
    player.close()
    host.close()


def test_crossroads_serve_answers_http_on_its_port(tmp_path) -> None:
    """The real command, as a teacher runs it: the page and the WebSocket on one port."""
    import re
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "game.cli", "serve", "--host", "127.0.0.1", "--port", "0",
                             "--db", str(tmp_path / "s.sqlite3"), "--no-announce"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"ws://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        port = int(found.group(1))
        status, _headers, body = get(port, "/?code=K7QXPM")
        assert status == 200 and body == static_bytes("index.html")
        with connect(f"ws://127.0.0.1:{port}/", compression=None) as ws:
            ws.send(msgpack.packb({"v": 1, "type": "ping", "id": 1}))
            assert unpack_server_frame(ws.recv(timeout=5))["type"] == "pong"
    finally:
        proc.terminate()
        proc.communicate(timeout=15)  # reads and closes its stdout
