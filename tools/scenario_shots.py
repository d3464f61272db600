"""Screenshots of each scenario's game, outcome and debrief screens, in both languages:
docs/screenshots/<scenario>-<screen>-<lang>.png.

    .venv/bin/python tools/scenario_shots.py [--scenario ID] [--size 1280x720] [--scale 1] [--turns 3]
        [--map-turns 1,5,8]    # also the game screen of these turns: <scenario>-turn<N>-<lang>.png

A short lesson per scenario and language runs against a real server on a free loopback port: a host
and two students (headless client `App`s) play ``--turns`` turns (each student votes for its first
option), the host reveals the history of the last played turn, then closes the remaining votes to
the end. The student's screen is saved as drawn (``pygame.image.save`` of the app's own surface).
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
TEAMS = {"brest-1918": ("lenin", "central"), "war-communism-nep": ("lenin", "peasants"),
         "genoa-rapallo": ("soviet", "france"), "october-1917": ("lenin", "government"),
         "civil-war": ("reds", "denikin")}


def name(app: App) -> str:
    return type(app.scenes.top).__name__


class Lesson:
    def __init__(self, scenario: str, lang: str, size: tuple[int, int], scale: float,
                 map_turns: tuple[int, ...] = ()) -> None:
        self.scenario, self.lang, self.size, self.scale = scenario, lang, size, scale
        self.map_turns = map_turns
        db = Path(tempfile.mkdtemp()) / "shots.sqlite3"
        self.host = self.app(WebSocketFactory(port=0, db=str(db), announce=False))
        self.students: list[App] = []

    def app(self, factory: WebSocketFactory | None = None) -> App:
        a = App(Settings(language=self.lang, scale=self.scale), size=self.size, headless=True, save_settings=False,
                transport_factory=factory)
        a.scenes.push(MenuScene(a))
        return a

    @property
    def apps(self) -> list[App]:
        return [self.host, *self.students]

    def pump(self, until, what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for a in self.apps:
                a.step()
            if until():
                for a in self.apps:
                    a.scenes.top.dirty = True
                    a.step()
                return
            time.sleep(0.01)
        raise SystemExit(f"{self.scenario} {self.lang}: timed out waiting for {what}: "
                         f"{[(name(a), a.session.phase if a.session else None) for a in self.apps]}")

    def shot(self, app: App, screen: str) -> Path:
        app.session.errors.clear()  # (a vote sent just as the vote closed by itself is refused: not news)
        app.scenes.top.dirty = True
        app.step()
        default = self.scale == 1.0 and self.size == (1280, 720)
        suffix = "" if default else f"-{self.size[0]}x{self.size[1]}-{self.scale:g}x"
        path = OUT / f"{self.scenario}-{screen}{suffix}-{self.lang}.png"
        pygame.image.save(app.screen, str(path))
        print(path)
        return path

    def to_vote(self) -> None:
        self.pump(lambda: self.host.session.phase in ("briefing", "deliberation", "ended"), "the next turn")
        if self.host.session.phase == "briefing":
            self.pump(lambda: name(self.host) == "HostPanelScene", "the host panel")
            self.host.scenes.top.press("advance")
        self.pump(lambda: self.host.session.phase in ("deliberation", "ended")
                  and all(s.session.phase == self.host.session.phase for s in self.students), "the vote")

    def resolve(self) -> None:
        self.pump(lambda: name(self.host) == "HostPanelScene" or self.host.session.phase != "deliberation",
                  "the host panel")
        if self.host.session.phase == "deliberation":  # (a vote every team has decided closes by itself)
            self.host.scenes.top.press("force")
        self.pump(lambda: name(self.host) in ("OutcomeScene", "DebriefScene")
                  and all(name(s) in ("OutcomeScene", "DebriefScene") for s in self.students), "the outcome")

    def run(self, turns: int) -> None:
        turns = max(turns, *self.map_turns) if self.map_turns else turns
        host = self.host
        host.scenes.top.press("host")
        setup = host.scenes.top
        setup.press(f"scenario_{self.scenario}")
        setup.press("start")
        self.pump(lambda: name(host) == "LobbyScene", "the lobby")
        address = host.transport_factory.host()
        for i, team in enumerate(TEAMS[self.scenario]):
            s = self.app()
            self.students.append(s)
            s.scenes.top.press("join")
            s.scenes.top.set_fields(address=address, code=host.session.code, name=("Ania", "Bartek")[i])
            s.scenes.top.press("join")
            self.pump(lambda s=s: name(s) == "LobbyScene" and s.session.player is not None, "joined")
            s.scenes.top.press(f"pick_{team}")
            self.pump(lambda s=s, t=team: s.session.team == t, "a team")
        host.scenes.top.press("start")
        self.to_vote()
        ania = self.students[0]
        for turn in range(1, turns + 1):
            self.pump(lambda: name(ania) == "GameScene", "the game screen")
            for s in self.students:  # Ania votes first; her screen is shot before the others vote
                for card in s.session.view.get("cards") or []:
                    if s.session.team in (card.get("teams") or []):
                        opt = next(o for o in card["options"] if o.get("available", True) and (
                            set(o["for"]) & {s.session.team, "sovnarkom", "whites_bloc"}
                            or o["for"] == card["deciders"]))
                        s.send("vote", card=card["id"], option=opt["id"])
                if s is ania:
                    self.pump(lambda: any((ania.session.view.get("team") or {}).get("votes", {}).values()),
                              "Ania's vote")
                    if turn == turns:
                        self.shot(ania, "game")
                    if turn in self.map_turns:
                        self.shot(ania, f"turn{turn}")
            self.resolve()
            if host.session.phase == "ended":
                break
            if turn == turns:
                for c in host.scenes.top.record()["cards"]:
                    host.scenes.top.press(f"reveal_{c['card']}")
                self.pump(lambda: all(c.get("revealed") for c in ania.scenes.top.record()["cards"]), "history")
                self.shot(ania, "outcome")
            host.scenes.top.press("advance")
            self.to_vote()
        while host.session.phase != "ended":
            self.resolve()
            if host.session.phase == "ended":
                break
            host.scenes.top.press("advance")
            self.to_vote()
        self.pump(lambda: name(ania) == "DebriefScene", "the debrief")
        self.shot(ania, "debrief")

    def close(self) -> None:
        for a in self.apps:
            a.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", choices=sorted(TEAMS))
    ap.add_argument("--lang", choices=("pl", "en"))
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--turns", type=int, default=2)
    ap.add_argument("--map-turns", default="", help="comma-separated turns whose game screen is also saved")
    args = ap.parse_args()
    map_turns = tuple(int(t) for t in args.map_turns.split(",") if t)
    size = tuple(int(v) for v in args.size.split("x"))
    pygame.init()
    pygame.display.set_mode((1, 1))
    for scenario in [args.scenario] if args.scenario else sorted(TEAMS):
        for lang in [args.lang] if args.lang else ("pl", "en"):
            lesson = Lesson(scenario, lang, size, args.scale, map_turns)
            try:
                lesson.run(args.turns)
            finally:
                lesson.close()


if __name__ == "__main__":
    main()
