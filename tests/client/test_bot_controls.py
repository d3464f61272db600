"""The host's bot controls: "+ Bot" per team in the lobby (with its level), the bot in the team lists
of the lobby and the projector, "Remove bot", the host panel's players mode, and host setup's
"teams without students" (bots of a level in every empty team at the start)."""

from __future__ import annotations

from game.client.transport import InProcessFactory, LocalServer
from game.wire import Role

from .classroom import classroom, start
from .helpers import make_app, pump, scene_name, shown

SCENARIO = "brest-1918"


def bots_of(app, team: str) -> list[str]:
    """The levels of `team`'s bots as `app`'s session lists its members."""
    return [m["bot"] for m in app.session.members_by_team().get(team, []) if m.get("bot")]


def test_the_lobby_adds_a_bot_of_the_chosen_level_that_the_projector_shows_and_removes_it(tmp_path):
    local = LocalServer(str(tmp_path / "lesson.sqlite3")).start()
    host = make_app("en", transport_factory=InProcessFactory(local))
    screen = make_app("en", transport_factory=InProcessFactory(local))
    apps = [host, screen]
    try:
        host.scenes.top.press("host")
        host.scenes.top.press(f"scenario_{SCENARIO}")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", 10, "the lobby")
        screen.scenes.top.press("join")
        screen.scenes.top.set_fields(address=local.address, code=host.session.code)
        screen.scenes.top.press("watch")
        pump(apps, lambda: screen.session is not None and screen.session.role == Role.PROJECTOR
             and scene_name(screen) in ("LobbyScene", "ProjectorScene"), 10, "the projector")
        lobby = host.scenes.top
        assert {"bot_add_entente", "bot_level_entente"} <= set(lobby.actions)
        assert lobby.press("bot_level_entente")          # normal → hard
        assert lobby.press("bot_add_entente")
        pump(apps, lambda: bots_of(host, "entente") == ["hard"] and bots_of(screen, "entente") == ["hard"], 10,
             "the bot in the team")
        assert shown(screen, "Bot 1 · Hard")               # the projector lists it with its number and level
        lobby = host.scenes.top
        assert "bot_remove_entente" in lobby.actions and shown(host, "Bot 1 · Hard")
        assert lobby.press("bot_level_central")            # normal → hard
        assert host.scenes.top.press("bot_add_central")   # a second bot of the same level: a name of its own
        pump(apps, lambda: bots_of(host, "central") == ["hard"] and bots_of(screen, "central") == ["hard"], 10,
             "the second bot")
        assert shown(screen, "Bot 1 · Hard") and shown(screen, "Bot 2 · Hard")
        assert shown(host, "Bot 1 · Hard") and shown(host, "Bot 2 · Hard")
        lobby = host.scenes.top
        assert not [a for a in lobby.actions if a.startswith("sel_b")]   # a bot is no student to rename or move
        assert lobby.press("bot_set_entente")              # its level, pressed: the next level, the same bot
        pump(apps, lambda: bots_of(host, "entente") == ["historical"], 10, "the bot's new level")
        assert shown(screen, "Bot 1 · Historical")         # the same bot: the same number
        host.scenes.top.press("bot_remove_entente")
        pump(apps, lambda: bots_of(host, "entente") == [] and bots_of(screen, "entente") == [], 10, "no bot")
        assert "bot_add_entente" in host.scenes.top.actions and not shown(screen, "Bot 1 ·")
        assert shown(screen, "Bot 2 · Hard")
    finally:
        for a in apps:
            a.shutdown()
        local.stop()


def test_host_setup_puts_bots_of_a_level_in_every_team_left_empty_at_the_start(tmp_path):
    local = LocalServer(str(tmp_path / "fill.sqlite3")).start()
    host = make_app("en", transport_factory=InProcessFactory(local))
    ania = make_app("en", transport_factory=InProcessFactory(local))
    apps = [host, ania]
    try:
        host.scenes.top.press("host")
        setup = host.scenes.top
        assert {"fill_none", "fill_easy", "fill_hard"} <= set(setup.actions)
        assert setup.options()["fill_bots"] is None        # by default the card's default, as before
        assert setup.press("fill_easy") and setup.options()["fill_bots"] == "easy"
        setup.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", 10, "the lobby")
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=local.address, code=host.session.code, name="Ania")
        ania.scenes.top.press("join")
        pump(apps, lambda: ania.session.player is not None and scene_name(ania) == "LobbyScene", 10, "joined")
        ania.scenes.top.press("pick_lenin")
        pump(apps, lambda: ania.session.team == "lenin", 10, "a team")
        pump(apps, lambda: host.scenes.top.press("start"), 10, "Start")
        others = ("trotsky", "bukharin", "central", "entente")
        pump(apps, lambda: host.session.started and all(bots_of(host, t) == ["easy"] for t in others), 15,
             "bots in the empty teams")
        assert bots_of(host, "lenin") == []                 # Ania's team has no bot
        names = [m["name"] for t in others for m in host.session.members_by_team()[t] if m.get("bot")]
        assert names == ["Bot 1 · Easy", "Bot 2 · Easy", "Bot 3 · Easy", "Bot 4 · Easy"]  # in the team order
    finally:
        for a in apps:
            a.shutdown()
        local.stop()


def test_the_host_panel_adds_bots_during_the_game_each_under_a_name_of_its_own(tmp_path):
    room = classroom(tmp_path, SCENARIO, "pl", teams=("lenin",))
    try:
        start(room)
        host = room.host
        pump(room.apps, lambda: scene_name(host) == "HostPanelScene", 10, "the host panel")
        assert host.scenes.top.press("players")
        assert host.scenes.top.press("bot_add_central")
        room.pump(lambda: bots_of(host, "central") == ["normal"], "the bot in the game")
        assert host.scenes.top.press("bot_add_entente")
        room.pump(lambda: bots_of(host, "entente") == ["normal"], "the second bot")
        assert shown(host, "Bot 1 · Średni") and shown(host, "Bot 2 · Średni")  # both "normal", told apart
    finally:
        room.close()
