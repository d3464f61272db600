"""Properties over random decision sequences (legal and illegal), on every scenario we ship."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import (
    VOTE_KEYS,
    Advance,
    EngineError,
    Phase,
    Resolve,
    Reveal,
    SetCaptain,
    TeamChoice,
    Unvote,
    Vote,
    apply,
    branch,
    legal_decisions,
    new_game,
    replay,
    team_block,
    view_for,
    vote_progress,
)
from game.engine import Seat as SeatKind
from game.scenarios import builtin_scenario, builtin_scenario_ids, load_scenario

from .conftest import FIXTURES

PLAYERS = ["p1", "p2", "p3", "p4"]


def scenarios():
    return [load_scenario(FIXTURES / "mini.yaml")] + [builtin_scenario(i) for i in builtin_scenario_ids()]


SCENARIOS = scenarios()


def candidate(draw, state):
    """A decision that may or may not be legal now: mostly legal moves, plus votes and noise."""
    sc = state.scenario
    kind = draw(st.integers(0, 9))
    if kind <= 4:
        moves = legal_decisions(state) or [Advance()]
        return moves[draw(st.integers(0, len(moves) - 1))]
    cards = list(sc.cards)
    card = draw(st.sampled_from(cards))
    team = draw(st.sampled_from([*sc.team_ids, "ghost"]))
    options = [*sc.cards[card].options, "nonsense"]
    player = draw(st.sampled_from(PLAYERS))
    if kind <= 7:
        return Vote(team, player, card, draw(st.sampled_from(options)))
    if kind == 8:
        return draw(st.sampled_from([Unvote(team, player, card), SetCaptain(team, player), Reveal(card)]))
    return draw(st.sampled_from([Advance(), Resolve()]))


def check_invariants(state):
    sc = state.scenario
    for track, value in state.tracks.items():
        assert sc.tracks[track].min <= value <= sc.tracks[track].max
    assert set(state.tracks) == set(sc.tracks)
    assert set(state.control.values()) <= set(sc.controllers)
    assert 1 <= state.turn <= sc.turn_count
    assert all(c in sc.cards for c in state.cards)
    assert (state.ending is not None) == (state.phase is Phase.ENDED) or state.phase is Phase.OUTCOME
    if state.phase is not Phase.DELIBERATION:
        assert not state.votes or state.phase is Phase.OUTCOME
    assert state.state_id == len(state.log)
    json.dumps(state.to_dict())  # plain data


def play_random(data, scenario, steps):
    state = new_game(scenario, data.draw(st.integers(0, 2**32)))
    refused = 0
    for _ in range(steps):
        if state.phase is Phase.ENDED:
            break
        decision = candidate(data.draw, state)
        before = state.digest()
        try:
            state, _events = apply(state, decision)
        except EngineError:
            refused += 1
            assert state.digest() == before  # an invalid decision leaves the state unchanged
            continue
        check_invariants(state)
    return state


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_sequences_keep_the_state_valid_and_replay_identically(scenario, data):
    state = play_random(data, scenario, 120)
    again = replay(scenario, state.seed, [d.to_wire() for d in state.log])
    assert again.canonical_bytes() == state.canonical_bytes()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_branches_share_their_prefix_and_then_diverge_freely(scenario, data):
    state = play_random(data, scenario, 80)
    turn = data.draw(st.integers(1, state.turn))
    fork = branch(state, turn)
    assert fork.turn == turn and fork.phase is Phase.BRIEFING
    assert state.log[: len(fork.log)] == fork.log
    # the prefix replays to the same state the original passed through
    assert replay(scenario, state.seed, fork.log).digest() == fork.digest()
    # and the branch is a game of its own: it can go on
    moved, _ = apply(fork, Advance())
    assert moved.phase is Phase.DELIBERATION


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_views_never_leak_another_teams_secret_or_votes(scenario, data):
    state = play_random(data, scenario, 60)
    # make sure there are secret votes to leak, if a vote is open
    if state.phase is Phase.DELIBERATION:
        for card_id in state.cards:
            for team in scenario.cards[card_id].team_decider:
                option = next(
                    (o.id for o in scenario.cards[card_id].options.values()
                     if scenario.cards[card_id].team_decider[team] in o.deciders
                     and o.requires.holds(state.tracks, state.flags, state.control)),
                    None,
                )
                if option:
                    state, _ = apply(state, Vote(team, f"secret-voter-{team}", card_id, option))
    ended = state.phase is Phase.ENDED
    for team in scenario.teams.values():
        view = view_for(state, SeatKind.team(team.id))
        text = json.dumps(view, ensure_ascii=False)
        for other in scenario.teams.values():
            if other.id == team.id:
                continue
            if not ended:
                assert other.secret_text["pl"] not in text and other.secret_text["en"] not in text
            assert f"secret-voter-{other.id}" not in text
        assert view["team"]["secret"] == team.secret_text
    projector = json.dumps(view_for(state, SeatKind.PROJECTOR), ensure_ascii=False)
    assert "secret-voter-" not in projector
    if not ended:
        for team in scenario.teams.values():
            assert team.secret_text["en"] not in projector


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_team_view_is_the_public_view_without_progress_plus_its_own_block(scenario, data):
    state = play_random(data, scenario, 60)
    public = {k: v for k, v in view_for(state, SeatKind.PROJECTOR).items() if k != "progress"}
    for team in scenario.team_ids:
        seat = SeatKind.team(team)
        assert view_for(state, seat) == {**public, "seat": seat, "team": team_block(state, team)}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_vote_changes_views_only_in_progress_and_the_voting_teams_block(scenario, data):
    """What shells rely on to push a burst of votes cheaply (VOTE_KEYS, vote_progress)."""
    state = play_random(data, scenario, data.draw(st.integers(0, 30)))
    while state.phase in (Phase.BRIEFING, Phase.OUTCOME):
        state, _ = apply(state, Advance())
    if state.phase is not Phase.DELIBERATION:
        return
    seats = [SeatKind.HOST, SeatKind.PROJECTOR, *(SeatKind.team(t) for t in scenario.team_ids)]
    for _ in range(data.draw(st.integers(1, 8))):
        moves: list = [Vote(d.team, player, d.card, d.option) for d in legal_decisions(state)
                       if isinstance(d, TeamChoice) for player in PLAYERS]
        moves += [Unvote(team, player, card) for (card, team), entries in state.votes.items()
                  for player, _option, _id in entries]
        if not moves:
            return
        decision = data.draw(st.sampled_from(moves))
        before = {seat: view_for(state, seat) for seat in seats}
        state, _ = apply(state, decision)
        for seat in seats:
            old, new = before[seat], view_for(state, seat)
            assert {k: v for k, v in old.items() if k not in (*VOTE_KEYS, "state_id")} == \
                {k: v for k, v in new.items() if k not in (*VOTE_KEYS, "state_id")}
            if "progress" in new:
                assert new["progress"] == vote_progress(state)
            if "team" in new and new["team"]["id"] != decision.team:
                assert new["team"] == old["team"]
            for team, block in new.get("teams_private", {}).items():
                assert block == (team_block(state, team) if team == decision.team else old["teams_private"][team])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_option_history_is_hidden_from_players_until_revealed(scenario):
    state, _ = apply(new_game(scenario, 5), Advance())
    for seat in [SeatKind.PROJECTOR, *(SeatKind.team(t) for t in scenario.team_ids)]:
        for card in view_for(state, seat)["cards"]:
            assert "history" not in card
            assert all("historical" not in o for o in card["options"])
    host_cards = view_for(state, SeatKind.HOST)["cards"]
    assert all("history" in c for c in host_cards)
