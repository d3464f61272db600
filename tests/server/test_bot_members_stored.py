"""Bot members are stored like students (a ``bot`` column, added to older databases when they are
opened), restored with their level, and solo games stay off the LAN announcement."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from server.announce import lesson_properties
from server.replies import members
from server.store import MemberRecord, SqliteStore

from .harness import FakeClock, Harness

# The members table as servers before bots wrote it (no `bot` column).
OLD_SCHEMA = """
CREATE TABLE sessions (
    code TEXT PRIMARY KEY, scenario TEXT NOT NULL, seed INTEGER NOT NULL, config TEXT NOT NULL,
    host_token_hash TEXT NOT NULL, created_at REAL NOT NULL, status TEXT NOT NULL DEFAULT 'open',
    started INTEGER NOT NULL DEFAULT 0, phase_ends TEXT, deadline REAL, paused INTEGER NOT NULL DEFAULT 0,
    remaining REAL
);
CREATE TABLE members (
    code TEXT NOT NULL REFERENCES sessions(code), player TEXT NOT NULL, name TEXT NOT NULL, team TEXT,
    token_hash TEXT NOT NULL, joined_at REAL NOT NULL, PRIMARY KEY (code, player)
);
CREATE TABLE decisions (
    code TEXT NOT NULL REFERENCES sessions(code), seq INTEGER NOT NULL, state_id INTEGER NOT NULL,
    decision TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (code, seq)
);
"""
CONFIG = ('{"lang": "pl", "teams": ["hawks", "doves", "germans"], "timer": null, "briefing": null, '
          '"formation": "free", "one_screen": false, "auto_resolve": true}')


def _old_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute("INSERT INTO sessions (code, scenario, seed, config, host_token_hash, created_at) VALUES "
               "('OLD123', 'mini', 7, ?, 'hosthash', 1000.0)", (CONFIG,))
    db.execute("INSERT INTO members VALUES ('OLD123', 'p1', 'Ania', 'hawks', 'tokenhash', 1001.0)")
    db.commit()
    db.close()


def test_an_old_database_opens_its_students_read_as_students_and_takes_bots(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    store = SqliteStore(path)
    snap = store.load_session("OLD123")
    assert snap is not None and snap.members == [MemberRecord("p1", "Ania", "hawks", "tokenhash", 1001.0, None)]
    store.save("OLD123", members=[MemberRecord("b1", "Bot · hard", "doves", "", 1002.0, "hard")])
    store.close()
    again = SqliteStore(path)  # opening a migrated database migrates nothing more
    snap = again.load_session("OLD123")
    assert snap is not None and [(m.player, m.bot) for m in snap.members] == [("p1", None), ("b1", "hard")]
    again.close()
    h = Harness(db=str(path))
    assert h.master.restore() == 1
    s = h.session("OLD123")
    assert s.members["b1"].bot == "hard" and s.bot_of("doves") is s.members["b1"]
    assert s.next_bot == 2 and s.next_player == 2
    assert ("OLD123", "b1") not in h.master.tokens.values()  # nobody can resume a bot's seat
    assert s.present() == {"hawks": ["p1"], "doves": ["b1"]}  # bots are expected to vote


def test_bots_survive_a_restart_with_their_level_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "bots.sqlite3"
    clock = FakeClock()
    h = Harness(db=str(path), clock=clock)
    host, code, _ = h.game("mini", bots={"doves": "normal", "germans": "easy"})
    h.ok(host, "add_bot", team="doves", level="hard")  # replaces the level, keeps the player
    h.store.close()
    again = Harness(db=str(path), clock=clock)
    again.master.restore()
    bots = {m.team: (m.player, m.bot) for m in again.session(code).members.values()}
    assert bots == {"doves": ("b1", "hard"), "germans": ("b2", "easy")}
    lobby = again.master.sessions[code]
    assert {m["player"]: m.get("bot") for m in members(lobby)} == {"b1": "hard", "b2": "easy"}


def test_solo_games_are_never_announced_and_are_flagged_in_exports(tmp_path: Path) -> None:
    h = Harness()
    host, solo_code, _ = h.game("mini", solo=True, bots={"doves": "easy", "germans": "easy"})
    _host2, class_code, _ = h.game("mini")
    props = lesson_properties(h.master.sessions.values())
    announced = [v.split("\x1f")[0] for k, v in props.items() if k.startswith("l")]
    assert announced == [class_code] and props["n"] == "1"
    assert h.session(solo_code).config["solo"] is True
    export = h.ok(host, "export")["data"]
    assert export["session"]["solo"] is True and export["session"]["config"]["solo"] is True
    assert {m["player"]: m.get("bot") for m in export["members"]} == {"b1": "easy", "b2": "easy"}
    duplicate = h.ok(h.connect(), "duplicate_session", token=_token_of(h, solo_code))
    copy = h.session(duplicate["code"])
    assert copy.config["solo"] is True and {m.team: m.bot for m in copy.members.values()} == {
        "doves": "easy", "germans": "easy"}


def _token_of(h: Harness, code: str) -> str:
    for o in h.sent:
        if o.message is not None and o.message.get("type") == "session_created" and o.message["code"] == code:
            return str(o.message["host_token"])
    raise AssertionError(code)
