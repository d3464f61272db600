"""The in-process transport: a lesson server on a thread of this process, no port opened.

`LocalServer` runs the classroom server's `Master` on its own thread, scheduled
by `server.driver.Driver` exactly as the websocket shell schedules it (deadlines,
batched pushes, exports built off the server thread). `InProcessTransport` is a
client's connection to it: what it sends is packed with msgpack and decoded by the
server's own `decode_frame`; what the server sends is encoded by
`server.protocol.encode` (compression and the session dictionary included) and read
by a `game.wire.FrameReader` — the same bytes a websocket client gets.

Bots think as in the websocket shell: each job the Driver hands out (an `Outgoing` with
`think`) runs in a `server.bots.BotPool` (processes, spawn context, at most 2, started with
the first bot); its answer is queued back to the server thread, which gives it to
`Driver.bot_answered`.

Solo play, demos and tests use it: every `App` of one process attached to one
`LocalServer` (`App(transport_factory=InProcessFactory(local))`).
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import msgpack

from game.wire import ErrorCode, FrameReader

from ..errors import FrameUnreadable, HostingError
from .base import is_kicked, read_frame, request, seat_token

log = logging.getLogger("crossroads.client.local_server")

SLEEP_CHECK = 2.0  # seconds between checks that the machine did not sleep (as server.app)
SLEEP_GAP = 5.0    # wall-clock time beyond monotonic time that counts as a sleep
ADDRESS = "in-process"  # what the join screen shows as the server of an in-process lesson
_HUNG_UP = b""          # queued to a transport when the server closes its connection


def _nothing() -> list[Any]:
    return []


class LocalServer:
    """A Master + Driver + store on a daemon thread. `start()` it (or use `with`), attach transports
    with `InProcessTransport(server, hello)`, `stop()` it (graceful: everyone is told `closing`).

    `db` is an SQLite path (":memory:" by default: the lesson is gone when the process ends);
    `scenario_files` are offered besides the built-in scenarios."""

    address = ADDRESS

    def __init__(self, db: str = ":memory:", scenario_files: list[str] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.scenario_files = list(scenario_files or [])
        self.clock = clock
        self.error: BaseException | None = None
        self._commands: queue.Queue[Callable[[], list[Any]] | None] = queue.Queue()
        self._conns: dict[int, InProcessTransport] = {}
        self._ids = itertools.count(1)
        self._ready = threading.Event()
        self._running = False
        self._thread = threading.Thread(target=self._main, name="crossroads-local-server", daemon=True)
        self.driver: Any = None
        self._bot_pool: Any = None  # server.bots.BotPool, made on the server thread

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._running

    def start(self, wait: float = 10.0) -> LocalServer:
        """Start the server thread; returns once it serves. Raises `HostingError` if it cannot."""
        if not self._thread.is_alive() and not self._ready.is_set():
            self._thread.start()
        self._ready.wait(wait)
        if self.error is not None:
            raise HostingError(str(self.error)) from self.error
        if not self._running:
            raise HostingError("the in-process server did not start in time")
        return self

    def stop(self) -> None:
        """Shut down gracefully (every client gets `closing`, then its connection ends) and wait."""
        if self._thread.is_alive():
            self._commands.put(None)
            self._thread.join(8.0)

    # -- called from client threads ------------------------------------------------------
    def attach(self, transport: InProcessTransport) -> int | None:
        """A new connection for `transport`; None if the server is not running."""
        if not self._running:
            return None
        conn = next(self._ids)
        self._conns[conn] = transport
        self._commands.put(lambda: self.driver.connect(conn, "127.0.0.1"))
        return conn

    def deliver(self, conn: int, frame: bytes) -> None:
        """One client frame (msgpack bytes) on connection `conn`."""
        self._commands.put(lambda: self._receive(conn, frame))

    def detach(self, conn: int) -> None:
        """The client closed connection `conn`."""
        self._commands.put(lambda: self._hang_up(conn))

    # -- the server thread ---------------------------------------------------------------
    def _main(self) -> None:
        try:
            from server.app import scenario_loader
            from server.driver import Driver
            from server.master import Master
            from server.store import SqliteStore

            store = SqliteStore(self.db)
            master = Master(store, self.clock, scenarios=scenario_loader(self.scenario_files))
            from server.bots import BotPool

            master.restore()
            self.driver = Driver(master)
            self._bot_pool = BotPool()
        except Exception as exc:  # a bad database or scenario file: start() reports it
            self.error = exc
            self._ready.set()
            return
        self._running = True
        self._ready.set()
        wall, mono = self.clock(), time.monotonic()
        try:
            while True:
                wait = self.driver.wake_in()
                wait = SLEEP_CHECK if wait is None else min(max(0.0, wait), SLEEP_CHECK)
                try:
                    command = self._commands.get(timeout=wait)
                except queue.Empty:
                    command = _nothing  # woken by the clock: what is due is polled below
                if command is None:
                    break
                try:
                    self._dispatch(command())
                    self._dispatch(self.driver.poll())
                    if time.monotonic() - mono >= SLEEP_CHECK:
                        wall, mono = self._watch_sleep(wall, mono)
                except Exception:  # a bug: the lesson goes on for everyone else (as in the websocket shell)
                    log.exception("in-process server: a command failed")
        finally:
            self._running = False
            self._bot_pool.shutdown()
            self._dispatch(self.driver.shutdown())
            for transport in list(self._conns.values()):
                transport._frame(_HUNG_UP)
            self._conns.clear()
            store.close()

    def _watch_sleep(self, wall: float, mono: float) -> tuple[float, float]:
        """As the websocket shell does: wall-clock time beyond monotonic time means the machine slept;
        every running clock moves by as much (a closed lid does not close a vote)."""
        now_wall, now_mono = self.clock(), time.monotonic()
        slept = (now_wall - wall) - (now_mono - mono)
        if slept > SLEEP_GAP:
            self._dispatch(self.driver.clock_jumped(slept))
        return now_wall, now_mono

    def _receive(self, conn: int, frame: bytes) -> list[Any]:
        from server.errors import FrameError
        from server.protocol import decode_frame

        if conn not in self._conns:
            return []
        try:
            message = decode_frame(frame)
        except FrameError as exc:
            self._send((conn,), {"type": "error", "re": None, "code": exc.code, "message": exc.message})
            return self._close(conn)
        return self.driver.receive(conn, message)

    def _hang_up(self, conn: int) -> list[Any]:
        if self._conns.pop(conn, None) is None:
            return []
        return self.driver.disconnect(conn)

    def _close(self, conn: int) -> list[Any]:
        """The server ends connection `conn` (as a websocket close would)."""
        transport = self._conns.get(conn)
        if transport is not None:
            transport._frame(_HUNG_UP)
        return self._hang_up(conn)

    def _dispatch(self, out: list[Any]) -> None:
        for o in out:
            if o.think is not None:
                self._think(o.think)
                continue
            if o.build is not None:
                threading.Thread(target=self._build, args=(o.to, o.build), name="crossroads-export",
                                 daemon=True).start()
                continue
            if o.message is not None:
                self._send(o.to, o.message, o.zdict)
            if o.close is not None:
                for conn in o.to:
                    self._dispatch(self._close(conn))

    def _think(self, job: Any) -> None:
        """A bot's decision, made in the pool; the answer is handed to the Driver on this thread."""
        from server.bots import BotAnswer, BotPool

        try:
            future = self._bot_pool.submit(job)
        except Exception as exc:  # no process could be started: the bot does not vote (the card's default)
            log.exception("could not start a bot's thinking")
            failed = BotAnswer(job.code, job.player, job.turn, job.ticket, {}, error=f"{type(exc).__name__}: {exc}")
            self._commands.put(lambda: self.driver.bot_answered(failed))
            return

        def answered(done: Any) -> None:
            answer = BotPool.answer_of(job, done)
            if self._running:
                self._commands.put(lambda: self.driver.bot_answered(answer))

        future.add_done_callback(answered)

    def _build(self, to: tuple[int, ...], build: Callable[[], dict]) -> None:
        try:
            message = build()
        except Exception:  # as the websocket shell does: the requester hears that it failed
            message = {"type": "error", "re": None, "code": ErrorCode.INTERNAL, "message": "export failed"}
        self._send(to, message)

    def _send(self, to: tuple[int, ...], message: dict, zdict: bytes | None = None) -> None:
        from server.protocol import encode

        frame = encode(message, zdict)
        for conn in to:
            transport = self._conns.get(conn)
            if transport is not None:
                transport._frame(frame)


