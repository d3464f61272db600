"""The client's one exception root.

Everything the client raises for its own reasons is a `ClientError`. The wire's
errors (`game.wire.WireError` for an unreadable frame, `game.wire.PatchError` for
an update that does not fit the view) are wire-level: the client never lets them
out as they are, it wraps them (`raise FrameUnreadable(...) from exc`), so a caller
of the client catches `ClientError` and nothing else.
"""

from __future__ import annotations


class ClientError(Exception):
    """Base of every error the client raises."""


class HostingError(ClientError):
    """This machine's lesson server could not start (the port is taken, the database is unreadable, …)."""


class FrameUnreadable(ClientError):
    """A server frame that could not be read (wraps `game.wire.WireError`); the frame is skipped."""


class ViewOutOfStep(ClientError):
    """An `update` that does not apply to the view held (wraps `game.wire.PatchError`); ask for a full view."""


class UnknownLanguage(ClientError, ValueError):
    """A language the client has no strings for (it speaks `pl` and `en`)."""


class BadColour(ClientError, ValueError):
    """A colour in a theme file (or a scenario's map colour) that is not "#rrggbb" or "#rrggbbaa"."""
