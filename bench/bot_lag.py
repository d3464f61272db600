"""The server's event-loop lag while bots think (server.bots.BotPool, off the loop).

    python bench/bot_lag.py [--level hard] [--rounds 3] [--niceness 10]

A real websocket server on 127.0.0.1 runs in a thread. A sleeper on its loop asks for 10 ms
again and again and records how late it wakes (the loop's lag); another session's client
pings every 20 ms. First with nobody thinking (the control), then during turn 1's vote of
``--rounds`` solo sessions with a bot of ``--level`` in each of brest-1918's five teams.
Printed: the median and p99 lag and ping round trip of each phase. ``--niceness 0`` runs the
bots at the server's own priority, for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import msgpack
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.wire import FrameReader
from server.app import Server
from server.bots import BotPool
from server.store import SqliteStore

TEAMS = ("lenin", "trotsky", "bukharin", "central", "entente")


def p99(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


class Rpc:
    def __init__(self, ws: Any) -> None:
        self.ws, self.n = ws, 0
        self.frames = FrameReader()  # unwraps `z` envelopes

    async def call(self, kind: str, **fields: Any) -> dict[str, Any]:
        self.n += 1
        await self.ws.send(msgpack.packb({"v": 1, "type": kind, "id": self.n, **fields}))
        while True:
            msg = self.frames.read(await self.ws.recv())
            if msg.get("re") == self.n:
                return msg


async def measure(url: str, loop: asyncio.AbstractEventLoop, server: Server, args: argparse.Namespace) -> None:
    lags: list[float] = []
    stop = threading.Event()

    async def sleeper() -> None:
        while not stop.is_set():
            began = loop.time()
            await asyncio.sleep(0.010)
            lags.append(loop.time() - began - 0.010)

    pinger = Rpc(await connect(url, compression=None, max_size=2**22))
    await pinger.call("create_session", scenario="brest-1918", timer=None)
    job = asyncio.run_coroutine_threadsafe(sleeper(), loop)

    async def pings(seconds: float | None, until: Any = None) -> list[float]:
        out: list[float] = []
        began = time.perf_counter()
        while (seconds is not None and time.perf_counter() - began < seconds) or (until is not None and not until()):
            sent = time.perf_counter()
            await pinger.call("ping")
            out.append(time.perf_counter() - sent)
            await asyncio.sleep(0.02)
        return out

    idle_pings = await pings(3.0)
    idle = list(lags)
    hosts = []
    for _ in range(args.rounds):
        host = Rpc(await connect(url, compression=None, max_size=2**22))
        code = (await host.call("create_session", scenario="brest-1918", timer=None, solo=True,
                                bots={t: args.level for t in TEAMS}))["code"]
        hosts.append((host, code))
    began = time.perf_counter()
    for host, _code in hosts:
        await host.call("start")

    def voted() -> bool:
        return all(server.master.sessions[code].state.phase != "deliberation" for _h, code in hosts)

    busy_pings = await pings(None, voted)
    thought = time.perf_counter() - began
    busy = lags[len(idle):]
    stop.set()
    job.result(5)
    print(f"bots: {args.rounds} sessions x 5 {args.level} bots, niceness {args.niceness}; "
          f"turn 1's vote took {thought:.1f} s")
    for name, lag, rtt in (("nobody thinking", idle, idle_pings), ("bots thinking", busy, busy_pings)):
        print(f"  {name:16s} loop lag median {statistics.median(lag) * 1e3:6.1f} ms  p99 {p99(lag) * 1e3:6.1f} ms"
              f"  ({len(lag)} sleeps)   ping median {statistics.median(rtt) * 1e3:6.1f} ms"
              f"  p99 {p99(rtt) * 1e3:6.1f} ms  ({len(rtt)} pings)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--level", default="hard")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--niceness", type=int, default=10)
    args = parser.parse_args()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(SqliteStore(Path(tmp) / "bench.sqlite3"), host="127.0.0.1", port=0, web=False)
        server.bot_pool = BotPool(niceness=args.niceness)

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(server.start())
            ready.set()
            loop.run_until_complete(server.wait_stopped())

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        ready.wait(10)
        try:
            asyncio.run(measure(f"ws://127.0.0.1:{server.port}/", loop, server, args))
        finally:
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(30)
            thread.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
