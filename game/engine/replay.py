"""Replays and branches: a game is its scenario, its seed and its decision log."""

from __future__ import annotations

from collections.abc import Iterable

from .decisions import Decision
from .rules import apply, new_game
from .scenario import Scenario
from .state import GameState, Phase


def replay(scenario: Scenario, seed: int, log: Iterable[Decision | dict]) -> GameState:
    """Apply every decision of ``log`` (objects or wire dicts) to a new game, in order."""
    state = new_game(scenario, seed)
    for d in log:
        state, _ = apply(state, d if isinstance(d, Decision) else Decision.from_wire(d))
    return state


def branch(state: GameState, turn: int) -> GameState:
    """A new game sharing ``state``'s log up to the briefing of ``turn``, ready to go another way."""
    if not 1 <= turn <= state.turn:
        raise ValueError(f"can branch at turns 1..{state.turn}, not {turn}")
    current = new_game(state.scenario, state.seed)
    for d in state.log:
        if current.turn == turn and current.phase is Phase.BRIEFING:
            break
        current, _ = apply(current, d)
    return current
