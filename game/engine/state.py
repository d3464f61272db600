"""The game state: immutable from the outside, cheap to copy on change."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Any

from .decisions import Decision
from .errors import InvalidDecision, InvalidQuery
from .scenario import Scenario
from .start import Start


class Phase(StrEnum):
    BRIEFING = "briefing"
    DELIBERATION = "deliberation"
    OUTCOME = "outcome"
    ENDED = "ended"


class GameState:
    """One moment of one game. Never mutate: ``apply`` returns a new state.

    ``votes`` maps ``(card, team)`` to a tuple of ``(player, option, seq)`` in
    vote order; ``choices`` maps ``(card, team)`` to an option set directly;
    ``records`` holds one record per resolved turn (what was chosen, drawn and
    shown); ``pending`` the scheduled ``(turn, card)`` pairs still to come.
    """

    __slots__ = (
        "captains", "cards", "choices", "control", "ending", "flags", "last_changes", "log",
        "pending", "phase", "records", "revealed", "rng", "scenario", "seed", "start", "state_id",
        "tracks", "turn", "votes",
    )  # fmt: skip

    scenario: Scenario
    seed: int
    rng: int
    state_id: int
    turn: int
    phase: Phase
    tracks: dict[str, int]
    flags: frozenset[str]
    control: dict[str, str]
    cards: tuple[str, ...]
    pending: tuple[tuple[int, str], ...]
    votes: dict[tuple[str, str], tuple[tuple[str, str, int], ...]]
    choices: dict[tuple[str, str], str]
    captains: dict[str, str]
    records: tuple[dict[str, Any], ...]
    revealed: frozenset[str]
    ending: str | None
    log: tuple[Decision, ...]
    last_changes: dict[str, Any]
    start: Start | None  # a campaign's carried start (None: the scenario's own)

    def clone(self) -> GameState:
        """A shallow copy for ``apply`` to change; containers are replaced, never mutated."""
        new = GameState.__new__(GameState)
        new.scenario = self.scenario
        new.seed = self.seed
        new.rng = self.rng
        new.state_id = self.state_id
        new.turn = self.turn
        new.phase = self.phase
        new.tracks = self.tracks
        new.flags = self.flags
        new.control = self.control
        new.cards = self.cards
        new.pending = self.pending
        new.votes = self.votes
        new.choices = self.choices
        new.captains = self.captains
        new.records = self.records
        new.revealed = self.revealed
        new.ending = self.ending
        new.log = self.log
        new.last_changes = self.last_changes
        new.start = self.start
        return new

    def to_dict(self) -> dict[str, Any]:
        """Canonical plain data of the whole state (for digests, saves and tests)."""
        votes: dict[str, dict[str, list[list[Any]]]] = {}
        for (card, team), entries in sorted(self.votes.items()):
            votes.setdefault(card, {})[team] = [list(e) for e in entries]
        choices: dict[str, dict[str, str]] = {}
        for (card, team), option in sorted(self.choices.items()):
            choices.setdefault(card, {})[team] = option
        out: dict[str, Any] = {
            "scenario": self.scenario.id,
            "scenario_digest": self.scenario.digest,
            "seed": self.seed,
            "rng": self.rng,
            "state_id": self.state_id,
            "turn": self.turn,
            "phase": str(self.phase),
            "tracks": dict(sorted(self.tracks.items())),
            "flags": sorted(self.flags),
            "control": dict(sorted(self.control.items())),
            "cards": list(self.cards),
            "pending": [list(p) for p in self.pending],
            "votes": votes,
            "choices": choices,
            "captains": dict(sorted(self.captains.items())),
            "records": list(self.records),
            "revealed": sorted(self.revealed),
            "ending": self.ending,
            "log": [d.to_wire() for d in self.log],
            "last_changes": self.last_changes,
        }
        if self.start is not None:  # only then: the digests of games without one stay as they were
            out["start"] = self.start.to_wire()
        return out

    @classmethod
    def from_dict(cls, data: Any, scenario: Scenario) -> GameState:
        """The state ``to_dict`` described, for ``scenario`` (the one it was played on).

        ``GameState.from_dict(s.to_dict(), s.scenario)`` has the same digest as ``s`` and
        plays on identically, also after a JSON round trip. Raises InvalidQuery:
        ``state/wrong_scenario`` (another scenario or another version of its file) or
        ``state/malformed`` (anything missing or of the wrong shape).
        """
        if not isinstance(data, dict):
            raise InvalidQuery("state/malformed", "a saved state is a mapping")
        if data.get("scenario") != scenario.id or data.get("scenario_digest") != scenario.digest:
            raise InvalidQuery("state/wrong_scenario",
                               f"the state was saved for {data.get('scenario')!r} (another file than {scenario!r})")
        try:
            s = cls.__new__(cls)
            s.scenario = scenario
            s.seed = _int(data["seed"])
            s.rng = _int(data["rng"])
            s.state_id = _int(data["state_id"])
            s.turn = _int(data["turn"])
            s.phase = Phase(data["phase"])
            tracks = data["tracks"]
            if set(tracks) != set(scenario.tracks):
                raise InvalidQuery("state/malformed", "the tracks are not the scenario's")
            s.tracks = {t: _int(tracks[t]) for t in scenario.tracks}
            s.flags = frozenset(map(str, data["flags"]))
            control = dict(data["control"])
            s.control = {**{r: str(control.pop(r)) for r in scenario.control if r in control},
                         **{str(r): str(w) for r, w in control.items()}}
            s.cards = tuple(str(c) for c in data["cards"])
            if not set(s.cards) <= set(scenario.cards):
                raise InvalidQuery("state/malformed", "a card on the table is not the scenario's")
            s.pending = tuple((_int(turn), str(card)) for turn, card in data["pending"])
            s.votes = {
                (str(card), str(team)): tuple((str(p), str(o), _int(seq)) for p, o, seq in entries)
                for card, teams in data["votes"].items() for team, entries in teams.items()
            }
            s.choices = {
                (str(card), str(team)): str(option)
                for card, teams in data["choices"].items() for team, option in teams.items()
            }
            s.captains = {str(t): str(p) for t, p in data["captains"].items()}
            s.records = tuple(dict(r) for r in data["records"])
            s.revealed = frozenset(map(str, data["revealed"]))
            ending = data["ending"]
            s.ending = None if ending is None else str(ending)
            s.log = tuple(Decision.from_wire(d) for d in data["log"])
            changes = data["last_changes"]
            s.last_changes = {"tracks": dict(changes["tracks"]), "control": dict(changes["control"])}
            s.start = Start.from_wire(data["start"]) if data.get("start") is not None else None
        except InvalidQuery:
            raise
        except InvalidDecision as exc:
            raise InvalidQuery("state/malformed", f"a decision of the log: {exc.message}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidQuery("state/malformed", f"not a saved state: {exc!r}") from None
        return s

    def canonical_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def digest(self) -> str:
        """SHA-256 of the canonical state: equal digests mean byte-identical states."""
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    def __repr__(self) -> str:
        return f"<GameState {self.scenario.id} turn={self.turn} phase={self.phase} id={self.state_id}>"


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an int, got {value!r}")
    return value
