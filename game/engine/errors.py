"""The engine's exceptions: one root, stable codes used as error codes on the wire.

    EngineError
     ├── ScenarioError        a scenario file is broken (``.problems`` has file:line)
     ├── InvalidDecision      a decision is malformed (bad type, missing field)
     ├── IllegalDecision      a well-formed decision breaks the rules now
     └── InvalidQuery         a view, replay or saved state asked of something that is not there

Every code is listed in docs/engine-api.md ("Errors").
"""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Root of the engine's errors. ``code`` is stable (``"decision/wrong_phase"``)."""

    code = "engine/error"

    def __init__(self, code: str | None = None, message: str = "") -> None:
        if code is not None:
            self.code = code
        self.message = message or self.code
        super().__init__(f"{self.code}: {self.message}")

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Exception pickles its one formatted arg, which would come back as the code; the bots'
        # process pool sends errors across processes, so keep the code and the message apart
        return _rebuilt, (type(self), self.code, self.message)


def _rebuilt(cls: type[EngineError], code: str, message: str) -> EngineError:
    error = cls.__new__(cls)
    EngineError.__init__(error, code, message)
    return error


class InvalidDecision(EngineError):
    """The decision is malformed; fix the sender. Codes: decision/malformed, decision/unknown_type."""

    code = "decision/malformed"


class IllegalDecision(EngineError):
    """The decision is well-formed but not allowed in this state; the state is unchanged."""

    code = "decision/illegal"


class InvalidQuery(EngineError):
    """A view, replay, branch or saved state was asked for with bad arguments (an unknown seat,
    team or card; a turn out of range; a malformed log or saved state). Nothing was changed."""

    code = "query/invalid"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file, printable as ``file:line: message``.

    ``level`` is ``"error"`` (the file is rejected) or ``"warning"`` (printed as
    ``file:line: warning: message``; the file still loads).
    """

    file: str
    line: int
    message: str
    level: str = "error"

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        if self.level == "warning":
            return f"{self.file}:{self.line}: warning: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class ScenarioError(EngineError):
    """A scenario could not be loaded; ``problems`` lists what is wrong and where."""

    code = "scenario/invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__("scenario/invalid", shown + more)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return ScenarioError, (self.problems,)
