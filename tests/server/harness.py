"""A socket-free harness around ``Master``: a fake clock and numbered connections."""

from __future__ import annotations

import itertools
from typing import Any

from game.wire import apply_patch, expand_view
from server.master import Master, Outgoing
from server.store import SqliteStore

from .conftest import scenarios


class FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Harness:
    def __init__(self, db: str = ":memory:", clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.store = SqliteStore(db)
        self.master = Master(self.store, self.clock, scenarios=scenarios)
        self.ids = itertools.count(1)
        self.conns = itertools.count(1)
        self.sent: list[Outgoing] = []

    def connect(self, address: str = "10.0.0.1") -> int:
        conn = next(self.conns)
        self.master.connect(conn, address)
        return conn

    def send(self, conn: int, kind: str, **fields: Any) -> dict[str, Any]:
        """Send a request; return its reply (``ack``, a typed reply or ``error``)."""
        rid = next(self.ids)
        out = self.master.receive(conn, {"v": 1, "type": kind, "id": rid, **fields})
        out += self.master.flush()
        self.sent += out
        replies = [o.message for o in out if o.message is not None and o.message.get("re") == rid and conn in o.to]
        builds = [o.build() for o in out if o.build is not None]
        replies += [b for b in builds if b.get("re") == rid]
        assert len(replies) == 1, out
        return replies[0]

    def ok(self, conn: int, kind: str, **fields: Any) -> dict[str, Any]:
        reply = self.send(conn, kind, **fields)
        assert reply["type"] != "error", reply
        return reply

    def tick(self, seconds: float) -> None:
        self.clock.now += seconds
        self.sent += self.master.tick() + self.master.flush()

    def held(self, conn: int) -> dict[str, Any]:
        """The view ``conn`` holds, texts expanded, rebuilt from every message it was sent."""
        wire: dict[str, Any] | None = None
        state_id = None
        for o in self.sent:
            m = o.message
            if m is None or conn not in o.to:
                continue
            if m["type"] == "view":
                wire, state_id = m["view"], m["state_id"]
            elif m["type"] == "update":
                assert wire is not None and m["base"] == state_id, (m["base"], state_id)
                wire, state_id = apply_patch(wire, m["patch"]), m["state_id"]
        assert wire is not None, f"connection {conn} was sent no view"
        return {**expand_view(wire), "state_id": state_id}

    def session(self, code: str):
        return self.master.sessions[code]

    def digest(self, code: str) -> tuple[Any, ...]:
        s = self.session(code)
        members = tuple(sorted((m.player, m.name, m.team) for m in s.members.values()))
        return (s.state.digest(), members, s.timer, s.status, s.started, s.seq)

    def game(self, scenario: str = "mini", **config: Any) -> tuple[int, str, str]:
        """A session: returns (host connection, join code, host token)."""
        host = self.connect()
        reply = self.ok(host, "create_session", scenario=scenario, **config)
        return host, reply["code"], reply["host_token"]

    def join(self, code: str, name: str, team: str | None = None) -> tuple[int, dict[str, Any]]:
        conn = self.connect()
        reply = self.ok(conn, "join", code=code, name=name)
        if team is not None and reply["team"] != team:
            self.ok(conn, "pick_team", team=team)
        return conn, reply
