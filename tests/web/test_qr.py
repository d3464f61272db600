"""The join address as a QR code: the projector page's /qr.svg, and the symbol itself."""

from __future__ import annotations

import segno
from websockets.datastructures import Headers

from game.qr import join_url, qr_matrix, qr_svg
from server.webfiles import WebFiles


def test_the_qr_code_holds_the_join_address_with_the_code():
    url = join_url("192.168.1.20:8765", "k7q-xpm")
    assert url == "http://192.168.1.20:8765/?code=K7QXPM"
    assert qr_matrix(url) == [[bool(v) for v in row] for row in segno.make(url, error="m", micro=False).matrix]
    assert b"<svg" in qr_svg(url) and url.encode() in qr_svg(url)


def test_qr_svg_route_names_the_lan_address_when_the_page_was_opened_as_localhost():
    web = WebFiles(with_map=False, addresses=["10.1.2.3"])
    lan = web.answer("GET", "/qr.svg?code=K7QXPM", Headers(Host="127.0.0.1:8765"))
    assert lan.status_code == 200 and lan.headers["Content-Type"] == "image/svg+xml"
    assert b"http://10.1.2.3:8765/?code=K7QXPM" in lan.body
    direct = web.answer("GET", "/qr.svg?code=K7QXPM", Headers(Host="192.168.1.20:8765"))
    assert b"http://192.168.1.20:8765/?code=K7QXPM" in direct.body
    assert web.answer("GET", "/qr.svg?code=x", Headers(Host="evil host/<script>")).status_code == 400
