"""Deleting and duplicating a saved lesson by its host token, also once it is only in the store."""

from __future__ import annotations

from pathlib import Path

from tests.server.harness import Harness


def test_a_finished_lesson_is_duplicated_after_a_restart_with_its_settings_and_nothing_else(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    h = Harness(db)
    host, code, token = h.game(timer=120, formation="free", auto_resolve=False)
    h.join(code, "Ania", "hawks")
    h.ok(host, "start")
    h.ok(host, "end")
    config = dict(h.session(code).config)
    h2 = Harness(db)  # the next day: ended lessons are not restored into memory
    h2.master.restore()
    assert code not in h2.master.sessions
    conn = h2.connect()
    reply = h2.ok(conn, "duplicate_session", token=token)
    assert reply["type"] == "session_created" and reply["code"] != code and reply["duplicate_of"] == code
    fresh = h2.session(reply["code"])
    assert fresh.config == config and fresh.scenario.id == "mini"
    assert not fresh.members and not fresh.state.log and not fresh.started
    assert h2.ok(conn, "start")["type"] == "ack"  # the connection is the copy's host
    assert h2.store.load_session(code) is not None  # the original stays


def test_deleting_a_lesson_closes_its_connections_and_empties_the_store(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    h = Harness(db)
    host, code, token = h.game()
    ania, joined = h.join(code, "Ania", "hawks")
    h.ok(host, "start")
    other = h.connect()
    assert h.send(other, "delete_session", token=joined["resume_token"])["code"] == "auth/bad_token"  # a student's
    assert code in h.master.sessions
    reply = h.ok(other, "delete_session", token=token)
    assert reply == {**reply, "type": "deleted", "code": code}
    closing = [o for o in h.sent if o.message and o.message.get("type") == "closing"]
    assert closing and set(closing[-1].to) == {host, ania} and closing[-1].message["reason"] == "deleted"
    assert code not in h.master.sessions and h.store.load_session(code) is None
    assert h.send(h.connect(), "resume", token=joined["resume_token"])["code"] == "auth/bad_token"
    assert h.send(h.connect(), "delete_session", token=token)["code"] == "auth/bad_token"  # already gone


def test_a_finished_lesson_s_export_is_fetched_by_host_token_after_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    h = Harness(db)
    host, code, token = h.game(timer=None, auto_resolve=False)
    h.join(code, "Ania", "hawks")
    h.ok(host, "start")
    h.clock.now += 5
    h.ok(host, "force_resolve")
    h.ok(host, "end")
    live = h.ok(host, "export")["data"]
    h2 = Harness(db)
    h2.master.restore()
    assert code not in h2.master.sessions
    conn = h2.connect()
    stored = h2.ok(conn, "saved_export", token=token)
    assert stored["type"] == "export"
    data = stored["data"]
    assert data["log"] == live["log"] and data["digest"] == live["digest"]  # the same game, with its times
    assert data["members"][0]["name"] == "Ania" and data["session"]["status"] == "ended"
    assert h2.send(conn, "start")["code"] == "auth/not_joined"  # fetching an export seats nobody
