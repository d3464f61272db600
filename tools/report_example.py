"""Build docs/report-example/: a class of twelve plays brest-1918 on a real Master (in memory, a
made-up clock so the times to vote look like a lesson's), and its report is written in Polish and
English.  Deterministic: the same files every run.

    .venv/bin/python tools/report_example.py [folder]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from game.engine import open_options
from game.report import write_report
from game.scenarios import builtin_scenario
from server.master import Master
from server.names import Randomness
from server.store import SqliteStore

NAMES = ["Łucja Żółć", "Paweł Gęś", "Zofia Źdźbło", "Michał Ślęzak", "Ania Kąkol", "Jędrek Nowak",
         "Ola Wróbel", "Bartek Dąb", "Kasia Łoś", "Igor Pająk", "Ewa Mączka", "Staś Czyż"]


class Clock:
    def __init__(self) -> None:
        self.now = 1_764_577_200.0  # 2025-12-01 08:20 UTC: a first lesson

    def __call__(self) -> float:
        return self.now


def play(seed: int = 1918) -> dict[str, Any]:
    """Play the lesson and return the host's export data."""
    rng = random.Random(seed)
    clock = Clock()
    m = Master(SqliteStore(":memory:"), clock, random=Randomness(random.Random(seed)))
    ids = iter(range(1, 10**6))

    def send(conn: int, kind: str, **fields: Any) -> dict[str, Any]:
        rid = next(ids)
        out = m.receive(conn, {"v": 1, "type": kind, "id": rid, **fields}) + m.flush()
        for o in out:
            msg = o.build() if o.build is not None else o.message
            if msg is not None and msg.get("re") == rid:
                assert msg["type"] != "error", msg
                return msg
        raise AssertionError(f"no reply to {kind}")

    m.connect(1, "127.0.0.1")
    code = send(1, "create_session", scenario="brest-1918", formation="auto", timer=None,
                auto_resolve=False)["code"]
    players = []
    tokens: dict[int, str] = {}
    for i, name in enumerate(NAMES):
        m.connect(10 + i, "127.0.0.1")
        clock.now += rng.uniform(2, 9)
        r = send(10 + i, "join", code=code, name=name)
        players.append((10 + i, r["player"], r["team"]))
        tokens[10 + i] = r["resume_token"]
    send(1, "start")
    s = m.sessions[code]
    while s.state.phase != "ended":
        if s.state.phase == "briefing":
            clock.now += rng.uniform(60, 150)
            send(1, "advance")
            continue
        for conn, _player, team in rng.sample(players, len(players)):
            if rng.random() < 0.08:
                continue  # did not vote this turn
            for card in s.state.cards:
                options = open_options(s.state, card, team) if team in s.scenario.cards[card].team_decider else ()
                if not options:
                    continue
                picks = [rng.choice(options)]
                if rng.random() < 0.2 and len(options) > 1:
                    picks.append(rng.choice(options))  # a change of mind
                for option in picks:
                    clock.now += rng.uniform(3, 25)
                    send(conn, "vote", card=card, option=option)
        clock.now += rng.uniform(20, 60)
        dropped = s.state.turn == 4  # Ola's wifi drops during turn 4's vote; she is back for the next turn
        if dropped:
            m.disconnect(16)
        send(1, "force_resolve")
        if dropped:
            m.connect(116, "127.0.0.1")
            send(116, "resume", token=tokens[16])
            players = [(116 if c == 16 else c, p, t) for c, p, t in players]
        clock.now += rng.uniform(90, 200)
        send(1, "advance")
    m.disconnect(10 + 4)  # one student's laptop went to sleep before the export
    clock.now += 30
    return send(1, "export")["data"]


def main(folder: str = "docs/report-example") -> None:
    export = play()
    scenario = builtin_scenario("brest-1918")
    for lang in ("pl", "en"):
        paths = write_report(folder, f"brest-1918-{lang}", export, scenario, lang)
        print(*(str(p) for p in paths.values()))
    for extra in Path(folder).glob("brest-1918-en.json"):
        extra.unlink()  # the JSON is the same in both languages: keep one


if __name__ == "__main__":
    main(*sys.argv[1:])
