"""Where sessions live between processes: a small ``Store`` interface and SQLite.

The Master calls ``save`` *before* it acknowledges anything, so an ``ack`` means
the change is in the database.  ``SqliteStore`` runs SQLite in WAL mode with
``synchronous=NORMAL``: a commit is in the OS page cache when ``save`` returns,
which survives the server process being killed (``kill -9``, a crash); only an
OS crash or power loss can lose the last commits (``FULL`` would fsync each
one, ~1-10 ms on a laptop disk, for a risk the classroom does not have: a
laptop losing power loses its clients' connections too).  See docs/architecture.md.

A networked store (PostgreSQL, Redis) implements the same methods.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from game.wire import SessionStatus
from server.errors import StorageError


@dataclass(frozen=True, slots=True)
class TimerRecord:
    """A session's clock: ``deadline`` is absolute server time (``time.time()``)."""

    phase_ends: str | None = None  # what happens at the deadline: "advance" / "resolve" / None
    deadline: float | None = None  # running: when it fires
    paused: bool = False
    remaining: float | None = None  # paused: seconds left when it was paused


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A session member as stored: a student (``bot`` None) or a bot of level ``bot`` (no token:
    ``token_hash`` is empty, nobody can resume a bot's seat)."""

    player: str
    name: str
    team: str | None
    token_hash: str
    joined_at: float = 0.0
    bot: str | None = None


@dataclass(frozen=True, slots=True)
class LoggedDecision:
    seq: int  # 1-based position in the session's log
    state_id: int  # the engine's state_id after applying it
    decision: dict[str, Any]  # Decision.to_wire()
    at: float = 0.0


@dataclass(frozen=True, slots=True)
class SessionRecord:
    code: str
    scenario: str
    seed: int
    config: dict[str, Any]
    host_token_hash: str
    created_at: float
    status: str = SessionStatus.OPEN.value  # SessionStatus: "open" | "ended"
    started: bool = False
    timer: TimerRecord = field(default_factory=TimerRecord)


@dataclass(frozen=True, slots=True)
class SessionSnapshot:
    record: SessionRecord
    members: list[MemberRecord]
    log: list[LoggedDecision]


class Store(Protocol):
    """Durable sessions.  Every method either completes or raises ``StorageError``."""

    def create_session(self, record: SessionRecord) -> None: ...

    def save(
        self,
        code: str,
        *,
        decisions: Sequence[LoggedDecision] = (),
        members: Sequence[MemberRecord] = (),
        removed: Sequence[str] = (),
        timer: TimerRecord | None = None,
        started: bool | None = None,
        status: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> None:
        """Apply all of it in one transaction; durable when it returns (``config`` replaces the
        session's settings whole)."""
        ...

    def load_sessions(self, *, include_ended: bool = False) -> list[SessionSnapshot]: ...

    def load_session(self, code: str) -> SessionSnapshot | None: ...

    def find_host(self, host_token_hash: str) -> str | None:
        """The code of the session (open or ended) this host token hash belongs to, or None."""
        ...

    def delete_session(self, code: str) -> bool:
        """Remove the session, its members and its log in one transaction; False if there was none."""
        ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    code TEXT PRIMARY KEY,
    scenario TEXT NOT NULL,
    seed INTEGER NOT NULL,
    config TEXT NOT NULL,
    host_token_hash TEXT NOT NULL,
    created_at REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    started INTEGER NOT NULL DEFAULT 0,
    phase_ends TEXT,
    deadline REAL,
    paused INTEGER NOT NULL DEFAULT 0,
    remaining REAL
);
CREATE TABLE IF NOT EXISTS members (
    code TEXT NOT NULL REFERENCES sessions(code),
    player TEXT NOT NULL,
    name TEXT NOT NULL,
    team TEXT,
    token_hash TEXT NOT NULL,
    joined_at REAL NOT NULL,
    bot TEXT,
    PRIMARY KEY (code, player)
);
CREATE TABLE IF NOT EXISTS decisions (
    code TEXT NOT NULL REFERENCES sessions(code),
    seq INTEGER NOT NULL,
    state_id INTEGER NOT NULL,
    decision TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (code, seq)
);
"""

#: Columns added since the first schema: (table, column, its definition). An older database gets
#: them by ``ALTER TABLE`` when it is opened (``_migrate``); rows it holds read as the default.
_ADDED_COLUMNS = (
    ("members", "bot", "TEXT"),  # the bot's level; NULL for a student
)


def _migrate(db: sqlite3.Connection) -> None:
    """Bring a database written by an older server up to ``_SCHEMA`` (adds what is missing)."""
    for table, column, definition in _ADDED_COLUMNS:
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


class SqliteStore:
    """One SQLite file (WAL, synchronous=NORMAL); safe to call from one thread at a time."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            _migrate(self._db)
        except sqlite3.Error as exc:
            raise StorageError("server/storage", f"cannot open {self.path}: {exc}") from exc

    def create_session(self, record: SessionRecord) -> None:
        t = record.timer
        self._transaction(
            [
                (
                    "INSERT INTO sessions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        record.code, record.scenario, record.seed, json.dumps(record.config),
                        record.host_token_hash, record.created_at, record.status, int(record.started),
                        t.phase_ends, t.deadline, int(t.paused), t.remaining,
                    ),
                )
            ]
        )

    def save(
        self,
        code: str,
        *,
        decisions: Sequence[LoggedDecision] = (),
        members: Sequence[MemberRecord] = (),
        removed: Sequence[str] = (),
        timer: TimerRecord | None = None,
        started: bool | None = None,
        status: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> None:
        stmts: list[tuple[str, tuple[Any, ...]]] = []
        for d in decisions:
            stmts.append(
                (
                    "INSERT INTO decisions VALUES (?,?,?,?,?)",
                    (code, d.seq, d.state_id, json.dumps(d.decision, separators=(",", ":")), d.at),
                )
            )
        for m in members:
            stmts.append(
                (
                    "INSERT OR REPLACE INTO members (code, player, name, team, token_hash, joined_at, bot)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (code, m.player, m.name, m.team, m.token_hash, m.joined_at, m.bot),
                )
            )
        for player in removed:
            stmts.append(("DELETE FROM members WHERE code=? AND player=?", (code, player)))
        if timer is not None:
            stmts.append(
                (
                    "UPDATE sessions SET phase_ends=?, deadline=?, paused=?, remaining=? WHERE code=?",
                    (timer.phase_ends, timer.deadline, int(timer.paused), timer.remaining, code),
                )
            )
        if started is not None:
            stmts.append(("UPDATE sessions SET started=? WHERE code=?", (int(started), code)))
        if status is not None:
            stmts.append(("UPDATE sessions SET status=? WHERE code=?", (status, code)))
        if config is not None:
            stmts.append(("UPDATE sessions SET config=? WHERE code=?", (json.dumps(config), code)))
        if stmts:
            self._transaction(stmts)

    def _transaction(self, stmts: list[tuple[str, tuple[Any, ...]]]) -> None:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for sql, args in stmts:
                        self._db.execute(sql, args)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError("server/storage", f"could not save: {exc}") from exc

    def load_sessions(self, *, include_ended: bool = False) -> list[SessionSnapshot]:
        with self._lock:
            where = "" if include_ended else " WHERE status != 'ended'"
            codes = [row[0] for row in self._db.execute("SELECT code FROM sessions" + where + " ORDER BY created_at")]
        return [snap for code in codes if (snap := self.load_session(code)) is not None]

    def load_session(self, code: str) -> SessionSnapshot | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM sessions WHERE code=?", (code,)).fetchone()
            if row is None:
                return None
            (code, scenario, seed, config, host_hash, created, status, started,
             phase_ends, deadline, paused, remaining) = row
            record = SessionRecord(
                code=code, scenario=scenario, seed=seed, config=json.loads(config),
                host_token_hash=host_hash, created_at=created, status=status, started=bool(started),
                timer=TimerRecord(phase_ends, deadline, bool(paused), remaining),
            )
            members = [
                MemberRecord(player, name, team, token, joined, bot)
                for player, name, team, token, joined, bot in self._db.execute(
                    "SELECT player, name, team, token_hash, joined_at, bot FROM members WHERE code=?"
                    " ORDER BY joined_at, player",
                    (code,),
                )
            ]
            log = [
                LoggedDecision(seq, state_id, json.loads(decision), at)
                for seq, state_id, decision, at in self._db.execute(
                    "SELECT seq, state_id, decision, at FROM decisions WHERE code=? ORDER BY seq", (code,)
                )
            ]
        return SessionSnapshot(record, members, log)

    def find_host(self, host_token_hash: str) -> str | None:
        with self._lock:
            try:
                row = self._db.execute("SELECT code FROM sessions WHERE host_token_hash=?",
                                       (host_token_hash,)).fetchone()
            except sqlite3.Error as exc:
                raise StorageError("server/storage", f"could not read: {exc}") from exc
        return None if row is None else str(row[0])

    def delete_session(self, code: str) -> bool:
        with self._lock:
            try:
                found = self._db.execute("SELECT 1 FROM sessions WHERE code=?", (code,)).fetchone()
            except sqlite3.Error as exc:
                raise StorageError("server/storage", f"could not read: {exc}") from exc
        if found is None:
            return False
        self._transaction([
            ("DELETE FROM decisions WHERE code=?", (code,)),
            ("DELETE FROM members WHERE code=?", (code,)),
            ("DELETE FROM sessions WHERE code=?", (code,)),
        ])
        return True

    def close(self) -> None:
        with self._lock:
            self._db.close()
