"""The game state: immutable from the outside, cheap to copy on change."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Any

from .decisions import Decision
from .scenario import Scenario


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
        "pending", "phase", "records", "revealed", "rng", "scenario", "seed", "state_id",
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
        return new

    def to_dict(self) -> dict[str, Any]:
        """Canonical plain data of the whole state (for digests, saves and tests)."""
        votes: dict[str, dict[str, list[list[Any]]]] = {}
        for (card, team), entries in sorted(self.votes.items()):
            votes.setdefault(card, {})[team] = [list(e) for e in entries]
        choices: dict[str, dict[str, str]] = {}
        for (card, team), option in sorted(self.choices.items()):
            choices.setdefault(card, {})[team] = option
        return {
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

    def canonical_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def digest(self) -> str:
        """SHA-256 of the canonical state: equal digests mean byte-identical states."""
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    def __repr__(self) -> str:
        return f"<GameState {self.scenario.id} turn={self.turn} phase={self.phase} id={self.state_id}>"
