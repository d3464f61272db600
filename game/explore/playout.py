"""Playing a game on by a fixed set of team decisions: what the explorer and the odds replay.

``class_decisions(state)`` reads, from a played game, each team's resolved choice on each card
it decided (``None`` where the team left it to the card's default). ``Policy`` answers "what
does this team choose on this card now?" from those decisions, and where the class never
decided the card (another chance draw brought other cards) or its option is closed now, from
a stated fallback: the card's ``default`` (the team decides nothing; the engine applies the
card's default) or ``historical`` (the option its side really chose, else the closest one, as
the historical bot plays it). ``play_out(state, policy)`` plays to the end through the engine's
``apply`` only.

Pure: no I/O, no clocks, no global randomness (tests/engine/test_purity.py checks this package).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.bots.historical import historical_choice
from game.engine import Advance, GameState, Phase, Resolve, TeamChoice, apply
from game.engine.voting import is_open, open_options

from .errors import ExploreError

#: (card, team) -> the team's resolved choice on the card, or None (it left it to the default)
Decisions = dict[tuple[str, str], str | None]

FALLBACKS = ("default", "historical")


def class_decisions(state: GameState) -> Decisions:
    """Each team's own resolved choice on every card it decided in ``state``'s resolved turns."""
    out: Decisions = {}
    for record in state.records:
        for entry in record["cards"]:
            for team, option in entry["team_choices"].items():
                out[(entry["card"], team)] = option
    return out


def check_fallback(fallback: str) -> str:
    if fallback not in FALLBACKS:
        raise ExploreError("explore/bad_fallback", f"the fallback policy is one of {', '.join(FALLBACKS)}, "
                                                   f"not {fallback!r}")
    return fallback


@dataclass(frozen=True)
class Policy:
    """Who chooses what on replay: ``decisions`` first, ``overrides`` over them, else ``fallback``.

    A decision whose option is not open on this path (its ``requires`` fail here) is treated
    like a card the class never reached: the fallback decides.
    """

    decisions: Mapping[tuple[str, str], str | None]
    fallback: str = "default"
    overrides: Mapping[tuple[str, str], str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_fallback(self.fallback)

    def with_override(self, card: str, team: str, option: str | None) -> Policy:
        return Policy(self.decisions, self.fallback, {**self.overrides, (card, team): option})

    def choose(self, state: GameState, card: str, team: str) -> str | None:
        """The option ``team`` picks on ``card`` in ``state`` (in deliberation), or None (the default)."""
        key = (card, team)
        known = key in self.overrides or key in self.decisions
        option = self.overrides[key] if key in self.overrides else self.decisions.get(key)
        if known and (option is None or is_open(state, card, team, option)):
            return option
        if self.fallback == "default":
            return None
        opened = open_options(state, card, team)
        return historical_choice(state.scenario.cards[card], team, opened)[0] if opened else None


def decide_turn(state: GameState, policy: Policy) -> GameState:
    """In deliberation: every team's choice on every card by ``policy``, then ``Resolve``."""
    cards = state.scenario.cards
    current = state
    for card_id in state.cards:
        for team in cards[card_id].team_decider:
            if (card_id, team) in current.choices or (card_id, team) in current.votes:
                continue  # decided already on this path (a branch's own choice)
            option = policy.choose(current, card_id, team)
            if option is not None:
                current, _ = apply(current, TeamChoice(team, card_id, option))
    current, _ = apply(current, Resolve())
    return current


def play_out(state: GameState, policy: Policy, *, max_steps: int = 1000) -> GameState:
    """Play ``state`` to its end (phase ``ended``) deciding every vote by ``policy``.

    A vote already open keeps the choices made so far and adds the policy's for the rest.
    """
    steps = 0
    while state.phase is not Phase.ENDED:
        steps += 1
        if steps > max_steps:  # a scenario always ends within its turns; this guards a broken one
            raise ExploreError("explore/no_end", f"{state.scenario.id} did not end within {max_steps} steps")
        if state.phase is Phase.DELIBERATION:
            state = decide_turn(state, policy)
        else:
            state, _ = apply(state, Advance())
    return state
