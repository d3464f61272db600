"""Headless playthroughs with random legal decisions, for balance checks and benchmarks.

The simulator's own dice are a separate seeded generator (the *players'*
whims), never the game's: the game's chance still comes from its state.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from game.engine import (
    Advance,
    GameState,
    Phase,
    Resolve,
    Scenario,
    TeamChoice,
    apply,
    new_game,
    open_options,
    scores,
)


def random_playthrough(scenario: Scenario, seed: int, players: random.Random, abstain: float = 0.1) -> tuple[GameState, int]:
    """Play one game to its end: each deciding team picks a random available option
    (or, with probability ``abstain``, leaves it to the default). Returns (final state, transitions)."""
    state = new_game(scenario, seed)
    transitions = 0
    cards = scenario.cards
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            for card_id in state.cards:
                card = cards[card_id]
                for team in card.team_decider:
                    if players.random() < abstain:
                        continue
                    options = open_options(state, card_id, team)
                    if options:
                        state, _ = apply(state, TeamChoice(team, card_id, players.choice(options)))
                        transitions += 1
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
        transitions += 1
    return state, transitions


CORE_BAR = 0.9  # a core card should come up in at least this share of random games


def core_cards_under_bar(scenario: Scenario, summary: Summary) -> list[str]:
    """The scenario's core cards that came up in fewer than ``CORE_BAR`` of the games."""
    games = summary.games or 1
    return [c for c in scenario.core_cards if summary.cards.get(c, 0) / games < CORE_BAR]


@dataclass
class Summary:
    """What ``simulate`` counted: endings, cards drawn, options chosen, and each team's totals."""

    games: int = 0
    transitions: int = 0
    endings: Counter = field(default_factory=Counter)
    cards: Counter = field(default_factory=Counter)
    options: Counter = field(default_factory=Counter)
    scores: dict[str, list[float]] = field(default_factory=dict)

    def add(self, state: GameState, transitions: int) -> None:
        self.games += 1
        self.transitions += transitions
        self.endings[state.ending] += 1
        for record in state.records:
            for entry in record["cards"]:
                self.cards[entry["card"]] += 1
                for decider, option in entry["choices"].items():
                    self.options[(entry["card"], decider, option)] += 1
        for team, s in scores(state).items():
            self.scores.setdefault(team, []).append(s["total"])


def simulate(scenario: Scenario, games: int, players: random.Random, seed: int = 0) -> Summary:
    """Play ``games`` random games. ``players`` (a seeded ``random.Random``) makes the teams' picks;
    game ``i`` is seeded ``seed * 1_000_003 + i``, so the same generator state and seed give the same figures."""
    summary = Summary()
    for i in range(games):
        state, transitions = random_playthrough(scenario, seed * 1_000_003 + i, players)
        summary.add(state, transitions)
    return summary


def format_summary(scenario: Scenario, summary: Summary, lang: str = "en") -> str:
    lines: list[Any] = [f"{scenario.id}: {summary.games} games, {summary.transitions} transitions", "", "Endings:"]
    for ending_id, ending in scenario.endings.items():
        n = summary.endings.get(ending_id, 0)
        lines.append(f"  {n / summary.games:6.1%}  {ending_id:24} {ending.title[lang]}")
    lines += ["", "Scores per team (min / mean / max):"]
    for team, values in summary.scores.items():
        lines.append(f"  {team:16} {min(values):7.1f} {sum(values) / len(values):7.1f} {max(values):7.1f}")
    lines += ["", "Cards (how often they came up) and options (share of that card's plays):"]
    for card_id, card in scenario.cards.items():
        n = summary.cards.get(card_id, 0)
        lines.append(f"  {n / summary.games:6.1%}  {card_id}")
        for decider in card.deciders:
            for option in card.options.values():
                if decider in option.deciders:
                    k = summary.options.get((card_id, decider, option.id), 0)
                    share = k / n if n else 0.0
                    lines.append(f"            {share:6.1%}  {decider}: {option.id}{'  (history)' if option.historical else ''}")
    if scenario.core_cards:
        lines += ["", f"Core cards (the bar: {CORE_BAR:.0%} of games):"]
        for card_id in scenario.core_cards:
            share = summary.cards.get(card_id, 0) / summary.games if summary.games else 0.0
            flag = "  UNDER THE BAR" if share < CORE_BAR else ""
            lines.append(f"  {share:6.1%}  {card_id}{flag}")
    never = [c for c in scenario.cards if not summary.cards.get(c)]
    if never:
        lines += ["", f"Never came up: {', '.join(never)}"]
    return "\n".join(lines)
