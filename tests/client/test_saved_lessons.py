"""A lesson survives the teacher closing the game: the next day it is resumed from the saved list,
with its code, its students' seats and every vote; a student's restarted game takes its old seat."""

from __future__ import annotations

import json
import os
import stat

from game.client.seats import SeatBook

from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts


def _host(tmp_path, book):
    host = make_app(transport_factory=lan_server(tmp_path / "lessons.sqlite3"))
    host.lessons.seats = book
    return host


def _join(app, host, code, name="Ania"):
    assert app.scenes.top.press("join")
    app.scenes.top.set_fields(address=address_of(host), code=code, name=name)
    assert app.scenes.top.press("join")


def test_a_lesson_is_resumed_the_next_day_from_the_saved_list(tmp_path):
    book_path = tmp_path / "teacher" / "seats.json"
    host, ania = _host(tmp_path, SeatBook(book_path)), make_app()
    apps = [host, ania]
    try:
        host.scenes.top.press("host")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", what="the lobby")
        code = host.session.code
        _join(ania, host, code)
        pump(apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.player is not None)
        assert ania.scenes.top.press("pick_lenin")
        pump(apps, lambda: ania.session.team == "lenin" and shown(host, "Ania"), what="Ania in her team")
        assert host.scenes.top.press("start")
        pump(apps, lambda: ania.session.phase == "deliberation", what="the vote")
        assert ania.scenes.top.press("vote_talk_and_wait")
        # the only student has voted: the turn closes at once
        pump(apps, lambda: host.session.phase == "outcome", what="the vote reaching the host")
        before = (host.session.view["turn"], host.session.view["phase"], host.session.view["timeline"])
    finally:
        for a in apps:
            a.shutdown()  # the teacher closes the game; the in-process server stops with it

    saved = json.loads(book_path.read_text(encoding="utf-8"))
    assert [(s["code"], s["role"]) for s in saved] == [(code, "host")]
    assert (saved[0]["stage"], saved[0]["turn"], saved[0]["turn_count"]) == ("playing", 1, 9)
    assert stat.S_IMODE(os.stat(book_path).st_mode) == 0o600  # the host token is a secret

    # the next day: a new game process, the same computer
    host = _host(tmp_path, SeatBook(book_path))
    try:
        host.scenes.top.press("host")
        assert shown(host, "Wznów zapisaną lekcję (1)")
        assert host.scenes.top.press("saved")
        assert scene_name(host) == "SavedLessonsScene" and shown(host, code)
        assert shown(host, "tura 1 z 9")  # how far the lesson got, as the teacher left it
        assert host.scenes.top.press("resume_0")
        pump([host], lambda: host.session is not None and host.session.view is not None, what="the resumed lesson")
        assert host.session.code == code and host.session.role == "host"
        view = host.session.view
        assert (view["turn"], view["phase"], view["timeline"]) == before  # exactly where it stopped
        armistice = next(c for c in view["timeline"][0]["cards"] if c["card"] == "armistice")
        assert armistice["team_choices"]["lenin"] == "talk_and_wait"  # yesterday's vote
    finally:
        host.shutdown()


def test_a_restarted_student_game_takes_its_old_seat_and_a_stale_one_joins_anew(tmp_path):
    host, ania = _host(tmp_path, SeatBook(None)), make_app()
    ania.lessons.seats = SeatBook(tmp_path / "student" / "seats.json")
    apps = [host, ania]
    try:
        host.scenes.top.press("host")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene")
        code = host.session.code
        _join(ania, host, code)
        pump(apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.player is not None)
        player = ania.session.player
        ania.shutdown()

        again = make_app()  # the student's game restarted: same computer, same seat book
        again.lessons.seats = SeatBook(tmp_path / "student" / "seats.json")
        apps = [host, again]
        _join(again, host, code.lower())  # typed in lower case
        pump(apps, lambda: again.session is not None and again.session.player is not None, what="the seat")
        assert again.session.player == player
        members = [m["name"] for ms in host.session.members_by_team().values() for m in ms]
        assert members == ["Ania"]  # the same member, not a second Ania
        again.shutdown()

        # a seat the server no longer honours (the token was revoked): a fresh join, not a dead end
        stale = make_app()
        stale.lessons.seats = SeatBook(tmp_path / "student" / "seats.json")
        stale.lessons.seats.seats[0].token = "r" * 43  # looks like a token; the server does not know it
        apps = [host, stale]
        _join(stale, host, code, name="Ania")
        pump(apps, lambda: stale.session is not None and stale.session.player not in (None, player),
             what="a new seat after the stale one was refused")
        assert stale.lessons.seats.find(code, "player").token == stale.session.resume_token
        stale.shutdown()
    finally:
        host.shutdown()


def test_the_saved_list_marks_finished_lessons_and_reads_older_books(tmp_path):
    from game.client.seats import SavedSeat

    path = tmp_path / "seats.json"
    path.write_text(json.dumps([{"code": "ABC234", "role": "host", "token": "t", "address": "127.0.0.1:1",
                                 "saved_at": "2026-11-20T09:00", "unknown_field": 1}]), encoding="utf-8")
    book = SeatBook(path)  # written by an older version: no stage, and a field this one does not know
    assert [s.code for s in book.hosted()] == ["ABC234"] and book.hosted()[0].stage == ""
    book.remember(SavedSeat(code="XYZ567", role="host", token="u", address="127.0.0.1:1"))
    assert book.progress("XYZ567", "host", "ended", 8, 8)
    assert not book.progress("XYZ567", "host", "ended", 8, 8)  # unchanged: not written again
    host = make_app()
    host.lessons.seats = SeatBook(path)
    host.scenes.top.press("host")
    host.scenes.top.press("saved")
    assert shown(host, "XYZ567") and shown(host, "zakończona") and shown(host, "ABC234")


