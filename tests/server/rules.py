"""Which card and option a team may vote for, asked of the engine's rules from a client's view."""

from __future__ import annotations

from typing import Any

from game.engine import GameState, Phase, new_game, open_options

from .conftest import scenarios


def state_of(view: dict[str, Any]) -> GameState:
    """An engine state holding the view's table (turn, phase, cards, tracks, flags, control):
    what ``open_options`` reads."""
    s = new_game(scenarios(view["scenario"]), 0).clone()
    s.turn, s.phase, s.cards = view["turn"], Phase(view["phase"]), tuple(c["id"] for c in view["cards"])
    s.tracks, s.flags, s.control = dict(view["tracks"]), frozenset(view["flags"]), dict(view["control"])
    return s


def votable(view: dict[str, Any], team: str) -> list[tuple[str, list[str]]]:
    """[(card id, [option ids the team may pick])] for the cards the team decides now."""
    state = state_of(view)
    cards = state.scenario.cards
    return [(card, list(open_options(state, card, team))) for card in state.cards if team in cards[card].team_decider]
