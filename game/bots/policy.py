"""What a bot wants and how it guesses others play: utilities, one-ply option values, playouts.

A ``Utility`` is a list of scoring terms (the engine's ``Term``): a team's public
aim plus its secret objective. A bot knows only its own secret; for every other
team it samples a hidden objective from a prior over the scenario's public
vocabulary (flags, endings, tracks) with ``sample_hidden_aim``.

``OptionValues`` scores each option by its immediate effects under a utility
(expected over chance, with the card's combinations weighed in): the one-ply look
the ``easy`` bot plays by and the plausible policy that playouts follow.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Iterable

from game.engine import Advance, GameState, Phase, Resolve, Scenario, apply
from game.engine.scenario import Branch, Card, Effects, Term
from game.engine.scoring import term_points
from game.engine.voting import open_options

from .worlds import with_choices

Utility = tuple[Term, ...]


def utility_of(s: GameState, utility: Utility) -> float:
    return sum(term_points(s, t) for t in utility)


def own_utility(scenario: Scenario, team: str) -> Utility:
    """The team's whole objective: its public aim and its own secret (which its view shows it)."""
    t = scenario.teams[team]
    return (*t.scoring, *t.secret_scoring)


_FLAGS: dict[int, tuple[Scenario, list[str]]] = {}


def scenario_flags(scenario: Scenario) -> list[str]:
    """Every flag the scenario's rules can set or clear (public rule data), sorted (computed once per scenario)."""
    known = _FLAGS.get(id(scenario))
    if known is not None and known[0] is scenario:
        return known[1]
    flags = set(scenario.flags)
    for card in scenario.cards.values():
        for e in _card_effects(card):
            flags |= e.set | e.clear
    ordered = sorted(flags)
    _FLAGS[id(scenario)] = (scenario, ordered)
    return ordered


def _card_effects(card: Card) -> Iterable[Effects]:
    yield card.effects
    for o in card.options.values():
        yield o.effects
        yield from (b.effects for b in o.chance)
    for c in card.combinations:
        yield c.effects
        yield from (b.effects for b in c.chance)


def sample_hidden_aim(scenario: Scenario, rng: random.Random) -> Utility:
    """A guess at another team's secret objective: one or two terms on flags, endings or tracks."""
    flags = scenario_flags(scenario)
    terms: list[Term] = []
    for _ in range(rng.choice((1, 2))):
        kind = rng.random()
        if kind < 0.5 and flags:
            terms.append(Term("flag", rng.choice(flags), float(rng.randint(2, 8)), unset=rng.random() < 0.4))
        elif kind < 0.75 and scenario.endings:
            terms.append(Term("ending", rng.choice(list(scenario.endings)), float(rng.randint(2, 6))))
        else:
            terms.append(Term("track", rng.choice(list(scenario.tracks)), float(rng.choice((-1, 1)))))
    return tuple(terms)


def _effects_value(e: Effects, utility: Utility) -> float:
    if e.empty:
        return 0.0
    value = 0.0
    for term in utility:
        if term.kind == "track":
            value += sum(term.points * d for t, d in e.tracks if t == term.target)
        elif term.kind == "flag":
            sign = -1.0 if term.unset else 1.0
            if term.target in e.set:
                value += sign * term.points
            if term.target in e.clear:
                value -= sign * term.points
        elif term.kind == "control":
            for region, who in e.control:
                if region in term.target:
                    value += term.points if who == term.by else -0.5 * term.points
        elif term.kind == "ending" and e.end == term.target:
            value += term.points
    return value


def _chance_value(branches: tuple[Branch, ...], utility: Utility) -> float:
    return sum(b.p * _effects_value(b.effects, utility) for b in branches)


class OptionValues:
    """One-ply values of every option for one utility: ``values[card][decider][option]``."""

    def __init__(self, scenario: Scenario, utility: Utility) -> None:
        self.values: dict[str, dict[str, dict[str, float]]] = {}
        for card in scenario.cards.values():
            per_decider: dict[str, dict[str, float]] = {}
            for decider in card.deciders:
                row = {}
                for o in card.options.values():
                    if decider not in o.deciders:
                        continue
                    v = _effects_value(o.effects, utility) + _chance_value(o.chance, utility)
                    for combo in card.combinations:
                        when = dict(combo.when)
                        if when.get(decider) == o.id:
                            weight = 1.0 if len(when) == 1 else 0.5
                            v += weight * (_effects_value(combo.effects, utility) + _chance_value(combo.chance, utility))
                    row[o.id] = v
                per_decider[decider] = row
            self.values[card.id] = per_decider

    def of(self, card: Card, team: str, option: str) -> float:
        return self.values[card.id][card.team_decider[team]][option]


