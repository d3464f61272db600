"""The Driver's scheduling, sans-I/O: a fake wall clock for the Master, a fake monotonic one for it."""

from __future__ import annotations

import itertools
from typing import Any

from server.driver import Driver
from server.master import Master, Outgoing
from server.protocol import CLOSE_POLICY
from server.store import SqliteStore

from .conftest import scenarios
from .harness import FakeClock


class Rig:
    def __init__(self, idle_limit: float = 60.0) -> None:
        self.wall = FakeClock()
        self.mono = FakeClock(500.0)
        self.master = Master(SqliteStore(":memory:"), self.wall, scenarios=scenarios)
        self.driver = Driver(self.master, idle_limit=idle_limit, monotonic=self.mono)
        self.ids = itertools.count(1)

    def elapse(self, seconds: float, *, wall_jump: float = 0.0) -> None:
        self.mono.now += seconds
        self.wall.now += seconds + wall_jump

    def request(self, conn: int, kind: str, **fields: Any) -> tuple[dict[str, Any], list[Outgoing]]:
        rid = next(self.ids)
        out = self.driver.receive(conn, {"v": 1, "type": kind, "id": rid, **fields})
        reply = next(o.message for o in out if o.message is not None and o.message.get("re") == rid)
        assert reply["type"] != "error", reply
        return reply, out

    def timed_vote(self) -> tuple[int, str]:
        """A host and one hawk in a mini session with a 120 s vote, started: the vote is open."""
        host, student = 1, 2
        self.driver.connect(host, "10.0.0.1")
        code = self.request(host, "create_session", scenario="mini", timer=120, briefing=None, formation="auto",
                            auto_resolve=False)[0]["code"]
        self.driver.connect(student, "10.0.0.2")
        self.request(student, "join", code=code, name="Ala")
        self.request(host, "start")
        assert self.master.sessions[code].state.phase == "deliberation"
        return host, code


def kinds(out: list[Outgoing]) -> list[str]:
    return [o.message["type"] for o in out if o.message is not None]


def test_a_phase_change_is_pushed_with_the_reply_and_vote_counts_wait_for_their_batch() -> None:
    rig = Rig()
    host, _code = rig.timed_vote()
    _reply, out = rig.request(2, "vote", card="talks", option="sign")
    assert kinds(out) == ["ack"]  # the vote count is batched
    wait = rig.driver.wake_in()
    assert wait is not None and 0 < wait <= rig.master.batch_delay
    assert rig.driver.poll() == []  # not due yet
    rig.elapse(wait)
    assert "update" in kinds(rig.driver.poll())
    _reply, out = rig.request(host, "force_resolve")
    assert kinds(out)[0] == "ack" and "update" in kinds(out) and "timer" in kinds(out)  # at once, after the ack


def test_the_deadline_fires_on_the_monotonic_clock_and_closes_the_vote() -> None:
    rig = Rig()
    _host, code = rig.timed_vote()
    assert abs(rig.driver.wake_in() - 120) < 1e-6
    rig.elapse(119)
    rig.driver.poll()
    assert rig.master.sessions[code].state.phase == "deliberation"
    rig.elapse(1)
    out = rig.driver.poll()
    assert rig.master.sessions[code].state.phase == "outcome" and "update" in kinds(out)
    assert rig.driver.wake_in() is None  # untimed outcome: nothing left to wake for


def test_a_wall_clock_jump_does_not_close_the_vote_and_clock_jumped_moves_the_deadline() -> None:
    """A closed lid: the wall clock moves on 600 s, the monotonic clock stands still. A poll in
    between (a batch of votes falling due) must not fire the vote's deadline from the wall clock."""
    rig = Rig()
    _host, code = rig.timed_vote()
    rig.request(2, "vote", card="talks", option="sign")  # a batch is pending
    rig.elapse(0, wall_jump=600)
    rig.driver.poll()  # the batch goes out
    assert rig.master.sessions[code].state.phase == "deliberation"
    out = rig.driver.clock_jumped(600)
    assert "timer" in kinds(out)
    assert abs(rig.master.sessions[code].timer.deadline - rig.wall.now - 120) < 1e-6
    rig.elapse(119)
    rig.driver.poll()
    assert rig.master.sessions[code].state.phase == "deliberation"  # still the same time left
    rig.elapse(1)
    rig.driver.poll()
    assert rig.master.sessions[code].state.phase == "outcome"


def test_a_connection_that_never_takes_a_seat_is_closed_after_the_idle_limit() -> None:
    rig = Rig(idle_limit=10)
    rig.driver.connect(1, "10.0.0.1")  # only pings
    rig.driver.connect(2, "10.0.0.2")  # joins... a session it creates
    rig.request(1, "ping")
    rig.request(2, "create_session", scenario="mini")
    assert abs(rig.driver.wake_in() - 10) < 1e-6
    rig.elapse(9)
    assert rig.driver.poll() == []
    rig.elapse(1)
    out = rig.driver.poll()
    assert [(o.to, o.message, o.close) for o in out] == [((1,), {"type": "closing", "reason": "idle"}, CLOSE_POLICY)]
    rig.driver.disconnect(1)
    assert rig.driver.wake_in() is None  # the seated connection stays, with nothing due


def test_shutdown_says_closing_to_everyone_and_leaves_nothing_due() -> None:
    rig = Rig()
    _host, _code = rig.timed_vote()
    out = rig.driver.shutdown()
    closing = [o for o in out if o.message is not None and o.message["type"] == "closing"]
    assert closing and set(closing[0].to) == {1, 2} and closing[0].close == 1001
    assert rig.driver.wake_in() is None and rig.driver.poll() == []
