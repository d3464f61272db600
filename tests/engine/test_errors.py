"""Bad input gets an EngineError with a documented code; saved states come back whole."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import (
    Advance,
    EngineError,
    GameState,
    InvalidQuery,
    Phase,
    Seat,
    apply,
    branch,
    card_view,
    events_for,
    legal_decisions,
    new_game,
    replay,
    team_block,
    view_for,
)

from .test_properties import SCENARIOS, play_random

ROOT = Path(__file__).resolve().parents[2]
ERRORS = {"IllegalDecision", "InvalidDecision", "InvalidQuery", "EngineError"}


def raised_codes() -> set[str]:
    """Every code the engine's source raises or declares as a class default."""
    codes = set()
    for path in (ROOT / "game" / "engine").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_error = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS
            if is_error and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                codes.add(node.args[0].value)
            if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["code"]:
                codes.add(node.value.value)  # type: ignore[attr-defined]
    return codes


def test_every_engine_error_code_is_documented():
    doc = (ROOT / "docs" / "engine-api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+/[a-z_]+)`", doc))
    codes = raised_codes() - {"engine/error", "decision/illegal", "query/invalid"}  # the roots' defaults
    assert "decision/no_vote" in codes and "game/bad_seed" in codes  # the scan sees the rules
    assert codes <= documented, sorted(codes - documented)


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.sampled_from(["host", "projector", "team:", "team:ghost", "team:lenin", "talks", "offensive"]),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seat=JUNK, team=JUNK, card=JUNK, events=JUNK, log=JUNK, turn=JUNK, seed=JUNK, data=JUNK)
def test_views_and_replays_raise_only_engine_errors_on_bad_input(seat, team, card, events, log, turn, seed, data):
    scenario = SCENARIOS[0]
    state, _ = apply(new_game(scenario, 1), Advance())
    calls = [
        lambda: view_for(state, seat), lambda: team_block(state, team), lambda: card_view(state, card),
        lambda: events_for(events, seat), lambda: replay(scenario, 1, log), lambda: replay(scenario, seed, []),
        lambda: branch(state, turn), lambda: GameState.from_dict(data, scenario),
        lambda: replay(scenario, 1, [log]),
    ]  # fmt: skip
    for call in calls:
        try:
            call()
        except EngineError as exc:
            assert re.fullmatch(r"[a-z_]+/[a-z_]+", exc.code), exc.code


def test_bad_queries_name_what_was_wrong(mini):
    state = new_game(mini, 1)
    for call, code in [
        (lambda: view_for(state, "team:ghost"), "view/unknown_seat"),
        (lambda: view_for(state, 42), "view/unknown_seat"),
        (lambda: team_block(state, "ghost"), "view/unknown_team"),
        (lambda: card_view(state, "ghost"), "view/unknown_card"),
        (lambda: events_for("nope", Seat.HOST), "view/bad_events"),
        (lambda: replay(mini, 1, 7), "query/bad_log"),
        (lambda: branch(state, 2), "query/bad_turn"),
        (lambda: GameState.from_dict([], mini), "state/malformed"),
        (lambda: GameState.from_dict({**state.to_dict(), "scenario_digest": "x"}, mini), "state/wrong_scenario"),
        (lambda: GameState.from_dict({**state.to_dict(), "tracks": {}}, mini), "state/malformed"),
        (lambda: GameState.from_dict({**state.to_dict(), "log": [{"type": "fly"}]}, mini), "state/malformed"),
    ]:
        with pytest.raises(InvalidQuery) as info:
            call()
        assert info.value.code == code


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_saved_state_comes_back_whole_and_plays_on_identically(scenario, data):
    state = play_random(data, scenario, data.draw(st.integers(0, 120)))
    saved = json.loads(json.dumps(state.to_dict()))
    back = GameState.from_dict(saved, scenario)
    assert back.to_dict() == state.to_dict() and back.digest() == state.digest()
    for seat in (Seat.HOST, Seat.PROJECTOR, *(Seat.team(t) for t in scenario.team_ids)):
        assert view_for(back, seat) == view_for(state, seat)
    for _ in range(20):  # and both play on the same way
        if state.phase is Phase.ENDED:
            break
        moves = legal_decisions(state)
        move = moves[data.draw(st.integers(0, len(moves) - 1))]
        state, events = apply(state, move)
        back, events_back = apply(back, move)
        assert back.digest() == state.digest() and events_back == events


def test_an_error_crosses_a_process_boundary_whole():
    """The bots think in a process pool: an error raised there must arrive with its code, message and problems."""
    import pickle

    from game.engine import IllegalDecision, ScenarioError
    from game.engine.errors import Problem

    illegal = pickle.loads(pickle.dumps(IllegalDecision("decision/wrong_phase", "the vote is closed")))
    assert type(illegal) is IllegalDecision
    assert (illegal.code, illegal.message) == ("decision/wrong_phase", "the vote is closed")
    assert str(illegal) == "decision/wrong_phase: the vote is closed"
    broken = ScenarioError([Problem("mini.yaml", 37, "scenario id differs from the file name")])
    back = pickle.loads(pickle.dumps(broken))
    assert back.problems == broken.problems and str(back) == str(broken)
    assert back.code == "scenario/invalid"
