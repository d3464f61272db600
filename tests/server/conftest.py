"""Real servers on 127.0.0.1 (ephemeral ports) and a small protocol client for the tests."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgpack
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from game.scenarios import builtin_scenario, builtin_scenario_ids, load_scenario
from game.textpool import expand, expand_view
from game.wire import FrameReader, apply_patch
from server.app import Server
from server.store import SqliteStore

MINI = Path(__file__).parents[1] / "engine" / "fixtures" / "mini.yaml"


def scenarios(scenario_id: str):
    if scenario_id == "mini":
        return load_scenario(MINI)
    if scenario_id in builtin_scenario_ids():
        return builtin_scenario(scenario_id)
    raise KeyError(scenario_id)


class ServerThread:
    """A ``Server`` running its own event loop in a thread, like a separate process would."""

    def __init__(self, db: Path, **options: Any) -> None:
        self.db = db
        self.options = options
        self.loop = asyncio.new_event_loop()
        self.server: Server | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = Server(SqliteStore(self.db), host="127.0.0.1", port=0, scenarios=scenarios, **self.options)
        self.loop.run_until_complete(self.server.start())
        self._ready.set()
        self.loop.run_until_complete(self.server.wait_stopped())

    def start(self) -> ServerThread:
        self._thread.start()
        assert self._ready.wait(10), "server did not start"
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"ws://127.0.0.1:{self.server.port}/"

    @property
    def master(self):
        assert self.server is not None
        return self.server.master

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the server's loop (to read its state safely) and return its result."""

        async def wrapped() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(10)

    def stop(self) -> None:
        if self.server is not None and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(30)
        self._thread.join(10)
        self.loop.close()


@pytest.fixture
def server(tmp_path: Path):
    srv = ServerThread(tmp_path / "test.sqlite3").start()
    yield srv
    srv.stop()


SEATING = frozenset({"create_session", "join", "watch", "resume"})


class Client:
    """A protocol client that keeps its own view up to date from ``view`` and ``update``."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.view: dict[str, Any] | None = None  # the seat's view, texts expanded
        self.wire: dict[str, Any] | None = None  # the view as sent (texts as references)
        self.state_id: int | None = None
        self.session: dict[str, Any] | None = None
        self.members: list[dict[str, Any]] = []
        self.timer: dict[str, Any] | None = None
        self.events: list[dict[str, Any]] = []
        self.pushes: list[dict[str, Any]] = []
        self.bytes_in = 0
        self.changed = asyncio.Event()
        self.closed: ConnectionClosed | None = None
        self.reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, url: str) -> Client:
        return cls(await connect(url, compression=None, max_size=2**22))

    async def _read(self) -> None:
        try:
            frames = FrameReader()
            async for frame in self.ws:
                self.bytes_in += len(frame)
                self.handle(frames.read(frame))
        except ConnectionClosed as exc:
            self.closed = exc
        finally:
            for fut in self.replies.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("closed"))
                    fut.exception()  # the requester sees it; do not warn if it gave up waiting
            self.changed.set()

    def handle(self, msg: dict[str, Any]) -> None:
        assert msg.get("v") == 1
        kind = msg["type"]
        if kind == "view":
            self.wire, self.state_id = msg["view"], msg["state_id"]
            self.view = {**expand_view(self.wire), "state_id": self.state_id}
            self.session = msg["session"]
            self.members = msg["session"]["members"]
            self.timer = msg["session"]["timer"]
        elif kind == "update":
            assert msg["base"] == self.state_id, (msg["base"], self.state_id)
            self.wire = apply_patch(self.wire, msg["patch"])
            self.state_id = msg["state_id"]
            self.view = {**expand_view(self.wire), "state_id": self.state_id}
            self.events.extend(expand(msg.get("events", []), self.wire["texts"]))
        elif kind == "lobby":
            self.members = msg["members"]
        elif kind == "timer":
            self.timer = msg
        if msg.get("re") is not None and msg["re"] in self.replies:
            self.replies.pop(msg["re"]).set_result(msg)
        else:
            self.pushes.append(msg)
        self.changed.set()

    async def send_raw(self, data: bytes | str) -> None:
        await self.ws.send(data)

    async def request(self, kind: str, **fields: Any) -> dict[str, Any]:
        rid = next(self.ids)
        fut = asyncio.get_running_loop().create_future()
        self.replies[rid] = fut
        await self.ws.send(msgpack.packb({"v": 1, "type": kind, "id": rid, **fields}))
        return await asyncio.wait_for(fut, 30)

    async def ok(self, kind: str, **fields: Any) -> dict[str, Any]:
        reply = await self.request(kind, **fields)
        assert reply["type"] != "error", reply
        if kind in SEATING:  # the protocol sends the seat's full view right after the reply
            await self.wait_for(lambda c: c.view is not None)
        return reply

    async def wait_for(self, predicate: Callable[[Client], bool], timeout: float = 30) -> None:
        async def loop() -> None:
            while not predicate(self):
                if self.closed is not None:
                    raise AssertionError(f"closed while waiting: {self.closed}")
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(loop(), timeout)

    async def close(self) -> None:
        await self.ws.close()
        await self.reader
