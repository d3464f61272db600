"""Paths turn by turn: our game, history, and any branch, side by side.

``game_path(scenario, seed, log, start=...)`` replays a decision log through the engine (from the
game's carried ``start``, a campaign lesson's, when it had one) and keeps, for
every resolved turn, its cards, each decider's resolved choice (and each team's own), the
track values and map control after the turn, the outcomes with their citations, and whether
the turn stayed on history's path. ``history_path(scenario)`` is the path of the options marked
``historical`` (every side played as the historical bot plays it) on a chance draw whose
outcomes are history's too, where one exists. ``departure(path)`` says where a path leaves
history: the first card on which a side with a recorded historical choice chose otherwise, or
the first card history never had on that turn.

Everything here is plain data with ``to_dict`` for the report and the JSON/CSV export.
Pure: no I/O, no clocks, no global randomness.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from game.engine import Decision, GameState, Phase, Resolve, Scenario, Start, apply, ended_early, new_game

from .playout import Policy, play_out

HISTORY_SEEDS = 64  # chance draws tried for history's path (the first whose outcomes are all history's wins)


@dataclass(frozen=True)
class CardStep:
    """One card of one turn on a path: what each decider chose and what came of it."""

    card: str
    choices: dict[str, str]                 # decider -> the option resolved
    team_choices: dict[str, str | None]     # team -> its own choice (None: left to the default)
    defaulted: tuple[str, ...]              # deciders that got the card's default
    history_options: dict[str, tuple[str, ...]]  # decider -> the options history records (may be empty)
    historical: dict[str, bool]             # decider -> chose as history did
    off_turn: bool                          # a scheduled card that landed on another turn than history's
    outcomes: tuple[dict[str, Any], ...]    # the engine's outcome records (texts, citations)

    @property
    def on_history(self) -> bool:
        """No decider with a recorded historical choice chose otherwise, and the card is on its turn."""
        return not self.off_turn and all(self.historical[d] for d, h in self.history_options.items() if h)

    def to_dict(self) -> dict[str, Any]:
        return {"card": self.card, "choices": dict(self.choices), "team_choices": dict(self.team_choices),
                "defaulted": list(self.defaulted),
                "history_options": {d: list(o) for d, o in self.history_options.items()},
                "historical": dict(self.historical), "off_turn": self.off_turn, "on_history": self.on_history,
                "outcomes": [dict(o) for o in self.outcomes]}


@dataclass(frozen=True)
class TurnStep:
    """One resolved turn of a path, with the state it left: tracks, map control, ending so far."""

    turn: int
    date: str
    cards: tuple[CardStep, ...]
    tracks: dict[str, int]
    control: dict[str, str]
    ending: str | None
    log_index: int  # how many logged decisions precede this turn's briefing (a branch point)

    @property
    def on_history(self) -> bool:
        return all(c.on_history for c in self.cards)

    def card(self, card_id: str) -> CardStep | None:
        return next((c for c in self.cards if c.card == card_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "date": self.date, "cards": [c.to_dict() for c in self.cards],
                "tracks": dict(self.tracks), "control": dict(self.control), "ending": self.ending,
                "log_index": self.log_index, "on_history": self.on_history}


@dataclass(frozen=True)
class Departure:
    """Where a path leaves history: on ``turn``, card ``card``; ``decider`` chose ``option`` where
    history chose one of ``history`` (``reason`` "choice"), or the card is not history's on this
    turn (``reason`` "card": drawn off its turn, or history had other cards then)."""

    turn: int
    card: str
    reason: str
    decider: str | None = None
    option: str | None = None
    history: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, "card": self.card, "reason": self.reason, "decider": self.decider,
                "option": self.option, "history": list(self.history)}


@dataclass(frozen=True)
class Path:
    """One way through a scenario: ``kind`` is "game" (our game), "history" or "branch"."""

    kind: str
    scenario: str
    seed: int
    log: tuple[dict[str, Any], ...]
    turns: tuple[TurnStep, ...]
    ending: str | None
    ended_early: bool
    finished: bool
    name: str = ""
    code: str | None = None            # the session it was played in, if any
    parent: str | None = None          # the session it branched from
    branched_at: int | None = None     # how many of the parent's logged decisions it shares
    departure: Departure | None = field(default=None, compare=False)
    start: Start | None = None         # the carried start it was played from (None: the scenario's own)

    def turn(self, number: int) -> TurnStep | None:
        return next((t for t in self.turns if t.turn == number), None)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "code": self.code, "parent": self.parent,
                "branched_at": self.branched_at, "scenario": self.scenario, "seed": self.seed,
                "start": self.start.to_wire() if self.start is not None else None,
                "ending": self.ending, "ended_early": self.ended_early, "finished": self.finished,
                "departure": self.departure.to_dict() if self.departure else None,
                "turns": [t.to_dict() for t in self.turns]}


def _card_step(scenario: Scenario, entry: dict[str, Any]) -> CardStep:
    card = scenario.cards[entry["card"]]
    off_turn = bool(entry.get("off_turn", False))
    history = {d: () if off_turn else tuple(o.id for o in card.options.values() if o.historical and d in o.deciders)
               for d in card.deciders}
    historical = {d: (not off_turn) and card.options[o].historical for d, o in entry["choices"].items()}
    return CardStep(card.id, dict(entry["choices"]), dict(entry["team_choices"]), tuple(entry["defaulted"]),
                    history, historical, off_turn, tuple(entry["outcomes"]))


def _steps(state: GameState, at_resolve: GameState, log_index: int) -> TurnStep:
    record = at_resolve.records[-1]
    return TurnStep(record["turn"], record["date"], tuple(_card_step(state.scenario, e) for e in record["cards"]),
                    dict(at_resolve.tracks), dict(at_resolve.control), at_resolve.ending, log_index)


def _to_decisions(log: Iterable[Decision | dict[str, Any]]) -> list[Decision]:
    if isinstance(log, str | bytes | dict):
        from game.engine import InvalidQuery

        raise InvalidQuery("query/bad_log", "a log is a sequence of decisions or wire dicts")
    return [d if isinstance(d, Decision) else Decision.from_wire(d) for d in log]


def walk(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]], *,
         start: Start | None = None) -> tuple[GameState, list[TurnStep]]:
    """Replay ``log`` (through the engine's ``apply``, from ``start`` when the game had a carried
    one) and return (the final state, its turns).

    Raises the engine's errors for a log that does not replay (malformed, or illegal here) or a
    start that does not fit the scenario (``game/bad_start``)."""
    state = new_game(scenario, seed, start)
    steps: list[TurnStep] = []
    briefing_index = 0
    for i, d in enumerate(_to_decisions(log)):
        if state.phase is Phase.BRIEFING:
            briefing_index = i
        state, _ = apply(state, d)
        if isinstance(d, Resolve):
            steps.append(_steps(state, state, briefing_index))
    return state, steps


def path_of(state: GameState, steps: Sequence[TurnStep], kind: str, **meta: Any) -> Path:
    """The ``Path`` of a replayed game (``walk``'s result), with the start it was played from."""
    path = Path(kind, state.scenario.id, state.seed, tuple(d.to_wire() for d in state.log), tuple(steps),
                state.ending, ended_early(state), state.phase is Phase.ENDED, start=state.start, **meta)
    return path


def game_path(scenario: Scenario, seed: int, log: Iterable[Decision | dict[str, Any]], kind: str = "game",
              *, history: Path | None = None, start: Start | None = None, **meta: Any) -> Path:
    """Our game (or a branch: ``kind="branch"``) from its seed, carried ``start`` (a campaign
    lesson's; None: the scenario's own) and decision log, with where it leaves ``history``
    (``history_path(scenario)`` when not given)."""
    state, steps = walk(scenario, seed, log, start=start)
    path = path_of(state, steps, kind, **meta)
    return with_departure(path, history if history is not None else history_path(scenario))


def history_path(scenario: Scenario, seed: int | None = None) -> Path:
    """History's path: every side plays the options marked historical (the historical bot's rule,
    closest choice where history's is closed), on the first of ``HISTORY_SEEDS`` chance draws
    (``seed`` first, if given) on which every chance outcome is history's; failing that, the draw
    with the most historical outcomes. Its ``departure`` is None by definition."""
    policy = Policy({}, "historical")
    candidates = ([seed] if seed is not None else []) + [s for s in range(HISTORY_SEEDS) if s != seed]
    best: tuple[int, GameState] | None = None
    for candidate in candidates:
        end = play_out(new_game(scenario, candidate), policy)
        chance = [o for r in end.records for c in r["cards"] for o in c["outcomes"] if o["kind"] == "chance"]
        misses = sum(1 for o in chance if not o["historical"])
        if best is None or misses < best[0]:
            best = (misses, end)
        if misses == 0:
            break
    assert best is not None
    state, steps = walk(scenario, best[1].seed, best[1].log)
    return path_of(state, steps, "history")


def departure(path: Path, history: Path) -> Departure | None:
    """Where ``path`` first leaves ``history`` (None if it never does, as far as it went)."""
    for step in path.turns:
        past = history.turn(step.turn)
        history_cards = {c.card for c in past.cards} if past else set()
        for c in step.cards:
            if c.off_turn or c.card not in history_cards:
                return Departure(step.turn, c.card, "card")
            for decider, options in c.history_options.items():
                if options and not c.historical.get(decider, False):
                    return Departure(step.turn, c.card, "choice", decider, c.choices.get(decider), options)
    return None


def with_departure(path: Path, history: Path) -> Path:
    from dataclasses import replace

    return replace(path, departure=None if path.kind == "history" else departure(path, history))
