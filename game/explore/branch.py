"""Branching a played game: the log it shares up to a chosen decision, and the path that goes
another way there.

A branch point is a decision of the source game: on ``turn``, ``team``'s choice on ``card``.
The branch shares the source's log up to that turn's briefing (``prefix_at``, the engine's
``branch``: same scenario, same seed, so the same chance draws so far), then on that turn every
other team chooses what it chose in the source game and ``team`` picks ``option`` instead
(``branch_log``). ``what_if`` plays that branch on to its end by the source game's decisions
(each team's choice per card; a stated fallback on cards the source never reached) and returns
its ``Path``; a server branch (``server/branching.py``) takes only the shared prefix and lets a
player and bots play on from the briefing.

A game that began from a carried start (a campaign lesson's ``Start``) is replayed from it: every
function here takes it as ``start`` (None: the scenario's own start), and its branches keep it.

Pure: no I/O, no clocks, no global randomness.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from game.engine import (
    Advance,
    Decision,
    GameState,
    Phase,
    Resolve,
    Scenario,
    Start,
    TeamChoice,
    apply,
    new_game,
)
from game.engine.voting import open_options

from .errors import ExploreError
from .playout import Policy, class_decisions, play_out
from .timeline import Path, _to_decisions, game_path, walk


@dataclass(frozen=True)
class BranchPoint:
    """On ``turn``, ``team`` picks ``option`` on ``card`` (instead of what it chose)."""

    turn: int
    card: str
    team: str
    option: str


def prefix_at(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]], turn: int, *,
              start: Start | None = None) -> int:
    """How many decisions of ``log`` come before ``turn``'s briefing (0 for turn 1).

    Raises ExploreError ``explore/bad_turn`` if the log never reaches that briefing."""
    if not isinstance(turn, int) or isinstance(turn, bool) or turn < 1:
        raise ExploreError("explore/bad_turn", f"a turn is a number from 1, not {turn!r}")
    state = new_game(scenario, seed, start)
    decisions = _to_decisions(log)
    for i, d in enumerate(decisions):
        if state.turn == turn and state.phase is Phase.BRIEFING:
            return i
        state, _ = apply(state, d)
    if state.turn == turn and state.phase is Phase.BRIEFING:
        return len(decisions)
    raise ExploreError("explore/bad_turn", f"the game never reached the briefing of turn {turn}")


def state_at(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]], turn: int, *,
             start: Start | None = None) -> GameState:
    """The shared state a branch at ``turn`` starts from: ``turn``'s vote, just opened."""
    decisions = _to_decisions(log)
    state = new_game(scenario, seed, start)
    for d in decisions[: prefix_at(scenario, seed, decisions, turn, start=start)]:
        state, _ = apply(state, d)
    state, _ = apply(state, Advance())
    return state


def choices_at(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]], turn: int,
               card: str, team: str, *, start: Start | None = None) -> tuple[str, ...]:
    """The options ``team`` could pick on ``card`` at ``turn`` (what a branch may choose instead)."""
    return open_options(state_at(scenario, seed, log, turn, start=start), card, team)


def branch_log(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]],
               point: BranchPoint, *, start: Start | None = None) -> list[Decision]:
    """The source's log up to ``point.turn``'s briefing, then that turn with ``point``'s choice
    and every other team's own choice from the source, resolved.

    Raises ExploreError: ``explore/bad_turn`` (the source never resolved that turn) or
    ``explore/bad_choice`` (the team does not decide that card then, or the option is not open)."""
    decisions = _to_decisions(log)
    _source, steps = walk(scenario, seed, decisions, start=start)
    step = next((t for t in steps if t.turn == point.turn), None)
    if step is None:
        raise ExploreError("explore/bad_turn", f"turn {point.turn} was not played in this game")
    cut = prefix_at(scenario, seed, decisions, point.turn, start=start)
    state = new_game(scenario, seed, start)
    out = list(decisions[:cut])
    for d in out:
        state, _ = apply(state, d)
    state, _ = apply(state, Advance())
    out.append(Advance())
    opened = open_options(state, point.card, point.team)
    if point.option not in opened:
        raise ExploreError("explore/bad_choice", f"{point.team!r} cannot pick {point.option!r} on {point.card!r} "
                                                 f"at turn {point.turn} (open: {', '.join(opened) or 'none'})")
    for c in step.cards:
        for team, option in c.team_choices.items():
            if option is not None and (c.card, team) != (point.card, point.team):
                out.append(TeamChoice(team, c.card, option))
    out.append(TeamChoice(point.team, point.card, point.option))
    out.append(Resolve())
    return out


def what_if(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]], point: BranchPoint,
            fallback: str = "default", *, history: Path | None = None, name: str = "",
            code: str | None = None, start: Start | None = None) -> Path:
    """The branch at ``point`` played to its end: after the changed turn every team chooses as it
    did in the source game wherever the same card comes up, and by ``fallback`` ("default" or
    "historical") elsewhere. ``branched_at`` is the length of the shared prefix; the branch is
    played from the source's ``start``, and its path keeps it."""
    decisions = _to_decisions(log)
    source = walk(scenario, seed, decisions, start=start)[0]
    policy = Policy(class_decisions(source), fallback).with_override(point.card, point.team, point.option)
    state = new_game(scenario, seed, start)
    for d in branch_log(scenario, seed, decisions, point, start=start):
        state, _ = apply(state, d)
    end = play_out(state, policy)
    return game_path(scenario, seed, end.log, "branch", history=history, start=start, name=name, parent=code,
                     branched_at=prefix_at(scenario, seed, decisions, point.turn, start=start))
