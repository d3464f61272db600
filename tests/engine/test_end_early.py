"""Ending a game early (the bell rang): ``EndEarly`` stops it at any phase, with a debrief of what
was played, no scenario ending (no claim about history) and scores and learning of played turns only."""

from __future__ import annotations

import pytest

from game.engine import (
    Advance,
    Decision,
    EndEarly,
    IllegalDecision,
    Phase,
    Resolve,
    Reveal,
    Seat,
    TeamChoice,
    apply,
    ended_early,
    learning,
    legal_decisions,
    new_game,
    played_turns,
    replay,
    view_for,
)
from game.scenarios import builtin_scenario


@pytest.fixture(scope="module")
def brest():
    return builtin_scenario("brest-1918")


def _play_turn(s):
    """Briefing → deliberation → outcome, each team taking its first open option."""
    s, _ = apply(s, Advance())
    for d in legal_decisions(s):
        if isinstance(d, TeamChoice) and (d.card, d.team) not in s.choices:
            s, _ = apply(s, d)
    s, _ = apply(s, Resolve())
    return s


def _at(brest, turn: int, phase: str):
    s = new_game(brest, 7)
    for _ in range(turn - 1):
        s, _ = apply(_play_turn(s), Advance())
    if phase == "deliberation":
        s, _ = apply(s, Advance())
    elif phase == "outcome":
        s = _play_turn(s)
    return s


@pytest.mark.parametrize("phase", ["briefing", "deliberation", "outcome"])
def test_ending_early_at_any_phase_ends_with_no_scenario_ending(brest, phase):
    s = _at(brest, 3, phase)
    ended, events = apply(s, EndEarly())
    assert ended.phase is Phase.ENDED and ended.ending is None and ended_early(ended)
    played = 3 if phase == "outcome" else 2
    assert played_turns(ended) == played
    assert events[-1] == {"type": "ended", "ending": None, "early": True, "played": played}
    for seat in (Seat.PROJECTOR, Seat.HOST, Seat.team("lenin")):
        view = view_for(ended, seat)
        assert view["phase"] == "ended" and view["cards"] == []
        assert view["ending"]["early"] is True and view["ending"]["id"] is None
        assert view["ending"]["historical"] is False and view["ending"]["played"] == played
        assert [r["turn"] for r in view["timeline"]] == list(range(1, played + 1))  # only what was played
        assert "scores" in view and "secrets" in view
    # learning counts only the cards that were resolved
    assert {c["turn"] for c in learning(ended)["cards"]} == set(range(1, played + 1))
    assert learning(ended) == learning(s)


def test_the_game_stays_ended_and_its_played_cards_can_still_be_revealed(brest):
    s, _ = apply(_at(brest, 2, "deliberation"), EndEarly())
    for d in (EndEarly(), Advance(), Resolve()):
        with pytest.raises(IllegalDecision) as info:
            apply(s, d)
        assert info.value.code == "decision/game_over"
    card = s.records[0]["cards"][0]["card"]
    revealed, _ = apply(s, Reveal(card))
    assert card in revealed.revealed and ended_early(revealed)


def test_ending_at_the_last_outcome_is_the_games_own_ending(brest):
    s = _at(brest, brest.turn_count, "outcome")
    ended, _ = apply(s, EndEarly())
    natural, _ = apply(s, Advance())
    assert ended.ending == natural.ending is not None and not ended_early(ended)
    assert view_for(ended, Seat.PROJECTOR)["ending"]["early"] is False
    assert played_turns(ended) == brest.turn_count


def test_an_ended_early_game_replays_from_its_wire_log(brest):
    s, _ = apply(_at(brest, 4, "briefing"), EndEarly())
    wire = [d.to_wire() for d in s.log]
    assert wire[-1] == {"type": "end_early"}
    again = replay(brest, 7, [Decision.from_wire(d) for d in wire])
    assert again.digest() == s.digest()
