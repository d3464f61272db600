"""The bots' exceptions: one root with stable codes (as the engine's, but for the bot layer).

    BotError               ``bot/unknown_team``, ``bot/unknown_level``, ``bot/wrong_seat``
     └── WorldError        ``bot/bad_view``: the view does not fit the bot's scenario
"""

from __future__ import annotations


class BotError(Exception):
    """Root of the bots' errors; ``code`` is stable. Raised for a bad request, never mid-search."""

    code = "bot/error"

    def __init__(self, code: str | None = None, message: str = "") -> None:
        if code is not None:
            self.code = code
        self.message = message or self.code
        super().__init__(f"{self.code}: {self.message}")


class WorldError(BotError):
    """The view is not one of this scenario (another scenario, an unknown card or track)."""

    code = "bot/bad_view"
