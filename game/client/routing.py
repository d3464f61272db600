"""Which game screen is on top: the session's phase and the seat's role decide.

`Router.route()` runs whenever the session changes: a routed scene (lobby, game,
host panel, outcome, projector, debrief) is replaced when the session wants
another one; a scene that `follows_session` (menu, join, host setup, saved
lessons) gives way once a session has something to show. The teacher can put
their own screen in projector mode (`show_projector`), from the lobby on; the
projector shows the lobby, the turns and the ending itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.wire import Phase, Role

if TYPE_CHECKING:
    from .app import App
    from .session import ClientSession


def desired_scene(session: ClientSession | None, host_projector: bool = False) -> tuple[str, type] | None:
    """(kind, scene class) the session wants on top; None while it has nothing to show yet."""
    if session is None or (session.view is None and session.members is None):
        return None
    from .scenes.debrief import DebriefScene
    from .scenes.game import GameScene
    from .scenes.host_panel import HostPanelScene
    from .scenes.lobby import LobbyScene
    from .scenes.outcome import OutcomeScene
    from .scenes.projector import ProjectorScene

    projector = session.role == Role.PROJECTOR or (session.role == Role.HOST and host_projector)
    phase = session.phase
    if phase == Phase.ENDED:
        return ("ended", ProjectorScene if projector else DebriefScene)
    if not session.started:
        return ("lobby", ProjectorScene if projector else LobbyScene)
    if projector:
        return ("projector", ProjectorScene)
    if phase == Phase.OUTCOME:
        return ("outcome", OutcomeScene)
    if session.role == Role.HOST:
        return ("game", HostPanelScene)
    return ("game", GameScene)


class Router:
    """Keeps the app's top scene the one the session wants."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.host_projector = False  # the teacher shows the projector view on their own screen

    def reset(self) -> None:
        """A new session (or none): the teacher's screen is their panel again."""
        self.host_projector = False

    def show_projector(self, on: bool) -> None:
        """The teacher's own screen as the projector (on) or back to their panel (off), at once."""
        self.host_projector = on
        self.route()

    def route(self) -> None:
        want = desired_scene(self.app.session, self.host_projector)
        top = self.app.scenes.top
        if want is None or top is None:
            return
        kind, cls = want
        if top.routed:
            if top.kind != kind or type(top) is not cls:
                self.app.scenes.replace(self._make(cls, kind))
        elif getattr(top, "follows_session", False):
            self.app.scenes.replace(self._make(cls, kind))

    def _make(self, cls: type, kind: str):
        scene = cls(self.app)
        scene.kind = kind  # the projector serves several kinds (lobby, turn, ended): keep it until the kind changes
        return scene
