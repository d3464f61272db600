"""The I/O shell: WebSocket connections in, ``Driver`` calls, frames out.

Nothing here knows the game: it decodes frames, hands them to the ``Driver``
(``server.driver``: the Master and its scheduling, shared with the client's
in-process transport), sends what comes back, arms one ``loop.call_at`` for the
Driver's ``wake_in()``, runs heavy jobs (exports) in a thread and bots' thinking in a
process pool (``server.bots.BotPool``: spawn context, at most 2 workers, started with the
first bot), feeding each answer back through ``Driver.bot_answered`` on the loop.  Sends never
wait: each frame is written without awaiting the socket (like
``websockets.broadcast``), and a connection whose unsent bytes pass
``slow_limit`` is aborted (the TCP connection is dropped: a close frame would
only queue behind the bytes it does not read), so a client that stops reading
cannot stall anyone else or eat the server's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

from websockets.asyncio.server import Server as WsServer
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from game.engine import Scenario
from game.wire import DEFAULT_PORT
from server.bots import BotAnswer, BotPool, ThinkJob
from server.driver import IDLE_LIMIT, Driver
from server.errors import FrameError
from server.master import Master, Outgoing
from server.protocol import CLOSE_UNSUPPORTED, MAX_FRAME, decode_frame, encode
from server.store import SqliteStore, Store
from server.webfiles import WebFiles, shared_web_files

log = logging.getLogger("crossroads.server")

GC_THRESHOLDS = (50_000, 50, 100)  # Python's default is (700, 10, 10)
SLOW_LIMIT = 256 * 1024  # unsent bytes after which a connection is dropped as too slow
SLEEP_CHECK = 2.0  # seconds between checks that the machine did not sleep
SLEEP_GAP = 5.0  # wall-clock time beyond monotonic time that counts as a sleep


class Server:
    """One listening socket and its connections, around one ``Master``.

    ``await start()``, then ``await wait_stopped()`` / ``await stop()``.  ``port``
    is the bound port (useful with ``port=0``).
    """

    def __init__(
        self,
        store: Store,
        *,
        host: str = "0.0.0.0",
        port: int = DEFAULT_PORT,
        clock: Callable[[], float] = time.time,
        slow_limit: int = SLOW_LIMIT,
        ping_interval: float | None = 20,
        idle_limit: float = IDLE_LIMIT,
        master: Master | None = None,
        web: WebFiles | bool | None = True,  # plain HTTP on the same port: the browser client (docs/web.md)
        **master_options: Any,
    ) -> None:
        self.web = shared_web_files() if web is True else (web or None)
        self.store = store
        self.host = host
        self.port = port
        self.slow_limit = slow_limit
        self.ping_interval = ping_interval
        self.master = master or Master(store, clock, **master_options)
        self.driver = Driver(self.master, idle_limit=idle_limit)
        self.conns: dict[int, ServerConnection] = {}
        self._ids = itertools.count(1)
        self._ws: WsServer | None = None
        self._wake_handle: asyncio.TimerHandle | None = None
        self._wake_at = 0.0
        self._sleep_handle: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stopped = asyncio.Event()
        self.dropped_slow = 0
        self.bot_pool = BotPool()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        restored = self.master.restore()
        if restored:
            log.info("restored %d session(s)", restored)
        self._ws = await serve(
            self._handler,
            self.host,
            self.port,
            compression=None,  # small msgpack frames: deflate costs memory and CPU for little
            max_size=MAX_FRAME,  # larger frames: websockets closes with 1009
            max_queue=8,
            write_limit=32 * 1024,
            ping_interval=self.ping_interval,
            ping_timeout=self.ping_interval,
            close_timeout=5,
            process_request=None if self.web is None else self.web.process_request,  # HTTP: server.webfiles
        )
        sockets = list(self._ws.sockets)
        if sockets:
            self.port = sockets[0].getsockname()[1]
        self._arm()
        self._watch_sleep(self.master.clock(), asyncio.get_running_loop().time())

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    async def stop(self) -> None:
        """Graceful shutdown: refuse new sessions, tell everyone ``closing``, close 1001."""
        if self._stopped.is_set():
            return
        self._dispatch(self.driver.shutdown())
        for handle in (self._wake_handle, self._sleep_handle):
            if handle is not None:
                handle.cancel()
        if self._ws is not None:
            self._ws.close()  # stops listening; any connection still open gets 1001
            await self._ws.wait_closed()
        self.bot_pool.shutdown()  # thinking in progress is dropped: a restore sets the bots thinking again
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        self.store.close()
        self._stopped.set()

    # ------------------------------------------------------------------ connections

    async def _handler(self, ws: ServerConnection) -> None:
        conn = next(self._ids)
        self.conns[conn] = ws
        address = ws.remote_address[0] if ws.remote_address else "?"
        self._dispatch(self.driver.connect(conn, str(address)))
        try:
            async for frame in ws:
                try:
                    message = decode_frame(frame)
                except FrameError as exc:
                    self._send_now(ws, encode({"type": "error", "re": None, "code": exc.code, "message": exc.message}))
                    await ws.close(CLOSE_UNSUPPORTED, exc.code)
                    break
                out = self.driver.receive(conn, message)
                self._dispatch(out)
                # the handler now idles until the next frame: keep nothing alive meanwhile (the last
                # replies, a full view with session info, would otherwise cost ~45 KiB per connection)
                del out, message
        except ConnectionClosed:
            pass
        finally:
            self.conns.pop(conn, None)
            self._dispatch(self.driver.disconnect(conn))

    def _send_now(self, ws: ServerConnection, data: bytes) -> None:
        if ws.state is State.OPEN:
            broadcast([ws], data)

    def _dispatch(self, out: list[Outgoing]) -> None:
        """Send what the Driver returned, then arm the timer for its next wake-up (the Driver fixed
        its deadlines before returning, so nothing a client does on reading this can race them)."""
        self._deliver(out)
        self._arm()

    def _deliver(self, out: list[Outgoing]) -> None:
        for o in out:
            if o.think is not None:
                self._think(o.think)
                continue
            if o.build is not None:
                task = asyncio.get_running_loop().create_task(self._run_build(o))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                continue
            if o.message is not None:
                for to, accept in self._by_encoding(o.to):
                    self._send(to, encode(o.message, o.zdict, accept))
            if o.close is not None:
                for c in o.to:
                    ws = self.conns.get(c)
                    if ws is not None:
                        self._spawn(ws.close(o.close, o.reason))

    def _by_encoding(self, to: tuple[int, ...]) -> list[tuple[tuple[int, ...], frozenset[str] | None]]:
        """``to`` grouped by the encodings each connection said it reads (its ``accept``); one
        group, encoded once, in the usual case that all read everything."""
        bindings = self.master.bindings
        groups: dict[frozenset[str] | None, list[int]] = {}
        for c in to:
            b = bindings.get(c)
            groups.setdefault(None if b is None else b.accept, []).append(c)
        return [(tuple(conns), accept) for accept, conns in groups.items()]

    def _send(self, to: tuple[int, ...], data: bytes) -> None:
        ready = []
        for c in to:
            ws = self.conns.get(c)
            if ws is None or ws.state is not State.OPEN:
                continue
            if ws.transport.get_write_buffer_size() > self.slow_limit:
                self._drop_slow(c, ws)
                continue
            ready.append(ws)
        if ready:
            broadcast(ready, data)

    def _drop_slow(self, conn: int, ws: ServerConnection) -> None:
        self.dropped_slow += 1
        log.warning("closing connection %d: it stopped reading (%d bytes unsent)", conn,
                    ws.transport.get_write_buffer_size())
        self.conns.pop(conn, None)  # send it nothing more
        ws.transport.abort()  # a close handshake would only queue behind the unread bytes

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_build(self, o: Outgoing) -> None:
        assert o.build is not None
        build = o.build

        def job() -> bytes:
            return encode(build())

        try:
            data = await asyncio.to_thread(job)  # heavy: never on the event loop
        except Exception:
            log.exception("export failed")
            data = encode({"type": "error", "re": None, "code": "server/internal", "message": "export failed"})
        self._send(o.to, data)

    def _think(self, job: ThinkJob) -> None:
        """Run a bot's decision in the pool; its answer comes back to the Driver on this loop."""
        loop = asyncio.get_running_loop()
        try:
            future = self.bot_pool.submit(job)
        except Exception as exc:  # no process could be started: the bot does not vote (the card's default)
            log.exception("could not start a bot's thinking")
            loop.call_soon(self._bot_answered, BotAnswer(job.code, job.player, job.turn, job.ticket, {},
                                                         error=f"{type(exc).__name__}: {exc}"))
            return

        def answered(done: Any) -> None:
            answer = BotPool.answer_of(job, done)
            if not self._stopped.is_set():
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: the answer has no one to go to
                    loop.call_soon_threadsafe(self._bot_answered, answer)

        future.add_done_callback(answered)

    def _bot_answered(self, answer: BotAnswer) -> None:
        if not self._stopped.is_set():
            self._dispatch(self.driver.bot_answered(answer))

    # ------------------------------------------------------------------ timers

    def _arm(self) -> None:
        """One loop timer for the Driver's next wake-up. An earlier one already armed stays (it
        fires, polls for nothing, and re-arms): cheaper than re-arming on every message."""
        wait = self.driver.wake_in()
        if wait is None:
            return
        loop = asyncio.get_running_loop()
        at = loop.time() + wait
        if self._wake_handle is None or at < self._wake_at - 1e-4:
            if self._wake_handle is not None:
                self._wake_handle.cancel()
            self._wake_at = at
            self._wake_handle = loop.call_at(at, self._on_wake)

    def _on_wake(self) -> None:
        self._wake_handle = None
        self._dispatch(self.driver.poll())

    def _watch_sleep(self, wall: float, mono: float) -> None:
        """Every few seconds compare the wall clock with the loop's monotonic clock, which stands
        still while the machine is suspended; a gap means the laptop slept: shift the deadlines."""
        loop = asyncio.get_running_loop()
        now_wall, now_mono = self.master.clock(), loop.time()
        slept = (now_wall - wall) - (now_mono - mono)
        if slept > SLEEP_GAP:
            log.warning("the machine slept for %.0f s: moving every running clock by as much", slept)
            self._dispatch(self.driver.clock_jumped(slept))
        if not self._stopped.is_set():
            self._sleep_handle = loop.call_later(SLEEP_CHECK, self._watch_sleep, now_wall, now_mono)


