"""The classroom transport: a websockets client on its own thread and asyncio loop.

The render loop never waits on the network. `WebSocketTransport.send` queues a
request and returns its id at once; `poll` returns everything that arrived since
the last call (server messages as dicts, plus `{"type": "_net", "status": …}`
notices). A dropped connection is retried with exponential backoff; after a
reconnect the transport sends `resume` with the token the server gave the seat
(it reads it from the seat replies itself), otherwise the original `hello` again.

`WebSocketFactory` opens these transports and runs the teacher's lesson server
(`hosting.EmbeddedServer`) on a port of this machine.
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

from game.wire import DEFAULT_PORT, FrameReader  # shared with the server

from ..errors import FrameUnreadable, HostingError
from ..hosting import EmbeddedServer
from .base import is_kicked, read_frame, request, seat_token

MAX_FRAME = 1 << 20


def url_for(address: str) -> str:
    """`host`, `host:port` or a ws:// URL → a ws:// URL (default port: game.wire.DEFAULT_PORT)."""
    address = address.strip()
    if address.startswith(("ws://", "wss://")):
        return address
    if ":" not in address.rsplit("]", 1)[-1]:
        address += f":{DEFAULT_PORT}"
    return f"ws://{address}/"


class WebSocketTransport:
    """One WebSocket connection to `address` (`host`, `host:port` or a ws:// URL) run on a background
    thread, with queues both ways; `hello` is the first message of the first connection."""

    def __init__(self, address: str, hello: dict | None = None, *, max_backoff: float = 8.0) -> None:
        self.url = url_for(address)
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
        msg = request(rid, type_, **fields)
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
            return request(next(self._ids), "resume", token=self.resume_token)
        if self.hello is not None:
            hello = dict(self.hello)
            return request(next(self._ids), hello.pop("type"), **hello)
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
            if not isinstance(frame, bytes | bytearray):
                continue  # the server sends binary frames only
            try:
                msg = read_frame(frames, bytes(frame))
            except FrameUnreadable:
                continue  # a view out of step is noticed (and a full one asked for) by the session
            self.resume_token = seat_token(msg) or self.resume_token
            self._inbox.put(msg)
            if is_kicked(msg):
                self._closed = True   # the seat is gone: no reconnecting with a revoked token


class WebSocketFactory:
    """Transports over websockets; `host()` runs the lesson server on `port` of this machine (all
    interfaces, so students reach it), on `db` (default: the user's lesson database), announced on
    the LAN unless `announce` is False. `port=0` takes a free port (see `host()`'s address)."""

    def __init__(self, port: int = DEFAULT_PORT, db: str | None = None, announce: bool = True,
                 scenario_files: list[str] | None = None) -> None:
        self.port, self.db, self.announce = port, db, announce
        self.scenario_files = list(scenario_files or [])
        self.server: EmbeddedServer | None = None

    def __call__(self, address: str, hello: dict) -> WebSocketTransport:
        return WebSocketTransport(address, hello)

    def host(self) -> str:
        if self.server is None:
            server = EmbeddedServer("0.0.0.0", self.port, self.db, self.announce, self.scenario_files).start()
            if server.error is not None:
                raise HostingError(str(server.error)) from server.error
            self.server = server
        return f"127.0.0.1:{self.server.port}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
