"""A browser class on a loaded server: does it change the server's figures of bench/server.py?

    .venv/bin/python bench/web_class.py                       # 35 browsers, 4 pygame, 10 busy sessions
    .venv/bin/python bench/web_class.py --browsers 35 --sessions 20 --runs pygame,browser

One server process (``python -m server`` on 127.0.0.1, HTTP and WebSocket on one port), and on it:

* the **load**: ``--sessions`` sessions x ``--clients`` pygame-protocol clients, played exactly as
  bench/server.py plays them (its worker processes and its ``_session``: votes spread over
  ``--spread`` s, sessions started over ``--stagger`` s, ``--turns`` turns of brest-1918);
* the **class**: one more session whose students are ``--browsers`` real headless Chromium pages
  (one browser, one context each: their own localStorage and socket) plus ``--pygame`` protocol
  clients (bench/server.py's ``BenchClient``), voting by clicking the page's own buttons at random
  moments within ``--spread`` s of each deliberation; its host (a protocol client) advances.

Each ``--runs`` entry is a fresh server: ``none`` (the load alone), ``pygame`` (the class, every
student a protocol client: the control), ``browser`` (the class with the browsers). For each it
prints the load's figures as bench/server.py does (p50/p99 turn latency, bytes per client per turn
after the first view, the server's CPU), the class's own (turn latency to every student *showing*
the outcome, bytes per browser and per pygame client per turn) and, in the browsers, each vote's
time from the click to "Your vote" drawn and painted (p50/p99). Then the ratios browser/pygame and
browser/none of the load's figures. The server's CPU is its own process time (user + system): the
browsers share this machine's cores with it, the latencies feel that, the CPU seconds do not.

Bounded: ``--turns`` turns, ``--max-seconds`` for each run. Never downloads a browser: it
launches ``/usr/bin/chromium`` (``apt-get install chromium``). Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.server import BenchClient, _raise_fd_limit, _votable, _worker  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

VIEWPORT = {"width": 390, "height": 844}  # a phone: the smallest layout, the longest page

# In every page before its scripts: the payload bytes its socket receives once counting is on (as
# bench/server.py counts them) and, at each screen change, when it was drawn (epoch ms).
INSTRUMENT = """(() => {
  const B = (window.__bench = { bytes: 0, counting: false, screens: [], votes: [] });
  const Orig = window.WebSocket;
  function Counting(...a) {
    const ws = new Orig(...a);
    ws.addEventListener("message", (ev) => { if (B.counting && ev.data.byteLength) B.bytes += ev.data.byteLength; });
    return ws;
  }
  Counting.prototype = Orig.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Counting[k] = Orig[k];
  window.WebSocket = Counting;
  const now = () => performance.timeOrigin + performance.now();
  const waiting = [];
  const seen = (turn, screens) => B.screens.find((x) => x.turn === turn && screens.includes(x.screen));
  // resolves with when the page first drew one of `screens` at `turn` (epoch ms), or null after `limit` ms
  B.shown = (turn, screens, limit) => new Promise((resolve) => {
    const hit = seen(turn, screens);
    if (hit) return resolve(hit.at);
    const w = { turn, screens, resolve };
    waiting.push(w);
    setTimeout(() => { const i = waiting.indexOf(w); if (i >= 0) { waiting.splice(i, 1); resolve(null); } }, limit);
  });
  new MutationObserver(() => {
    const s = document.body.dataset.screen, v = window.crossroads && window.crossroads.view;
    const last = B.screens[B.screens.length - 1];
    if (!v || (last && last.screen === s && last.turn === v.turn)) return;
    const rec = { screen: s, turn: v.turn, at: now() };
    B.screens.push(rec);
    for (const w of waiting.slice()) {
      if (w.turn === rec.turn && w.screens.includes(rec.screen)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(rec.at); }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-screen"] });
})();"""

# One student's turn in a page: wait a random moment, then click one open option of every card
# this team decides; each vote timed from the click to "Your vote" in the DOM and to the next
# painted frame. Returns the click times (epoch ms) and the latencies.
VOTE_TURN = """async ([delay, limit]) => {
  const now = () => performance.timeOrigin + performance.now();
  await new Promise((r) => setTimeout(r, delay));
  const out = [];
  for (const article of document.querySelectorAll("article.card")) {
    const open = [...article.querySelectorAll(".vote:not([disabled])")];
    if (!open.length) continue;
    const id = open[Math.floor(Math.random() * open.length)].id;
    const at = now(), t0 = performance.now();
    document.getElementById(id).click();
    const cast = () => { const el = document.getElementById(id); return el && el.dataset.state === "cast"; };
    const shown = await new Promise((resolve) => {
      if (cast()) return resolve(true);
      const obs = new MutationObserver(() => { if (cast()) { obs.disconnect(); resolve(true); } });
      obs.observe(document.getElementById("app"), { subtree: true, childList: true, attributes: true });
      setTimeout(() => { obs.disconnect(); resolve(false); }, limit); // the turn resolved first, or refused
    });
    if (!shown) { out.push({ at, dom: null, paint: null }); continue; }
    const dom = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    out.push({ at, dom, paint: performance.now() - t0 });
  }
  return out;
}"""


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")


class ServerProcess:
    """``python -m server`` on 127.0.0.1 with a fresh database; its CPU through psutil."""

    def __init__(self) -> None:
        import psutil

        tmp = Path(tempfile.mkdtemp())
        self.log = tmp / "server.out"
        with self.log.open("wb") as sink:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", "0", "--db",
                 str(tmp / "bench.sqlite3"), "--no-announce", "--log-level", "WARNING"],
                cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
        for _ in range(400):
            m = re.search(r"ws://[^:]+:(\d+)/", self.log.read_text())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError(self.log.read_text())
        self.ps = psutil.Process(self.proc.pid)

    def cpu(self) -> float:
        t = self.ps.cpu_times()
        return t.user + t.system

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


class PageStudent:
    """One Chromium page (its own context) seated in the class by the join form."""

    def __init__(self, context: Any, page: Any) -> None:
        self.context, self.page = context, page
        self.clicks: dict[int, list[float]] = {}  # turn -> click times (epoch s)
        self.votes: list[dict[str, Any]] = []

    @classmethod
    async def join(cls, browser: Any, base: str, code: str, name: str) -> PageStudent:
        context = await browser.new_context(viewport=VIEWPORT)
        await context.add_init_script(INSTRUMENT)
        page = await context.new_page()
        await page.goto(f"{base}?code={code}")
        await page.fill("#name", name)
        await page.click("#join")
        await page.wait_for_selector("body[data-screen=lobby]", timeout=60_000)
        return cls(context, page)

    async def vote_turn(self, turn: int, spread: float) -> None:
        out = await self.page.evaluate(VOTE_TURN, [random.random() * spread * 1000, 3000])
        self.clicks[turn] = [v["at"] / 1000 for v in out]
        self.votes += out

    async def shown_at(self, turn: int, screens: tuple[str, ...], limit: float) -> float | None:
        """When this page drew one of ``screens`` at ``turn`` (epoch s), waiting up to ``limit`` s."""
        at = await self.page.evaluate("([t, s, l]) => window.__bench.shown(t, s, l)", [turn, list(screens), limit * 1000])
        return None if at is None else at / 1000

    async def counting(self, on: bool) -> None:
        await self.page.evaluate(f"() => {{ window.__bench.counting = {'true' if on else 'false'}; }}")

    async def bytes(self) -> int:
        return int(await self.page.evaluate("() => window.__bench.bytes"))

    async def close(self) -> None:
        await self.context.close()


class WireStudent:
    """A pygame-protocol client (bench/server.py's ``BenchClient``) seated by ``join``."""

    def __init__(self, client: BenchClient) -> None:
        self.c = client
        self.clicks: dict[int, list[float]] = {}
        self.shown: dict[tuple[int, str], float] = {}  # (turn, phase) -> epoch s it arrived
        self._offset = time.time() - time.perf_counter()

    @classmethod
    async def join(cls, url: str, code: str, name: str) -> WireStudent:
        from websockets.asyncio.client import connect

        c = BenchClient(await connect(url, compression=None, max_size=2**22, open_timeout=60, ping_interval=None))
        await c.request("join", code=code, name=name)
        return cls(c)

    async def vote_turn(self, turn: int, spread: float) -> None:
        await asyncio.sleep(random.random() * spread)
        assert self.c.view is not None and self.c.session is not None
        for card, options in _votable(self.c.view, self.c.session, self.c.session["you"]["team"]):
            if options:
                self.clicks.setdefault(turn, []).append(time.time())
                await self.c.request("vote", card=card, option=random.choice(options))

    async def shown_at(self, turn: int, screens: tuple[str, ...], limit: float) -> float | None:
        """When this client held a view of ``turn`` in one of ``screens`` (as phases; epoch s)."""
        phases = {"outcome": "outcome", "debrief": "ended"}
        end = time.monotonic() + limit
        while True:
            ats = [at for (t, phase), at in self.c.phase_at.items()
                   if phase in {phases[x] for x in screens} and (t == turn or phase == "ended")]
            if ats:
                return min(ats) + self._offset
            if time.monotonic() > end:
                return None
            self.c.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.c.changed.wait(), max(0.01, end - time.monotonic()))

    async def counting(self, on: bool) -> None:
        self.c.counting = on

    async def bytes(self) -> int:
        return self.c.bytes

    async def close(self) -> None:
        await self.c.ws.close()


async def _until(check: Any, limit: float) -> bool:
    """Poll ``await check()`` every 100 ms until it is true or ``limit`` seconds pass."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if await check():
            return True
        await asyncio.sleep(0.1)
    return False


async def play_class(url: str, base: str, args: argparse.Namespace, browsers: int, seated: asyncio.Event,
                     go: asyncio.Event, browser: Any) -> dict[str, Any]:
    """Seat the class (``browsers`` pages, the rest protocol clients; then set ``seated``), and once ``go`` is set, play
    ``--turns`` turns: everyone votes within ``--spread`` s, the host advances once every student shows
    the outcome. Returns the class's figures."""
    from websockets.asyncio.client import connect

    host = BenchClient(await connect(url, compression=None, max_size=2**22, open_timeout=60, ping_interval=None))
    code = (await host.request("create_session", scenario="brest-1918", timer=None, formation="auto"))["code"]
    pages: list[Any] = []
    gate = asyncio.Semaphore(4)  # pages load four at a time: 35 at once is a burst no class makes

    async def seat_page(i: int) -> Any:
        async with gate:
            return await PageStudent.join(browser, base, code, f"Web{i}")

    pages = list(await asyncio.gather(*(seat_page(i) for i in range(browsers))))
    wires = [await WireStudent.join(url, code, f"Py{i}") for i in range(args.pygame + args.browsers - browsers)]
    students: list[Any] = [*pages, *wires]
    seated.set()
    await go.wait()
    await host.request("start")
    for s in students:
        await s.counting(True)
    host.counting = True
    turns, latencies, forced_turns = 0, [], set()
    for turn in range(1, args.turns + 1):
        await host.wait_phase(turn, ("deliberation", "outcome"))
        assert host.view is not None
        if host.view["phase"] == "ended":
            break
        if host.view["phase"] == "deliberation":
            await asyncio.gather(*(s.vote_turn(turn, args.spread) for s in students))
            try:
                await asyncio.wait_for(host.wait_phase(turn, ("outcome",)), 3)
            except TimeoutError:
                forced_turns.add(turn)  # a team with nothing to pick: as bench/server.py does, not in the latencies
                await host.request("force_resolve")
            last = max((t for s in students for t in s.clicks.get(turn, [])), default=None)
            shown = await asyncio.gather(*(s.shown_at(turn, ("outcome", "debrief"), 20) for s in students))
            if last is not None and turn not in forced_turns and all(x is not None for x in shown):
                latencies.append(max(x for x in shown if x is not None) - last)
        turns += 1
        await host.request("advance")
        await host.wait_phase(turn + 1, ("briefing",))
        if host.view["phase"] == "ended":
            break
        await host.request("advance")
    page_bytes = [await p.bytes() for p in pages]
    wire_bytes = [await w.bytes() for w in wires]
    votes = [v for p in pages for v in p.votes]
    for s in students:
        await s.close()
    await host.ws.close()
    return {"turns": turns, "latencies": latencies, "forced": len(forced_turns), "page_bytes": page_bytes,
            "wire_bytes": wire_bytes, "votes": votes}


def niced_chromium(nice: int) -> Path:
    """The chromium to launch: Debian's, or (``nice`` > 0) a wrapper that starts it at that niceness
    without the right to raise it again (chromium gives its browser and GPU processes nice -8 when it
    may), so that on this one machine the 35 browsers yield the cores to the server and the load, as
    35 separate devices in a classroom would never compete with them."""
    if nice <= 0:
        return CHROMIUM
    wrapper = Path(tempfile.mkdtemp()) / "chromium-niced"
    drop = "setpriv --bounding-set -sys_nice --inh-caps -sys_nice -- " if Path("/usr/bin/setpriv").exists() else ""
    wrapper.write_text(f'#!/bin/sh\nexec {drop}nice -n {int(nice)} {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def browsers_cpu() -> dict[int, float]:
    """CPU seconds (user + system) of each chromium process under this one, the renderers included."""
    import psutil

    out = {}
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chromium" in child.name():
                t = child.cpu_times()
                out[child.pid] = t.user + t.system
    return out


def cpu_since(before: dict[int, float]) -> float:
    """The chromium processes' CPU seconds since ``before`` (a process that ended meanwhile is not counted)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in browsers_cpu().items())


def run_once(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    """One fresh server: the load, and the class (none, pygame-only or with the browsers)."""
    srv = ServerProcess()
    url, base = f"ws://127.0.0.1:{srv.port}/", f"http://127.0.0.1:{srv.port}/"
    load_args = argparse.Namespace(clients=args.clients, turns=args.turns, spread=args.spread, stagger=args.stagger,
                                   max_seconds=args.max_seconds, scenario="brest-1918")
    ctx = mp.get_context("spawn")
    ready_count, go_flag, out = ctx.Value("i", 0), ctx.Value("i", 0), ctx.Queue()
    per = [args.sessions // args.procs + (1 if i < args.sessions % args.procs else 0) for i in range(args.procs)]
    workers = [ctx.Process(target=_worker, args=(url, load_args, n, ready_count, go_flag, out)) for n in per if n]
    for w in workers:
        w.start()
    try:
        result = asyncio.run(_run_async(kind, args, url, base, srv, workers, ready_count, go_flag, out))
    finally:
        for w in workers:
            w.join(10)
            if w.is_alive():
                w.terminate()
        srv.stop()
    return result


async def _run_async(kind: str, args: argparse.Namespace, url: str, base: str, srv: ServerProcess,
                     workers: list[Any], ready_count: Any, go_flag: Any, out: Any) -> dict[str, Any]:
    go, seated = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    result: dict[str, Any] = {"kind": kind}

    async def main(browser: Any) -> None:
        klass = None
        if kind != "none":
            klass = asyncio.create_task(play_class(url, base, args, args.browsers if kind == "browser" else 0, seated,
                                                   go, browser))
        else:
            seated.set()

        async def everyone_seated() -> bool:
            if klass is not None and klass.done():
                klass.result()  # raises what went wrong
            return ready_count.value >= len(workers) and seated.is_set()

        if not await _until(everyone_seated, args.max_seconds):
            raise RuntimeError("the load's sessions did not get seated in time")
        cpu0, t0, bcpu0 = srv.cpu(), time.perf_counter(), browsers_cpu()
        go_flag.value = 1
        go.set()
        loads = await asyncio.gather(*(loop.run_in_executor(None, out.get, True, args.max_seconds + 30)
                                       for _ in workers))
        if klass is not None:
            result["class"] = await asyncio.wait_for(klass, args.max_seconds)
        result["cpu"], result["elapsed"] = srv.cpu() - cpu0, time.perf_counter() - t0
        result["browsers_cpu"] = cpu_since(bcpu0)
        result["load"] = loads

    if kind == "browser":
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(niced_chromium(args.browser_nice)),
                                              args=CHROMIUM_ARGS)
            try:
                await main(browser)
            finally:
                await browser.close()
    else:
        await main(None)
    return result


def summary(r: dict[str, Any], args: argparse.Namespace) -> dict[str, float]:
    lat = [x * 1000 for part in r["load"] for x in part["latencies"]]
    client_turns = sum(part["client_turns"] for part in r["load"])
    load_bytes = sum(part["bytes"] for part in r["load"])
    s = {"p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "cpu": r["cpu"], "elapsed": r["elapsed"],
         "browsers_cpu": r["browsers_cpu"],
         "bytes": load_bytes / max(1, client_turns), "turns": sum(part["turns"] for part in r["load"]),
         "forced": sum(part.get("forced", 0) for part in r["load"])}
    c = r.get("class")
    if c:
        t = max(1, c["turns"])
        cl = [x * 1000 for x in c["latencies"]]
        s.update(class_p50=pct(cl, 0.5), class_p99=pct(cl, 0.99), class_turns=c["turns"], class_forced=c["forced"],
                 page_bytes=statistics.mean(c["page_bytes"]) / t if c["page_bytes"] else float("nan"),
                 wire_bytes=statistics.mean(c["wire_bytes"]) / t if c["wire_bytes"] else float("nan"))
        paint = [v["paint"] for v in c["votes"] if v["paint"] is not None]
        dom = [v["dom"] for v in c["votes"] if v["dom"] is not None]
        s.update(votes=len(c["votes"]), votes_unshown=sum(v["paint"] is None for v in c["votes"]),
                 vote_dom_p50=pct(dom, 0.5), vote_dom_p99=pct(dom, 0.99),
                 vote_paint_p50=pct(paint, 0.5), vote_paint_p99=pct(paint, 0.99), vote_paint_max=max(paint, default=0))
    return s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--browsers", type=int, default=35, help="browser students in the class")
    ap.add_argument("--pygame", type=int, default=4, help="pygame-protocol students in the class, beside them")
    ap.add_argument("--sessions", type=int, default=10, help="the load: sessions played as bench/server.py plays them")
    ap.add_argument("--clients", type=int, default=30, help="the load: connections per session, host included")
    ap.add_argument("--turns", type=int, default=8)
    ap.add_argument("--spread", type=float, default=5.0)
    ap.add_argument("--stagger", type=float, default=10.0)
    ap.add_argument("--procs", type=int, default=2, help="the load's client processes")
    ap.add_argument("--runs", default="none,pygame,browser", help="comma-separated: none, pygame, browser")
    ap.add_argument("--max-seconds", type=float, default=240)
    ap.add_argument("--browser-nice", type=int, default=0,
                    help="start chromium at this niceness (e.g. 19): the browsers yield this machine's cores to "
                         "the server, as separate devices would")
    args = ap.parse_args()
    if "browser" in args.runs and not CHROMIUM.exists():
        print("needs /usr/bin/chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    _raise_fd_limit()
    print(f"load: {args.sessions} sessions x {args.clients} pygame-protocol clients, {args.turns} turns of brest-1918, "
          f"votes over {args.spread} s, sessions started over {args.stagger} s; class: {args.browsers} students "
          f"(browsers in the 'browser' run, protocol clients in the 'pygame' run) + {args.pygame} pygame; "
          f"chromium at nice {args.browser_nice}")
    results: dict[str, list[dict[str, float]]] = {}  # a kind may be run more than once: medians compared
    for kind in args.runs.split(","):
        s = summary(run_once(kind, args), args)
        results.setdefault(kind, []).append(s)
        print(f"\n[{kind}] load: turn latency p50 {s['p50']:.1f} ms, p99 {s['p99']:.1f} ms ({s['turns']} turns, "
              f"{s['forced']} force-resolved); {s['bytes']:.0f} B/client/turn; server CPU {s['cpu']:.1f} s over "
              f"{s['elapsed']:.1f} s ({100 * s['cpu'] / s['elapsed']:.0f}% of one core)")
        if "class_p50" in s:
            print(f"  class: turn latency to every student showing the outcome p50 {s['class_p50']:.1f} ms, "
                  f"p99 {s['class_p99']:.1f} ms ({s['class_turns']} turns, {s['class_forced']} force-resolved); "
                  f"B/client/turn: browser {s['page_bytes']:.0f}, pygame {s['wire_bytes']:.0f}")
        if s["browsers_cpu"]:
            print(f"  the browsers' own CPU on this machine: {s['browsers_cpu']:.1f} s "
                  f"({100 * s['browsers_cpu'] / s['elapsed']:.0f}% of one core) beside the server's {s['cpu']:.1f} s")
        if s.get("votes"):
            print(f"  browser votes: {s['votes']} ({s['votes_unshown']} overtaken by the outcome); click -> 'Your vote' "
                  f"in the DOM p50 {s['vote_dom_p50']:.1f} / p99 {s['vote_dom_p99']:.1f} ms, painted p50 "
                  f"{s['vote_paint_p50']:.1f} / p99 {s['vote_paint_p99']:.1f} / max {s['vote_paint_max']:.1f} ms")
    med = {kind: {k: statistics.median(r[k] for r in runs) for k in ("p50", "p99", "bytes", "cpu")}
           for kind, runs in results.items()}
    if "browser" in med:
        b = med["browser"]
        for other in ("pygame", "none"):
            if other in med:
                o = med[other]
                print(f"ratio browser/{other} (medians over {len(results['browser'])} and {len(results[other])} runs): "
                      f"load p50 {b['p50'] / o['p50']:.2f}, p99 {b['p99'] / o['p99']:.2f}, "
                      f"B/client/turn {b['bytes'] / o['bytes']:.3f}, server CPU {b['cpu'] / o['cpu']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
