"""How likely was this? A finished game's decisions replayed over many chance draws.

``how_likely(scenario, seed, log)`` replays the class's decisions (each team's own choice on each
card it decided; on cards the class never reached, or whose option is closed on that draw, the
stated ``fallback``: the card's default or the historical choice) on ``draws`` games whose seeds
are ``draw_seed(seed, 0..draws-1)``, and counts the endings. Every one of those games begins where
the class's did: from its carried ``start`` (a campaign lesson's), or the scenario's own when
``start`` is None. Then, for every decision the class made,
it replays the first ``alt_draws`` of those games with each other option the team had on that
card, and measures how far that moves the ending distribution: the total-variation distance
(half the sum of the absolute differences of the endings' shares) between the alternative's
endings and the class's endings on the same draws (common random numbers, so the difference is
the decision's and not the dice's). A game is replayed from the vote in which the card first
came up on that draw (the same state as the class's game up to there), so an alternative costs
less than a whole game.

Deterministic for a given ``seed`` and counts. Bounded: by ``draws`` and ``alt_draws``, and, with
an injected ``clock`` (seconds) and ``budget``, by time: it stops when the budget is spent and
says so (``complete`` False). ``progress(fraction)`` is called as the work goes (from whatever
thread runs it). Pure: the clock is the caller's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from game.engine import Advance, Decision, GameState, Phase, Scenario, Start, apply, new_game, replay

from .errors import ExploreError
from .playout import Policy, check_fallback, class_decisions, decide_turn, play_out

MAX_DRAWS = 100_000


def draw_seed(seed: int, index: int) -> int:
    """The seed of the ``index``-th chance draw of an odds run seeded ``seed`` (a one-way hash)."""
    data = f"crossroads-odds:{seed}:{index}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def tv_distance(a: dict[str | None, int], b: dict[str | None, int]) -> float:
    """Total-variation distance between two ending counts (as shares): 0 same, 1 disjoint."""
    na, nb = sum(a.values()), sum(b.values())
    if not na or not nb:
        return 0.0
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


@dataclass(frozen=True)
class Alternative:
    """One other option on one decision: the endings over the alternatives' draws."""

    option: str
    endings: dict[str | None, int]
    reached: int  # on how many of those draws the card came up (elsewhere nothing changed)
    tv: float     # distance from the class's endings on the same draws

    def to_dict(self) -> dict[str, Any]:
        return {"option": self.option, "endings": dict(self.endings), "reached": self.reached,
                "tv": round(self.tv, 6)}


@dataclass(frozen=True)
class DecisionOdds:
    """One decision of the class (``team`` on ``card`` at ``turn``; ``chosen`` None: left to the
    default) and what each other option would have done to the odds."""

    turn: int
    card: str
    team: str
    chosen: str | None
    alternatives: tuple[Alternative, ...]

    @property
    def best(self) -> Alternative | None:
        """The alternative that moved the odds most (the first of equals)."""
        return max(self.alternatives, key=lambda a: a.tv, default=None)

    def to_dict(self) -> dict[str, Any]:
        best = self.best
        return {"turn": self.turn, "card": self.card, "team": self.team, "chosen": self.chosen,
                "alternatives": [a.to_dict() for a in self.alternatives],
                "best": best.option if best else None, "tv": round(best.tv, 6) if best else 0.0}


@dataclass(frozen=True)
class Odds:
    """The ending distribution of the class's decisions, and which decision moved it most."""

    scenario: str
    seed: int
    fallback: str
    draws: int                        # games played for ``endings``
    alt_draws: int                    # games per alternative (the first ones of ``draws``)
    endings: dict[str | None, int]    # every scenario ending (0 where it never came), in scenario order
    base_alt: dict[str | None, int]   # the class's endings on the first ``alt_draws`` games
    class_ending: str | None          # the ending the class's game reached (None: ended early / unfinished)
    decisions: tuple[DecisionOdds, ...]
    complete: bool                    # False: the time budget ran out first (figures so far)
    games: int = 0                    # games (or part-games) played in all
    notes: tuple[str, ...] = field(default=())

    def share(self, ending: str | None) -> float:
        return self.endings.get(ending, 0) / self.draws if self.draws else 0.0

    @property
    def most_moved(self) -> DecisionOdds | None:
        """The decision whose best alternative moved the ending distribution most (None: none did)."""
        moved = [d for d in self.decisions if d.best is not None and d.best.tv > 0]
        return max(moved, key=lambda d: d.best.tv if d.best else 0.0, default=None)

    def to_dict(self) -> dict[str, Any]:
        most = self.most_moved
        return {"scenario": self.scenario, "seed": self.seed, "fallback": self.fallback, "draws": self.draws,
                "alt_draws": self.alt_draws, "endings": {str(k): v for k, v in self.endings.items()},
                "class_ending": self.class_ending, "complete": self.complete, "games": self.games,
                "most_moved": most.to_dict() if most else None,
                "decisions": [d.to_dict() for d in self.decisions]}


