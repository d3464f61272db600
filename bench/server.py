"""Load test of the classroom server on loopback: N sessions x M clients playing turns.

    .venv/bin/python bench/server.py --sessions 100 --clients 30 --turns 8 --max-seconds 200
    .venv/bin/python bench/server.py --stagger 0 --spread 1     # stress: every session votes in the same second

The server runs in its own process (``python -m server``); the clients run in
``--procs`` worker processes, each driving whole sessions (host + students) with
asyncio.  Per turn: every student votes (spread over ``--spread`` seconds), the
last vote resolves the turn (auto-resolve), and we time from the moment the
last vote was sent to the moment every client of that session holds the
outcome view.  Prints connections held, votes/s, p50/p99 turn latency, bytes
per client per turn after the first view, and the server's RSS per connection.
Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgpack

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.wire import FrameReader, apply_patch  # noqa: E402


def _raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class BenchClient:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = 0
        self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.view: dict[str, Any] | None = None
        self.state_id = None
        self.session: dict[str, Any] | None = None
        self.bytes = 0
        self.counting = False
        self.changed = asyncio.Event()
        self.phase_at: dict[tuple[int, str], float] = {}
        self.frames = FrameReader()
        self.task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                if self.counting:
                    self.bytes += len(frame)
                msg = self.frames.read(frame)
                kind = msg["type"]
                if kind == "view":
                    self.view, self.state_id, self.session = msg["view"], msg["state_id"], msg["session"]
                elif kind == "update":
                    self.view = apply_patch(self.view, msg["patch"], in_place=True)
                    self.state_id = msg["state_id"]
                if kind in ("view", "update") and self.view is not None:
                    self.phase_at.setdefault((self.view["turn"], self.view["phase"]), time.perf_counter())
                rid = msg.get("re")
                if rid is not None and rid in self.replies:
                    self.replies.pop(rid).set_result(msg)
                self.changed.set()
        except Exception:
            pass

    async def request(self, kind: str, **fields: Any) -> dict[str, Any]:
        self.ids += 1
        fut = asyncio.get_running_loop().create_future()
        self.replies[self.ids] = fut
        await self.ws.send(msgpack.packb({"v": 1, "type": kind, "id": self.ids, **fields}))
        return await asyncio.wait_for(fut, 60)

    async def wait_phase(self, turn: int, phases: tuple[str, ...]) -> None:
        while not (self.view and ((self.view["turn"], self.view["phase"]) in {(turn, p) for p in phases}
                                  or self.view["phase"] == "ended")):
            self.changed.clear()
            await self.changed.wait()


def _votable(view: dict[str, Any], session: dict[str, Any], team: str) -> list[tuple[str, list[str]]]:
    blocs = {b["id"]: b["teams"] for b in session["scenario"].get("blocs", [])}
    out = []
    for card in view["cards"]:
        if team not in card["teams"]:
            continue
        decider = team if team in card["deciders"] else next(b for b in card["deciders"] if team in blocs.get(b, ()))
        out.append((card["id"], [o["id"] for o in card["options"] if o["available"] and decider in o["for"]]))
    return out


async def _vote_and_time_turn(host: BenchClient, students: list[BenchClient], everyone: list[BenchClient],
                              turn: int, args: argparse.Namespace, stats: dict[str, Any]) -> None:
    """Every student votes (spread over ``--spread`` s); time from the last vote sent to every client
    holding the outcome."""
    last_sent = [0.0]

    async def vote(c: BenchClient, last_sent: list[float] = last_sent) -> None:
        await asyncio.sleep(random.random() * args.spread)
        for card, options in _votable(c.view, c.session, c.session["you"]["team"]):
            if options:
                t = time.perf_counter()
                last_sent[0] = max(last_sent[0], t)
                reply = await c.request("vote", card=card, option=random.choice(options))
                if reply["type"] == "ack":
                    stats["votes"] += 1
                else:
                    stats.setdefault("errors", {}).setdefault(reply.get("code"), 0)
                    stats["errors"][reply.get("code")] += 1

    await asyncio.gather(*(vote(c) for c in students))
    try:
        await asyncio.wait_for(asyncio.gather(*(c.wait_phase(turn, ("outcome",)) for c in everyone)), 3)
    except TimeoutError:
        stats["forced"] = stats.get("forced", 0) + 1
        await host.request("force_resolve")  # e.g. a team that had nothing to pick
        await asyncio.gather(*(c.wait_phase(turn, ("outcome",)) for c in everyone))
    else:
        arrived = [c.phase_at[(turn, "outcome")] for c in everyone]
        stats["latencies"].append(max(arrived) - last_sent[0])
        stats.setdefault("by_turn", {}).setdefault(turn, []).append(max(arrived) - last_sent[0])
        stats["first"].append(min(arrived) - last_sent[0])


async def _session(url: str, args: argparse.Namespace, ready: Any, go: Any, stats: dict[str, Any]) -> None:
    from websockets.asyncio.client import connect

    async def open_client() -> BenchClient:
        return BenchClient(await connect(url, compression=None, max_size=2**22, open_timeout=60, ping_interval=None))

    host = await open_client()
    created = await host.request("create_session", scenario=args.scenario, timer=None, formation="auto")
    code = created["code"]
    students = []
    for i in range(args.clients - 1):
        c = await open_client()
        await c.request("join", code=code, name=f"U{i}")
        students.append(c)
    everyone = [host, *students]
    stats["connections"] += len(everyone)
    ready.set()
    await go.wait()
    await asyncio.sleep(random.random() * args.stagger)  # classrooms do not start in the same second
    await host.request("start")
    for c in everyone:
        c.counting = True
    turn = 1
    while turn <= args.turns:
        await asyncio.gather(*(c.wait_phase(turn, ("deliberation", "outcome")) for c in everyone))
        if host.view["phase"] == "ended":
            break
        if host.view["phase"] == "outcome":  # nothing to decide this turn: it resolved at once
            stats["empty"] = stats.get("empty", 0) + 1
        else:
            await _vote_and_time_turn(host, students, everyone, turn, args, stats)
        stats["turns"] += 1
        await host.request("advance")
        turn += 1
        await host.wait_phase(turn, ("briefing",))
        if host.view["phase"] == "ended":
            break
        await host.request("advance")
    if host.view["phase"] == "ended":  # the host has the ending: wait until every student has it too
        await asyncio.gather(*(c.wait_phase(turn, ("ended",)) for c in students))
    stats["bytes"] += sum(c.bytes for c in students)
    for c in everyone:
        await c.ws.close()


def _worker(url: str, args: argparse.Namespace, sessions: int, ready_count: Any, go_flag: Any, out: Any) -> None:
    _raise_fd_limit()
    from server.app import tune_gc

    tune_gc()  # each worker stands in for hundreds of machines: its collector must not pause them all

    async def main() -> dict[str, Any]:
        go = asyncio.Event()
        totals: dict[str, Any] = {"connections": 0, "votes": 0, "latencies": [], "bytes": 0, "client_turns": 0,
                                  "turns": 0, "first": []}
        readies = []
        tasks = []
        for _ in range(sessions):
            stats = {"connections": 0, "votes": 0, "latencies": [], "bytes": 0, "client_turns": 0, "turns": 0,
                     "first": []}
            ready = asyncio.Event()
            readies.append(ready)

            async def run(stats: dict[str, Any] = stats, ready: asyncio.Event = ready) -> dict[str, Any]:
                await _session(url, args, ready, go, stats)
                return stats

            tasks.append(asyncio.create_task(run()))
            await asyncio.sleep(0.01)
        await asyncio.gather(*(r.wait() for r in readies))
        with ready_count.get_lock():
            ready_count.value += 1
        while not go_flag.value:
            await asyncio.sleep(0.05)
        go.set()
        t0 = time.perf_counter()
        done = await asyncio.wait_for(asyncio.gather(*tasks), args.max_seconds)
        elapsed = time.perf_counter() - t0
        for s in done:
            totals["connections"] += s["connections"]
            totals["votes"] += s["votes"]
            totals["latencies"] += s["latencies"]
            totals["first"] += s["first"]
            for t, xs in s.get("by_turn", {}).items():
                totals.setdefault("by_turn", {}).setdefault(t, []).extend(xs)
            totals["bytes"] += s["bytes"]
            totals["client_turns"] += (args.clients - 1) * s["turns"]
            totals["turns"] += s["turns"]
            totals["forced"] = totals.get("forced", 0) + s.get("forced", 0)
            for code, n in s.get("errors", {}).items():
                totals.setdefault("errors", {})[code] = totals.get("errors", {}).get(code, 0) + n
        totals["elapsed"] = elapsed
        return totals

    out.put(asyncio.run(main()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--clients", type=int, default=30, help="connections per session, host included")
    parser.add_argument("--turns", type=int, default=8, help="8: the whole brest-1918 game, its ending included")
    parser.add_argument("--procs", type=int, default=8,
                        help="client worker processes (fewer, busier ones add their own queueing to the latency)")
    parser.add_argument("--spread", type=float, default=5.0,
                        help="seconds over which a session's votes arrive (real votes take minutes)")
    parser.add_argument("--stagger", type=float, default=10.0,
                        help="seconds over which the sessions start: classrooms do not start in the same second "
                             "(--stagger 0 --spread 1 is the stress case: 3,000 votes in one second)")
    parser.add_argument("--max-seconds", type=float, default=200)
    parser.add_argument("--scenario", default=None, help="default: brest-1918 if shipped, else the mini fixture")
    args = parser.parse_args()
    _raise_fd_limit()

    from game.scenarios import builtin_scenario_ids

    extra: list[str] = []
    if args.scenario is None:
        if "brest-1918" in builtin_scenario_ids():
            args.scenario = "brest-1918"
        else:
            args.scenario = "mini"
            extra = ["--scenario", str(ROOT / "tests" / "engine" / "fixtures" / "mini.yaml")]
    tmp = Path(tempfile.mkdtemp())
    log = tmp / "server.out"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", "0", "--db", str(tmp / "bench.sqlite3"),
             "--no-announce", "--log-level", "WARNING", *extra],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
        )
    url = None
    for _ in range(200):
        m = re.search(r"ws://[^:]+:(\d+)/", log.read_text())
        if m:
            url = f"ws://127.0.0.1:{m.group(1)}/"
            break
        time.sleep(0.05)
    if url is None:
        print(log.read_text())
        return 1
    import psutil

    server = psutil.Process(proc.pid)
    rss0 = server.memory_info().rss
    ctx = mp.get_context("spawn")
    ready_count = ctx.Value("i", 0)
    go_flag = ctx.Value("i", 0)
    out = ctx.Queue()
    per = [args.sessions // args.procs + (1 if i < args.sessions % args.procs else 0) for i in range(args.procs)]
    workers = [ctx.Process(target=_worker, args=(url, args, n, ready_count, go_flag, out)) for n in per if n]
    t_connect = time.perf_counter()
    for w in workers:
        w.start()
    try:
        deadline = time.perf_counter() + args.max_seconds
        while ready_count.value < len(workers) and time.perf_counter() < deadline:
            time.sleep(0.1)
        connect_s = time.perf_counter() - t_connect
        held = len([c for c in server.net_connections(kind="tcp") if c.status == psutil.CONN_ESTABLISHED])
        rss1 = server.memory_info().rss
        go_flag.value = 1
        cpu0 = server.cpu_times()
        results = [out.get(timeout=args.max_seconds + 30) for _ in workers]
        cpu1 = server.cpu_times()
    finally:
        for w in workers:
            w.join(10)
        proc.terminate()
        proc.wait(30)
    conns = sum(r["connections"] for r in results)
    lat = sorted(x * 1000 for r in results for x in r["latencies"])
    elapsed = max(r["elapsed"] for r in results)
    votes = sum(r["votes"] for r in results)
    client_turns = sum(r["client_turns"] for r in results)
    turns = sum(r["turns"] for r in results)

    first = sorted(x * 1000 for r in results for x in r["first"])

    def pct(p: float, xs: list[float] = lat) -> float:
        return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")

    print(f"scenario {args.scenario}: {args.sessions} sessions x {args.clients} clients, {args.turns} turns, "
          f"{len(workers)} client processes, votes spread over {args.spread} s, sessions started over "
          f"{args.stagger} s")
    print(f"connections held        {conns} (server sees {held} established), connected in {connect_s:.1f} s")
    forced = sum(r.get("forced", 0) for r in results)
    print(f"turns played            {turns} in {elapsed:.1f} s ({forced} did not auto-resolve within 3 s and were "
          f"force-resolved by the host; not in the latency figures)")
    errors: dict[str, int] = {}
    for r in results:
        for code, n in r.get("errors", {}).items():
            errors[code] = errors.get(code, 0) + n
    print(f"votes per second        {votes / elapsed:.0f} ({votes} votes; refused: {errors or 'none'})")
    print(f"turn latency            p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lat[-1] if lat else 0:.1f} ms "
          f"(last vote sent -> every client of the session has the outcome)")
    print(f"  first client          p50 {pct(0.5, first):.1f} ms, p99 {pct(0.99, first):.1f} ms (the rest is the "
          f"spread over the session's clients: the server's sends and the client processes' reading)")
    print(f"bytes/client/turn       {sum(r['bytes'] for r in results) / max(1, client_turns):.0f} B after the first view")
    print(f"server RSS              {rss0 / 2**20:.1f} MiB idle, {rss1 / 2**20:.1f} MiB with {conns} connections: "
          f"{(rss1 - rss0) / max(1, conns) / 1024:.1f} KiB per connection")
    busy = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
    print(f"server CPU while playing {busy:.1f} s over {elapsed:.1f} s ({100 * busy / elapsed:.0f}% of one core)")
    if os.environ.get("BENCH_DEBUG"):
        by_turn: dict[int, list[float]] = {}
        for r in results:
            for t, xs in r.get("by_turn", {}).items():
                by_turn.setdefault(t, []).extend(x * 1000 for x in xs)
        for t in sorted(by_turn):
            xs = sorted(by_turn[t])
            print(f"  turn {t}: {len(xs)} sessions, p50 {pct(0.5, xs):.1f} ms, p99 {pct(0.99, xs):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
