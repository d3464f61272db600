"""A campaign's carried start: it overrides the scenario's defaults, replays, branches and saves."""

from __future__ import annotations

import random

import pytest

from game.engine import (
    GameState,
    InvalidDecision,
    Phase,
    Seat,
    Start,
    apply,
    branch,
    legal_decisions,
    new_game,
    replay,
    view_for,
)
from game.scenarios import builtin_scenario


@pytest.fixture(scope="module")
def brest():
    return builtin_scenario("brest-1918")


def _play(state: GameState, seed: int, steps: int = 400) -> GameState:
    rng = random.Random(seed)
    for _ in range(steps):
        if state.phase is Phase.ENDED:
            break
        state, _ = apply(state, rng.choice(legal_decisions(state)))
    return state


def test_a_start_overrides_tracks_and_control_and_is_shown(brest):
    start = Start(tracks=(("army", 7),), control=(("ukraina", "soviet"),),
                  notes=({"pl": "Armia z poprzedniej lekcji", "en": "The army from the last lesson"},))
    s = new_game(brest, 5, start)
    plain = new_game(brest, 5)
    assert s.tracks["army"] == 7 and plain.tracks["army"] == brest.tracks["army"].start
    assert s.control["ukraina"] == "soviet" and plain.control["ukraina"] != "soviet"
    view = view_for(s, Seat.team("lenin"))
    assert view["carried"] == [{"pl": "Armia z poprzedniej lekcji", "en": "The army from the last lesson"}]
    assert "carried" not in view_for(plain, Seat.team("lenin"))


def test_a_start_replays_branches_and_round_trips(brest):
    start = Start(tracks=(("food", 9), ("army", 0)))
    played = _play(new_game(brest, 11, start), 3)
    again = replay(brest, 11, played.log, start)
    assert again.digest() == played.digest()
    assert replay(brest, 11, [], start).tracks["food"] == 9 != replay(brest, 11, []).tracks["food"]
    back = GameState.from_dict(played.to_dict(), brest)
    assert back.digest() == played.digest() and back.start == start
    early = branch(played, 2)
    assert early.start == start and early.turn == 2


def test_games_without_a_start_keep_their_digest_shape(brest):
    s = new_game(brest, 1)
    assert "start" not in s.to_dict()
    assert new_game(brest, 1, Start()).digest() == s.digest()  # an empty start is no start


@pytest.mark.parametrize("start, words", [
    (Start(tracks=(("nope", 1),)), "no track"),
    (Start(tracks=(("army", 99),)), "outside"),
    (Start(flags=frozenset({"made_up"})), "carried_flags"),
    (Start(control=(("atlantis", "soviet"),)), "no region"),
    (Start(control=(("ukraina", "martians"),)), "no controller"),
])
def test_a_start_that_does_not_fit_is_refused_by_name(brest, start, words):
    with pytest.raises(InvalidDecision) as err:
        new_game(brest, 1, start)
    assert err.value.code == "game/bad_start" and words in err.value.message


def test_start_from_wire_refuses_garbage():
    with pytest.raises(InvalidDecision):
        Start.from_wire(["not", "a", "mapping"])
    assert Start.from_wire(Start(tracks=(("a", 1),), flags=frozenset({"f"})).to_wire()) == Start(
        tracks=(("a", 1),), flags=frozenset({"f"}))