def softmax_pick(options: tuple[str, ...], values: list[float], temperature: float, rng: random.Random) -> str:
    """One option drawn with probability proportional to exp(value / temperature)."""
    if len(options) == 1:
        return options[0]
    top = max(values)
    weights = [math.exp((v - top) / temperature) for v in values]
    return rng.choices(options, weights=weights)[0]


_UNSEEN: tuple[str, ...] = ("<unseen>",)


class PlausiblePolicy:
    """How the bot expects a team to play: softmax over one-ply values, with some plain mistakes.

    ``pick`` caches the softmax weights per (card, team, open options): playouts ask the
    same question many thousand times per decision.
    """

    def __init__(self, values: OptionValues, temperature: float = 1.5, mistakes: float = 0.15) -> None:
        self.values = values
        self.temperature = temperature
        self.mistakes = mistakes
        self._weights: dict[tuple[str, str, tuple[str, ...]], list[float]] = {}
        self._static: dict[tuple[str, str], tuple[str, ...] | None] = {}  # None: its options have conditions

    def pick(self, state: GameState, card_id: str, team: str, rng: random.Random) -> str | None:
        in_play = state.phase is Phase.DELIBERATION and card_id in state.cards
        static = self._static.get((card_id, team), _UNSEEN) if in_play else None
        if static is _UNSEEN:
            # where no option has conditions, the open ones are the same in every deliberation state
            static = self._static[(card_id, team)] = (
                open_options(state, card_id, team) if _unconditional(state.scenario.cards[card_id], team) else None)
        options = static if static is not None else open_options(state, card_id, team)
        if not options:
            return None
        if rng.random() < self.mistakes:
            return options[int(rng.random() * len(options))]
        key = (card_id, team, options)
        cumulative = self._weights.get(key)
        if cumulative is None:
            card = state.scenario.cards[card_id]
            values = [self.values.of(card, team, o) for o in options]
            top = max(values)
            cumulative = list(itertools.accumulate(math.exp((v - top) / self.temperature) for v in values))
            self._weights[key] = cumulative
        return options[bisect.bisect_right(cumulative, rng.random() * cumulative[-1], hi=len(options) - 1)]


def _unconditional(card: Card, team: str) -> bool:
    """Whether every option ``team``'s decider has on ``card`` is open whatever the state (no ``requires``)."""
    decider = card.team_decider.get(team)
    return decider is not None and all(
        not (o.requires.tracks or o.requires.flags or o.requires.not_flags or o.requires.control)
        for o in card.options.values() if decider in o.deciders)


def choose_all(state: GameState, policies: dict[str, PlausiblePolicy], rng: random.Random,
               skip: str | None = None) -> GameState:
    """Every team but ``skip`` makes its choice on every current card by its policy.

    The choices are drawn from ``open_options`` and set in one step with ``with_choices``
    (what a ``TeamChoice`` per team would do, without an ``apply`` each: playouts make many).
    """
    cards = state.scenario.cards
    picked: dict[tuple[str, str], str] = {}
    for card_id in state.cards:
        for team in cards[card_id].team_decider:
            if team == skip or (card_id, team) in state.choices:
                continue
            option = policies[team].pick(state, card_id, team, rng)
            if option is not None:
                picked[(card_id, team)] = option
    return with_choices(state, picked) if picked else state


PLAYOUT_OVERHEAD = 15  # work units one playout costs besides its turns (setting up, scoring)


def turn_work(state: GameState) -> int:
    """Work units of resolving the current turn: per card, one for the card and one per deciding team.

    Search budgets are counted in these units, not in seconds or playouts: a replay makes
    the same choices on any machine, and a scenario with more cards or teams per turn gets
    proportionally fewer playouts (so about the same decision time).
    """
    cards = state.scenario.cards
    return sum(1 + len(cards[c].team_decider) for c in state.cards)


def playout(state: GameState, policies: dict[str, PlausiblePolicy], rng: random.Random,
            horizon: int | None = None) -> tuple[GameState, int]:
    """Resolve the open vote (choices already set) and play on with ``policies``.

    Stops at the end of the game, or after ``horizon`` further turns have been resolved.
    Returns the final state and the work it took (``turn_work`` per turn, plus the overhead).
    """
    work = PLAYOUT_OVERHEAD
    if state.phase is Phase.DELIBERATION:
        work += turn_work(state)
        state, _ = apply(state, Resolve())
    stop = None if horizon is None else state.turn + horizon
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            work += turn_work(state)
            state = choose_all(state, policies, rng)
            state, _ = apply(state, Resolve())
            if stop is not None and state.turn >= stop:
                break
        else:
            state, _ = apply(state, Advance())
    return state, work
