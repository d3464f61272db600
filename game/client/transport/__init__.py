"""How the client reaches a lesson server: the `Transport` interface and its two implementations.

See `base` for the interface, `websocket` for the classroom (LAN) transport and
`inprocess` for a server running inside this process.
"""

from .base import Transport, TransportFactory
from .inprocess import InProcessFactory, InProcessTransport, LocalServer
from .websocket import WebSocketFactory, WebSocketTransport, url_for

__all__ = [
    "InProcessFactory",
    "InProcessTransport",
    "LocalServer",
    "Transport",
    "TransportFactory",
    "WebSocketFactory",
    "WebSocketTransport",
    "url_for",
]
