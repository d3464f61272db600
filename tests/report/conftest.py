"""A real server on 127.0.0.1 for the report's tests (the server tests' own)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.engine import open_options
from tests.server.conftest import ServerThread
from tests.server.harness import Harness

SCENARIO = "brest-1918"


@pytest.fixture
def server(tmp_path: Path):
    srv = ServerThread(tmp_path / "test.sqlite3").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def export() -> dict:
    """Six students, every turn voted (a few votes changed), the teacher resolving and advancing."""
    rng = random.Random(11)
    h = Harness()
    host, code, _ = h.game(scenario=SCENARIO, timer=None, auto_resolve=False, formation="auto")
    students = [h.join(code, f"Uczeń {i}")[0] for i in range(6)]
    h.ok(host, "start")
    s = h.session(code)
    while s.state.phase != "ended":
        if s.state.phase == "briefing":
            h.ok(host, "advance")
            continue
        for conn in students:
            player = h.master.bindings[conn].player
            team = s.members[player].team
            for card in s.state.cards:
                options = open_options(s.state, card, team) if team in s.scenario.cards[card].team_decider else ()
                for option in rng.sample(options, min(len(options), rng.choice((1, 1, 2)))):
                    h.clock.now += rng.uniform(1, 20)
                    h.ok(conn, "vote", card=card, option=option)
        h.ok(host, "force_resolve")
        h.ok(host, "advance")
    return h.ok(host, "export")["data"]
