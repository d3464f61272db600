"""Bots that play one team from its seat's view: ``Bot(scenario, team, level).decide(view, seed)``.

Levels:

- ``easy``: a one-ply look at each option's immediate effects on its score,
  with a soft choice and plain mistakes (plausible, beatable).
- ``normal``: a shallow search: regret matching over its options with playouts
  that look two turns ahead, on a few sampled worlds.
- ``hard``: the same search played to the end of the game on more sampled worlds
  and many more playouts, dropping clear losers early; it scores its team's
  public aim and its own secret objective, and a bonus for ranking first among
  the scores it guesses for the others (it plays to win, not only to score).
- ``historical``: what its side really chose (``historical: true`` in the
  scenario); off history's path, the closest choice, with the reason.

The bot sees only what the view shows: it never reads another team's secret,
votes or the session's seed. What it cannot see it samples (see ``worlds`` and
``policy``). All its randomness comes from ``random.Random(seed)``; the caller
derives ``seed`` with ``bot_seed(session_seed, turn, team)``, so replaying a
session replays its bots, and a bot's seed tells it nothing of the game's draws.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Any

from game.engine import Scenario

from .errors import BotError
from .historical import historical_choice
from .policy import OptionValues, own_utility, softmax_pick
from .search import SearchConfig, Searcher
from .worlds import view_open_options

LEVELS = ("easy", "normal", "hard", "historical")

SEARCH_CONFIGS: dict[str, SearchConfig] = {
    "normal": SearchConfig(work=2400, max_playouts=120, worlds=8, horizon=2),
    "hard": SearchConfig(work=50000, max_playouts=800, worlds=32, horizon=None, rank_bonus=6.0),
}


@dataclass(frozen=True)
class Choice:
    """One vote a bot casts: on ``card``, for ``option``; ``reason`` says why (for logs and the debrief)."""

    card: str
    option: str
    reason: str


def bot_seed(session_seed: int, turn: int, team: str) -> int:
    """The bot's own seed for one decision: a one-way hash of (session seed, turn, team).

    A replayed session gives its bots the same seeds, and a bot cannot work back
    from its seed to the session's seed (and so to the game's coming draws).
    """
    data = f"crossroads-bot:{session_seed}:{turn}:{team}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class Bot:
    """One team's bot. ``decide(view, seed)`` -> ``{card: option}`` for the cards the team decides now.

    ``view`` must be ``view_for(state, Seat.team(team))``; outside deliberation, or with
    nothing to decide, the answer is ``{}``. Every option returned is open to the team.
    """

    def __init__(self, scenario: Scenario, team: str, level: str) -> None:
        if team not in scenario.teams:
            raise BotError("bot/unknown_team", f"no team {team!r} in {scenario.id}")
        if level not in LEVELS:
            raise BotError("bot/unknown_level", f"unknown bot level {level!r} (one of {', '.join(LEVELS)})")
        self.scenario = scenario
        self.team = team
        self.level = level
        self._values = OptionValues(scenario, own_utility(scenario, team)) if level == "easy" else None
        self._searcher = Searcher(scenario, team) if level in SEARCH_CONFIGS else None

    def decide(self, view: dict[str, Any], seed: int) -> dict[str, str]:
        """The option to vote for on each card the team decides now (card id -> option id)."""
        return {c.card: c.option for c in self.decide_explained(view, seed)}

    def decide_explained(self, view: dict[str, Any], seed: int) -> list[Choice]:
        """Like ``decide``, with a reason for each choice, in card order."""
        if view.get("seat") not in (None, f"team:{self.team}"):
            raise BotError("bot/wrong_seat", f"the {self.team!r} bot was given the view of {view.get('seat')!r}")
        open_now = view_open_options(self.scenario, view, self.team)
        if not open_now:
            return []
        rng = random.Random(seed)
        if self.level == "historical":
            return [Choice(c, *historical_choice(self.scenario.cards[c], self.team, open_now[c]))
                    for c in sorted(open_now)]
        if self.level == "easy":
            return self._easy(open_now, rng)
        assert self._searcher is not None
        result = self._searcher.search(view, rng, SEARCH_CONFIGS[self.level])
        if result is None:
            return []
        out = []
        for card, option in result.action:
            share = result.strategy[card].get(option, 1.0)
            mean = result.means.get(card, {}).get(option)
            why = (f"{self.level} search: {result.playouts} playouts, share {share:.0%}"
                   + (f", mean worth {mean:.1f}" if mean is not None else ", the only open choice"))
            out.append(Choice(card, option, why))
        return out

    def _easy(self, open_now: dict[str, tuple[str, ...]], rng: random.Random) -> list[Choice]:
        assert self._values is not None
        out = []
        for card_id in sorted(open_now):
            options = open_now[card_id]
            card = self.scenario.cards[card_id]
            if rng.random() < 0.2:
                out.append(Choice(card_id, rng.choice(options), "easy: a whim"))
                continue
            values = [self._values.of(card, self.team, o) for o in options]
            pick = softmax_pick(options, values, 2.0, rng)
            out.append(Choice(card_id, pick, f"easy: one-ply value {values[options.index(pick)]:.1f}"))
        return out
