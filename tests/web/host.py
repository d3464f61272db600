"""A blocking protocol client for the web tests and bench/web.py: the teacher's side of a lesson
(create, start, advance...) and raw frame reading, over a real WebSocket to 127.0.0.1."""

from __future__ import annotations

import itertools
import time
from typing import Any

import msgpack
from websockets.sync.client import connect

from game.textpool import expand_view
from game.wire import FrameReader, apply_patch


class SyncClient:
    """One connection; ``request`` sends and returns the reply, keeping the seat's view current."""

    def __init__(self, url: str) -> None:
        self.ws = connect(url, compression=None, max_size=2**22).__enter__()  # closed by close()
        self.ids = itertools.count(1)
        self.frames = FrameReader()
        self.wire: dict[str, Any] | None = None
        self.state_id: int | None = None
        self.session: dict[str, Any] | None = None
        self.members: list[dict[str, Any]] = []

    @property
    def view(self) -> dict[str, Any]:
        assert self.wire is not None
        return expand_view(self.wire)

    def _handle(self, msg: dict[str, Any]) -> None:
        if msg["type"] == "view":
            self.wire, self.state_id, self.session = msg["view"], msg["state_id"], msg["session"]
            self.members = msg["session"]["members"]
        elif msg["type"] == "update":
            assert msg["base"] == self.state_id
            self.wire = apply_patch(self.wire, msg["patch"])
            self.state_id = msg["state_id"]
        elif msg["type"] == "lobby":
            self.members = msg["members"]

    def pump(self, timeout: float = 0.05) -> list[dict[str, Any]]:
        """Read what arrived within ``timeout`` seconds."""
        out = []
        while True:
            try:
                frame = self.ws.recv(timeout=timeout)
            except TimeoutError:
                return out
            msg = self.frames.read(frame)
            self._handle(msg)
            out.append(msg)
            timeout = 0.0 if timeout == 0 else 0.01

    def request(self, kind: str, **fields: Any) -> dict[str, Any]:
        rid = next(self.ids)
        self.ws.send(msgpack.packb({"v": 1, "type": kind, "id": rid, **fields}))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for msg in self.pump(0.2):
                if msg.get("re") == rid:
                    self.pump(0.05)  # the view that follows a seating reply
                    return msg
        raise TimeoutError(f"no reply to {kind}")

    def ok(self, kind: str, **fields: Any) -> dict[str, Any]:
        reply = self.request(kind, **fields)
        assert reply["type"] != "error", reply
        return reply

    def wait(self, predicate, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not (self.wire is not None and predicate(self)):
            if time.monotonic() > deadline:
                raise TimeoutError("condition not reached")
            self.pump(0.1)

    def close(self) -> None:
        self.ws.close()
