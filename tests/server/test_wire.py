"""The session dictionary: public bytes sent once in each connection's first view, against which
updates are compressed (game/wire.py)."""

from __future__ import annotations

import random

import msgpack
import pytest

from game.scenarios import builtin_scenario
from game.wire import FrameReader, WireError, unpack_server_frame
from server.protocol import encode
from server.viewcache import scenario_zdict

from .harness import Harness


def test_the_dictionary_holds_nothing_a_player_may_not_see_yet() -> None:
    sc = builtin_scenario("brest-1918")
    zd = scenario_zdict(sc)
    assert 0 < len(zd) <= 32 * 1024
    hidden = []
    for card in sc.cards.values():
        hidden += [*card.history_text.values(), *(c["quote"] for c in card.history_sources)]
        for option in card.options.values():
            hidden += [*option.outcome.values(), *(t for b in option.chance for t in b.outcome.values())]
        for combination in card.combinations:
            hidden += list(combination.outcome.values())
    for team in sc.teams.values():
        hidden += list(team.secret_text.values())
    for ending in sc.endings.values():
        hidden += list(ending.text.values())
    assert hidden
    for text in hidden:
        assert text.encode() not in zd, text  # (deck texts travel as references, so none is there)
    assert b'"historical": true' not in zd


def test_updates_are_compressed_against_the_dictionary_of_the_first_view() -> None:
    h = Harness()
    host, code, _ = h.game(scenario="brest-1918", timer=None, auto_resolve=False)
    s = h.session(code)
    conns = [h.join(code, f"P{i}", s.teams[i % len(s.teams)])[0] for i in range(6)]
    h.ok(host, "start")
    rng = random.Random(3)
    readers = {c: FrameReader() for c in [host, *conns]}
    frames: list[tuple[int, bytes, dict]] = []
    for step in range(40):
        h.sent += h.master.flush()
        if s.state.phase == "ended":
            break
        if s.state.phase != "deliberation":
            h.ok(host, "advance")
        elif step % 3 == 2:
            h.ok(host, "force_resolve")
        else:
            conn = rng.choice(conns)
            team = s.members[h.master.bindings[conn].player].team
            cards = [c for c in s.state.cards if team in s.scenario.cards[c].team_decider]
            if cards:
                card = s.scenario.cards[cards[0]]
                h.send(conn, "vote", card=card.id, option=rng.choice(list(card.options)))
    h.sent += h.master.flush()
    for o in h.sent:
        if o.message is None:
            continue
        data = encode(o.message, o.zdict)
        for c in o.to:
            if c in readers:
                frames.append((c, data, o.message))
    with_dict = 0
    for conn, data, message in frames:
        expected = {"v": 1, **{k: v for k, v in message.items() if k != "zdict"}}
        assert msgpack.unpackb(msgpack.packb(readers[conn].read(data)), raw=False) == \
            msgpack.unpackb(msgpack.packb(expected), raw=False)
        envelope = msgpack.unpackb(data, raw=False)
        if envelope.get("d"):
            with_dict += 1
            with pytest.raises(WireError, match="dictionary"):
                unpack_server_frame(data)  # a reader that never got the first view cannot guess it
    assert with_dict > 5


def test_compressed_frames_are_z_envelopes_as_the_schema_describes() -> None:
    from game.wire.schema import jsonable, validator

    envelope, message = validator("z"), validator("message")
    zdict = scenario_zdict(builtin_scenario("brest-1918"))
    small = {"type": "timer", "ends": None, "remaining_ms": None, "paused": False}
    big = {"type": "closing", "reason": "server shutting down " * 40}
    for msg, compressed in ((small, False), (big, True)):
        for d in (None, zdict):
            raw = msgpack.unpackb(encode(msg, d), raw=False)
            assert envelope.is_valid(jsonable(raw)) is compressed, raw
            assert (raw.get("d") == 1) is (compressed and d is not None)
            assert message.is_valid(jsonable(unpack_server_frame(encode(msg, d), d)))
    assert not message.is_valid({**small, "v": 1, "extra": 1})  # a closed shape: drift is caught
