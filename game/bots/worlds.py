"""Sampled worlds: game states consistent with what one seat sees.

A bot never gets the true ``GameState``: it gets its seat's view. To search over
the pure engine it rebuilds a state from that view (tracks, control, flags, turn,
this turn's cards, the scheduled cards the public record implies) and fills in
what the view hides by sampling: the generator's state (the coming chance
draws), the other teams' choices and their hidden aims (see ``policy``).

Use ``world_from_view(scenario, view, rng)`` for one sampled world; the options a
team may vote for in a state are the engine's ``game.engine.voting.open_options``.
"""

from __future__ import annotations

import random
from typing import Any

from game.engine import GameState, Phase, Scenario
from game.engine.scenario import Card, Effects

from .errors import WorldError


def view_open_options(scenario: Scenario, view: dict[str, Any], team: str) -> dict[str, tuple[str, ...]]:
    """Per card of the view that ``team`` decides: the options open to it, read from the view alone."""
    if view.get("scenario") != scenario.id:
        raise WorldError(None, f"view of {view.get('scenario')!r}, bot for {scenario.id!r}")
    if view.get("phase") != str(Phase.DELIBERATION):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for entry in view["cards"]:
        card = scenario.cards.get(entry["id"])
        if card is None:
            raise WorldError(None, f"card {entry['id']!r} is not in scenario {scenario.id}")
        decider = card.team_decider.get(team)
        if decider is None:
            continue
        options = tuple(o["id"] for o in entry["options"] if o["available"] and decider in o["for"])
        if options:
            out[card.id] = options
    return out


def _branch_effects(branches: tuple, outcomes: list[dict[str, Any]], rng: random.Random) -> list[Effects]:
    """The effects of the chance branch a record's outcomes show (sampled by weight if they do not tell)."""
    if not branches:
        return []
    shown = [o for o in outcomes if o.get("kind") == "chance"]
    for o in shown:
        matches = [b for b in branches if b.outcome == o.get("text") and b.p == o.get("p")]
        if len(matches) == 1:
            return [matches[0].effects]
    picked = rng.choices(branches, weights=[b.weight for b in branches])[0]
    return [picked.effects]


def _record_effects(card: Card, entry: dict[str, Any], rng: random.Random) -> list[Effects]:
    """Every effect one resolved card applied, as far as its public record shows."""
    effects = [card.effects]
    choices: dict[str, str] = entry["choices"]
    outcomes: list[dict[str, Any]] = entry.get("outcomes") or []
    for decider in card.deciders:
        option = card.options.get(choices.get(decider, ""))
        if option is None:
            continue
        effects.append(option.effects)
        mine = [o for o in outcomes if o.get("decider") == decider]
        effects += _branch_effects(option.chance, mine, rng)
    for combo in card.combinations:
        if all(choices.get(d) == o for d, o in combo.when):
            effects.append(combo.effects)
            tail = [o for o in outcomes if o.get("kind") == "chance" and "decider" not in o]
            effects += _branch_effects(combo.chance, tail, rng)
            break
    return effects


def pending_from_view(scenario: Scenario, view: dict[str, Any], rng: random.Random) -> tuple[tuple[int, str], ...]:
    """The scheduled ``(turn, card)`` pairs still to come, rebuilt from the view's public timeline."""
    turn = int(view["turn"])
    pending: set[tuple[int, str]] = set()
    for record in view.get("timeline") or ():
        for entry in record["cards"]:
            card = scenario.cards.get(entry["card"])
            if card is None:
                raise WorldError(None, f"card {entry['card']!r} is not in scenario {scenario.id}")
            for effects in _record_effects(card, entry, rng):
                for card_id, after in effects.schedule:
                    when = int(record["turn"]) + after
                    if turn < when <= scenario.turn_count:
                        pending.add((when, card_id))
    return tuple(sorted(pending))


def world_from_view(scenario: Scenario, view: dict[str, Any], rng: random.Random) -> GameState:
    """A ``GameState`` consistent with ``view``; what the view hides is drawn from ``rng``.

    Sampled: the generator's state (so the coming chance draws), the branch of any
    past chance draw the record does not identify. Left empty: votes, direct choices,
    captains and past records (the bot sets the choices it explores; nothing it
    scores reads the rest). Raises ``WorldError`` if the view is not of ``scenario``.
    """
    if view.get("scenario") != scenario.id:
        raise WorldError(None, f"view of {view.get('scenario')!r}, bot for {scenario.id!r}")
    unknown = set(view["tracks"]) - set(scenario.tracks)
    if unknown:
        raise WorldError(None, f"unknown tracks {sorted(unknown)}")
    s = GameState.__new__(GameState)
    s.scenario = scenario
    s.seed = 0  # the session's seed is not the bot's to know
    s.rng = rng.getrandbits(64)
    s.state_id = int(view["state_id"])
    s.turn = int(view["turn"])
    s.phase = Phase(view["phase"])
    s.tracks = {t: int(view["tracks"][t]) for t in scenario.tracks}
    s.flags = frozenset(view["flags"])
    s.control = dict(view["control"])
    s.cards = tuple(c["id"] for c in view["cards"])
    for card_id in s.cards:
        if card_id not in scenario.cards:
            raise WorldError(None, f"card {card_id!r} is not in scenario {scenario.id}")
    s.pending = pending_from_view(scenario, view, rng)
    s.votes = {}
    s.choices = {}
    s.captains = {}
    s.records = ()
    s.revealed = frozenset(view.get("revealed") or ())
    s.ending = None
    s.log = ()
    s.start = None  # the world begins at the view's table: a campaign's carried start is already in it
    s.last_changes = {"tracks": dict(view.get("track_changes") or {}),
                      "control": {k: list(v) for k, v in (view.get("control_changes") or {}).items()}}
    return s


def with_choices(state: GameState, choices: dict[tuple[str, str], str]) -> GameState:
    """``state`` with these team choices set, as ``TeamChoice((team, card) -> option)`` would set them.

    For the search's hot path: the caller takes every option from ``open_options`` (this
    does not check them again), and the log does not record them (sampled worlds
    are never replayed).
    """
    n = state.clone()
    n.choices = {**state.choices, **choices}
    n.state_id = state.state_id + len(choices)
    return n
