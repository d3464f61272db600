from __future__ import annotations

import random

import pytest

from game.engine import Advance, Phase, Resolve, Vote, apply, new_game
from game.engine.voting import open_options
from game.scenarios import builtin_scenario, builtin_scenario_ids


def class_game(scenario, seed: int, *, abstain: float = 0.15, end_after: int | None = None, start=None):
    """A game played as a class plays it: players vote (p1, p2 per team), some teams leave a card
    to its default; ``end_after`` stops the log after that many resolved turns (a saved game);
    ``start``: a campaign lesson's carried start (None: the scenario's own)."""
    whims = random.Random(seed * 7 + 1)
    state = new_game(scenario, seed, start)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            for card in state.cards:
                for team in scenario.cards[card].team_decider:
                    options = open_options(state, card, team)
                    if not options or whims.random() < abstain:
                        continue
                    for player in ("p1", "p2"):
                        state, _ = apply(state, Vote(team, f"{team}-{player}", card, whims.choice(options)))
            state, _ = apply(state, Resolve())
            if end_after is not None and len(state.records) >= end_after:
                break
        else:
            state, _ = apply(state, Advance())
    return state


@pytest.fixture(scope="session")
def brest():
    return builtin_scenario("brest-1918")


@pytest.fixture(scope="session", params=builtin_scenario_ids())
def scenario(request):
    return builtin_scenario(request.param)
