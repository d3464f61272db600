"""The server's exceptions: one root, stable codes used on the wire.

::

    ServerError                    code "server/..."
    ├── FrameError                 "frame/too_large", "frame/not_msgpack", "frame/not_map"
    │                              (the connection is closed after the reply)
    ├── MessageError               "msg/unknown_type", "msg/bad_field", "msg/bad_version"
    ├── JoinError                  "join/bad_code", "join/throttled", "join/bad_name", ...
    ├── AuthError                  "auth/not_host", "auth/not_joined", "auth/bad_token", ...
    ├── VoteError                  "vote/not_your_team", "vote/no_team"
    ├── SessionError               "session/paused", "session/ended", "team/...", "player/...", ...
    └── StorageError               "server/storage" (nothing was changed or acknowledged)

Engine refusals are not wrapped: their ``EngineError.code`` (``decision/wrong_phase``...)
goes on the wire as it is.  Callers catch ``ServerError`` (and ``EngineError``) and
reply ``error`` with ``code``; any other exception is a bug, answered ``server/internal``.
"""

from __future__ import annotations

from typing import Any


class ServerError(Exception):
    """Root of the server's refusals; ``code`` is stable and goes on the wire."""

    code = "server/error"

    def __init__(self, code: str | None = None, message: str = "", **extra: Any) -> None:
        if code is not None:
            self.code = code
        self.message = message or self.code
        self.extra = extra
        super().__init__(f"{self.code}: {self.message}")


class FrameError(ServerError):
    """The bytes were not a protocol frame; reply if possible, then close (1003 / 1009)."""

    code = "frame/not_msgpack"


class MessageError(ServerError):
    """A well-formed frame whose message is not one we accept (type, fields, version)."""

    code = "msg/bad_field"


class JoinError(ServerError):
    code = "join/bad_code"


class AuthError(ServerError):
    code = "auth/not_joined"


class VoteError(ServerError):
    code = "vote/not_your_team"


class SessionError(ServerError):
    code = "session/error"


class StorageError(ServerError):
    code = "server/storage"
