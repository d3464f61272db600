"""Solo play: the setup screen, a whole game against bots on the in-process server (no port), the
player's seat that never sees another team's secret, saving and continuing, deleting."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from game.cli import main as cli_main
from game.client.app import App
from game.client.scenes.menu import MenuScene
from game.client.settings import Settings
from game.client.solo import open_solo_setup
from game.client.solo_book import SoloBook
from game.client.transport import InProcessFactory, InProcessTransport, LocalServer
from game.scenarios import builtin_scenario, builtin_scenario_ids
from game.wire import Phase

from .helpers import pump, scene_name, shown, texts

TURN_SECONDS = 30.0   # the longest a turn may take here: the bots think, then the outcome comes


class RecordingFactory(InProcessFactory):
    """An in-process factory that keeps every message each connection received, by its first request."""

    def __init__(self, server: LocalServer) -> None:
        super().__init__(server)
        self.received: list[tuple[str, list[dict]]] = []

    def __call__(self, address: str, hello: dict) -> InProcessTransport:
        transport = super().__call__(address, hello)
        log: list[dict] = []
        self.received.append(((hello or {}).get("type", ""), log))
        real = transport.poll

        def poll() -> list[dict]:
            out = real()
            log.extend(out)
            return out

        transport.poll = poll  # type: ignore[method-assign]
        return transport


def solo_app(db: Path, lang: str = "en", factory: InProcessFactory | None = None, book: Path | None = None) -> App:
    """A headless client on its main menu whose solo games go to the database `db` (and whose list of
    saved solo games lives in the file `book`, when given)."""
    app = App(Settings(language=lang), size=(1280, 720), headless=True, save_settings=False,
              solo_factory=factory or InProcessFactory(LocalServer(db=str(db))))
    if book is not None:
        app.solo.book = SoloBook(book)
    app.scenes.push(MenuScene(app))
    app.step()
    return app


def start_from_setup(app: App, scenario: str, team: str, level: str) -> None:
    """Menu → Play solo → choose → Start, through the setup screen's buttons; until the game shows."""
    assert app.scenes.top.press("solo") and scene_name(app) == "SoloSetupScene"
    setup = app.scenes.top
    assert setup.press(f"scenario_{scenario}") and setup.press(f"team_{team}") and setup.press(f"level_{level}")
    assert setup.options().timer is None   # untimed unless asked for
    assert setup.press("start")
    pump([app], lambda: scene_name(app) == "GameScene" and app.session.phase == Phase.DELIBERATION, 20,
         "the solo game's first vote")


def vote_own_cards(app: App) -> int:
    """In the game screen, vote (first open option, through the Vote buttons) on each card of this turn
    the player's team decides and has not voted on yet. Returns how many votes were sent."""
    scene = app.scenes.top
    sent = 0
    for i, card in enumerate(app.session.view.get("cards") or []):
        if app.session.team not in (card.get("teams") or []) or scene.team_voted(card):
            continue
        if f"card_{i}" in scene.actions:
            scene.press(f"card_{i}")
        votes = [a for a, b in scene.actions.items() if a.startswith("vote_") and b.is_enabled]
        if votes and scene.press(votes[0]):
            sent += 1
    return sent


def play_to_the_end(app: App, max_turns: int = 20, before_turn: int | None = None,
                    vote: Callable[[App], object] | None = None) -> None:
    """Vote in each turn (with `vote`, default `vote_own_cards`) and press Continue after each outcome
    until the debrief (bounded in turns and time); with `before_turn`, stop instead once that turn has come."""
    vote = vote or vote_own_cards
    for _ in range(3 * max_turns):
        name = scene_name(app)
        if name == "DebriefScene" or (before_turn is not None and app.session.view["turn"] >= before_turn):
            return
        if name == "GameScene" and app.session.phase == Phase.DELIBERATION:
            turn = app.session.view["turn"]
            vote(app)
            pump([app], lambda turn=turn: scene_name(app) != "GameScene" or app.session.view["turn"] != turn
                 or app.session.phase != Phase.DELIBERATION, TURN_SECONDS, f"turn {turn} to resolve")
        elif name == "OutcomeScene":
            turn = app.session.view["turn"]
            pump([app], lambda: app.solo.can_advance() and "advance" in app.scenes.top.actions, 5, "Continue")
            assert app.scenes.top.press("advance")
            pump([app], lambda turn=turn: scene_name(app) != "OutcomeScene" or app.session.view["turn"] != turn,
                 TURN_SECONDS, "the next turn")
        else:
            pump([app], lambda name=name: scene_name(app) != name or app.session.phase == Phase.DELIBERATION,
                 TURN_SECONDS, f"leaving {name}")
    raise AssertionError(f"no debrief after {max_turns} turns")


