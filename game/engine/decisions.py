"""Decisions: the plain-data moves that change a game, with wire converters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .errors import InvalidDecision


@dataclass(frozen=True, slots=True)
class Decision:
    """Base of all decisions. ``Decision.from_wire(d)`` / ``d.to_wire()`` convert to plain dicts."""

    TYPE: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()
    OPTIONAL: ClassVar[frozenset[str]] = frozenset()

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.TYPE}
        for name in self.FIELDS:
            out[name] = getattr(self, name)
        return out

    @staticmethod
    def from_wire(data: Any) -> Decision:
        """Build a decision from a dict; raises InvalidDecision on anything malformed."""
        if not isinstance(data, dict):
            raise InvalidDecision("decision/malformed", "a decision must be a mapping")
        kind = data.get("type")
        cls = DECISION_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise InvalidDecision("decision/unknown_type", f"unknown decision type {kind!r}")
        values: list[str | None] = []
        for name in cls.FIELDS:
            value = data.get(name)
            if value is None and name in cls.OPTIONAL:
                values.append(None)
                continue
            if not isinstance(value, str) or not value:
                raise InvalidDecision("decision/malformed", f"{kind}: field {name!r} must be a non-empty string")
            values.append(value)
        extra = set(data) - set(cls.FIELDS) - {"type"}
        if extra:
            raise InvalidDecision("decision/malformed", f"{kind}: unexpected fields {sorted(extra)}")
        return cls(*values)


@dataclass(frozen=True, slots=True)
class Advance(Decision):
    """briefing → deliberation; outcome → the next turn's briefing (or the end)."""

    TYPE: ClassVar[str] = "advance"


@dataclass(frozen=True, slots=True)
class Vote(Decision):
    """One player's vote for their team on a card; a new vote replaces the old one."""

    team: str
    player: str
    card: str
    option: str
    TYPE: ClassVar[str] = "vote"
    FIELDS: ClassVar[tuple[str, ...]] = ("team", "player", "card", "option")


@dataclass(frozen=True, slots=True)
class Unvote(Decision):
    """Withdraw a player's vote on a card (e.g. when the host moves them to another team)."""

    team: str
    player: str
    card: str
    TYPE: ClassVar[str] = "unvote"
    FIELDS: ClassVar[tuple[str, ...]] = ("team", "player", "card")


@dataclass(frozen=True, slots=True)
class TeamChoice(Decision):
    """A team's choice set directly (one-screen mode, bots); it overrides the team's votes."""

    team: str
    card: str
    option: str
    TYPE: ClassVar[str] = "team_choice"
    FIELDS: ClassVar[tuple[str, ...]] = ("team", "card", "option")


@dataclass(frozen=True, slots=True)
class SetCaptain(Decision):
    """Name (or with ``player=None`` remove) the team's captain, who breaks vote ties."""

    team: str
    player: str | None
    TYPE: ClassVar[str] = "set_captain"
    FIELDS: ClassVar[tuple[str, ...]] = ("team", "player")
    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"player"})


@dataclass(frozen=True, slots=True)
class Resolve(Decision):
    """Close the vote: defaults for teams that did not decide, then effects and chance."""

    TYPE: ClassVar[str] = "resolve"


@dataclass(frozen=True, slots=True)
class Reveal(Decision):
    """Make a resolved card's history public."""

    card: str
    TYPE: ClassVar[str] = "reveal"
    FIELDS: ClassVar[tuple[str, ...]] = ("card",)


@dataclass(frozen=True, slots=True)
class EndEarly(Decision):
    """Stop the game now (the bell rang): phase ``ended`` with no scenario ending.

    What was resolved stays; the turn in progress is not played. At an ``outcome`` after
    which the game would end anyway (the last turn, or an ending already reached), it ends
    the game as ``Advance`` would, with its ending.
    """

    TYPE: ClassVar[str] = "end_early"


DECISION_TYPES: dict[str, type[Decision]] = {
    cls.TYPE: cls for cls in (Advance, Vote, Unvote, TeamChoice, SetCaptain, Resolve, Reveal, EndEarly)
}
