"""What the client needs of a connection to a lesson server, whatever carries it.

`App` talks to the server through a `Transport` (send a request, poll what came
back, close) and opens transports, and the teacher's own lesson server, through
a `TransportFactory`. Two implementations:

* `websocket.WebSocketFactory` — the classroom: websockets on the LAN, the
  teacher's laptop running the server in-process on a port;
* `inprocess.InProcessFactory` — no port at all: a `LocalServer` (the same
  Master, scheduled by the same `server.driver.Driver`) on a thread of this
  process, the messages going through the same msgpack frames as the wire.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from game.wire import VERSION, FrameReader, WireError

from ..errors import FrameUnreadable

# the replies that hand out a seat's token; a transport keeps it to resume after a reconnect
SEAT_REPLIES = ("joined", "session_created", "resumed")


class Transport(Protocol):
    """One client's connection. Never blocks the render loop."""

    def send(self, type_: str, **fields: Any) -> int:
        """Queue a request; returns its id (the reply carries `re` = this id)."""

    def poll(self) -> list[dict]:
        """Server messages since the last poll, oldest first, plus `{"type": "_net", "status": …}` notices
        (connected, reconnecting, offline)."""

    def close(self) -> None:
        """Stop for good (no reconnecting); returns at once."""


class TransportFactory(Protocol):
    """How `App` opens transports, and where the teacher's lesson is served."""

    scenario_files: Sequence[str]  # scenario files the hosted server offers besides the built-in ones

    def __call__(self, address: str, hello: dict) -> Transport:
        """A transport to the server at `address`, sending `hello` (e.g. `join`) first."""

    def host(self) -> str:
        """Start this machine's lesson server unless it runs; returns the address to connect to.
        Raises `HostingError` if it cannot start."""

    def stop(self) -> None:
        """Stop the lesson server this factory started (if any)."""


def request(rid: int, type_: str, **fields: Any) -> dict:
    """A client message as the server expects it (protocol version, type, request id)."""
    return {"v": VERSION, "type": type_, "id": rid, **fields}


def seat_token(msg: dict) -> str | None:
    """The token a seat reply carries (the host's or a player's), to resume with; None otherwise."""
    if msg.get("type") not in SEAT_REPLIES:
        return None
    token = msg.get("host_token") or msg.get("resume_token")
    return token if isinstance(token, str) and token else None


def read_frame(reader: FrameReader, frame: bytes) -> dict:
    """One server frame as a message; raises `FrameUnreadable` (wrapping the wire's error)."""
    try:
        msg = reader.read(frame)
    except WireError as exc:
        raise FrameUnreadable(str(exc)) from exc
    if not isinstance(msg, dict):
        raise FrameUnreadable("a server frame must be one msgpack map")
    return msg


def is_kicked(msg: dict) -> bool:
    """The server says this seat is gone for good: a transport must not reconnect with its token."""
    return msg.get("type") == "closing" and msg.get("reason") == "kicked"
