"""The web client's figures, in Debian's chromium against a real server on 127.0.0.1.

    .venv/bin/python bench/web.py                 # first load and vote latency
    .venv/bin/python bench/web.py --screenshots   # also docs/screenshots/web-*.png

* **First load**: the bytes over the wire (as sent: gzip for files, frames as framed) from typing
  the address to the student's first full view: each file, the WebSocket frames, the total.
* **Vote latency**: from the click on an option to that option showing as cast (the server's ack
  received and drawn) in the voter's own tab, measured inside the page (``performance.now()``,
  a MutationObserver, then the next frame); median, p95, p99 and max over ``--votes`` votes, and
  where the time goes: the request leaving, the ack arriving (and the server's own share of that,
  timed around ``Driver.receive``), the drawing, the paint.  One tab on an idle server: the
  class-sized figures under load are bench/web_class.py's.
* **Screenshots** (``--screenshots``): every screen at 390x844 and 1366x768, Polish and English.

Never downloads a browser: it launches ``/usr/bin/chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.app import Server  # noqa: E402
from server.store import SqliteStore  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.web.host import SyncClient  # noqa: E402

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
SHOTS = ROOT / "docs" / "screenshots"


class ServerThread:
    def __init__(self, db: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.server: Server | None = None
        self.ready = threading.Event()
        self.db = db
        threading.Thread(target=self._run, daemon=True).start()
        assert self.ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = Server(SqliteStore(self.db), host="127.0.0.1", port=0)
        self.loop.run_until_complete(self.server.start())
        self.ready.set()
        self.loop.run_until_complete(self.server.wait_stopped())

    def stop(self) -> None:
        assert self.server is not None
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(30)

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port


def first_load(browser: Any, base: str, code: str) -> dict[str, int]:
    """Bytes on the wire per resource while a student opens the address and joins."""
    context = browser.new_context(viewport=SIZES["phone"])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    ws = {"frames": 0, "bytes": 0}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(urls.get(e["requestId"], "?"), int(e["encodedDataLength"])))

    def frame(e: dict[str, Any]) -> None:
        data = e["response"]["payloadData"]
        ws["frames"] += 1
        ws["bytes"] += len(base64.b64decode(data)) if e["response"]["opcode"] == 2 else len(data.encode())

    cdp.on("Network.webSocketFrameReceived", frame)
    page.goto(base + "?code=" + code)
    page.wait_for_load_state("networkidle")
    page.fill("#name", "Ania")
    page.click("#join")
    page.wait_for_selector("body[data-screen=lobby]")
    page.wait_for_timeout(300)
    context.close()
    out = {url.replace(base, "/"): n for url, n in sizes.items()}
    out["WebSocket frames received (joined, view, lobby)"] = ws["bytes"]
    return out


# In the voter's page before its scripts: when each frame leaves and arrives (type and reply id
# decoded again here, so the app's own reading is untouched).
WIRE_TIMES = """(() => {
  const T = (window.__wire = { sent: [], got: [] });
  const Orig = window.WebSocket, send = Orig.prototype.send;
  Orig.prototype.send = function (d) { T.sent.push(performance.now()); return send.call(this, d); };
  function Timed(...a) {
    const ws = new Orig(...a);
    ws.addEventListener("message", (ev) => {
      const at = performance.now();
      let m = {};
      try { m = MessagePack.decode(new Uint8Array(ev.data)); } catch (e) { /* not ours to judge */ }
      T.got.push([at, m.type, m.re]);
    });
    return ws;
  }
  Timed.prototype = Orig.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Timed[k] = Orig[k];
  window.WebSocket = Timed;
})();"""

# n votes, 30 ms apart, cycling through the card's options; each timed from the click to the
# option drawn as cast ("Your vote": the server's ack received) and to the next painted frame,
# with the moments its request left and its ack arrived.
VOTE_JS = """async ([card, options, n]) => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = `vote-${card}-${options[i % options.length]}`;
    const sent0 = window.__wire.sent.length;
    const t0 = performance.now();
    document.getElementById(id).click();
    await new Promise((resolve) => {
      const done = () => { const el = document.getElementById(id);
        return el && el.getAttribute('aria-pressed') === 'true' && el.dataset.state === 'cast'; };
      if (done()) return resolve();
      const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
      obs.observe(document.getElementById('app'), {subtree: true, childList: true, attributes: true});
    });
    const dom = performance.now();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const paint = performance.now();
    const sent = window.__wire.sent[sent0];
    const ack = window.__wire.got.find((g) => g[0] >= sent && g[1] === "ack");
    out.push({ sent: sent - t0, ack: (ack ? ack[0] : dom) - t0, dom: dom - t0, paint: paint - t0 });
    await new Promise((r) => setTimeout(r, 30));
  }
  return out;
}"""


def vote_latency(browser: Any, base: str, url: str, votes: int, server: Any) -> tuple[list[dict[str, float]], list[float]]:
    """Per vote in one student's tab: click -> request sent, -> ack arrived, -> drawn, -> painted
    (ms); and the server's own time for each vote (``Driver.receive``: validate, apply, save, reply)."""
    host = SyncClient(url)
    code = host.ok("create_session", scenario="brest-1918", teams=["lenin", "central"], formation="auto",
                   timer=None, briefing=None, auto_resolve=False, lang="en")["code"]
    context = browser.new_context(viewport=SIZES["laptop"])
    context.add_init_script(WIRE_TIMES)
    page = context.new_page()
    page.goto(base + "?code=" + code)
    page.fill("#name", "Ania")
    page.click("#join")
    page.wait_for_selector("body[data-screen=lobby]")
    host.ok("start")
    page.wait_for_selector(".vote:not([disabled])")
    ids = page.eval_on_selector_all(".vote:not([disabled])", "els => els.map(e => e.id)")
    card = ids[0].split("-")[1]
    options = [i.split("-", 2)[2] for i in ids if i.split("-")[1] == card]
    on_server: list[float] = []
    driver = server.driver
    receive = driver.receive

    def timed(conn: int, message: dict[str, Any]) -> Any:
        t = time.perf_counter()
        out = receive(conn, message)
        if message.get("type") == "vote":
            on_server.append((time.perf_counter() - t) * 1000)
        return out

    driver.receive = timed  # the server thread reads the attribute at each frame
    try:
        times = page.evaluate(VOTE_JS, [card, options, votes])
    finally:
        driver.receive = receive
    context.close()
    host.close()
    return times, on_server


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def print_votes(times: list[dict[str, float]], on_server: list[float]) -> None:
    paint = [t["paint"] for t in times]
    dom = [t["dom"] for t in times]
    print(f"Vote shown as cast in the voter's tab ({len(times)} votes, limit 100 ms): painted median "
          f"{statistics.median(paint):.1f} ms, p95 {_pct(paint, 0.95):.1f}, p99 {_pct(paint, 0.99):.1f}, max "
          f"{max(paint):.1f}; in the DOM median {statistics.median(dom):.1f}, p99 {_pct(dom, 0.99):.1f}")
    parts = {
        "click -> request sent": [t["sent"] for t in times],
        "sent -> ack arrived (loopback, the server, the browser's IPC)": [t["ack"] - t["sent"] for t in times],
        "  of which the server's own work (receive: validate, apply, save, ack)": on_server,
        "ack arrived -> drawn as cast": [t["dom"] - t["ack"] for t in times],
        "drawn -> painted (the next frame)": [t["paint"] - t["dom"] for t in times],
    }
    for name, xs in parts.items():
        if xs:
            print(f"  {name:<72} median {statistics.median(xs):5.1f} ms, p99 {_pct(xs, 0.99):5.1f} ms")


