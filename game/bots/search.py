"""The search behind ``normal`` and ``hard``: regret matching over the bot's own options, card by card.

The bot may decide several cards in one turn. Their joint actions multiply (three cards of
three options are 27), so the search keeps one regret-matching learner per card
("decoupled": each card's options against the other cards' current strategies) instead of
one over the joint actions: each iteration costs one playout per option, not per combination,
and no joint action is cut for lack of budget.

Each iteration takes one sampled world (the generator's state, the other teams' hidden aims
and how they play), samples the other deciders' choices this turn from their plausible
policies and the bot's own choice on every card from its current strategy, then plays every
option of every card out on that *same* world with the *same* playout dice (common random
numbers), the bot's other cards held at their sampled choice, so differences in outcome come
from the option alone. The regrets drive regret matching; options clearly worse than the
card's best (paired difference well beyond its noise) are dropped early. The answer on each
card is drawn from that card's average strategy (small shares trimmed), so a bot is not
predictable, yet replays exactly with its seed.

A playout's end is worth the bot's score (its public aim and its secret), plus
``rank_bonus`` times its share of first place among the scores it guesses for the others
(their public aims and a sampled secret): a team that plays to win, not only to score.

The budget is counted in work units (``policy.turn_work``: cards and deciding teams
per simulated turn), never in seconds, so a replay on another machine makes the
same choices (``max_seconds`` is an optional safety net only), and a scenario with
busier turns gets fewer playouts rather than slower decisions.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Any

from game.engine import GameState, Scenario, TeamChoice, apply

from .policy import (
    OptionValues,
    PlausiblePolicy,
    Utility,
    choose_all,
    own_utility,
    playout,
    sample_hidden_aim,
    utility_of,
)
from .worlds import view_open_options, world_from_view

Action = tuple[tuple[str, str], ...]  # ((card, option), ...) for every card the bot decides now


@dataclass(frozen=True)
class SearchConfig:
    work: int  # total work budget for one decision (policy.turn_work units)
    max_playouts: int  # and at most this many playouts (short playouts late in a game cost more than their units)
    worlds: int  # distinct sampled worlds, cycled through
    horizon: int | None  # further turns per playout (None: to the end of the game)
    prune_after: int = 12  # iterations before clear losers may be dropped
    trim: float = 0.08  # average-strategy shares below this are not played
    max_seconds: float | None = None
    rank_bonus: float = 0.0  # points a playout's end is worth more where the bot ranks first (shared ties)


@dataclass
class SearchResult:
    """The search's answer: one option per card (``action``), and per card its average strategy and mean worths."""

    action: Action
    strategy: dict[str, dict[str, float]]
    means: dict[str, dict[str, float]]
    iterations: int
    playouts: int


class _World:
    """One sampled world: a state, how every team plays in it, and what the bot guesses the others score."""

    __slots__ = ("policies", "rivals", "state")

    def __init__(self, state: GameState, policies: dict[str, PlausiblePolicy], rivals: dict[str, Utility]) -> None:
        self.state = state
        self.policies = policies
        self.rivals = rivals


