"""Solo play: one person against bots, with no network and no port.

A solo game is an ordinary session on a `LocalServer` (the in-process transport) with its own
SQLite database (`solo_book.solo_db_path()`): bots sit in every team but the player's, the
session is flagged `solo`, and every vote is saved by the server's store as in a lesson.

One `App` holds two seats of it, on two in-process connections:

* **the player's seat** is the app's session (`app.session`, role player): the screens are the
  class's (game, outcome, debrief) and show only what a student of that team receives — never
  another team's secret;
* **the host's seat** stays inside `SoloGame` and is never drawn: it creates the game, starts it,
  opens each vote at once (a solo player reads at their own pace: no briefing wait), reveals the
  history of each card when its outcome comes, and advances when the player presses "Continue"
  on the outcome screen (`App.solo.advance()`).

`Solo` (the app's `app.solo`) owns the local server (started on first use), the book of saved
solo games and the game being played.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from game.wire import ErrorCode, Phase, Role

from . import i18n
from .errors import HostingError
from .session import ClientSession
from .solo_book import SavedSolo, SoloBook, solo_db_path
from .transport.inprocess import InProcessFactory, LocalServer

if TYPE_CHECKING:
    from .app import App

from game.bots.bot import LEVELS  # noqa: F401  (the scenes take it from here)

DEFAULT_LEVEL = "normal"


@dataclass
class SoloOptions:
    """What the solo setup screen (or `crossroads solo`) chose."""

    scenario: str
    team: str
    level: str = DEFAULT_LEVEL
    timer: int | None = None     # seconds per vote; None: untimed (the default: read at your own pace)
    lang: str = "pl"
    name: str = ""               # the player's name in the game (default: "You"/"Ty")
    campaign: str | None = None  # a lesson of this campaign (its step `campaign_step`, or the one after
    campaign_step: int | None = None  # `campaign_from`'s game: that game's host token)
    campaign_from: str | None = None

    def create_request(self, teams: list[str]) -> dict:
        """The host's `create_session`: bots of `level` in every team of `teams` but the player's."""
        campaign = {} if self.campaign is None else {
            "campaign": self.campaign, "campaign_step": self.campaign_step, "campaign_from": self.campaign_from}
        return {
            "type": "create_session", "scenario": self.scenario, "lang": self.lang, "teams": None,
            "timer": self.timer, "briefing": None, "formation": "free", "auto_resolve": True,
            "bots": {t: self.level for t in teams if t != self.team}, "bots_yield": True, "solo": True,
            **{k: v for k, v in campaign.items() if v is not None},
        }


class SoloGame:
    """The host's side of one solo game (see the module's docstring). `poll()` every frame."""

    def __init__(self, app: App, factory: InProcessFactory, book: SoloBook, *, options: SoloOptions | None = None,
                 saved: SavedSolo | None = None) -> None:
        self.app, self.factory, self.book = app, factory, book
        self.options = options
        self.saved = saved
        self.error: str | None = None
        self.address = factory.host()
        self.host_session = ClientSession(Role.HOST, self.address)
        self._acted: set[tuple] = set()    # what the host already sent, once each: ("start",), ("open", turn)…
        self._want_advance: int | None = None   # the turn whose outcome the player pressed "Continue" on
        if saved is not None:
            self.host = factory(self.address, {"type": "resume", "token": saved.host_token})
            self._open_player({"type": "resume", "token": saved.player_token} if saved.player_token else None)
        else:
            assert options is not None
            from game.scenarios import builtin_scenario

            teams = list(builtin_scenario(options.scenario).team_ids)
            self.host = factory(self.address, options.create_request(teams))

    @property
    def code(self) -> str | None:
        return self.host_session.code

    @property
    def team(self) -> str:
        return self.saved.team if self.saved is not None else (self.options.team if self.options else "")

    # -- the player's seat ---------------------------------------------------------------
    def _open_player(self, hello: dict | None) -> None:
        """The app's session becomes the player's seat of this game (joining it, or resuming it)."""
        if hello is None:  # saved before the player had a seat: join again
            hello = {"type": "join", "code": self.code or (self.saved.code if self.saved else ""),
                     "name": self._player_name()}
        session = self.app.connect(Role.PLAYER, self.address, hello, transports=self.factory)
        session.solo = True

    def _player_name(self) -> str:
        name = (self.options.name if self.options else "") or self.app.settings.last_name
        return (name or i18n.tr("solo.player_name"))[:24]

    @property
    def player(self) -> ClientSession | None:
        sess = self.app.session
        return sess if sess is not None and getattr(sess, "solo", False) else None

    # -- every frame ---------------------------------------------------------------------
    def poll(self) -> None:
        """Fold what the host's connection received, then do what the game waits for."""
        for msg in self.host.poll():
            self.host_session.handle(msg)
            self._on_host_message(msg)
            if self.error:
                return
        self._drive()

    def _on_host_message(self, msg: dict) -> None:
        kind = msg.get("type")
        if kind == "session_created" and self.saved is None and self.options is not None:
            sc = self.host_session.scenario_info
            team = next((t for t in sc.get("teams", []) if t.get("id") == self.options.team), {})
            self.saved = SavedSolo(code=msg["code"], host_token=msg["host_token"], scenario=self.options.scenario,
                                   title=dict(sc.get("title") or {}), team=self.options.team,
                                   team_name=dict(team.get("name") or {}), level=self.options.level,
                                   timer=self.options.timer, stage="lobby",
                                   parent=str(msg.get("branch_of") or ""), branched_at=msg.get("branched_at"),
                                   name=str(getattr(self.options, "branch_name", "") or ""))
            self.book.remember(self.saved)
            self._open_player(None)
        elif kind == "error":
            code = msg.get("code")
            if code == ErrorCode.BAD_TOKEN and self.saved is not None:
                self.book.forget(self.saved.code)   # the database no longer has it
                self.fail(i18n.tr("solo.gone"))
            elif self.code is None:
                self.fail(str(msg.get("message") or code))

    def fail(self, text: str) -> None:
        """The game cannot go on: back to the menu, saying why."""
        self.error = text
        self.app.leave_to_menu()
        self.app.notify(i18n.tr("solo.failed", error=text), 15, error=True)

    def _once(self, key: tuple, type_: str, **fields: Any) -> None:
        if key not in self._acted:
            self._acted.add(key)
            self.host.send(type_, **fields)

    def _drive(self) -> None:
        host, player = self.host_session, self.player
        if player is None or self.saved is None or host.code is None:
            return
        if player.resume_token and player.resume_token != self.saved.player_token:
            self.book.update(self.saved.code, player_token=player.resume_token)
        if not host.started:
            self._seat_and_start(host, player)
            return
        view = host.view or {}
        phase, turn = view.get("phase"), view.get("turn")
        if phase == Phase.BRIEFING:
            self._once(("open", turn), "advance")    # the vote opens at once: nobody waits for a briefing
        elif phase == Phase.OUTCOME:
            last = (view.get("timeline") or [{}])[-1]
            for c in last.get("cards") or []:
                if not c.get("revealed"):   # history at once: the player compares with it turn by turn
                    self._once(("reveal", turn, c.get("card")), "reveal", card=c.get("card"))
            if self._want_advance == turn:
                self._once(("advance", turn), "advance")
        self._note_progress(view)

    def _seat_and_start(self, host: ClientSession, player: ClientSession) -> None:
        """The lobby, in a blink: the player takes their side, then the host starts."""
        if not player.player:
            return  # not joined yet
        in_team = any(m.get("player") == player.player for m in host.members_by_team().get(self.team, []))
        if not in_team:
            if player.team != self.team and ("pick",) not in self._acted:
                self._acted.add(("pick",))
                self.app.send("pick_team", team=self.team)
            return
        self._once(("start",), "start")

    def _note_progress(self, view: dict) -> None:
        assert self.saved is not None
        if view.get("phase") == Phase.ENDED:
            stage = "ended_early" if (view.get("ending") or {}).get("early") else "ended"
        else:
            stage = "playing"
        self.book.update(self.saved.code, stage=stage, turn=int(view.get("turn") or 0),
                         turn_count=int(view.get("turn_count") or 0))

    # -- the player's buttons ------------------------------------------------------------
    def can_advance(self) -> bool:
        """The player's screen shows an outcome and "Continue" has not been pressed for it yet."""
        view = (self.player.view if self.player is not None else None) or {}
        return view.get("phase") == Phase.OUTCOME and self._want_advance != view.get("turn")

    def advance(self) -> bool:
        """The player's "Continue" after an outcome: the next turn (or the debrief), sent as soon as the
        host's seat sees that outcome too. False if there is nothing to continue from."""
        if not self.can_advance():
            return False
        self._want_advance = (self.player.view or {}).get("turn") if self.player is not None else None
        self._drive()
        return True

    def close(self) -> None:
        self.host.close()


