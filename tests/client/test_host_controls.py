"""The host's controls against a real server: rename, captain, kick (lobby and in game), export."""

from __future__ import annotations

import json

import pygame
import pygame_gui
import pytest

from game.client import exporter

from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts

SCENARIO = "brest-1918"


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


@pytest.fixture
def lobby(tmp_path):
    """A host in the lobby of brest-1918 with Ania (in Lenin's faction) and Bartek (no team)."""
    host = make_app(transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    ania, bartek = make_app(), make_app()
    apps = [host, ania, bartek]
    host.scenes.top.press("host")
    setup = host.scenes.top
    setup.press(f"scenario_{SCENARIO}")
    setup.press("start")
    pump(apps, lambda: scene_name(host) == "LobbyScene", what="the host's lobby")
    for app, name in ((ania, "Ania"), (bartek, "Bartek")):
        app.scenes.top.press("join")
        app.scenes.top.set_fields(address=address_of(host), code=host.session.code, name=name)
        app.scenes.top.press("join")
    pump(apps, lambda: scene_name(ania) == scene_name(bartek) == "LobbyScene"
         and sum(len(v) for v in host.session.members_by_team().values()) == 2, what="both students joined")
    ania.scenes.top.press("pick_lenin")
    pump(apps, lambda: ania.session.team == "lenin" and host.scenes.top.member(ania.session.player) is not None
         and host.scenes.top.team_of(ania.session.player) == "lenin", what="Ania in a team")
    yield host, ania, bartek, apps
    for a in apps:
        a.shutdown()


def names(app) -> set[str]:
    return {m["name"] for ms in app.session.members_by_team().values() for m in ms}


def test_lobby_rename_captain_and_kick(lobby):
    host, ania, bartek, apps = lobby
    top = host.scenes.top
    aid, bid = ania.session.player, bartek.session.player

    # rename, by keyboard: the dialog opens with the field focused, Enter saves
    assert top.press(f"sel_{bid}")
    assert top.press("p_rename")
    assert top.dialog == ("rename", bid) and top.rename_entry.is_focused
    assert "sel_" + aid not in top.actions                       # the dialog is modal
    top.rename_entry.set_text("Bartosz")
    host.step([key(pygame.K_RETURN)])
    finished = pygame.event.get(pygame_gui.UI_TEXT_ENTRY_FINISHED)
    assert finished
    host.step(finished)
    pump(apps, lambda: "Bartosz" in names(host) and "Bartosz" in names(ania), what="the new name everywhere")
    assert shown(host, "Bartosz") and shown(ania, "Bartosz")
    assert host.scenes.top.dialog is None

    # Esc cancels a rename
    top = host.scenes.top
    top.press("p_rename")
    host.step([key(pygame.K_ESCAPE)])
    assert host.scenes.top.dialog is None

    # captain: the mark next to the name, for the host and in Ania's own lobby
    top.press(f"sel_{bid}")                                      # deselect Bartek…
    assert top.press(f"sel_{aid}")                              # …select Ania
    assert top.press("p_captain")
    pump(apps, lambda: host.session.captain("lenin") == aid and ania.session.captain("lenin") == aid,
         what="Ania is captain")
    assert shown(host, "★ Ania")
    assert shown(ania, "★ Ania (ty)")
    assert host.scenes.top.actions["p_captain"].text == "Odbierz kapitaństwo"
    assert host.scenes.top.press("p_captain")                   # pressed again: no captain
    pump(apps, lambda: host.session.captain("lenin") is None, what="no captain")

    # kick: a confirmation first; then Bartosz's client is back at its menu, and the lobby forgets him
    top = host.scenes.top
    top.press(f"sel_{aid}")
    top.press(f"sel_{bid}")
    assert top.press("p_kick")
    assert shown(host, "Usunąć: Bartosz?")
    assert top.press("p_cancel") and "Bartosz" in names(host)
    top.press("p_kick")
    assert top.press("p_kick_ok")
    pump(apps, lambda: scene_name(bartek) == "MenuScene" and "Bartosz" not in names(host)
         and "Bartosz" not in names(ania), what="Bartosz kicked")
    assert bartek.session is None and bartek.transport is None
    assert shown(bartek, "Nauczyciel usunął cię z lekcji.")
    assert not shown(host, "Bartosz") and not shown(ania, "Bartosz")


def test_in_game_players_panel_and_export(lobby, tmp_path, monkeypatch):
    host, ania, bartek, apps = lobby
    docs = tmp_path / "Documents"
    monkeypatch.setattr(exporter, "user_documents_dir", lambda: str(docs))
    bartek.scenes.top.press("pick_central")
    pump(apps, lambda: bartek.session.team == "central", what="Bartek in a team")
    host.scenes.top.press("start")
    pump(apps, lambda: scene_name(host) == "HostPanelScene" and scene_name(ania) == "GameScene",
         what="the game")
    vote = next(a for a in ania.scenes.top.actions if a.startswith("vote_"))
    assert ania.scenes.top.press(vote)
    pump(apps, lambda: any(((ania.session.view or {}).get("team") or {}).get("votes", {}).values()),
         what="Ania's vote")

    # "Players and teams": select Bartek, make him captain, rename him — all from the panel
    panel = host.scenes.top
    assert panel.press("players")
    bid = bartek.session.player
    assert panel.press(f"sel_{bid}")
    assert {"p_rename", "p_captain", "p_kick"} <= set(panel.actions)
    assert panel.press("p_captain")
    pump(apps, lambda: host.session.captain("central") == bid, what="Bartek captain")
    panel = host.scenes.top
    assert panel.players_mode and any(b.text == "★ Bartek" for b in panel.actions.values())
    assert panel.press("p_rename")
    panel.rename_entry.set_text("Bartek K.")
    assert panel.press("p_rename_ok")
    pump(apps, lambda: "Bartek K." in names(host), what="renamed in game")

    # export: the reply is written as JSON under <documents>/Crossroads/, and the path is shown
    assert host.scenes.top.press("export")
    pump(apps, lambda: bool(host.lessons.exported), what="the export file")
    path = host.lessons.exported[-1]
    assert path.startswith(str(docs / "Crossroads"))
    assert path.endswith(".html") and host.session.code in path  # the report; its CSV and JSON beside it
    with open(path, encoding="utf-8") as f:
        assert "Bartek K." in f.read()
    with open(path[:-len(".html")] + ".json", encoding="utf-8") as f:
        data = json.load(f)["data"]
    assert data["log"]
    assert {m["name"] for m in data["members"]} == {"Ania", "Bartek K."}
    assert data["session"]["code"] == host.session.code
    assert any(path in t for t in texts(host))                  # the banner names the file
    # keyboard: the panel's buttons (export included) are reachable with Tab
    host.scenes.top.press("players")
    reached = set()
    for _ in range(30):
        host.step([key(pygame.K_TAB)])
        el = host.scenes.top.focused()
        reached.add(host.scenes.top._by_element.get(id(el)))
    assert {"export", "players"} <= reached
