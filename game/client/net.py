"""The client's network thread: a websockets client on its own asyncio loop.

The render loop never waits on the network. `NetClient.send` queues a request
and returns its id at once; `NetClient.poll` returns everything that arrived
since the last call (server messages as dicts, plus `{"type": "_net", "status": …}`
notices). A dropped connection is retried with exponential backoff; after the
first reconnect the client sends `resume` with `resume_token` (set it once the
server has given one), otherwise the original `hello` again.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import queue
import random
import threading
from typing import Any

import msgpack
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from game.wire import DEFAULT_PORT, VERSION, FrameReader, WireError  # shared with the server

MAX_FRAME = 1 << 20


def url_for(address: str) -> str:
    """`host`, `host:port` or a ws:// URL → a ws:// URL (default port: game.wire.DEFAULT_PORT)."""
    address = address.strip()
    if address.startswith(("ws://", "wss://")):
        return address
    if ":" not in address.rsplit("]", 1)[-1]:
        address += f":{DEFAULT_PORT}"
    return f"ws://{address}/"


class NetClient:
    """One WebSocket connection run on a background thread, with queues both ways."""

    def __init__(self, url: str, hello: dict | None = None, *, max_backoff: float = 8.0) -> None:
        self.url = url
        self.hello = hello
        self.resume_token: str | None = None
        self.max_backoff = max_backoff
        self.status = "connecting"
        self._ids = itertools.count(1)
        self._inbox: queue.Queue[dict] = queue.Queue()
        self._pending: list[dict] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._closed = False
        self._ws: Any = None
        self._thread = threading.Thread(target=self._thread_main, name="crossroads-net", daemon=True)
        self._thread.start()

    # -- called from the render thread -------------------------------------------------
    def send(self, type_: str, **fields: Any) -> int:
        """Queue a request; returns its `id` (the reply carries `re` = this id)."""
        rid = next(self._ids)
        msg = {"v": VERSION, "type": type_, "id": rid, **fields}
        with self._lock:
            self._pending.append(msg)
        self._poke()
        return rid

    def poll(self) -> list[dict]:
        """Every message received since the last call, oldest first; never blocks."""
        out = []
        while True:
            try:
                out.append(self._inbox.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        """Stop reconnecting and close the socket; returns at once."""
        self._closed = True
        self._poke()

    def join(self, timeout: float = 2.0) -> None:
        self._thread.join(timeout)

    def _poke(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)

    # -- the network thread ------------------------------------------------------------
    def _notice(self, status: str, **extra: Any) -> None:
        self.status = status
        self._inbox.put({"type": "_net", "status": status, **extra})

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._run())
        finally:
            loop.close()

    async def _run(self) -> None:
        self._wake = asyncio.Event()
        attempt = 0
        first = True
        while not self._closed:
            try:
                async with connect(self.url, compression=None, max_size=MAX_FRAME, open_timeout=5,
                                   ping_interval=10, ping_timeout=10) as ws:
                    self._ws = ws
                    attempt = 0
                    self._notice("connected", reconnect=not first)
                    greeting = self._greeting(first)
                    first = False
                    if greeting is not None:
                        await ws.send(msgpack.packb(greeting))
                    await self._pump(ws)
            except (TimeoutError, OSError, WebSocketException, EOFError) as e:
                if self._closed:
                    break
                self._notice("reconnecting", error=str(e) or type(e).__name__)
            finally:
                self._ws = None
            if self._closed:
                break
            if self.status == "connected":
                self._notice("reconnecting")
            delay = min(self.max_backoff, 0.25 * (2 ** attempt)) * (0.8 + 0.4 * random.random())
            attempt += 1
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wait_closed(), timeout=delay)
        self._notice("offline")

    async def _wait_closed(self) -> None:
        while not self._closed:
            await self._wake.wait()  # type: ignore[union-attr]
            self._wake.clear()  # type: ignore[union-attr]

    def _greeting(self, first: bool) -> dict | None:
        if self.resume_token and not first:
            return {"v": VERSION, "type": "resume", "id": next(self._ids), "token": self.resume_token}
        if self.hello is not None:
            return {"v": VERSION, "id": next(self._ids), **self.hello}
        return None

    async def _pump(self, ws: Any) -> None:
        reader = asyncio.ensure_future(self._read(ws))
        try:
            while not self._closed and not reader.done():
                with self._lock:
                    batch, self._pending = self._pending, []
                for msg in batch:
                    await ws.send(msgpack.packb(msg))
                self._wake.clear()  # type: ignore[union-attr]
                with self._lock:
                    if self._pending:
                        continue
                waiter = asyncio.ensure_future(self._wake.wait())  # type: ignore[union-attr]
                await asyncio.wait({reader, waiter}, return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
            if self._closed:
                await ws.close()
        finally:
            if not reader.done():
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await reader
            elif reader.exception() is not None:
                raise reader.exception()  # type: ignore[misc]

    async def _read(self, ws: Any) -> None:
        frames = FrameReader()  # per connection: the session dictionary comes with its first view
        async for frame in ws:
            try:
                msg = frames.read(bytes(frame)) if isinstance(frame, bytes | bytearray) else None
            except WireError:
                msg = None
            if isinstance(msg, dict):
                self._inbox.put(msg)
                if msg.get("type") == "closing" and msg.get("reason") == "kicked":
                    self._closed = True   # the seat is gone: no reconnecting with a revoked token
