"""Session clocks: how long each phase lasts, pause/extend arithmetic, and the deadline heap.

A session's clock is a ``TimerRecord`` (``phase_ends``, ``deadline`` as a wall-clock time so it
survives a restart, ``paused``, ``remaining``).  These functions compute new records; the Master
saves them and arms them in its ``Deadlines``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from typing import Any

from game.engine import GameState, Phase, card_timer
from game.wire import SessionStatus
from server.protocol import SCENARIO_TIMER
from server.session import Session
from server.store import TimerRecord

DEFAULT_VOTE_SECONDS = 180  # when neither the host nor the scenario's cards set a timer
DEFAULT_BRIEFING_SECONDS = 30  # timed sessions brief for this long, unless the host says otherwise
RESTORE_GRACE = 15.0  # seconds added to a deadline that passed while the server was down


def phase_ends(phase: Phase) -> str | None:
    """What the end of the phase's clock does: ``advance`` (briefing), ``resolve`` (the vote)."""
    return {Phase.BRIEFING: "advance", Phase.DELIBERATION: "resolve"}.get(phase)


def phase_seconds(config: Mapping[str, Any], state: GameState) -> float | None:
    """How long ``state``'s phase lasts in a session with ``config``; None: untimed."""
    if state.phase is Phase.BRIEFING:
        return config.get("briefing")
    if state.phase is Phase.DELIBERATION:
        timer = config.get("timer")
        if timer == SCENARIO_TIMER:  # the scenario's card timers
            seconds = card_timer(state)
            return DEFAULT_VOTE_SECONDS if seconds is None else seconds
        return timer
    return None


def new_phase(config: Mapping[str, Any], state: GameState, started: bool, paused: bool, now: float) -> TimerRecord:
    """The clock of a phase that starts now (a paused session stays paused, its time kept)."""
    secs = phase_seconds(config, state) if started else None
    ends = phase_ends(state.phase) if secs is not None else None
    if paused:
        return TimerRecord(ends, None, True, secs)
    return TimerRecord(ends, None if secs is None else now + secs, False, None)


def paused(t: TimerRecord, now: float) -> TimerRecord:
    if t.paused:
        return t
    return TimerRecord(t.phase_ends, None, True, None if t.deadline is None else max(0.0, t.deadline - now))


def unpaused(t: TimerRecord, now: float) -> TimerRecord:
    if not t.paused:
        return t
    return TimerRecord(t.phase_ends, None if t.remaining is None else now + t.remaining, False, None)


def extended(t: TimerRecord, phase: Phase, seconds: float, now: float) -> TimerRecord | None:
    """``t`` moved by ``seconds`` (an untimed phase starts a countdown); None if the phase has
    no clock at all (the outcome, the end)."""
    ends = t.phase_ends or phase_ends(phase)
    if ends is None:
        return None
    if t.paused:
        return TimerRecord(ends, None, True, max(0.0, (t.remaining or 0.0) + seconds))
    base = t.deadline if t.deadline is not None else now
    return TimerRecord(ends, max(now, base + seconds), False, None)


def jumped(t: TimerRecord, seconds: float) -> TimerRecord | None:
    """A running clock moved by a sleep of ``seconds``; None if it is not running."""
    if t.deadline is None or t.paused:
        return None
    return TimerRecord(t.phase_ends, t.deadline + seconds, False, None)


def restored(t: TimerRecord, now: float) -> TimerRecord:
    """The clock of a session loaded after a restart: it kept running while the server was down,
    but never fires before clients can reconnect (``RESTORE_GRACE``)."""
    if t.deadline is None or t.paused or t.deadline >= now + RESTORE_GRACE:
        return t
    return TimerRecord(t.phase_ends, now + RESTORE_GRACE, False, None)


def is_running(s: Session) -> bool:
    return s.timer.deadline is not None and not s.timer.paused and s.status == SessionStatus.OPEN


class Deadlines:
    """The running deadlines of every session: a heap with lazy invalidation (an entry whose
    session's clock changed since is dropped when it reaches the top)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, str]] = []

    def arm(self, s: Session) -> None:
        """Call after every change of ``s.timer`` (earlier entries of ``s`` go stale by themselves)."""
        if s.timer.deadline is not None:
            heapq.heappush(self._heap, (s.timer.deadline, s.code))

    def _peek(self, sessions: Mapping[str, Session]) -> tuple[float, Session] | None:
        while self._heap:
            deadline, code = self._heap[0]
            s = sessions.get(code)
            if s is not None and s.timer.deadline == deadline and is_running(s):
                return deadline, s
            heapq.heappop(self._heap)  # stale: the clock was changed since
        return None

    def next(self, sessions: Mapping[str, Session]) -> float | None:
        """The earliest running deadline of any session (clock time), or None."""
        top = self._peek(sessions)
        return None if top is None else top[0]

    def due(self, sessions: Mapping[str, Session], now: float) -> Iterator[Session]:
        """The sessions whose deadline has passed, earliest first (each taken off the heap)."""
        while (top := self._peek(sessions)) is not None and top[0] <= now:
            heapq.heappop(self._heap)
            yield top[1]
