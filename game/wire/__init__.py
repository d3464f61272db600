"""One wire vocabulary for the server and every client.

- ``vocab``: the protocol version, the default port, roles, seats, session
  statuses, phases and the error codes clients react to;
- ``frames``: the msgpack envelope, zlib compression and the session dictionary
  (``pack_server_message``, ``unpack_server_frame``, ``FrameReader``);
- ``patch``: ``apply_patch``, the one way to apply an ``update`` to a view;
- ``expand_view`` (from ``game.textpool``): a wire view with its text references
  replaced by the texts;
- ``codes``: every error code with its meaning and what a client should do (``ERRORS``);
- ``schema``: the protocol's JSON Schema (``protocol_schema()``, ``validator("message")``;
  ``python -m game.wire.schema`` prints the published ``docs/protocol.schema.json``).

Import from here: ``from game.wire import VERSION, Role, apply_patch``.
"""

from game.textpool import expand_view

from .codes import ERRORS
from .frames import (
    COMPRESS_OVER,
    MAX_INFLATED,
    FrameReader,
    WireError,
    pack_server_message,
    unpack_server_frame,
)
from .patch import PatchError, apply_patch
from .vocab import (
    DEFAULT_PORT,
    VERSION,
    ErrorCode,
    Phase,
    Role,
    Seat,
    SessionStatus,
    normalize_code,
    team_of,
    team_seat,
)

__all__ = [
    "COMPRESS_OVER",
    "DEFAULT_PORT",
    "ERRORS",
    "MAX_INFLATED",
    "VERSION",
    "ErrorCode",
    "FrameReader",
    "PatchError",
    "Phase",
    "Role",
    "Seat",
    "SessionStatus",
    "WireError",
    "apply_patch",
    "expand_view",
    "normalize_code",
    "pack_server_message",
    "team_of",
    "team_seat",
    "unpack_server_frame",
]