LEVEL_FOR = {"brest-1918": "normal", "genoa-rapallo": "easy", "war-communism-nep": "historical"}


@pytest.mark.parametrize("scenario", builtin_scenario_ids())
def test_a_solo_game_of_every_scenario_plays_to_the_end_against_bots(tmp_path, scenario):
    sc = builtin_scenario(scenario)
    team = sc.team_ids[-1]
    level = LEVEL_FOR.get(scenario, "easy")
    app = solo_app(tmp_path / "solo.sqlite3")
    try:
        start_from_setup(app, scenario, team, level)
        sess = app.session
        assert sess.role == "player" and sess.team == team and sess.solo
        members = sess.members_by_team()
        for other in sc.team_ids:   # a bot of the chosen level in every other seat, and only there
            bots = [m for m in members.get(other, []) if m.get("bot")]
            if other == team:
                assert not bots and [m["player"] for m in members[team]] == [sess.player]
            else:
                assert [b["bot"] for b in bots] == [level], (other, members.get(other))
        play_to_the_end(app, len(sc.turns) + 2)
        view = app.session.view
        assert view["phase"] == Phase.ENDED and view.get("ending")
        # every decision was made: the bots voted in their seats, nobody got the card's default
        assert view["timeline"] and not [c["card"] for t in view["timeline"] for c in t["cards"] if c.get("defaulted")]
        saved = app.solo.book.games[0]
        assert (saved.scenario, saved.team, saved.level, saved.stage) == (scenario, team, level, "ended")
        assert app.lessons.seats.seats == []   # a solo game is not a lesson: not in the lessons' list
    finally:
        app.shutdown()


def test_the_player_never_receives_another_teams_secret(tmp_path):
    scenario = "brest-1918"
    sc = builtin_scenario(scenario)
    team = "entente"
    factory = RecordingFactory(LocalServer(db=str(tmp_path / "solo.sqlite3")))
    app = solo_app(tmp_path / "solo.sqlite3", factory=factory)
    try:
        start_from_setup(app, scenario, team, "hard")
        play_to_the_end(app, len(sc.turns), before_turn=len(sc.turns))   # to the last turn (not the ending)
        assert app.session.phase != Phase.ENDED
        players = [log for hello, log in factory.received if hello == "join"]
        hosts = [log for hello, log in factory.received if hello == "create_session"]
        assert len(players) == 1 and len(hosts) == 1 and players[0]
        secrets = {t.id: t.secret_text for t in sc.teams.values()}
        others = [text for tid, pair in secrets.items() if tid != team for text in pair.values()]
        own = list(secrets[team].values())
        player_wire = json.dumps(players[0], ensure_ascii=False, default=repr)
        seats = {m["view"]["seat"] for m in players[0] if m.get("type") == "view"}
        assert seats <= {"projector", f"team:{team}"} and f"team:{team}" in seats
        assert not [t for t in others if t in player_wire]       # no other team's secret, ever
        assert any(t in player_wire for t in own)                 # (its own, yes: the check can see secrets)
        host_wire = json.dumps(hosts[0], ensure_ascii=False, default=repr)
        assert all(t in host_wire for t in others)   # the host's seat has them all, and keeps them to itself
        assert not [t for t in others if any(t in s for s in texts(app))]   # nor does the screen show one
    finally:
        app.shutdown()


def test_a_solo_game_continues_after_closing_the_app(tmp_path):
    db, book = tmp_path / "solo.sqlite3", tmp_path / "solo.json"
    first = solo_app(db, book=book)
    try:
        start_from_setup(first, "war-communism-nep", "peasants", "easy")
        play_to_the_end(first, 3, before_turn=2)
        pump([first], lambda: first.session.view["turn"] == 2 and first.solo.game.host_session.phase
             == Phase.DELIBERATION, TURN_SECONDS, "turn 2's vote")
        code, timeline = first.session.code, first.session.view["timeline"]
    finally:
        first.shutdown()   # the window closes: the local server stops
    again = solo_app(db, book=book)
    try:
        menu = again.scenes.top
        assert "continue_0" in menu.actions and shown(again, "Tambov")   # the menu lists it: scenario · side …
        assert any("2" in t and "easy" in t.lower() for t in texts(again))   # … turn 2 of 7 · when · bots: Easy
        assert menu.press("continue_0")
        pump([again], lambda: scene_name(again) in ("GameScene", "OutcomeScene") and again.session.view is not None,
             15, "the continued game")
        sess = again.session
        assert (sess.code, sess.team, sess.view["turn"]) == (code, "peasants", 2)
        assert sess.view["timeline"] == timeline   # what was decided is there, as it was
        play_to_the_end(again, 10)
        assert again.solo.book.find(code).stage == "ended"
    finally:
        again.shutdown()


