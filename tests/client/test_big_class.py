"""A full classroom: 33 students with long names. In the lobby and in the teacher's in-game
players panel every student stays reachable (crowded teams page with a "+N" chip), and no
chip spills out of its team's area or over another chip."""

from __future__ import annotations

import msgpack
from websockets.sync.client import connect

from .helpers import lan_server, make_app, pump, scene_name

STUDENTS = 33


FIRST = ["Ania", "Bartek", "Celina", "Dawid", "Ewa", "Filip", "Gosia", "Hubert", "Iga", "Janek", "Kasia"]


def _join_many(port: int, code: str, n: int) -> None:
    for i in range(n):
        # a class's names: short ones, and a few as long as the server allows (24 characters)
        name = f"{FIRST[i % len(FIRST)]} {'ABCDEFGHIJKLMNOPRSTUWZ'[i % 22]}." if i % 8 else f"Maksymilian Wiśniewski {i}"
        with connect(f"ws://127.0.0.1:{port}/", compression=None) as ws:
            ws.send(msgpack.packb({"v": 1, "type": "join", "id": 1, "code": code, "name": name}))
            ws.recv(timeout=10)


def _reachable(scene, key: str) -> tuple[set[str], int]:
    """Every player a host can click in one team's chips, paging through "+N"; and the pages seen."""
    seen: set[str] = set()
    pages = 0
    while True:
        pages += 1
        seen |= {a[4:] for a in scene.actions if a.startswith("sel_")}
        if f"more_{key}" not in scene.actions or pages > 20:
            return seen, pages
        scene.press(f"more_{key}")
        if not scene.actions.get(f"more_{key}") or scene.chip_pages.get(key, 0) == 0:
            seen |= {a[4:] for a in scene.actions if a.startswith("sel_")}
            return seen, pages


def _no_overlaps(scene) -> None:
    rects = [b.get_abs_rect() for a, b in scene.actions.items() if a.startswith(("sel_", "more_"))]
    for i, r in enumerate(rects):
        assert r.collidelist(rects[i + 1:]) == -1, r


def test_every_student_of_a_big_class_is_reachable_in_the_lobby_and_in_game(tmp_path):
    host = make_app(transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    try:
        host.scenes.top.press("host")
        setup = host.scenes.top
        setup.press("form_host")  # the teacher forms the teams: everyone starts without one
        setup.press("start")
        pump([host], lambda: scene_name(host) == "LobbyScene", what="the lobby")
        _join_many(host.transport_factory.server.port, host.session.code, STUDENTS)
        pump([host], lambda: len(host.session.members_by_team().get("", [])) == STUDENTS, what="33 students")
        lobby = host.scenes.top
        lobby.resume()
        everyone = {m["player"] for m in host.session.members_by_team()[""]}
        seen, pages = _reachable(lobby, "_none")
        assert seen == everyone and pages > 1  # paged, and nobody lost
        _no_overlaps(lobby)
        column = dict(lobby.columns)[""]
        for a, b in lobby.actions.items():
            if a.startswith(("sel_", "more_")):
                assert column.contains(b.get_abs_rect()), a

        lobby.press("auto")
        pump([host], lambda: not host.session.members_by_team().get(""), what="the teams formed")
        lobby.press("start")
        pump([host], lambda: scene_name(host) == "HostPanelScene", what="the teacher's panel")
        panel = host.scenes.top
        panel.press("players")
        assert panel.players_mode
        by_team = host.session.members_by_team()
        assert sum(len(v) for v in by_team.values()) == STUDENTS
        column = panel.card_rect.union(panel.opt_rect)
        for team, members in by_team.items():
            seen, _pages = _reachable(panel, team)
            assert {m["player"] for m in members} <= seen, team
        _no_overlaps(panel)
        for a, b in panel.actions.items():
            if a.startswith(("sel_", "more_")):
                assert column.contains(b.get_abs_rect()), a
        # select one and move them: the arrows appear, and the move reaches the server
        some = next(iter(by_team["lenin"]))["player"]
        while f"sel_{some}" not in panel.actions:
            panel.press("more_lenin")
        panel.press(f"sel_{some}")
        assert panel.press("move_entente")
        pump([host], lambda: any(m["player"] == some for m in host.session.members_by_team().get("entente", [])),
             what="the move")
    finally:
        host.shutdown()