class Solo:
    """The app's solo play: the local server on the solo database (started when first needed), the
    saved games, and the game being played (`game`, or None)."""

    def __init__(self, app: App, factory: InProcessFactory | None = None, book: SoloBook | None = None) -> None:
        self.app = app
        self._factory = factory
        self.book = book if book is not None else (SoloBook.default() if app.save_settings else SoloBook(None))
        self.game: SoloGame | None = None

    @property
    def factory(self) -> InProcessFactory:
        if self._factory is None:
            db = solo_db_path()
            try:
                db.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HostingError(str(exc)) from exc
            self._factory = InProcessFactory(LocalServer(db=str(db)))
        return self._factory

    @property
    def active(self) -> bool:
        """A solo game is on the screen (the app's session is its player's seat)."""
        return self.game is not None and self.game.player is not None

    def start(self, options: SoloOptions) -> SoloGame:
        """A new solo game; its game screen follows once it has started. Raises `HostingError` if
        the local server cannot start."""
        self.app.disconnect()
        self.game = SoloGame(self.app, self.factory, self.book, options=options)
        return self.game

    def next_in_campaign(self) -> SoloOptions | None:
        """The options of the campaign's next lesson after the finished solo game on the screen (the
        player keeps their table: the team it plays next; the same level, clock and language), or None."""
        game, sess = self.game, self.app.session
        if game is None or game.saved is None or sess is None or (sess.view or {}).get("phase") != "ended":
            return None
        camp = sess.config.get("campaign") or {}
        from game.campaign import builtin_campaign, builtin_campaign_ids

        if camp.get("id") not in builtin_campaign_ids():
            return None
        steps = builtin_campaign(camp["id"]).steps
        nxt = int(camp.get("step", 0)) + 1
        if nxt >= len(steps):
            return None
        side = steps[nxt - 1].side_of(game.team)
        team = steps[nxt].team_of(side) if side else None
        if team is None:
            team = dict(steps[nxt].teams)[next(iter(dict(steps[nxt].teams)))]
        return SoloOptions(scenario=steps[nxt].scenario, team=team, level=game.saved.level, timer=game.saved.timer,
                           lang=sess.config.get("lang", "pl"), campaign=camp["id"],
                           campaign_from=game.saved.host_token)

    def resume(self, saved: SavedSolo) -> SoloGame:
        """Continue a saved solo game where it stopped. Raises `HostingError` as `start` does."""
        self.app.disconnect()
        self.game = SoloGame(self.app, self.factory, self.book, saved=saved)
        return self.game

    def delete(self, saved: SavedSolo) -> Any:
        """Delete a saved solo game from the database and the list; poll the returned errand each frame."""
        from .lessons import LessonErrand

        address = self.factory.host()
        return LessonErrand(self.factory(address, None), "delete_session", saved, self.book)  # type: ignore[arg-type]

    def advance(self) -> bool:
        return self.game.advance() if self.game is not None else False

    def can_advance(self) -> bool:
        return self.active and self.game is not None and self.game.can_advance()

    def poll(self) -> None:
        if self.game is not None:
            self.game.poll()

    def close_game(self) -> None:
        """The player left the game (it stays saved)."""
        game, self.game = self.game, None
        if game is not None:
            game.close()

    def stop(self) -> None:
        self.close_game()
        if self._factory is not None:
            self._factory.stop()


def open_solo_setup(app: App, scenario: str | None = None, team: str | None = None, level: str | None = None,
                    timer: int | None = None) -> None:
    """Put the solo setup screen on top of the menu with these choices made (what `crossroads solo` opens)."""
    from .scenes.menu import MenuScene
    from .scenes.solo_setup import SoloSetupScene

    app.scenes.reset(MenuScene(app))
    app.scenes.push(SoloSetupScene(app, scenario=scenario, team=team, level=level, timer=timer))


def run_solo(scenario: str | None = None, team: str | None = None, lang: str | None = None,
             level: str | None = None, timer: int | None = None) -> int:
    """`crossroads solo`: the game window on the solo setup screen (Esc leads to the main menu)."""
    import os

    from .app import App
    from .settings import Settings

    os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
    settings = Settings.load()
    if lang:
        settings.language = lang
    app = App(settings)
    open_solo_setup(app, scenario, team, level, timer)
    from server.app import tune_gc

    tune_gc()
    app.run()
    return 0
