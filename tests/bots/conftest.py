from __future__ import annotations

import random

import pytest

from game.engine import Advance, GameState, Phase, Resolve, TeamChoice, apply, new_game
from game.engine.voting import open_options
from game.scenarios import builtin_scenario


@pytest.fixture(scope="session")
def brest():
    return builtin_scenario("brest-1918")


def random_deliberations(scenario, seed: int, turns: int | None = None) -> list[GameState]:
    """The deliberation states of one randomly played game (before anyone chooses)."""
    whims = random.Random(seed)
    state = new_game(scenario, seed)
    out = []
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            out.append(state)
            if turns is not None and len(out) >= turns:
                break
            for card in state.cards:
                for team in scenario.cards[card].team_decider:
                    options = open_options(state, card, team)
                    if options:
                        state, _ = apply(state, TeamChoice(team, card, whims.choice(options)))
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
    return out


@pytest.fixture(scope="session")
def deliberations(brest):
    """Deliberation states from a few random games, every turn (covers scheduled cards and off-path turns)."""
    states = []
    for seed in range(4):
        states += random_deliberations(brest, seed)
    return states
