"""The voting questions shells ask (game.engine.voting) against the rules that apply them."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import (
    Advance,
    EngineError,
    Phase,
    Resolve,
    SetCaptain,
    TeamChoice,
    Unvote,
    Vote,
    all_have_voted,
    apply,
    card_timer,
    legal_decisions,
    new_game,
    open_options,
    withdraw_player,
)
from game.engine.voting import is_open
from game.scenarios import builtin_scenario, builtin_scenario_ids, load_scenario

from .conftest import FIXTURES

SCENARIOS = [load_scenario(FIXTURES / "mini.yaml")] + [builtin_scenario(i) for i in builtin_scenario_ids()]
PLAYERS = ["p1", "p2", "p3"]


def deliberation(scenario, seed=1):
    state, _ = apply(new_game(scenario, seed), Advance())
    assert state.phase is Phase.DELIBERATION
    return state


def accepted(state, decision) -> bool:
    try:
        apply(state, decision)
    except EngineError:
        return False
    return True


@st.composite
def reached_states(draw):
    """A state of a shipped scenario reached by random play: votes (some to be refused), direct
    team choices, captains, resolutions and advances, so tracks, flags and cards vary."""
    scenario = draw(st.sampled_from(SCENARIOS))
    state = new_game(scenario, draw(st.integers(0, 2**31)))
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 6))
        if kind <= 3 and state.phase is Phase.DELIBERATION and state.cards:
            card = draw(st.sampled_from(state.cards))
            team = draw(st.sampled_from(scenario.team_ids))
            option = draw(st.sampled_from([*scenario.cards[card].options, "nonsense"]))
            player = draw(st.sampled_from(PLAYERS))
            decision = Vote(team, player, card, option) if kind <= 2 else TeamChoice(team, card, option)
        elif kind == 4:
            decision = SetCaptain(draw(st.sampled_from(scenario.team_ids)), draw(st.sampled_from(PLAYERS)))
        else:
            moves = legal_decisions(state)
            if not moves:
                break
            decision = draw(st.sampled_from(moves))
        with contextlib.suppress(EngineError):
            state, _ = apply(state, decision)
    return state


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reached_states())
def test_open_options_are_exactly_the_votes_the_rules_accept(state):
    sc = state.scenario
    for card_id, card in sc.cards.items():
        for team in [*sc.team_ids, "ghost"]:
            opened = open_options(state, card_id, team)
            assert len(set(opened)) == len(opened)
            for option in [*card.options, "nonsense"]:
                allowed = option in opened
                assert is_open(state, card_id, team, option) == allowed
                assert accepted(state, Vote(team, "p1", card_id, option)) == allowed, (card_id, team, option)
                assert accepted(state, TeamChoice(team, card_id, option)) == allowed, (card_id, team, option)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reached_states())
def test_withdraw_player_leaves_no_vote_and_no_captaincy(state):
    for team in state.scenario.team_ids:
        for player in PLAYERS:
            s = state
            for d in withdraw_player(state, team, player):
                s, _ = apply(s, d)  # every decision is accepted
            if state.phase is not Phase.ENDED:
                assert s.captains.get(team) != player
            if state.phase is not Phase.DELIBERATION:
                assert s.votes == state.votes  # the votes of a resolved turn are its record: kept
                continue
            # the player's votes in this team go, every other vote stays
            kept = {key: tuple(e for e in entries if key[1] != team or e[0] != player)
                    for key, entries in state.votes.items()}
            assert s.votes == {key: entries for key, entries in kept.items() if entries}


def test_open_options_follow_the_decider_and_the_requirements(mini):
    state = deliberation(mini)
    assert open_options(state, "talks", "hawks") == ("sign", "break_off")  # army 3 < 5: army_first closed
    assert open_options(state, "talks", "doves") == ("sign", "break_off")  # the bloc's options
    assert open_options(state, "talks", "germans") == ("harsh", "mild")
    assert open_options(state, "offensive", "germans") == ()  # not in play this turn
    assert open_options(state, "talks", "ghost") == ()
    assert open_options(new_game(mini, 1), "talks", "hawks") == ()  # briefing: no vote open yet


def test_all_have_voted_waits_for_every_present_player_of_every_deciding_team(mini):
    state = deliberation(mini)
    present = {"hawks": ["p1", "p2"], "germans": ["p3"], "doves": []}
    assert not all_have_voted(state, present)
    for d in (Vote("hawks", "p1", "talks", "sign"), Vote("germans", "p3", "talks", "mild")):
        state, _ = apply(state, d)
    assert not all_have_voted(state, present)  # p2 has not voted
    state, _ = apply(state, Vote("hawks", "p2", "talks", "break_off"))
    assert all_have_voted(state, present)  # the doves have nobody: they do not block
    assert not all_have_voted(state, {**present, "doves": ["p4"]})
    assert not all_have_voted(state, {})
    assert not all_have_voted(state, {"hawks": []})  # no player at all: nobody would ever vote
    resolved, _ = apply(state, Resolve())
    assert not all_have_voted(resolved, present)  # outside deliberation


def test_all_have_voted_when_no_present_team_has_anything_to_decide(mini):
    state = deliberation(mini)
    assert all_have_voted(state, {"absent_team_of_another_card": ["p1"]})
    # turn 3 of mini has only an information card that nobody decides
    for d in (Resolve(), Advance(), Advance(), Resolve(), Advance(), Advance()):
        state, _ = apply(state, d)
    assert state.turn == 3 and state.phase is Phase.DELIBERATION
    assert all_have_voted(state, {"hawks": ["p1"], "germans": ["p2"]})


def test_withdraw_player_unvotes_in_deliberation_and_drops_the_captaincy(mini):
    state = deliberation(mini)
    for d in (Vote("hawks", "p1", "talks", "sign"), Vote("hawks", "p2", "talks", "sign"), SetCaptain("hawks", "p1")):
        state, _ = apply(state, d)
    assert withdraw_player(state, "hawks", "p1") == [Unvote("hawks", "p1", "talks"), SetCaptain("hawks", None)]
    assert withdraw_player(state, "hawks", "p3") == []
    assert withdraw_player(state, "doves", "p1") == []  # p1's votes are the hawks'
    outcome, _ = apply(state, Resolve())
    assert withdraw_player(outcome, "hawks", "p1") == [SetCaptain("hawks", None)]  # no open vote


def test_card_timer_is_the_longest_timer_of_a_decided_card(mini):
    state = deliberation(mini)
    assert card_timer(state) == 120
    for d in (Resolve(), Advance(), Advance()):
        state, _ = apply(state, d)
    assert state.turn == 2 and card_timer(state) is None  # no card of turn 2 sets a timer
