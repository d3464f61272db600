"""When the Master's work is due: the sans-I/O scheduling every shell shares.

The websocket shell (``server.app``) and the client's in-process transport both drive a
``Master`` through a ``Driver``, so solo play and the classroom server schedule alike::

    out = driver.receive(conn, message)   # the replies, then the pushes due now
    send(out)                             # encode each with server.protocol.encode(message, zdict)
    arm_timer(driver.wake_in())           # None: nothing to wake for
    ...                                   # when the timer fires:
    send(driver.poll())

Every call returns the ``Outgoing`` messages to send, in order.  An ``Outgoing`` with
``build`` set is a job to run off the loop (an export): run ``build()`` elsewhere and send
its result to ``to``.  One with ``think`` set is a bot's decision to make off the loop: run
``server.bots.think(o.think)`` in a process pool (``server.bots.BotPool``) and pass the
answer to ``bot_answered`` (on the Master's thread).  Not thread-safe: call it from the
thread that owns the Master.

Ordering guarantee: the next deadline is fixed, from the state as it is before anything is
sent, when a call returns; nothing a client does on reading what it sends can move it.  And
it is kept on the monotonic clock, as the shell's timers are: a wall clock that jumps (a
closed laptop lid) does not fire a vote's deadline early; ``clock_jumped`` moves the
deadlines instead.

Connections that never join, watch or resume (idle sockets that only answer pings) are
closed after ``idle_limit`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from game.wire import ErrorCode
from server.bots import BotAnswer
from server.master import Master, Outgoing
from server.protocol import CLOSE_POLICY, request_id

log = logging.getLogger("crossroads.server")

IDLE_LIMIT = 60.0  # seconds a connection may stay without a seat before it is closed
IDLE_REASON = "idle: join, watch or resume first"
_EARLY = 1e-3  # seconds: a timer that fires this early still counts as on time


class Driver:
    """Feeds one ``Master`` and says when to call it again (``wake_in``/``poll``)."""

    def __init__(
        self,
        master: Master,
        *,
        idle_limit: float = IDLE_LIMIT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.master = master
        self.idle_limit = idle_limit
        self._monotonic = monotonic
        self._unseated: dict[int, float] = {}  # conn -> when it is closed if still unseated (in order)
        self._deadline: float | None = None  # the Master's next deadline (its clock) as last seen
        self._deadline_at: float | None = None  # ... and when it falls due (monotonic)
        self._stopped = False

    # ------------------------------------------------------------------ calls from the shell

    def connect(self, conn: int, address: str) -> list[Outgoing]:
        """A new connection ``conn`` from ``address`` (its IP: wrong codes are throttled per address)."""
        self.master.connect(conn, address)
        self._unseated[conn] = self._monotonic() + self.idle_limit
        return self._settle([])

    def receive(self, conn: int, message: dict[str, Any]) -> list[Outgoing]:
        """One decoded client message: its replies, then every push that is due now."""
        try:
            out = self.master.receive(conn, message)
        except Exception:  # the Master never raises for bad input: this is a bug
            log.exception("master failed")
            out = [Outgoing((conn,), {"type": "error", "re": request_id(message), "code": ErrorCode.INTERNAL,
                                      "message": "internal error"})]
        if conn in self._unseated and self.master.is_seated(conn):
            del self._unseated[conn]
        return self._settle(out)

    def bot_answered(self, answer: BotAnswer) -> list[Outgoing]:
        """A bot's decision came back from the pool: its votes go through the Master's vote handler
        (stale answers are dropped); returns what to send."""
        if self._stopped:
            return []
        try:
            out = self.master.bot_answered(answer)
        except Exception:  # the Master never raises for a bot's answer: this is a bug
            log.exception("master failed on a bot's answer")
            out = []
        return self._settle(out)

    def disconnect(self, conn: int) -> list[Outgoing]:
        """The connection is gone (its seat stays: it can resume)."""
        self._unseated.pop(conn, None)
        return self._settle(self.master.disconnect(conn))

    def wake_in(self) -> float | None:
        """Seconds until ``poll()`` has work (a deadline, a batch of pushes, an idle connection to
        close); 0: now; None: nothing is waiting (call again after the next ``receive``)."""
        if self._stopped:
            return None
        if self.master.bots.has_jobs():
            return 0.0  # bots to set thinking (e.g. after a restore): poll hands them out
        now = self._monotonic()
        waits = [self.master.flush_delay()]
        if self._deadline_at is not None:
            waits.append(self._deadline_at - now)
        if self._unseated:
            waits.append(next(iter(self._unseated.values())) - now)
        due = [w for w in waits if w is not None]
        return max(0.0, min(due)) if due else None

    def poll(self) -> list[Outgoing]:
        """Everything due now: deadlines that passed (a briefing ends, a vote closes), pushes whose
        batch time came, idle connections closed."""
        if self._stopped:
            return []
        now = self._monotonic()
        if self._deadline_at is not None and now >= self._deadline_at - _EARLY:
            self._deadline = self._deadline_at = None
            self.master.tick()
        out = self.master.flush_due()
        idle = []
        for conn, at in self._unseated.items():
            if at > now:
                break  # in the order they came, so in the order they fall due
            idle.append(conn)
        for conn in idle:
            del self._unseated[conn]
        if idle:
            out.append(Outgoing(tuple(idle), {"type": "closing", "reason": "idle"}, close=CLOSE_POLICY,
                                reason=IDLE_REASON))
        return self._settle(out)

    def clock_jumped(self, seconds: float) -> list[Outgoing]:
        """The machine slept ``seconds`` (the wall clock moved on, the monotonic one did not): every
        running deadline moves by as much, and the new clocks are pushed."""
        if self._stopped:
            return []
        self.master.clock_jumped(seconds)
        return self._settle(self.master.flush())

    def shutdown(self) -> list[Outgoing]:
        """Stop: pending pushes, then ``closing`` and a 1001 close for every connection.  Nothing
        is due afterwards (``wake_in()`` is None)."""
        self._stopped = True
        self._unseated.clear()
        self._deadline = self._deadline_at = None
        return self.master.shutdown()

    # ------------------------------------------------------------------ internals

    def _settle(self, out: list[Outgoing]) -> list[Outgoing]:
        """Fix the next deadline (before anything in ``out`` is sent), then add the pushes due now."""
        if self._stopped:
            return out
        deadline = self.master.next_deadline()
        if deadline != self._deadline:  # unchanged: keep it where it was armed, whatever the wall clock did
            self._deadline = deadline
            self._deadline_at = (None if deadline is None
                                 else self._monotonic() + max(0.0, deadline - self.master.clock()))
        if self.master.flush_delay() == 0.0:  # a phase changed: push it now, with the reply
            out.extend(self.master.flush_due())
        out.extend(Outgoing((), think=job) for job in self.master.bots.take_jobs())
        return out
