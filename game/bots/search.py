"""The search behind ``normal`` and ``hard``: regret matching over the bot's own options at the root.

Each iteration takes one sampled world (the generator's state, the other teams'
hidden aims), samples the other deciders' choices this turn from their plausible
policies, and plays every one of the bot's candidate actions out on that *same*
world with the *same* playout dice (common random numbers), so differences in
outcome come from the action alone. The regrets drive regret matching; actions
that are clearly worse than the best (paired difference well beyond its noise)
are dropped early. The answer is drawn from the average strategy (its small
shares trimmed), so a bot is not predictable, yet replays exactly with its seed.

The budget is counted in work units (``policy.turn_work``: cards and deciding teams
per simulated turn), never in seconds, so a replay on another machine makes the
same choices (``max_seconds`` is an optional safety net only), and a scenario with
busier turns gets fewer playouts rather than slower decisions.
"""

from __future__ import annotations

import itertools
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
    max_actions: int = 24  # joint actions kept (the best by one-ply value)
    prune_after: int = 12  # iterations before clear losers may be dropped
    trim: float = 0.08  # average-strategy shares below this are not played
    max_seconds: float | None = None
    rank_bonus: float = 0.0  # points a playout's end is worth more where the bot ranks first (shared ties)


@dataclass
class SearchResult:
    action: Action
    strategy: dict[Action, float]
    means: dict[Action, float]
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

    def actions(self, view: dict[str, Any], limit: int) -> list[Action]:
        """The bot's joint actions now (one option per card it decides), best one-ply value first."""
        open_now = view_open_options(self.scenario, view, self.team)
        cards = sorted(open_now)
        per_card = [[(c, o) for o in open_now[c]] for c in cards]
        combos = [tuple(a) for a in itertools.product(*per_card)] if cards else []

        def value(a: Action) -> float:
            return sum(self.own_values.of(self.scenario.cards[c], self.team, o) for c, o in a)

        combos.sort(key=value, reverse=True)
        return combos[:limit]

    def search(self, view: dict[str, Any], rng: random.Random, config: SearchConfig) -> SearchResult | None:
        actions = self.actions(view, config.max_actions)
        if not actions:
            return None
        if len(actions) == 1:
            return SearchResult(actions[0], {actions[0]: 1.0}, {}, 0, 0)
        worlds = [self._sample_world(view, rng) for _ in range(config.worlds)]
        alive = list(range(len(actions)))
        regret = [0.0] * len(actions)
        strategy_sum = [0.0] * len(actions)
        totals = [0.0] * len(actions)
        # paired differences against action 0's running leader, for pruning
        samples: list[list[float]] = [[] for _ in actions]
        start = time.perf_counter()
        used = 0
        iteration = 0
        playouts = 0
        while used < config.work and playouts < config.max_playouts:
            if config.max_seconds is not None and time.perf_counter() - start > config.max_seconds:
                break
            world = worlds[iteration % len(worlds)]
            base = choose_all(world.state, world.policies, rng, skip=self.team).clone()
            base.rng = rng.getrandbits(64)  # fresh chance draws, shared by every action of this iteration
            dice = rng.getrandbits(64)
            utilities: dict[int, float] = {}
            for i in alive:
                s = base
                for card, option in actions[i]:
                    s, _ = apply(s, TeamChoice(self.team, card, option))
                end, work = playout(s, world.policies, random.Random(dice), config.horizon)
                utilities[i] = self._worth(end, world, config.rank_bonus)
                used += work
                playouts += 1
            positive = [max(regret[i], 0.0) for i in alive]
            norm = sum(positive)
            sigma = [p / norm for p in positive] if norm > 0 else [1.0 / len(alive)] * len(alive)
            expected = sum(sg * utilities[i] for sg, i in zip(sigma, alive, strict=True))
            for sg, i in zip(sigma, alive, strict=True):
                regret[i] += utilities[i] - expected
                strategy_sum[i] += sg
                totals[i] += utilities[i]
                samples[i].append(utilities[i])
            iteration += 1
            if iteration >= config.prune_after and len(alive) > 2:
                alive = _prune(alive, samples)
        means = {actions[i]: totals[i] / max(1, len(samples[i])) for i in range(len(actions)) if samples[i]}
        shares = {actions[i]: strategy_sum[i] for i in alive}
        total = sum(shares.values())
        if total <= 0:
            shares = {actions[i]: 1.0 for i in alive}
            total = float(len(alive))
        strategy = {a: v / total for a, v in shares.items()}
        kept = {a: p for a, p in strategy.items() if p >= config.trim} or strategy
        pick = rng.choices(list(kept), weights=list(kept.values()))[0]
        return SearchResult(pick, strategy, means, iteration, playouts)


def _prune(alive: list[int], samples: list[list[float]]) -> list[int]:
    """Drop actions whose paired shortfall against the current best is beyond 3 standard errors."""
    n = len(samples[alive[0]])
    best = max(alive, key=lambda i: sum(samples[i][-n:]))
    keep = []
    for i in alive:
        if i == best:
            keep.append(i)
            continue
        diffs = [b - a for a, b in zip(samples[i][-n:], samples[best][-n:], strict=True)]
        mean = sum(diffs) / n
        var = sum((d - mean) ** 2 for d in diffs) / max(1, n - 1)
        if mean > 0.5 and mean > 3.0 * math.sqrt(var / n):
            continue
        keep.append(i)
    return keep
