"""Server CPU per vote and per turn, without sockets: the ``Master`` driven in-process.

    .venv/bin/python bench/turn.py --clients 30 --games 20

Plays ``--games`` sessions of ``--clients`` (host included, students in the
scenario's teams, auto-balanced) through every turn on a real SQLite store in
a temporary directory, and times, per call and including the frames'
encoding (``server.protocol.encode``) as the socket shell would do it:

* a vote that does not end the turn (request, store write, reply, the batched
  progress push that follows it);
* the vote that ends the turn (resolution, every seat's update);
* the host's ``advance`` (the next turn's views).

Prints medians and p99 in microseconds and the bytes those frames carry.  This
is the cost the event loop pays; ``bench/server.py`` measures what clients see.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine import open_options  # noqa: E402
from game.wire import VERSION  # noqa: E402
from server.driver import Driver  # noqa: E402
from server.master import Master, Outgoing  # noqa: E402
from server.protocol import encode  # noqa: E402
from server.store import SqliteStore  # noqa: E402


class Calls:
    """Requests through the ``Driver``, as the socket shell makes them, timed with their encoding."""

    def __init__(self, master: Master) -> None:
        self.master = master
        self.driver = Driver(master)
        self.rid = 0
        self.conn = 0

    def connect(self) -> int:
        self.conn += 1
        self.driver.connect(self.conn, "127.0.0.1")
        return self.conn

    def call(self, conn: int, kind: str, **fields: Any) -> tuple[dict[str, Any], float, int]:
        """(reply, seconds, bytes sent to all connections) for one request and the flush after it."""
        self.rid += 1
        t = time.perf_counter()
        # the replies, then what is urgent (a phase change goes out at once)
        out: list[Outgoing] = self.driver.receive(conn, {"v": VERSION, "type": kind, "id": self.rid, **fields})
        sent = 0
        reply = None
        for o in out:
            if o.message is None:
                continue
            data = encode(o.message, o.zdict)
            sent += len(data) * len(o.to)
            if o.message.get("re") == self.rid:
                reply = o.message
        elapsed = time.perf_counter() - t
        assert reply is not None and reply["type"] != "error", reply
        return reply, elapsed, sent


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--games", type=int, default=20)
    parser.add_argument("--scenario", default="brest-1918")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vote_t: list[float] = []
    resolve_t: list[float] = []
    advance_t: list[float] = []
    vote_b: list[int] = []
    resolve_b: list[int] = []
    batch_t: list[float] = []
    every = 5  # votes per progress push: 30 students voting over 3 s, pushed every 0.5 s
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "turn.sqlite3")
        master = Master(store, time.time)
        d = Calls(master)
        for _ in range(args.games):
            host = d.connect()
            code = d.call(host, "create_session", scenario=args.scenario, timer=None, formation="auto")[0]["code"]
            students = []
            for i in range(args.clients - 1):
                c = d.connect()
                d.call(c, "join", code=code, name=f"U{i}")
                students.append(c)
            d.call(host, "start")
            s = master.sessions[code]
            while s.state.phase.value != "ended":
                if s.state.phase.value == "briefing":
                    advance_t.append(d.call(host, "advance")[1])
                    continue
                if s.state.phase.value == "outcome":
                    d.call(host, "advance")
                    continue
                # deliberation: every student votes on what its team decides
                ballots = []
                for c in students:
                    b = master.bindings[c]
                    team = s.members[b.player].team
                    for card_id in s.state.cards:
                        options = open_options(s.state, card_id, team)
                        if options:
                            ballots.append((c, card_id, rng.choice(options)))
                rng.shuffle(ballots)
                for i, (c, card_id, option) in enumerate(ballots):
                    turn = s.state.turn
                    _, dt, sent = d.call(c, "vote", card=card_id, option=option)
                    if i % every == every - 1:  # the batched progress push (every batch_delay)
                        t = time.perf_counter()
                        flushed = master.flush()
                        for o in flushed:
                            encode(o.message, o.zdict)
                        batch_t.append(time.perf_counter() - t)
                    if s.state.turn == turn and s.state.phase.value == "deliberation":
                        vote_t.append(dt)
                        vote_b.append(sent)
                    else:
                        resolve_t.append(dt)
                        resolve_b.append(sent)
                if s.state.phase.value == "deliberation":
                    d.call(host, "force_resolve")
        store.close()

    def us(xs: list[float], p: float) -> str:
        return f"{pct(xs, p) * 1e6:,.0f}"

    print(f"scenario {args.scenario}: {args.games} games x {args.clients} clients")
    print(f"vote (not the last)   median {us(vote_t, 0.5)} us, p99 {us(vote_t, 0.99)} us over {len(vote_t)} votes; "
          f"median {statistics.median(vote_b):.0f} B sent")
    print(f"vote that resolves    median {us(resolve_t, 0.5)} us, p99 {us(resolve_t, 0.99)} us over {len(resolve_t)}; "
          f"median {statistics.median(resolve_b):.0f} B sent ({statistics.median(resolve_b) / args.clients:.0f} B "
          f"per client)")
    print(f"progress push         median {us(batch_t, 0.5)} us, p99 {us(batch_t, 0.99)} us over {len(batch_t)} "
          f"(host and projector, once per {every} votes)")
    print(f"advance to a vote     median {us(advance_t, 0.5)} us, p99 {us(advance_t, 0.99)} us over {len(advance_t)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