class Searcher:
    """Per-bot search machinery (one per scenario and team; reused across decisions)."""

    def __init__(self, scenario: Scenario, team: str) -> None:
        self.scenario = scenario
        self.team = team
        self.utility = own_utility(scenario, team)
        self.own_values = OptionValues(scenario, self.utility)
        self.own_policy = PlausiblePolicy(self.own_values, temperature=1.0, mistakes=0.05)
        self._public_values = {
            t: OptionValues(scenario, tuple(scenario.teams[t].scoring)) for t in scenario.teams if t != team
        }

    def _sample_world(self, view: dict[str, Any], rng: random.Random) -> _World:
        state = world_from_view(self.scenario, view, rng)
        policies: dict[str, PlausiblePolicy] = {self.team: self.own_policy}
        rivals: dict[str, Utility] = {}
        for t in self.scenario.teams:
            if t == self.team:
                continue
            aim = (*self.scenario.teams[t].scoring, *sample_hidden_aim(self.scenario, rng))
            rivals[t] = aim  # what the bot guesses the team scores: its public aim and a sampled secret
            # about half the time the other team plays to its public aim alone
            values = self._public_values[t] if rng.random() < 0.5 else OptionValues(self.scenario, aim)
            policies[t] = PlausiblePolicy(values, temperature=rng.uniform(1.0, 3.0), mistakes=rng.uniform(0.05, 0.6))
        return _World(state, policies, rivals)

    def _worth(self, end: GameState, world: _World, rank_bonus: float) -> float:
        """The bot's utility of a playout's end: its score, plus ``rank_bonus`` times its share of first place
        among the guessed scores of the others."""
        own = utility_of(end, self.utility)
        if not rank_bonus:
            return own
        ahead = 1
        for aim in world.rivals.values():
            other = utility_of(end, aim)
            if other > own:
                return own
            ahead += other == own
        return own + rank_bonus / ahead

    def actions(self, view: dict[str, Any]) -> dict[str, list[str]]:
        """The options open to the bot on each card it decides now, best one-ply value first."""
        open_now = view_open_options(self.scenario, view, self.team)
        out = {}
        for card_id in sorted(open_now):
            card = self.scenario.cards[card_id]
            out[card_id] = sorted(open_now[card_id], key=lambda o: -self.own_values.of(card, self.team, o))
        return out

    def search(self, view: dict[str, Any], rng: random.Random, config: SearchConfig) -> SearchResult | None:
        options = self.actions(view)
        if not options:
            return None
        cards = list(options)
        if all(len(o) == 1 for o in options.values()):
            only = tuple((c, options[c][0]) for c in cards)
            return SearchResult(only, {c: {options[c][0]: 1.0} for c in cards}, {}, 0, 0)
        learners = {c: _Learner(options[c]) for c in cards}
        worlds = [self._sample_world(view, rng) for _ in range(config.worlds)]
        start = time.perf_counter()
        used = iteration = playouts = 0
        while used < config.work and playouts < config.max_playouts:
            if config.max_seconds is not None and time.perf_counter() - start > config.max_seconds:
                break
            world = worlds[iteration % len(worlds)]
            base = choose_all(world.state, world.policies, rng, skip=self.team).clone()
            base.rng = rng.getrandbits(64)  # fresh chance draws, shared by every option of this iteration
            dice = rng.getrandbits(64)
            sampled = {c: learners[c].sample(rng) for c in cards}
            cache: dict[tuple[tuple[str, str], ...], float] = {}
            for c in cards:
                utilities: dict[str, float] = {}
                for option in learners[c].alive:
                    action = tuple((k, option if k == c else sampled[k]) for k in cards)
                    value = cache.get(action)
                    if value is None:
                        state = base
                        for card, chosen in action:
                            state, _ = apply(state, TeamChoice(self.team, card, chosen))
                        end, work = playout(state, world.policies, random.Random(dice), config.horizon)
                        value = cache[action] = self._worth(end, world, config.rank_bonus)
                        used += work
                        playouts += 1
                    utilities[option] = value
                learners[c].update(utilities)
            iteration += 1
            if iteration >= config.prune_after:
                for learner in learners.values():
                    learner.prune()
        picks = tuple((c, learners[c].pick(rng, config.trim)) for c in cards)
        return SearchResult(picks, {c: learners[c].average() for c in cards},
                            {c: learners[c].means() for c in cards}, iteration, playouts)


class _Learner:
    """Regret matching over one card's options, with paired samples for dropping clear losers."""

    def __init__(self, options: list[str]) -> None:
        self.options = options
        self.alive = list(options)
        self.regret = dict.fromkeys(options, 0.0)
        self.strategy_sum = dict.fromkeys(options, 0.0)
        self.samples: dict[str, list[float]] = {o: [] for o in options}

    def current(self) -> dict[str, float]:
        positive = {o: max(self.regret[o], 0.0) for o in self.alive}
        norm = sum(positive.values())
        if norm <= 0:
            return {o: 1.0 / len(self.alive) for o in self.alive}
        return {o: p / norm for o, p in positive.items()}

    def sample(self, rng: random.Random) -> str:
        sigma = self.current()
        return rng.choices(list(sigma), weights=list(sigma.values()))[0] if len(sigma) > 1 else self.alive[0]

    def update(self, utilities: dict[str, float]) -> None:
        sigma = self.current()
        expected = sum(sigma[o] * utilities[o] for o in self.alive)
        for o in self.alive:
            self.regret[o] += utilities[o] - expected
            self.strategy_sum[o] += sigma[o]
            self.samples[o].append(utilities[o])

    def prune(self) -> None:
        if len(self.alive) > 2:
            self.alive = _prune(self.alive, self.samples)

    def average(self) -> dict[str, float]:
        shares = {o: self.strategy_sum[o] for o in self.alive}
        total = sum(shares.values())
        if total <= 0:
            return {o: 1.0 / len(self.alive) for o in self.alive}
        return {o: v / total for o, v in shares.items()}

    def means(self) -> dict[str, float]:
        return {o: sum(v) / len(v) for o, v in self.samples.items() if v}

    def pick(self, rng: random.Random, trim: float) -> str:
        strategy = self.average()
        kept = {o: p for o, p in strategy.items() if p >= trim} or strategy
        return rng.choices(list(kept), weights=list(kept.values()))[0]


def _prune(alive: list[str], samples: dict[str, list[float]]) -> list[str]:
    """Drop options whose paired shortfall against the current best is beyond 3 standard errors."""
    n = len(samples[alive[0]])
    best = max(alive, key=lambda o: sum(samples[o][-n:]))
    keep = []
    for o in alive:
        if o == best:
            keep.append(o)
            continue
        diffs = [b - a for a, b in zip(samples[o][-n:], samples[best][-n:], strict=True)]
        mean = sum(diffs) / n
        var = sum((d - mean) ** 2 for d in diffs) / max(1, n - 1)
        if mean > 0.5 and mean > 3.0 * math.sqrt(var / n):
            continue
        keep.append(o)
    return keep