def screenshots(browser: Any, base: str, url: str) -> list[Path]:
    """Every screen, both sizes, both languages: docs/screenshots/web-<screen>-<size>-<lang>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("pl", "en"):
        for size_name, size in SIZES.items():
            written += _one_lesson(browser, base, url, lang, size_name, size)
    return written


def _one_lesson(browser: Any, base: str, url: str, lang: str, size_name: str, size: dict[str, int]) -> list[Path]:
    host = SyncClient(url)
    code = host.ok("create_session", scenario="brest-1918", teams=["lenin", "central", "entente"],
                   formation="free", timer=240, briefing=None, lang=lang, auto_resolve=False)["code"]
    ctx = browser.new_context(viewport=size)
    ctx.add_init_script(f"localStorage.setItem('crossroads.lang', JSON.stringify('{lang}'))")
    page = ctx.new_page()
    board_ctx = browser.new_context(viewport=size)
    board_ctx.add_init_script(f"localStorage.setItem('crossroads.lang', JSON.stringify('{lang}'))")
    board = board_ctx.new_page()
    out: list[Path] = []

    def shot(p: Any, name: str) -> None:
        path = SHOTS / f"web-{name}-{size['width']}x{size['height']}-{lang}.png"
        p.screenshot(path=str(path), full_page=False)
        out.append(path)

    page.goto(base + "?code=" + code)
    page.fill("#name", "Ania" if lang == "pl" else "Anna")
    shot(page, "join")
    page.click("#join")
    page.wait_for_selector("body[data-screen=lobby]")
    page.click("#pick-lenin")
    page.wait_for_function("() => window.crossroads.view && window.crossroads.view.team")
    shot(page, "lobby")
    board.goto(base + "?projector=" + code)
    board.wait_for_selector("body[data-screen=projector]")
    shot(board, "projector-lobby")
    mate = SyncClient(url)
    mate.ok("join", code=code, name="Bartek")
    mate.ok("pick_team", team="lenin")
    host.ok("start")
    page.wait_for_selector(".vote:not([disabled])")
    page.locator(".vote:not([disabled])").first.click()
    page.wait_for_selector('.vote[data-state="cast"]')
    card = host.view["cards"][0]["id"]
    option = page.get_attribute('.vote[data-state="cast"]', "id").split("-", 2)[2]
    mate.ok("vote", card=card, option=option)
    page.wait_for_timeout(700)
    page.click("#secret-toggle")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "game")
    page.click(f"#who-{card}")
    page.evaluate(f"document.getElementById('team-votes-{card}').scrollIntoView()")
    shot(page, "game-votes")
    page.evaluate("document.getElementById('map-title').scrollIntoView()")
    shot(page, "game-map")
    board.wait_for_timeout(300)
    shot(board, "projector-game")
    host.ok("force_resolve")
    host.ok("reveal", card=card)
    page.wait_for_selector("body[data-screen=outcome]")
    page.wait_for_function("() => window.crossroads.view.revealed.length > 0")
    page.wait_for_timeout(200)
    shot(page, "outcome")
    page.evaluate("document.querySelector('.history').scrollIntoView()")
    shot(page, "outcome-history")
    while host.view["phase"] != "ended":
        host.ok("force_resolve" if host.view["phase"] == "deliberation" else "advance")
        host.pump(0.05)
    page.wait_for_selector("body[data-screen=debrief]")
    page.wait_for_timeout(200)
    shot(page, "debrief")
    page.evaluate("document.getElementById('scores-title').scrollIntoView()")
    shot(page, "debrief-scores")
    ctx.close()
    board_ctx.close()
    mate.close()
    host.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--votes", type=int, default=200)
    ap.add_argument("--screenshots", action="store_true")
    args = ap.parse_args()
    if not CHROMIUM.exists():
        print("needs /usr/bin/chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    srv = ServerThread(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    base, url = f"http://127.0.0.1:{srv.port}/", f"ws://127.0.0.1:{srv.port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            host = SyncClient(url)
            code = host.ok("create_session", scenario="brest-1918", lang="pl", formation="auto")["code"]
            load = first_load(browser, base, code)
            host.close()
            print("First load over the wire (bytes as received, headers included):")
            for name, n in sorted(load.items(), key=lambda kv: -kv[1]):
                print(f"  {n / 1024:8.1f} KiB  {name}")
            print(f"  {sum(load.values()) / 1024:8.1f} KiB  total (limit 350 KB = {350_000 / 1024:.0f} KiB)")
            times, on_server = vote_latency(browser, base, url, args.votes, srv.server)
            print_votes(times, on_server)
            if args.screenshots:
                for path in screenshots(browser, base, url):
                    print("  wrote", path.relative_to(ROOT))
            browser.close()
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