def tune_gc() -> None:
    """Fewer full garbage collections in a process that holds thousands of connections.

    With the default thresholds a full (generation 2) collection ran about every 4 s under
    ``bench/server.py --turns 8`` and each stopped the event loop for 100-150 ms, as the heap
    grows with connections and cached views: the whole tail of the turn latency (p99 136 ms).
    With these thresholds one ran in the whole game (p99 63 ms), at the same memory. Objects
    that exist at this point (modules, scenarios, restored sessions) are frozen out of the
    collector's scans. Called by the processes that serve (``crossroads serve``, and the
    game when it hosts), not by the ``Server`` class, which tests run inside pytest.
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def scenario_loader(files: list[str]) -> Callable[[str], Scenario]:
    """Built-in scenarios plus the given files (loaded and validated now, keyed by their id)."""
    from game.scenarios import builtin_scenario, builtin_scenario_ids, load_scenario

    extra = {}
    for path in files:
        sc = load_scenario(path)
        extra[sc.id] = sc

    def load(scenario_id: str) -> Scenario:
        if scenario_id in extra:
            return extra[scenario_id]
        if scenario_id in builtin_scenario_ids():
            return builtin_scenario(scenario_id)
        raise KeyError(scenario_id)

    return load


async def run(
    host: str,
    port: int,
    db: str,
    *,
    announce: bool = True,
    scenarios: Callable[[str], Scenario] | None = None,
    ready: Callable[[Server], None] | None = None,
) -> int:
    """Serve until SIGINT/SIGTERM, then shut down gracefully."""
    import signal

    options: dict[str, Any] = {} if scenarios is None else {"scenarios": scenarios}
    server = Server(SqliteStore(db), host=host, port=port, **options)
    await server.start()
    tune_gc()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows, or not the main thread
            loop.add_signal_handler(sig, stop.set)
    announcer = None
    if announce:
        from server.announce import Announcer

        announcer = Announcer(server.port, lessons=lambda: server.master.sessions.values())
        await announcer.start()
    print(f"crossroads server listening on ws://{host}:{server.port}/ (db {db})", flush=True)
    if host in ("0.0.0.0", ""):
        from server.announce import local_addresses

        shown = [a for a in local_addresses() if not a.startswith("127.")] or ["127.0.0.1"]
        print("Students on this network: open the game, choose Join; the lesson is listed by itself, or type "
              + " or ".join(f"{a}:{server.port}" for a in shown), flush=True)
        if server.web is not None:  # the browser client (docs/web.md)
            print("  or open in any browser: " + " or ".join(f"http://{a}:{server.port}/" for a in shown), flush=True)
    if ready is not None:
        ready(server)
    await stop.wait()
    print("shutting down", flush=True)
    if announcer is not None:
        await announcer.stop()
    await server.stop()
    return 0
