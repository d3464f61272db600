"""Hosting a lesson: the `server` package run in-process on a background thread.

The teacher's laptop is the server: `EmbeddedServer` runs `server.app.Server`
(with the default SQLite database and the LAN announcement) on its own thread
and event loop, so the client's render loop is never blocked by it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from typing import Any

from game.wire import DEFAULT_PORT


class EmbeddedServer:
    """`start()` returns once the port listens (or `error` is set); `stop()` shuts down gracefully."""

    def __init__(self, host: str = "0.0.0.0", port: int = DEFAULT_PORT, db: str | None = None,
                 announce: bool = True, scenario_files: list[str] | None = None) -> None:
        self.host, self.port, self.db, self.announce = host, port, db, announce
        self.scenario_files = scenario_files or []
        self.error: BaseException | None = None
        self.server: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="crossroads-server", daemon=True)

    def start(self, wait: float = 10.0) -> EmbeddedServer:
        self._thread.start()
        self._ready.wait(wait)
        if not self._ready.is_set() and self.error is None:
            self.error = TimeoutError("the server did not start in time")
        return self

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as e:
            self.error = e
        finally:
            self._ready.set()
            loop.close()

    async def _serve(self) -> None:
        from server.app import Server, scenario_loader
        from server.cli import default_db_path
        from server.store import SqliteStore

        db = self.db or str(default_db_path())
        from pathlib import Path

        Path(db).parent.mkdir(parents=True, exist_ok=True)
        self._stop = asyncio.Event()
        server = Server(SqliteStore(db), host=self.host, port=self.port,
                        scenarios=scenario_loader(self.scenario_files))
        await server.start()
        self.server = server
        self.port = server.port
        announcer = None
        if self.announce:
            try:
                from server.announce import Announcer

                announcer = Announcer(server.port, lessons=lambda: server.master.sessions.values())
                await announcer.start()
            except Exception:  # no multicast here: students type the address instead
                announcer = None
        self._ready.set()
        await self._stop.wait()
        if announcer is not None:
            with contextlib.suppress(Exception):
                await announcer.stop()
        await server.stop()

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stop.set)
        self._thread.join(8.0)


def wait_port(port: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def lan_address() -> str:
    """This machine's address on the LAN (what students type), best effort."""
    from server.announce import local_addresses

    found = local_addresses()
    return found[0] if found else "127.0.0.1"
