"""The lesson's join address as text and as a QR code, for the lobby and the projector.

Students scan the code from the back of the room and land on the browser client with the join
code filled in (``http://HOST:PORT/?code=K7QXPM``). ``segno`` (pure Python) makes the symbol.

>>> join_url("192.168.1.20:8765", " k7q-xpm ")
'http://192.168.1.20:8765/?code=K7QXPM'
>>> m = qr_matrix(join_url("192.168.1.20:8765", "K7QXPM"))
>>> len(m) == len(m[0]) and m[0][0] and not m[0][7]  # a finder pattern in the corner, then its light edge
True
"""

from __future__ import annotations

import re

import segno

from game.wire import normalize_code

_HOST = re.compile(r"^[0-9A-Za-z.\-\[\]:]{1,80}$")  # a host name or address with an optional port


def join_url(host_port: str, code: str | None) -> str:
    """The address a student opens: the browser client, on that lesson's join when ``code`` is given."""
    if not _HOST.match(host_port):
        raise ValueError(f"not a host[:port]: {host_port!r}")
    code = normalize_code(code or "")[:16]
    return f"http://{host_port}/" + (f"?code={code}" if code else "")


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol of ``text`` as rows of dark (True) and light modules, without the quiet zone."""
    qr = segno.make(text, error="m", micro=False)
    return [[bool(v) for v in row] for row in qr.matrix]


def qr_svg(text: str) -> bytes:
    """A standalone SVG of the QR symbol (black on white, with its quiet zone), scaled by the page."""
    qr = segno.make(text, error="m", micro=False)
    rows = qr.matrix
    n = len(rows)
    border = 4
    size = n + 2 * border
    path = "".join(f"M{x + border},{y + border}h1v1h-1z" for y, row in enumerate(rows)
                   for x, v in enumerate(row) if v)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
           f'<title>{_escape(text)}</title><rect width="{size}" height="{size}" fill="#fff"/>'
           f'<path d="{path}" fill="#000"/></svg>')
    return svg.encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
