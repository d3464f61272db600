"""Regenerate docs/screenshots/<screen>-<lang>.png from a real window (under Xvfb) or off-screen.

    Xvfb :99 -screen 0 1280x720x24 &
    DISPLAY=:99 .venv/bin/python tools/screenshots.py [--lang pl|en] [--only SCREEN]
    .venv/bin/python tools/screenshots.py --size 1024x600     # no DISPLAY (or --headless): SDL's dummy driver

A scripted lesson of brest-1918 runs against an in-process server: the host,
two students and a projector are client `App`s; whenever a screen is ready,
the app whose screen it is draws its frame into the real window, which is then
saved with `pygame.image.save` of the display surface. Without a DISPLAY the app
draws the same frame into its own off-screen surface, which is saved instead.
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
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
OFFSCREEN = not os.environ.get("DISPLAY") or "--headless" in sys.argv  # read before pygame starts
if OFFSCREEN:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
else:
    os.environ.pop("SDL_VIDEODRIVER", None)
os.environ["CROSSROADS_CONFIG_DIR"] = tempfile.mkdtemp(prefix="crossroads-shots-")
SHOT_DOCS = tempfile.mkdtemp(prefix="crossroads-shots-docs-")   # "Export lesson" writes here, not to ~/Documents

import pygame  # noqa: E402

from game.client import exporter, i18n  # noqa: E402
from game.client.app import App  # noqa: E402
from game.client.scenes.menu import MenuScene  # noqa: E402
from game.client.settings import Settings  # noqa: E402
from game.client.transport import WebSocketFactory  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 720)


class Shooter:
    def __init__(self, lang: str, only: str | None, scale: float = 1.0, size: tuple[int, int] = SIZE) -> None:
        self.lang, self.only, self.scale, self.size = lang, only, scale, size
        self.window = pygame.display.set_mode(size)
        pygame.display.set_caption("Crossroads 1917–1922 — screenshots")
        self.apps: list[App] = []
        self.taken: list[Path] = []

    def app(self, transport_factory: WebSocketFactory | None = None) -> App:
        """A headless client; `transport_factory` (the host's) serves the lesson on a free port."""
        a = App(Settings(language=self.lang, scale=self.scale), size=self.size, headless=True, save_settings=False,
                transport_factory=transport_factory)
        a.scenes.push(MenuScene(a))
        self.apps.append(a)
        return a

    def pump(self, until, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for a in self.apps:
                a.step()
            if until():
                return
            time.sleep(0.01)
        raise SystemExit(f"timed out in the scripted lesson ({until.__code__.co_firstlineno}): "
                         f"{[(type(a.scenes.top).__name__, list(a.scenes.top.actions)[:12]) for a in self.apps]}")

    def settle(self, seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for a in self.apps:
                a.step()
            time.sleep(0.01)

    def shot(self, app: App, name: str) -> None:
        if self.only and self.only != name and not (self.only == "solo" and name.startswith("solo-")):
            return  # (--only solo: every solo screen)
        own = app.screen
        if not OFFSCREEN:
            app.screen, app.headless = self.window, False
        try:
            app.scenes.top.dirty = True
            app.step()
            if not OFFSCREEN:
                pygame.display.flip()
                pygame.event.pump()
            default = self.scale == 1.0 and tuple(self.size) == SIZE
            suffix = "" if default else f"-{self.size[0]}x{self.size[1]}-{self.scale:g}x"
            path = OUT / f"{name}{suffix}-{self.lang}.png"
            pygame.image.save(app.screen if OFFSCREEN else pygame.display.get_surface(), str(path))
            self.taken.append(path)
            print(path)
        finally:
            app.screen, app.headless = own, True

    def run(self) -> None:
        i18n.set_language(self.lang)
        if self.only and self.only.startswith("solo"):
            self.solo()   # (no lesson needed for these)
            return
        exporter.user_documents_dir = lambda: SHOT_DOCS
        lan = WebSocketFactory(port=0, db=str(Path(tempfile.mkdtemp()) / "shots.sqlite3"), announce=False)
        host, ania, bartek, screen = self.app(lan), self.app(), self.app(), self.app()
        self.shot(host, "menu")
        host.scenes.top.press("settings")
        self.shot(host, "settings")
        host.scenes.top.press("back")
        host.scenes.top.press("host")
        setup = host.scenes.top
        setup.press("scenario_brest-1918")
        self.shot(host, "host-setup")
        setup.press("start")
        self.pump(lambda: type(host.scenes.top).__name__ == "LobbyScene")
        code, address = host.session.code, lan.host()
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=address, code=code, name="")
        ania.scenes.top.press("suggest")
        self.shot(ania, "join")
        if not self.only or self.only == "join-error":  # the lesson as the LAN lists it, and a wrong code
            from game.client.discovery import StaticBrowser, sessions_of
            from game.client.scenes.join import JoinScene
            from server.announce import Announcer

            props = Announcer(0, lessons=lambda: list(lan.server.server.master.sessions.values())).properties()
            found = sessions_of("Crossroads – sala-7._crossroads._tcp.local.", address, props)
            ania.scenes.replace(JoinScene(ania, browser=StaticBrowser(found)))
            ania.scenes.top.set_fields(address=address, code="ZZZ999", name="Ania")
            ania.scenes.top.press("join")
            self.pump(lambda: ania.scenes.top.feedback_error)
            self.shot(ania, "join-error")
        for app, name in ((ania, "Ania"), (bartek, "Bartek")):
            if app is bartek:
                app.scenes.top.press("join")
            app.scenes.top.set_fields(address=address, code=code, name=name)
            app.scenes.top.press("join")
        screen.scenes.top.press("join")
        screen.scenes.top.set_fields(address=address, code=code)
        screen.scenes.top.press("watch")
        self.pump(lambda: all(type(a.scenes.top).__name__ == "LobbyScene" for a in (ania, bartek))
                  and type(screen.scenes.top).__name__ == "ProjectorScene")  # the projector's own lobby
        ania.scenes.top.press("pick_lenin")
        self.pump(lambda: ania.session.team == "lenin")
        self.settle()
        self.shot(ania, "lobby-student")
        self.shot(host, "lobby-host-qr")      # nobody selected: the join QR code in the tools' place
        host.scenes.top.press("qr")
        self.shot(host, "lobby-qr")           # Enlarge: screen-high, for a class without a projector
        host.scenes.top.press("qr_close")
        bid = next(m["player"] for m in host.session.members_by_team().get("", []) if m["name"] == "Bartek")
        host.scenes.top.press(f"sel_{ania.session.player}")
        host.scenes.top.press("p_captain")
        self.pump(lambda: host.session.captain("lenin") == ania.session.player)
        host.scenes.top.press(f"sel_{ania.session.player}")
        host.scenes.top.press(f"sel_{bid}")
        self.shot(host, "lobby-host")
        host.scenes.top.press("p_rename")
        self.shot(host, "lobby-rename")
        host.scenes.top.press("p_cancel")
        host.scenes.top.press("p_kick")
        self.shot(host, "lobby-kick")
        host.scenes.top.press("p_cancel")
        host.scenes.top.press("move_central")
        self.pump(lambda: bartek.session.team == "central")
        self.settle()
        self.shot(screen, "lobby-projector")
        host.scenes.top.press("start")
        self.pump(lambda: type(ania.scenes.top).__name__ == "GameScene"
                  and type(host.scenes.top).__name__ == "HostPanelScene")
        ania.scenes.top.press("vote_talk_and_wait")
        self.pump(lambda: "talk_and_wait" in str((ania.session.view or {}).get("team", {}).get("votes")))
        self.settle()
        pygame.mouse.set_pos((200, 300))
        self.shot(ania, "game")
        ania.scenes.top.on_action("read_card")  # the whole card over the screen (button "Read all", key C)
        self.shot(ania, "game-read")
        ania.scenes.top.on_action("read_card")
        ania.scenes.top.press("secret")
        self.shot(ania, "game-secret")
        ania.scenes.top.press("secret")
        game = ania.scenes.top
        game.map.zoom_by(2.5)
        game.map.center_on_marker()
        game.map.hover((330, 300))
        self.shot(ania, "game-zoom")
        game.map.reset_view()
        self.shot(host, "host-panel")
        host.scenes.top.press("players")
        host.scenes.top.press(f"sel_{bid}")
        self.shot(host, "host-players")
        host.scenes.top.press("export")
        self.pump(lambda: bool(host.lessons.exported))
        self.shot(host, "host-export")
        host.toast = None
        host.scenes.top.press("players")
        self.shot(screen, "projector")
        bartek.scenes.top.press("vote_accept_armistice")
        self.pump(lambda: type(ania.scenes.top).__name__ == "OutcomeScene")
        self.settle(0.1)
        self.shot(host, "outcome-host")
        host.scenes.top.press("reveal_armistice")
        self.pump(lambda: (ania.session.view or {}).get("timeline", [{}])[-1].get("cards", [{}])[0].get("revealed"))
        self.settle(2.0)
        self.shot(ania, "outcome")
        self.shot(screen, "projector-outcome")
        for _ in range(12):
            if host.session.phase == "ended":
                break
            host.scenes.top.press("advance")
            self.pump(lambda: host.session.phase in ("briefing", "deliberation", "ended"))
            if host.session.phase == "briefing":
                host.scenes.top.press("advance")
                self.pump(lambda: host.session.phase != "briefing")
            if host.session.phase == "ended":
                break
            self.pump(lambda: type(host.scenes.top).__name__ == "HostPanelScene")
            host.scenes.top.press("force")
            self.pump(lambda: host.session.phase in ("outcome", "ended"))
        self.pump(lambda: type(ania.scenes.top).__name__ == "DebriefScene"
                  and type(screen.scenes.top).__name__ == "ProjectorScene")
        self.settle()
        self.shot(ania, "debrief")
        self.shot(screen, "projector-ending")
        later = self.app()  # another day: the teacher's saved lessons
        later.lessons.seats = host.lessons.seats
        later.scenes.top.press("host")
        later.scenes.top.press("saved")
        self.settle()
        self.shot(later, "saved-lessons")
        for a in self.apps:
            a.shutdown()
        self.apps = []
        self.big_class()
        self.solo()

    def solo(self) -> None:
        """Playing alone: the setup screen, a solo game against bots (in-process, no port), its outcome."""
        from game.client.transport import InProcessFactory, LocalServer

        db = Path(tempfile.mkdtemp()) / "solo.sqlite3"
        a = App(Settings(language=self.lang, scale=self.scale), size=self.size, headless=True, save_settings=False,
                solo_factory=InProcessFactory(LocalServer(db=str(db))))
        a.scenes.push(MenuScene(a))
        self.apps.append(a)
        a.scenes.top.press("solo")
        for choice in ("scenario_brest-1918", "team_trotsky", "level_hard"):
            a.scenes.top.press(choice)
        self.shot(a, "solo-setup")
        a.scenes.top.press("start")

        def voting(turn: int) -> bool:
            return (type(a.scenes.top).__name__ == "GameScene" and a.session.phase == "deliberation"
                    and a.session.view["turn"] == turn)

        self.pump(lambda: voting(1), 20)
        scene = a.scenes.top
        scene.press(next(act for act, b in scene.actions.items() if act.startswith("vote_") and b.is_enabled))
        self.pump(lambda: type(a.scenes.top).__name__ == "OutcomeScene"
                  and all(c.get("history") for c in a.session.view["timeline"][-1]["cards"]), 30)
        self.settle()
        self.shot(a, "solo-outcome")
        a.scenes.top.press("advance")
        self.pump(lambda: voting(2), 30)
        self.settle()
        self.shot(a, "solo-game")
        a.shutdown()
        self.apps = []

    def big_class(self) -> None:
        """A full class of 33: the lobby with everyone still to be placed, then the in-game players panel."""
        import msgpack
        from websockets.sync.client import connect

        host = self.app(WebSocketFactory(port=0, db=str(Path(tempfile.mkdtemp()) / "big.sqlite3"), announce=False))
        host.scenes.top.press("host")
        setup = host.scenes.top
        setup.press("scenario_brest-1918")
        setup.press("form_host")
        setup.press("start")
        self.pump(lambda: type(host.scenes.top).__name__ == "LobbyScene")
        first = ["Ania", "Bartek", "Celina", "Dawid", "Ewa", "Filip", "Gosia", "Hubert", "Iga", "Janek", "Kasia",
                 "Lena", "Marek", "Nina", "Olek", "Pola", "Rafał", "Staś", "Tola", "Wiktor", "Zosia"]
        for i in range(33):
            name = f"{first[i % len(first)]} {'ABCDEFGHIJKLMNOPRSTUWZ'[(i * 7) % 22]}."
            if i == 5:
                name = "Maksymilian Wiśniewski"
            with connect(f"ws://127.0.0.1:{host.transport_factory.server.port}/", compression=None) as ws:
                ws.send(msgpack.packb({"v": 1, "type": "join", "id": 1, "code": host.session.code, "name": name}))
                ws.recv(timeout=10)
        self.pump(lambda: len(host.session.members_by_team().get("", [])) == 33)
        host.scenes.top.resume()
        self.shot(host, "lobby-big-class")
        host.scenes.top.press("auto")
        self.pump(lambda: not host.session.members_by_team().get(""))
        host.scenes.top.press("start")
        self.pump(lambda: type(host.scenes.top).__name__ == "HostPanelScene")
        host.scenes.top.press("players")
        some = host.session.members_by_team()["trotsky"][1]["player"]
        host.scenes.top.press(f"sel_{some}")
        self.settle()
        self.shot(host, "host-players-big-class")
        host.shutdown()
        self.apps = []  # a shut-down app is not stepped again (its session is gone)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("pl", "en"), action="append")
    parser.add_argument("--only")
    parser.add_argument("--scale", type=float, default=1.0, help="UI scale (1-2); files get a size and scale suffix")
    parser.add_argument("--size", default="1280x720", help="window size, e.g. 1920x1080 (Xvfb's screen must fit it)")
    parser.add_argument("--out", default=None, help="write here instead of docs/screenshots (e.g. to look at a size)")
    parser.add_argument("--headless", action="store_true",
                        help="no window: draw on SDL's dummy video driver (the same pixels, where no Xvfb is)")
    args = parser.parse_args(argv)
    global OUT
    if args.out:
        OUT = Path(args.out).resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    pygame.init()
    for lang in args.lang or ["pl", "en"]:
        size = tuple(int(v) for v in args.size.lower().split("x"))
        Shooter(lang, args.only, args.scale, size).run()  # type: ignore[arg-type]
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