def _a_played_lesson(tmp_path, book_path, end=False):
    """A brest-1918 lesson with one student, one turn voted (and, with `end`, the lesson ended by the
    teacher), then the game closed. Returns its code and settings."""
    host, ania = _host(tmp_path, SeatBook(book_path)), make_app()
    apps = [host, ania]
    try:
        host.scenes.top.press("host")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", what="the lobby")
        code = host.session.code
        _join(ania, host, code)
        pump(apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.player is not None)
        assert ania.scenes.top.press("pick_lenin")
        pump(apps, lambda: ania.session.team == "lenin", what="Ania in her team")
        assert host.scenes.top.press("start")
        pump(apps, lambda: ania.session.phase == "deliberation", what="the vote")
        assert ania.scenes.top.press("vote_talk_and_wait")
        pump(apps, lambda: host.session.phase == "outcome", what="the vote reaching the host")
        config = dict(host.session.info["config"])
        if end:
            host.send("end")
            pump(apps, lambda: host.session.info.get("status") == "ended", what="the lesson ended")
    finally:
        for a in apps:
            a.shutdown()
    return code, config


def test_a_saved_lesson_is_duplicated_as_a_fresh_start(tmp_path):
    book_path = tmp_path / "teacher" / "seats.json"
    code, config = _a_played_lesson(tmp_path, book_path)
    host = _host(tmp_path, SeatBook(book_path))
    try:
        host.scenes.top.press("host")
        assert host.scenes.top.press("saved")
        assert shown(host, "Od nowa")
        assert host.scenes.top.press("duplicate_0")
        pump([host], lambda: scene_name(host) == "LobbyScene" and host.session.code not in (None, code),
             timeout=20, what="the fresh copy's lobby")
        fresh = host.session
        assert fresh.info["config"] == config  # the same scenario settings and teams
        assert fresh.scenario_info["id"] == "brest-1918"
        assert fresh.members_by_team() == {} or not any(fresh.members_by_team().values())  # nobody yet
        assert not fresh.info["started"] and fresh.view["timeline"] == []  # no votes, nothing decided
        # both lessons are on the list now: the copy and the original
        assert {s.code for s in host.lessons.seats.hosted()} == {code, fresh.code}
    finally:
        host.shutdown()


def test_a_saved_lesson_is_deleted_after_a_confirmation(tmp_path):
    from server.store import SqliteStore

    book_path = tmp_path / "teacher" / "seats.json"
    code, _config = _a_played_lesson(tmp_path, book_path)
    host = _host(tmp_path, SeatBook(book_path))
    try:
        host.scenes.top.press("host")
        assert host.scenes.top.press("saved")
        scene = host.scenes.top
        assert scene.press("delete_0")
        assert shown(host, f"Na pewno usunąć lekcję {code}?")
        assert scene.press("cancel")  # changed her mind: nothing happens
        assert not shown(host, "Na pewno usunąć") and shown(host, code)
        assert [s.code for s in SeatBook(book_path).hosted()] == [code]
        assert scene.press("delete_0") and scene.press("delete_yes")
        pump([host], lambda: scene.errand is None, timeout=20, what="the deletion")
        assert shown(host, f"Lekcja {code} usunięta.") and not shown(host, "Na pewno")
        assert SeatBook(book_path).hosted() == []  # gone from this computer's list
        assert "resume_0" not in scene.actions
    finally:
        host.shutdown()
    store = SqliteStore(tmp_path / "lessons.sqlite3")
    try:
        assert store.load_session(code) is None  # and from the server's database: votes, seats, log
    finally:
        store.close()


def test_a_finished_lesson_is_replayed_turn_by_turn_from_the_saved_list(tmp_path):
    book_path = tmp_path / "teacher" / "seats.json"
    code, _config = _a_played_lesson(tmp_path, book_path, end=True)
    host = _host(tmp_path, SeatBook(book_path))  # the next day: the server restores no ended lesson
    try:
        host.scenes.top.press("host")
        assert host.scenes.top.press("saved")
        assert shown(host, "zakończona") and "replay_0" in host.scenes.top.actions
        assert host.scenes.top.press("replay_0")
        pump([host], lambda: scene_name(host) == "ReplayScene", timeout=20, what="the replay")
        assert host.session is None  # a replay is no lesson: nobody is seated anywhere
        assert shown(host, f"Powtórka lekcji {code}") and shown(host, "Tura 1 z 9")
        assert shown(host, "Rozejm na froncie wschodnim")
        assert shown(host, "Przyjąć rozejm i zacząć rozmowy, ale nie spieszyć się z podpisem.")  # Ania's choice
        assert any(t.startswith("W naszej grze:") for t in texts(host))
        assert any(t.startswith("Naprawdę:") for t in texts(host))
        assert any(t.startswith("„17 XII 1917") for t in texts(host))  # the source's words
        assert not host.scenes.top.press("prev")  # the first step
        assert host.scenes.top.press("next")
        assert shown(host, "Zakończenie") and shown(host, "Lekcja skończyła się przed końcem gry.")
        assert not host.scenes.top.press("next")  # the last step
        assert host.scenes.top.press("back")
        assert scene_name(host) == "SavedLessonsScene"
    finally:
        host.shutdown()