def _alternatives(scenario: Scenario, card_id: str, team: str, chosen: str | None) -> list[str]:
    card = scenario.cards[card_id]
    decider = card.team_decider[team]
    taken = chosen if chosen is not None else card.default.get(decider)
    return [o.id for o in card.options.values() if decider in o.deciders and o.id != taken]


class _Clock:
    def __init__(self, clock: Callable[[], float] | None, budget: float | None) -> None:
        self.clock = clock
        self.deadline = None if clock is None or budget is None else clock() + budget

    def out(self) -> bool:
        return self.deadline is not None and self.clock is not None and self.clock() >= self.deadline


def _play_caching(state: GameState, policy: Policy, seen: dict[str, GameState] | None) -> GameState:
    """Play to the end; in ``seen``, the state at the opening of the vote in which each card came up."""
    steps = 0
    while state.phase is not Phase.ENDED:
        steps += 1
        if steps > 1000:
            raise ExploreError("explore/no_end", f"{state.scenario.id} did not end within 1000 steps")
        if state.phase is Phase.DELIBERATION:
            if seen is not None:
                for c in state.cards:
                    seen.setdefault(c, state)
            state = decide_turn(state, policy)
        else:
            state, _ = apply(state, Advance())
    return state


def how_likely(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]], *, odds_seed: int = 0,
               draws: int = 2000, alt_draws: int = 200, fallback: str = "default",
               clock: Callable[[], float] | None = None, budget: float | None = None,
               progress: Callable[[float], None] | None = None, start: Start | None = None) -> Odds:
    """The odds of the game ``(scenario, seed, log)``'s decisions over ``draws`` chance draws.

    Raises ExploreError ``explore/bad_count`` (draws outside 1..100,000, alt_draws outside
    0..draws) or ``explore/bad_fallback``; the engine's errors for a log that does not replay
    or a ``start`` that does not fit the scenario (``game/bad_start``)."""
    if not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise ExploreError("explore/bad_count", f"draws must be 1..{MAX_DRAWS}, not {draws!r}")
    if not isinstance(alt_draws, int) or not 0 <= alt_draws <= draws:
        raise ExploreError("explore/bad_count", f"alt_draws must be 0..draws ({draws}), not {alt_draws!r}")
    check_fallback(fallback)
    source = replay(scenario, seed, log, start)
    policy = Policy(class_decisions(source), fallback)
    timer = _Clock(clock, budget)

    asked: list[tuple[int, str, str, str | None, list[str]]] = []
    for record in source.records:
        for entry in record["cards"]:
            for team, chosen in entry["team_choices"].items():
                asked.append((record["turn"], entry["card"], team, chosen,
                              _alternatives(scenario, entry["card"], team, chosen)))
    work = draws + alt_draws * sum(len(a[4]) for a in asked)
    done = 0

    def step(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None and (done % 50 == 0 or done == work):
            progress(min(1.0, done / work))

    endings: dict[str | None, int] = dict.fromkeys(scenario.endings, 0)
    base_endings: list[str | None] = []
    seen: list[dict[str, GameState]] = []
    complete = True
    games = 0
    for i in range(draws):
        if timer.out():
            complete = False
            break
        cache: dict[str, GameState] | None = {} if i < alt_draws else None
        end = _play_caching(new_game(scenario, draw_seed(odds_seed, i), start), policy, cache)
        games += 1
        endings[end.ending] = endings.get(end.ending, 0) + 1
        if cache is not None:
            base_endings.append(end.ending)
            seen.append(cache)
        step()
    played = sum(endings.values())
    base_alt: dict[str | None, int] = {}
    for e in base_endings:
        base_alt[e] = base_alt.get(e, 0) + 1

    results: list[DecisionOdds] = []
    for turn, card, team, chosen, options in asked:
        alternatives: list[Alternative] = []
        for option in options:
            if not complete or timer.out():
                complete = False
                break
            other = policy.with_override(card, team, option)
            counts: dict[str | None, int] = {}
            reached = 0
            for i, cache in enumerate(seen):
                opened = cache.get(card)
                if opened is None or team not in scenario.cards[card].team_decider:
                    ending = base_endings[i]  # the card never came up: this draw goes as the class's did
                else:
                    reached += 1
                    ending = play_out(opened, other).ending
                    games += 1
                counts[ending] = counts.get(ending, 0) + 1
            step(len(seen))
            alternatives.append(Alternative(option, counts, reached, tv_distance(counts, base_alt)))
        results.append(DecisionOdds(turn, card, team, chosen, tuple(alternatives)))
    if progress is not None:
        progress(1.0)
    class_ending = source.ending if source.phase is Phase.ENDED else None
    return Odds(scenario.id, odds_seed, fallback, played, len(seen), endings, base_alt, class_ending,
                tuple(results), complete, games)
