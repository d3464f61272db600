"""Bots play from their seat's view only, return open options the engine accepts, and replay by seed."""

from __future__ import annotations

import dataclasses

import pytest

from game.bots.bot import LEVELS, Bot, bot_seed
from game.bots.errors import BotError
from game.bots.worlds import world_from_view
from game.engine import Advance, Seat, Vote, apply, new_game, replay, view_for
from game.engine.scenario import Term
from game.engine.voting import open_options

SEARCHING = ("normal", "hard")


def _some(states, level):
    """The states a test runs a level on: all of the first eight, a spread of three for the slow hard bot."""
    return states[:8] if level != "hard" else states[0:8:3]


def _decide(scenario, state, team, level, seed):
    return Bot(scenario, team, level).decide(view_for(state, Seat.team(team)), seed)


def _with_other_secret(scenario, team):
    """The scenario with ``team``'s secret objective replaced by a very different one."""
    old = scenario.teams[team]
    flag = sorted(scenario.flags or {"talks_open"})[0]
    new_team = dataclasses.replace(
        old,
        secret_text={"pl": "Inny cel.", "en": "Another aim."},
        secret_scoring=(Term("flag", flag, 50.0, unset=True), Term("track", next(iter(scenario.tracks)), -7.0)),
    )
    return dataclasses.replace(scenario, teams={**scenario.teams, team: new_team})


@pytest.mark.parametrize("level", LEVELS)
def test_returns_only_open_options_the_engine_accepts(brest, deliberations, level):
    states = deliberations if level != "hard" else deliberations[::4]
    for state in states:
        for team in brest.teams:
            decided = _decide(brest, state, team, level, bot_seed(1, state.turn, team))
            can = {c for c in state.cards if open_options(state, c, team)}
            assert set(decided) == can, (state, team)
            for card, option in decided.items():
                assert option in open_options(state, card, team)
                apply(state, Vote(team, "bot", card, option))  # raises if the engine refuses it


@pytest.mark.parametrize("level", LEVELS)
def test_another_teams_secret_does_not_change_the_decision(brest, deliberations, level):
    for state in _some(deliberations, level):
        for team in brest.teams:
            others = [t for t in brest.teams if t != team]
            changed = _with_other_secret(brest, others[state.turn % len(others)])
            twin = replay(changed, state.seed, state.log)
            assert twin.tracks == state.tracks and twin.flags == state.flags and twin.rng == state.rng
            seed = bot_seed(5, state.turn, team)
            assert (Bot(changed, team, level).decide(view_for(twin, Seat.team(team)), seed)
                    == _decide(brest, state, team, level, seed))


@pytest.mark.parametrize("level", LEVELS)
def test_other_teams_votes_and_the_games_dice_do_not_change_the_decision(brest, deliberations, level):
    for state in _some(deliberations, level):
        for team in brest.teams:
            seed = bot_seed(9, state.turn, team)
            expected = _decide(brest, state, team, level, seed)
            voted = state
            for card in state.cards:
                for other in brest.cards[card].team_decider:
                    if other == team:
                        continue
                    for i, option in enumerate(open_options(state, card, other)):
                        voted, _ = apply(voted, Vote(other, f"p{i}", card, option))
            assert _decide(brest, voted, team, level, seed) == expected
            redrawn = state.clone()
            redrawn.rng ^= 0x9E3779B97F4A7C15
            redrawn.seed = state.seed + 12345
            assert _decide(brest, redrawn, team, level, seed) == expected


@pytest.mark.parametrize("level", LEVELS)
def test_same_seed_same_decision(brest, deliberations, level):
    for state in _some(deliberations, level):
        for team in brest.teams:
            view = view_for(state, Seat.team(team))
            first = Bot(brest, team, level).decide(view, 77)
            assert Bot(brest, team, level).decide(view, 77) == first


@pytest.mark.parametrize("level", SEARCHING)
def test_different_seeds_do_not_always_decide_the_same(brest, deliberations, level):
    """Somewhere in these games the search's mixed strategy shows: some seat answers differently by seed."""
    varied = 0
    for state in deliberations[:8]:
        for team in brest.teams:
            view = view_for(state, Seat.team(team))
            answers = {tuple(sorted(Bot(brest, team, level).decide(view, s).items())) for s in range(8)}
            varied += len(answers) > 1
            if varied >= 2:
                return
    pytest.fail(f"{level}: the same answer whatever the seed in all but {varied} seats")


def test_world_from_view_rebuilds_what_the_seat_may_know(brest, deliberations):
    import random

    for state in deliberations:
        view = view_for(state, Seat.team("entente"))
        world = world_from_view(brest, view, random.Random(0))
        assert world.tracks == state.tracks and world.flags == state.flags and world.control == state.control
        assert world.cards == state.cards and world.turn == state.turn and world.phase == state.phase
        assert world.pending == state.pending  # scheduled cards follow from the public record
        assert world.rng != state.rng


def test_bot_seed_is_stable_and_separates_turns_teams_and_sessions():
    seed = bot_seed(42, 3, "lenin")
    assert seed == bot_seed(42, 3, "lenin")
    assert 0 <= seed < 2**64
    assert len({seed, bot_seed(42, 4, "lenin"), bot_seed(42, 3, "trotsky"), bot_seed(43, 3, "lenin")}) == 4


def test_bad_team_level_seat_or_view_is_refused_with_a_stable_code(brest, deliberations):
    view = view_for(deliberations[0], Seat.team("lenin"))
    cases = [
        (lambda: Bot(brest, "nobody", "hard"), "bot/unknown_team"),
        (lambda: Bot(brest, "lenin", "genius"), "bot/unknown_level"),
        (lambda: Bot(brest, "lenin", "easy").decide(view_for(deliberations[0], Seat.team("central")), 1),
         "bot/wrong_seat"),
        (lambda: Bot(brest, "lenin", "hard").decide({**view, "cards": [{**view["cards"][0], "id": "nope"}]}, 1),
         "bot/bad_view"),
        (lambda: Bot(brest, "lenin", "easy").decide({**view, "scenario": "other"}, 1), "bot/bad_view"),
    ]
    for call, code in cases:
        with pytest.raises(BotError) as caught:
            call()
        assert caught.value.code == code


@pytest.mark.parametrize("level", LEVELS)
def test_nothing_to_decide_outside_deliberation(brest, level):
    briefing = new_game(brest, 3)
    assert Bot(brest, "lenin", level).decide(view_for(briefing, Seat.team("lenin")), 1) == {}
    deliberation, _ = apply(briefing, Advance())
    assert Bot(brest, "lenin", level).decide(view_for(deliberation, Seat.team("lenin")), 1)
