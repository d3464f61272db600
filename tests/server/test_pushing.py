"""What crosses the wire to each connection over a whole game (sans-I/O, every message counted)."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from game.engine import open_options

from .harness import Harness


def _texts_sent(h: Harness, conn: int) -> list[tuple[str, dict[str, Any]]]:
    """Every (reference, text) ``conn`` was sent, in views and in update patches, in order."""
    sent = []
    for o in h.sent:
        m = o.message
        if m is None or conn not in o.to:
            continue
        if m["type"] == "view":
            sent += list(m["view"]["texts"].items())
        elif m["type"] == "update":
            sent += [(op[0][1], op[1]) for op in m["patch"] if op[0][0] == "texts"]
    return sent


def test_each_text_crosses_each_connection_once_over_a_whole_game_with_every_history_revealed() -> None:
    """The host sees each card's history from the start (its own text layer); the reveal makes it
    public. It used to be sent again then, under its public reference (~19 KB in a game)."""
    h = Harness()
    host, code, _ = h.game(scenario="brest-1918", timer=None, formation="auto", auto_resolve=False)
    s = h.session(code)
    students = [h.join(code, f"P{i}")[0] for i in range(8)]
    projector = h.connect()
    h.ok(projector, "watch", code=code)
    h.ok(host, "start")
    rng = random.Random(3)
    while s.state.phase != "ended":
        if s.state.phase == "deliberation":
            for c in students:
                team = s.members[h.master.bindings[c].player].team
                for card in s.state.cards:
                    if options := open_options(s.state, card, team):
                        h.ok(c, "vote", card=card, option=rng.choice(options))
            h.ok(host, "force_resolve")
            for card in s.state.records[-1]["cards"]:
                h.ok(host, "reveal", card=card["card"])
        h.ok(host, "advance")
    assert len(s.state.revealed) == sum(len(r["cards"]) for r in s.state.records) > 10
    for conn in [host, projector, *students]:
        sent = _texts_sent(h, conn)
        refs = [ref for ref, _ in sent]
        assert len(refs) == len(set(refs)), conn  # no reference twice
        by_content: dict[tuple[Any, ...], set[str]] = defaultdict(set)
        for ref, text in sent:
            by_content[tuple(sorted(text.items()))].add(ref)
        twice = [content for content, r in by_content.items() if len(r) > 1]
        seat = h.master.bindings[conn].seat
        if seat in ("host", "projector"):
            assert twice == [], (seat, len(twice))
        else:
            # a team's own secret goes public at the end (every secret is shown): its one repeat
            secret = s.scenario.teams[seat.removeprefix("team:")].secret_text
            assert twice == [tuple(sorted(secret.items()))], (seat, len(twice))
