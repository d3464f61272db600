"""Screenshots of the teacher's screens: the projector (lobby, a turn with two cards, the outcome
revealed, ended early), the teacher's panel with its notes hidden and shown, and the ended-early
debrief, at 1280x720 and 1920x1080 in both languages, into docs/screenshots/.

    .venv/bin/python tools/teacher_shots.py [--size 1280x720] [--lang pl]

The apps draw off-screen exactly what a window shows (the same surface is flipped to the display).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ["CROSSROADS_CONFIG_DIR"] = tempfile.mkdtemp(prefix="crossroads-shots-")

import pygame  # noqa: E402

from game.client.app import App  # noqa: E402
from game.client.scenes.menu import MenuScene  # noqa: E402
from game.client.settings import Settings  # noqa: E402
from game.client.transport import WebSocketFactory  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def run(lang: str, size: tuple[int, int], db: str) -> None:
    apps: list[App] = []

    def app(factory=None) -> App:
        a = App(Settings(language=lang, scale=1.0), size=size, headless=True, save_settings=False,
                transport_factory=factory)
        a.scenes.push(MenuScene(a))
        apps.append(a)
        return a

    def pump(until, timeout=10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for a in apps:
                a.step()
            if until():
                for a in apps:
                    a.scenes.top.dirty = True
                    a.step()
                return
            time.sleep(0.01)
        raise SystemExit(f"timed out ({until})")

    def shot(a: App, name: str) -> None:
        a.scenes.top.dirty = True
        a.step()
        path = OUT / f"{name}-{size[0]}x{size[1]}-{lang}.png"
        pygame.image.save(a.screen, str(path))
        print(path.relative_to(ROOT))

    host = app(WebSocketFactory(port=0, db=db, announce=False))
    ania, bartek, screen = app(), app(), app()
    try:
        host.scenes.top.press("host")
        setup = host.scenes.top
        while setup.scenario.id != "brest-1918":
            setup.press("scenario")
        setup.press("start")
        pump(lambda: type(host.scenes.top).__name__ == "LobbyScene")
        address = host.transport_factory.host()
        for a, name in ((ania, "Ania"), (bartek, "Bartek")):
            a.scenes.top.press("join")
            a.scenes.top.set_fields(address=address, code=host.session.code, name=name)
            a.scenes.top.press("join")
        screen.scenes.top.press("join")
        screen.scenes.top.set_fields(address=address, code=host.session.code)
        screen.scenes.top.press("watch")
        pump(lambda: ania.session.player and bartek.session.player and screen.session.view is not None)
        ania.scenes.top.press("pick_lenin")
        bartek.scenes.top.press("pick_entente")
        pump(lambda: ania.session.team == "lenin" and bartek.session.team == "entente")
        shot(screen, "teacher-projector-lobby")
        host.scenes.top.press("start")
        pump(lambda: ania.session.phase == "deliberation" and type(host.scenes.top).__name__ == "HostPanelScene")
        ania.scenes.top.press("vote_talk_and_wait")
        pump(lambda: ((screen.session.view or {}).get("progress") or {}).get("armistice", {}).get("lenin", {})
             .get("votes") == 1)
        shot(screen, "teacher-projector")
        shot(host, "teacher-panel-notes-hidden")
        host.scenes.top.press("notes")
        shot(host, "teacher-panel-notes-shown")
        host.send("force_resolve")
        pump(lambda: type(host.scenes.top).__name__ == "OutcomeScene")
        host.scenes.top.press("reveal_armistice")
        pump(lambda: "armistice" in ((screen.session.view or {}).get("revealed") or []))
        shot(screen, "teacher-projector-outcome")
        host.scenes.top.press("advance")
        pump(lambda: host.session.view["turn"] == 2 and type(host.scenes.top).__name__ == "HostPanelScene")
        host.scenes.top.press("end")
        host.scenes.top.press("end")
        pump(lambda: type(host.scenes.top).__name__ == "DebriefScene" and screen.session.phase == "ended")
        shot(host, "teacher-debrief-ended-early")
        shot(screen, "teacher-projector-ended-early")
    finally:
        for a in apps:
            a.shutdown()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--size", action="append")
    p.add_argument("--lang", action="append")
    args = p.parse_args()
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((1, 1))
    for size in args.size or ["1280x720", "1920x1080"]:
        w, h = (int(v) for v in size.split("x"))
        for lang in args.lang or ["pl", "en"]:
            with tempfile.TemporaryDirectory() as d:
                run(lang, (w, h), str(Path(d) / "shots.sqlite3"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