def test_deleting_a_solo_game_asks_first_and_removes_it_from_the_database(tmp_path):
    db, book = tmp_path / "solo.sqlite3", tmp_path / "solo.json"
    app = solo_app(db, book=book)
    try:
        start_from_setup(app, "brest-1918", "central", "easy")
        saved = app.solo.book.games[0]
        app.scenes.top.press("solo_menu")
        pump([app], lambda: scene_name(app) == "MenuScene", 5, "the menu")
        assert app.scenes.top.press("solo_saved") and scene_name(app) == "SoloSavedScene"
        saved_scene = app.scenes.top
        assert saved_scene.press("delete_0") and {"delete_yes", "cancel"} <= set(saved_scene.actions)
        assert shown(app, "cannot be undone")
        assert saved_scene.press("cancel") and len(app.solo.book.games) == 1   # cancelled: nothing lost
        assert saved_scene.press("delete_0") and saved_scene.press("delete_yes")
        pump([app], lambda: saved_scene.errand is None, 10, "the deletion")
        assert app.solo.book.games == [] and SoloBook(book).games == []
        assert "resume_0" not in saved_scene.actions and shown(app, "No solo game")
        # the database no longer has it: its host token is refused
        probe = InProcessTransport(app.solo.factory.server, {"type": "resume", "token": saved.host_token})
        deadline, got = time.monotonic() + 5, []
        while time.monotonic() < deadline and not any(m.get("type") == "error" for m in got):
            got += probe.poll()
            time.sleep(0.01)
        assert any(m.get("code") == "auth/bad_token" for m in got), got
        probe.close()
    finally:
        app.shutdown()


def test_crossroads_solo_opens_the_setup_with_its_choices_and_refuses_unknown_ones(tmp_path, capsys):
    assert cli_main(["solo", "--scenario", "no-such"]) == 2
    assert "brest-1918" in capsys.readouterr().err           # it names the scenarios there are
    assert cli_main(["solo", "--scenario", "genoa-rapallo", "--team", "lenin"]) == 2
    assert "poland" in capsys.readouterr().err               # and the sides of that one
    assert cli_main(["solo", "--timer", "5"]) == 2
    app = solo_app(tmp_path / "solo.sqlite3", lang="pl")
    try:
        open_solo_setup(app, "genoa-rapallo", "poland", "hard", 150)
        setup = app.scenes.top
        assert scene_name(app) == "SoloSetupScene"
        chosen = setup.options()
        assert (chosen.scenario, chosen.team, chosen.level, chosen.timer) == ("genoa-rapallo", "poland", "hard", 150)
        assert chosen.lang == "pl" and shown(app, "Polska") and shown(app, "Trudny")
        assert shown(app, "1922–1924")   # the years of each scenario
        setup.press("timer_down")
        setup.press("timer_down")
        while setup.press("timer_down"):
            pass
        assert setup.options().timer is None and shown(app, "Bez limitu czasu")
        setup.back()
        assert scene_name(app) == "MenuScene"
    finally:
        app.shutdown()


def test_a_solo_campaign_lesson_leads_to_the_next_with_the_players_table(tmp_path):
    """Play solo → the campaign → lesson 4 (war communism or NEP, from history's state) as Lenin against
    historical bots, to the end; the debrief's *Next lesson of the campaign* starts Genoa, the player
    at their table's seat (the Soviet delegation), the same bots, the end of lesson 4 carried."""
    app = solo_app(tmp_path / "solo.sqlite3")
    try:
        assert app.scenes.top.press("solo")
        setup = app.scenes.top
        assert setup.press("campaign_rozdroza-1917-1922")
        for _ in range(3):
            assert setup.press("campaign_up")
        assert setup.scenario.id == "war-communism-nep"
        assert setup.press("team_lenin") and setup.press("level_historical") and setup.press("start")
        pump([app], lambda: scene_name(app) == "GameScene" and app.session.phase == Phase.DELIBERATION, 20,
             "the campaign lesson's first vote")
        assert app.session.config["campaign"]["step"] == 3
        play_to_the_end(app, 10)
        assert "Campaign: lesson 4 of 5" in "\n".join(texts(app))
        assert app.scenes.top.press("campaign_next")
        pump([app], lambda: scene_name(app) == "GameScene" and app.session.phase == Phase.DELIBERATION
             and app.session.config.get("campaign", {}).get("step") == 4, 30, "Genoa, lesson 5")
        assert app.session.team == "soviet" and app.session.info["scenario"]["id"] == "genoa-rapallo"
        assert [p["scenario"] for p in app.session.config["campaign"]["path"]] == ["war-communism-nep"]
        assert app.solo.game.saved.level == "historical"
    finally:
        app.shutdown()
