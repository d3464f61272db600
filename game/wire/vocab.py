"""The protocol's words, shared by the server and every client.

Everything a message names — the protocol version, the default port, roles,
seats, session statuses, phases, the error codes a client reacts to — is
spelled here once. ``docs/protocol.md`` documents each.

>>> normalize_code(" k7q-xpm ")
'K7QXPM'
>>> team_seat("lenin"), team_of("team:lenin"), team_of(Role.HOST)
('team:lenin', 'lenin', None)
>>> Phase.DELIBERATION == "deliberation"
True
"""

from __future__ import annotations

import re
from enum import StrEnum

from game.engine.state import Phase
from game.engine.views import Seat

__all__ = [
    "DEFAULT_PORT",
    "VERSION",
    "ErrorCode",
    "Phase",
    "Role",
    "Seat",
    "SessionStatus",
    "normalize_code",
    "team_of",
    "team_seat",
]

VERSION = 1  # every message carries "v": VERSION; anything else is refused with msg/bad_version
DEFAULT_PORT = 8765  # WebSocket (and, later, the web client) on one port


class Role(StrEnum):
    """What a connection is bound as once it joins, watches, resumes or creates a session."""

    HOST = "host"
    PLAYER = "player"
    PROJECTOR = "projector"


class SessionStatus(StrEnum):
    """``session.status`` in lobby messages: a session is open until the host ends it."""

    OPEN = "open"
    ENDED = "ended"


class ErrorCode(StrEnum):
    """Error codes a client reacts to (every code, with its meaning and what to do: ``game.wire.codes.ERRORS``)."""

    BAD_TOKEN = "auth/bad_token"  # the seat is gone (kicked, or another server): join anew
    NOT_JOINED = "auth/not_joined"
    BAD_CODE = "join/bad_code"  # no session with this code
    THROTTLED = "join/throttled"  # too many wrong codes or tokens from this address: wait
    BAD_NAME = "join/bad_name"
    SESSION_FULL = "session/full"
    SESSION_ENDED = "session/ended"
    SESSION_PAUSED = "session/paused"
    NOT_STARTED = "session/not_started"
    WRONG_PHASE = "decision/wrong_phase"
    NOT_YOUR_TEAM = "vote/not_your_team"
    NO_TEAM = "vote/no_team"
    STORAGE = "server/storage"  # nothing was changed: try again
    CLOSING = "server/closing"
    INTERNAL = "server/internal"


def team_seat(team: str) -> str:
    """The seat of a team's members: ``"team:<id>"``."""
    return Seat.team(team)


def team_of(seat: str) -> str | None:
    """The team of a team seat, None for the host and projector seats."""
    return Seat.team_of(seat)


_NOT_CODE = re.compile(r"[^0-9A-Za-z]")


def normalize_code(raw: str) -> str:
    """What a student typed → a join code as the server spells it: letters and digits, upper case."""
    return _NOT_CODE.sub("", raw).upper()
