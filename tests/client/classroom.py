"""A lesson driven through the client's own screens, for the card, outcome and text-fit tests:
a host, students and (optionally) a projector, all headless `App`s against a real server."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game.client import textlog
from game.client.app import App

from .helpers import address_of, lan_server, make_app, pump, scene_name


@dataclass
class Classroom:
    host: App
    students: dict[str, App]          # by team id
    screen: App | None = None
    apps: list[App] = field(default_factory=list)

    def pump(self, until, what: str = "", timeout: float = 10.0) -> None:
        pump(self.apps, until, timeout=timeout, what=what)

    def close(self) -> None:
        for a in self.apps:
            a.shutdown()

    def to_vote(self) -> None:
        """Past the briefing, to the open vote (the host presses *Next* if a briefing runs)."""
        self.pump(lambda: self.host.session.phase in ("briefing", "deliberation", "ended"), "the next turn")
        if self.host.session.phase == "briefing":
            self.pump(lambda: scene_name(self.host) == "HostPanelScene", "the host panel")
            self.host.scenes.top.press("advance")
        self.pump(lambda: self.host.session.phase in ("deliberation", "ended")
                  and all(s.session.phase == self.host.session.phase for s in self.students.values()), "the vote")

    def resolve(self) -> None:
        """The host closes the vote; everyone sees the outcome."""
        self.pump(lambda: scene_name(self.host) == "HostPanelScene" or self.host.session.phase != "deliberation",
                  "the host panel")
        if self.host.session.phase == "deliberation":  # (a vote every team has decided closes by itself)
            assert self.host.scenes.top.press("force")
        self.pump(lambda: self.host.session.phase in ("outcome", "ended")
                  and scene_name(self.host) in ("OutcomeScene", "DebriefScene")
                  and all(scene_name(s) in ("OutcomeScene", "DebriefScene") for s in self.students.values()),
                  "the outcome")

    def next_turn(self) -> None:
        assert self.host.scenes.top.press("advance")
        self.to_vote()


def classroom(tmp_path, scenario: str, lang: str = "en", teams: tuple[str, ...] = (), projector: bool = False,
              size: tuple[int, int] = (1280, 720), timer_presses: int = 0, scale: float = 1.0,
              one_screen: bool = False) -> Classroom:
    """A lesson of ``scenario`` in its lobby with one student in each of ``teams`` and the game started.
    ``timer_presses``: how often the host steps the clock down (0: the default; 10: no clock)."""
    host = make_app(lang, scale=scale, size=size, transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    room = Classroom(host, {}, apps=[host])
    host.scenes.top.press("host")
    setup = host.scenes.top
    assert setup.press(f"scenario_{scenario}")
    for _ in range(timer_presses):   # the clock stepper down: 10 presses reach "no clock"
        setup.press("timer_down")
    if one_screen:
        setup.press("one_screen")
    setup.press("start")
    room.pump(lambda: scene_name(host) == "LobbyScene", "the lobby")
    for i, team in enumerate(teams):
        app = make_app(lang, scale=scale, size=size)
        room.apps.append(app)
        room.students[team] = app
        app.scenes.top.press("join")
        app.scenes.top.set_fields(address=address_of(host), code=host.session.code, name=f"Uczeń {i + 1}")
        app.scenes.top.press("join")
        room.pump(lambda a=app: scene_name(a) == "LobbyScene" and a.session.player is not None, "joined")
        assert app.scenes.top.press(f"pick_{team}")
        room.pump(lambda a=app, t=team: a.session.team == t, "a team")
    if projector:
        screen = make_app(lang, scale=scale, size=size)
        room.apps.append(screen)
        room.screen = screen
        screen.scenes.top.press("join")
        screen.scenes.top.set_fields(address=address_of(host), code=host.session.code)
        screen.scenes.top.press("watch")
        room.pump(lambda: scene_name(screen) == "ProjectorScene" and screen.session.view is not None,
                  "the projector's lobby")
    return room


def start(room: Classroom) -> None:
    room.pump(lambda: room.host.scenes.top.press("start"), "the lobby's Start")  # (once everyone is listed)
    room.to_vote()
    room.pump(lambda: all(scene_name(s) == "GameScene" for s in room.students.values()), "the game screens")


def render(app: App, size: tuple[int, int], scale: float, lang: str) -> list[textlog.DrawnText]:
    """Redraw ``app``'s screen at ``size``, UI ``scale`` (as far as it fits) and ``lang``; what it drew."""
    app.size = size
    app.screen = pygame.Surface(size)
    app.settings.scale = scale
    app.settings.language = lang
    textlog.start()
    try:
        app.apply_settings()
        app.scenes.top.dirty = True
        app.step()
        screen = app.screen
        for b in app.scenes.top.actions.values():   # the buttons as shown: cut only with a tooltip
            if b.alive() and b.visible:
                full = getattr(b, "full_text", b.text)
                textlog.note(screen, b.get_abs_rect(), b.text, full, more=b.text != full and bool(b.tool_tip_text),
                             kind="button")
    finally:
        drawn = textlog.stop()
    return drawn