class InProcessTransport:
    """One client's connection to a `LocalServer`: `hello` first; after the server ends the connection
    it reconnects at once, resuming with the seat's token (as the websocket transport does)."""

    def __init__(self, server: LocalServer, hello: dict | None = None) -> None:
        self.server = server
        self.hello = hello
        self.resume_token: str | None = None
        self.status = "connecting"
        self._ids = itertools.count(1)
        self._frames: queue.Queue[bytes] = queue.Queue()   # from the server thread(s), read in poll()
        self._notices: list[dict] = []
        self._closed = False
        self._conn: int | None = None
        self._open(reconnect=False)

    def send(self, type_: str, **fields: Any) -> int:
        rid = next(self._ids)
        self._deliver(request(rid, type_, **fields))
        return rid

    def poll(self) -> list[dict]:
        out, self._notices = self._notices, []
        while True:
            try:
                frame = self._frames.get_nowait()
            except queue.Empty:
                return out
            if frame == _HUNG_UP:
                out.extend(self._hung_up())
                continue
            try:
                msg = read_frame(self._reader, frame)
            except FrameUnreadable:
                continue  # as on the wire: the session notices a view out of step
            self.resume_token = seat_token(msg) or self.resume_token
            out.append(msg)
            if is_kicked(msg):
                self._closed = True

    def close(self) -> None:
        self._closed = True
        if self._conn is not None:
            self.server.detach(self._conn)
            self._conn = None
        if self.status != "offline":
            self._notice("offline")

    # -- internals -----------------------------------------------------------------------
    def _frame(self, frame: bytes) -> None:
        self._frames.put(frame)

    def _notice(self, status: str, **extra: Any) -> None:
        self.status = status
        self._notices.append({"type": "_net", "status": status, **extra})

    def _deliver(self, msg: dict) -> None:
        if self._conn is not None:
            self.server.deliver(self._conn, msgpack.packb(msg))

    def _open(self, reconnect: bool) -> None:
        self._reader = FrameReader()  # per connection, as the session dictionary is
        self._conn = self.server.attach(self)
        if self._conn is None:
            self._notice("offline", error="the in-process server is not running")
            return
        self._notice("connected", reconnect=reconnect)
        if reconnect and self.resume_token:
            self._deliver(request(next(self._ids), "resume", token=self.resume_token))
        elif self.hello is not None:
            hello = dict(self.hello)
            self._deliver(request(next(self._ids), hello.pop("type"), **hello))

    def _hung_up(self) -> list[dict]:
        """The server ended this connection: reconnect (unless closed, kicked, or the server stopped)."""
        self._conn = None
        out, self._notices = self._notices, []
        if self._closed:
            self._notice("offline")
        else:
            self._notice("reconnecting")
            self._open(reconnect=True)
        out.extend(self._notices)
        self._notices = []
        return out


class InProcessFactory:
    """Every transport to one `LocalServer`, whatever address the join screen names; `host()`
    starts it if needed. The `App`s of one process attached to one factory share the lesson."""

    def __init__(self, server: LocalServer | None = None) -> None:
        self.server = server or LocalServer()
        self._started_here = False

    @property
    def scenario_files(self) -> list[str]:
        return self.server.scenario_files

    def __call__(self, address: str, hello: dict) -> InProcessTransport:
        return InProcessTransport(self.server, hello)

    def host(self) -> str:
        if not self.server.running:
            self.server.start()
            self._started_here = True
        return self.server.address

    def stop(self) -> None:
        if self._started_here:
            self.server.stop()
            self._started_here = False
