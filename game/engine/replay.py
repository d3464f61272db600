"""Replays and branches: a game is its scenario, its seed and its decision log."""

from __future__ import annotations

from collections.abc import Iterable

from .decisions import Decision
from .errors import InvalidQuery
from .rules import apply, new_game
from .scenario import Scenario
from .start import Start
from .state import GameState, Phase


def replay(scenario: Scenario, seed: int, log: Iterable[Decision | dict], start: Start | None = None) -> GameState:
    """Apply every decision of ``log`` (objects or wire dicts) to a new game, in order.

    ``start`` is the game's carried start, if it had one (a campaign's later lesson).
    Raises EngineError only: ``game/bad_seed``, ``game/bad_start``, ``query/bad_log`` (not a
    sequence), or the first decision's InvalidDecision / IllegalDecision.
    """
    if isinstance(log, str | bytes | dict) or not isinstance(log, Iterable):
        raise InvalidQuery("query/bad_log", "a log is a sequence of decisions or wire dicts")
    state = new_game(scenario, seed, start)
    for d in log:
        state, _ = apply(state, d if isinstance(d, Decision) else Decision.from_wire(d))
    return state


def branch(state: GameState, turn: int) -> GameState:
    """A new game sharing ``state``'s log up to the briefing of ``turn``, ready to go another way.

    Raises InvalidQuery (``query/bad_turn``) unless ``1 <= turn <= state.turn``.
    """
    if not isinstance(turn, int) or isinstance(turn, bool) or not 1 <= turn <= state.turn:
        raise InvalidQuery("query/bad_turn", f"can branch at turns 1..{state.turn}, not {turn!r}")
    current = new_game(state.scenario, state.seed, state.start)
    for d in state.log:
        if current.turn == turn and current.phase is Phase.BRIEFING:
            break
        current, _ = apply(current, d)
    return current
