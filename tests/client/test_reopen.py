"""Reopening a saved lesson never crashes, whatever state it was saved in: brest-1918 saved in its
lobby, at every phase of every turn, paused, ended early, ended, and ended by an older server that
stopped the clock but not the game. Resuming each from the saved list reaches the screen that fits
(lobby, teacher's panel, outcome, debrief), and the list then labels each truly.

The lessons are made by the real server's `Master` on the database the teacher's game then serves
(no sockets needed to set them up; the client reopens them over websockets)."""

from __future__ import annotations

import itertools
import sqlite3
import time

import pytest

from game.client.scenes.saved import _stage
from game.client.seats import SavedSeat, SeatBook
from game.scenarios import builtin_scenario
from game.wire import VERSION
from server.master import Master
from server.store import SqliteStore

from .helpers import lan_server, make_app, pump, scene_name, shown, texts

SCENARIO = "brest-1918"
COUNT = builtin_scenario(SCENARIO).turn_count
OPTIONS = {"scenario": SCENARIO, "lang": "pl", "timer": None, "auto_resolve": False}  # phases wait for the host
_ids = itertools.count(1)


def _send(m: Master, conn: int, kind: str, **fields) -> dict:
    """One request to the server; its reply (an error fails the test)."""
    rid = next(_ids)
    for out in m.receive(conn, {"v": VERSION, "type": kind, "id": rid, **fields}):
        msg = out.message or {}
        if msg.get("re") == rid:
            assert msg.get("type") != "error", msg
            return msg
    return {}


def _lesson(m: Master, conn: int, turn: int, phase: str, then: tuple[str, ...] = ()) -> tuple[str, str]:
    """A new lesson played by its host (nobody votes: the defaults apply) to ``phase`` of ``turn``
    (turn 0: the lobby), then ``then``'s commands; (code, host token)."""
    created = _send(m, conn, "create_session", **OPTIONS)
    code, token = created["code"], created["host_token"]
    if turn:
        _send(m, conn, "start")  # the lobby was turn 1's briefing: this opens its vote
        s = m.sessions[code]
        while (s.state.turn, str(s.state.phase)) != (turn, phase):
            _send(m, conn, "force_resolve" if s.state.phase == "deliberation" else "advance")
    for kind in then:
        _send(m, conn, kind)
    return code, token


def _make_lessons(tmp_path, points) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Every (turn, phase, then, label, scene) of ``points`` saved in tmp_path/lessons.sqlite3:
    code -> (label, scene) and code -> host token."""
    store = SqliteStore(str(tmp_path / "lessons.sqlite3"))
    m = Master(store, time.monotonic)
    expected, tokens = {}, {}
    for conn, (turn, phase, then, label, scene) in enumerate(points, start=1):
        m.connect(conn, "127.0.0.1")
        code, token = _lesson(m, conn, turn, phase, then)
        expected[code], tokens[code] = (label, scene), token
    store.close()
    return expected, tokens


def _reopen_each(tmp_path, expected, tokens) -> None:
    book = SeatBook(tmp_path / "teacher" / "seats.json")
    for code, token in tokens.items():  # the seats as an older client saved them: no stage known
        book.remember(SavedSeat(code=code, role="host", token=token, address="127.0.0.1:0",
                                title={"pl": "Brześć 1918", "en": "Brest 1918"}))
    host = make_app(transport_factory=lan_server(tmp_path / "lessons.sqlite3"))
    host.lessons.seats = book
    try:
        host.scenes.top.press("host")
        host.scenes.top.press("saved")
        assert scene_name(host) == "SavedLessonsScene"
        for code, (label, scene) in expected.items():
            seat = book.find(code, "host")
            host.lessons.resume(seat)
            pump([host], lambda code=code, scene=scene: host.session is not None and host.session.code == code
                 and host.session.view is not None and scene_name(host) == scene, what=f"lesson {code} on {scene}")
            assert host.transport_factory.host()  # the embedded server is still up
            assert _stage(book.find(code, "host")) == label, code
            if scene == "DebriefScene":
                want = "Gra zakończona" if "przed czasem" in label else "Zakończenie:"
                assert shown(host, want), (code, texts(host))
            host.leave_to_menu()
            pump([host], lambda: scene_name(host) == "MenuScene")
        host.scenes.top.press("host")
        host.scenes.top.press("saved")  # the list, as the teacher sees it afterwards
        for seat in host.scenes.top.seats:
            assert shown(host, expected[seat.code][0])
    finally:
        host.shutdown()


@pytest.mark.parametrize("turns", [range(1, 5), range(5, COUNT + 1)], ids=["turns 1-4", f"turns 5-{COUNT}"])
def test_lessons_saved_at_every_phase_of_every_turn_reopen_where_they_stopped(tmp_path, turns):
    points = [(0, "briefing", (), "nierozpoczęta", "LobbyScene")] if turns[0] == 1 else []
    for turn in turns:
        for phase, scene in (("briefing", "HostPanelScene"), ("deliberation", "HostPanelScene"),
                             ("outcome", "OutcomeScene")):
            if (turn, phase) != (1, "briefing"):  # turn 1's briefing is the lobby
                points.append((turn, phase, (), f"tura {turn} z {COUNT}", scene))
    _reopen_each(tmp_path, *_make_lessons(tmp_path, points))


def test_paused_ended_early_and_ended_lessons_reopen_paused_or_on_their_debrief(tmp_path):
    points = [
        (2, "deliberation", ("pause",), f"tura 2 z {COUNT}", "HostPanelScene"),
        (3, "briefing", ("end",), f"zakończona przed czasem w turze 3 z {COUNT}", "DebriefScene"),
        (5, "outcome", ("end",), f"zakończona przed czasem w turze 5 z {COUNT}", "DebriefScene"),
        (COUNT, "outcome", ("advance",), "zakończona", "DebriefScene"),
        (1, "deliberation", (), f"zakończona przed czasem w turze 1 z {COUNT}", "DebriefScene"),
    ]
    expected, tokens = _make_lessons(tmp_path, points)
    # the last one as an older server left its "end the game": marked ended, the game still at turn 1's vote
    old = list(expected)[-1]
    with sqlite3.connect(tmp_path / "lessons.sqlite3") as db:
        db.execute("UPDATE sessions SET status='ended' WHERE code=?", (old,))
    _reopen_each(tmp_path, expected, tokens)
