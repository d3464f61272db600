"""An errand: one request sent on a connection of its own (not the app's session), read frame by
frame without blocking the screen, then the connection closed."""

from __future__ import annotations

import time
from typing import Any


class Errand:
    """One request on a connection of its own: ``poll()`` each frame until it returns True; then
    ``error`` is None (``reply`` holds the server's answer) or says what went wrong.

    Subclasses that must act on the answer (forget a saved seat, keep a reply's data) override
    ``answered``; ``timeout_message`` is the error after ``TIMEOUT`` seconds without an answer."""

    TIMEOUT = 15.0

    def __init__(self, transport: Any, kind: str, what: Any = None, **fields: Any) -> None:
        self.transport, self.kind, self.what = transport, kind, what
        self.rid = transport.send(kind, **fields)
        self.started = time.monotonic()
        self.done = False
        self.error: str | None = None
        self.reply: dict[str, Any] | None = None

    def poll(self) -> bool:
        """Read what arrived; True once the errand is over (then its connection is closed)."""
        if self.done:
            return True
        for msg in self.transport.poll():
            if msg.get("re") != self.rid:
                continue
            self.answered(msg)
            self._finish()
            return True
        if time.monotonic() - self.started > self.TIMEOUT:
            self.error = self.timeout_message()
            self._finish()
        return self.done

    def answered(self, msg: dict[str, Any]) -> None:
        """The server's answer to this errand: an error's message, or the reply itself."""
        if msg.get("type") == "error":
            self.error = str(msg.get("message") or msg.get("code") or "?")
        else:
            self.reply = msg

    def timeout_message(self) -> str:
        return "timeout"

    def _finish(self) -> None:
        self.done = True
        self.transport.close()
