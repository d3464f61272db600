"""Where a game begins when it does not begin at its scenario's defaults.

A campaign carries the end of one lesson into the next: the next scenario starts with
some tracks, flags and region controllers taken from how the last one ended. A ``Start``
is that difference, plain data like the seed: ``new_game(scenario, seed, start)`` and
``replay(scenario, seed, log, start)`` take it, and the same scenario, seed, start and log
always replay to the same state.

``notes`` say, in both languages, what was carried and why (the client shows them in the
first briefing: "carried over from the last lesson"); they change nothing in the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidDecision
from .scenario import Scenario, Text


@dataclass(frozen=True, slots=True)
class Start:
    """Overrides of a scenario's starting tracks, flags and region control, with their reasons.

    ``flags`` are set in addition to the scenario's own starting flags. Build one with
    ``Start(...)`` or ``Start.from_wire(data)``; ``check(scenario)`` before use (``new_game``
    does it) raises InvalidDecision ``game/bad_start`` naming what does not fit.
    """

    tracks: tuple[tuple[str, int], ...] = ()
    flags: frozenset[str] = frozenset()
    control: tuple[tuple[str, str], ...] = ()
    notes: tuple[Text, ...] = field(default=(), compare=True)

    def __post_init__(self) -> None:  # one order, so equal starts compare and digest equal
        object.__setattr__(self, "tracks", tuple(sorted(self.tracks)))
        object.__setattr__(self, "control", tuple(sorted(self.control)))
        object.__setattr__(self, "flags", frozenset(self.flags))

    @property
    def empty(self) -> bool:
        return not (self.tracks or self.flags or self.control)

    def check(self, scenario: Scenario) -> None:
        """Raise InvalidDecision (``game/bad_start``) unless every override fits ``scenario``."""
        for track, value in self.tracks:
            t = scenario.tracks.get(track)
            if t is None:
                raise InvalidDecision("game/bad_start", f"{scenario.id} has no track {track!r}")
            if not isinstance(value, int) or isinstance(value, bool) or not t.min <= value <= t.max:
                raise InvalidDecision("game/bad_start",
                                      f"track {track!r} starts at {value!r}, outside {t.min}..{t.max}")
        allowed = scenario.carried_flags | scenario.flags
        for flag in self.flags:
            if flag not in allowed:
                raise InvalidDecision("game/bad_start",
                                      f"{scenario.id} does not take the flag {flag!r} from a campaign "
                                      "(list it under carried_flags)")
        for region, who in self.control:
            if region not in scenario.control:
                raise InvalidDecision("game/bad_start", f"{scenario.id} has no region {region!r} on its map")
            if who not in scenario.controllers:
                raise InvalidDecision("game/bad_start", f"{scenario.id} has no controller {who!r}")

    def to_wire(self) -> dict[str, Any]:
        """Plain data (msgpack/JSON-ready); ``Start.from_wire(s.to_wire()) == s``."""
        return {
            "tracks": {t: v for t, v in self.tracks},
            "flags": sorted(self.flags),
            "control": {r: w for r, w in self.control},
            "notes": [dict(n) for n in self.notes],
        }

    @classmethod
    def from_wire(cls, data: Any) -> Start:
        """The ``Start`` that ``to_wire`` described; raises InvalidDecision ``game/bad_start``."""
        if not isinstance(data, dict):
            raise InvalidDecision("game/bad_start", "a start is a mapping of tracks, flags, control and notes")
        try:
            tracks = data.get("tracks") or {}
            control = data.get("control") or {}
            return cls(
                tracks=tuple(sorted((str(t), v) for t, v in dict(tracks).items())),
                flags=frozenset(str(f) for f in data.get("flags") or ()),
                control=tuple(sorted((str(r), str(w)) for r, w in dict(control).items())),
                notes=tuple({str(k): str(v) for k, v in dict(n).items()} for n in data.get("notes") or ()),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidDecision("game/bad_start", f"not a start: {exc}") from None
