"""The web client's figures, in Debian's chromium against a real server on 127.0.0.1.

    .venv/bin/python bench/web.py                 # first load and vote latency
    .venv/bin/python bench/web.py --screenshots   # also docs/screenshots/web-*.png

* **First load**: the bytes over the wire (as sent: gzip for files, frames as framed) from typing
  the address to the student's first full view: each file, the WebSocket frames, the total.
* **Vote latency**: from the click on an option to that option showing as cast (the server's ack
  received and drawn) in the voter's own tab, measured inside the page (``performance.now()``
  and a MutationObserver); median, p95 and max over ``--votes`` votes.
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


VOTE_JS = """async ([card, options, n]) => {
  const times = [];
  for (let i = 0; i < n; i++) {
    const id = `vote-${card}-${options[i % options.length]}`;
    const t0 = performance.now();
    document.getElementById(id).click();
    await new Promise((resolve) => {
      const done = () => { const el = document.getElementById(id);
        return el && el.getAttribute('aria-pressed') === 'true' && el.dataset.state === 'cast'; };
      if (done()) return resolve();
      const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(); } });
      obs.observe(document.getElementById('app'), {subtree: true, childList: true, attributes: true});
    });
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 30));
  }
  return times;
}"""


def vote_latency(browser: Any, base: str, url: str, votes: int) -> list[float]:
    host = SyncClient(url)
    code = host.ok("create_session", scenario="brest-1918", teams=["lenin", "central"], formation="auto",
                   timer=None, briefing=None, auto_resolve=False, lang="en")["code"]
    context = browser.new_context(viewport=SIZES["laptop"])
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
    times = page.evaluate(VOTE_JS, [card, options, votes])
    context.close()
    host.close()
    return times


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
    ap.add_argument("--votes", type=int, default=40)
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
            times = vote_latency(browser, base, url, args.votes)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"Vote shown as cast in the voter's tab ({len(times)} votes): median {statistics.median(times):.1f} ms, "
                  f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms (limit 100 ms)")
            if args.screenshots:
                for path in screenshots(browser, base, url):
                    print("  wrote", path.relative_to(ROOT))
            browser.close()
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
