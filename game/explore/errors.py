"""The explorer's exceptions: one root with stable codes (as the engine's and the bots').

    ExploreError   ``explore/bad_fallback``, ``explore/bad_turn``, ``explore/bad_choice``,
                   ``explore/bad_count``, ``explore/no_end``

The engine's own errors (a malformed log, an illegal decision in it) pass through unchanged.
"""

from __future__ import annotations


class ExploreError(Exception):
    """Root of the explorer's errors; ``code`` is stable. Nothing was changed when it is raised."""

    code = "explore/error"

    def __init__(self, code: str | None = None, message: str = "") -> None:
        if code is not None:
            self.code = code
        self.message = message or self.code
        super().__init__(f"{self.code}: {self.message}")
