"""The sans-I/O server core: messages in, messages out, no sockets.

``Master.receive(conn, message) -> list[Outgoing]`` checks who the connection is (its role and
seat), validates the fields, dispatches to the request's handler, which calls the engine's
``apply`` through ``Master.apply`` (save to the store, only then commit), and returns the
replies.  Where things live:

- ``server.seating``: create, join, watch, resume; tokens and throttling;
- ``server.commands``: what players (vote, pick a team) and the host (start, pause, move...) do;
- ``server.clock``: how long phases last, pause and extend, the deadline heap, the restore grace;
- ``server.pushing``: batched pushes, patches, full views (``Pusher``);
- ``server.replies``: ``Outgoing`` and the messages built from a session;
- ``server.bots``: bot members, their thinking jobs (``bots``: ``BotSeats``) and answers;
- ``server.driver``: when to call ``tick`` and ``flush_due`` (every shell uses it).

Time comes from the injected ``clock`` (wall-clock seconds, so deadlines survive a restart) and
randomness (seeds, join codes, tokens) from the injected ``random`` (``names.Randomness``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from game.engine import (
    Advance,
    Decision,
    EndEarly,
    EngineError,
    Event,
    Phase,
    Resolve,
    Scenario,
    Unvote,
    Vote,
    all_have_voted,
    apply,
    replay,
)
from game.scenarios import builtin_scenario, builtin_scenario_ids
from game.wire import ErrorCode, Role, SessionStatus
from server import bots, branching, commands, lessons, replies, seating
from server.bots import BOT_CONN, BotAnswer, BotSeats
from server.campaigns import lesson_start
from server.clock import Deadlines, jumped, new_phase, restored
from server.connections import Binding, ConnId
from server.errors import AuthError, ServerError, SessionError
from server.names import Randomness
from server.protocol import (
    CLOSE_GOING_AWAY,
    HOST_ONLY,
    PLAYER_ONLY,
    UNBOUND,
    Request,
    parse_request,
    request_id,
)
from server.pushing import BATCH_DELAY, Pusher
from server.replies import Outgoing
from server.session import Member, Session
from server.store import LoggedDecision, MemberRecord, SessionSnapshot, Store, TimerRecord
from server.throttle import Throttle

__all__ = ["MAX_MEMBERS", "MAX_SESSIONS", "Master", "Outgoing"]

log = logging.getLogger("crossroads.server")

MAX_MEMBERS = seating.MAX_MEMBERS
MAX_SESSIONS = seating.MAX_SESSIONS

Handler = Callable[["Master", ConnId, Any, Request], list[Outgoing]]
HANDLERS: dict[str, Handler] = {**seating.HANDLERS, **commands.HANDLERS, **lessons.HANDLERS, **bots.HANDLERS,
                               **branching.HANDLERS}
_VOTES = (Vote, Unvote)  # decisions that change only votes: the next push rebuilds just the vote parts


def _builtin(scenario_id: str) -> Scenario:
    if scenario_id not in builtin_scenario_ids():
        raise KeyError(scenario_id)
    return builtin_scenario(scenario_id)


class Master:
    """All sessions of one server process.  Not thread-safe: call it from one thread."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], float],
        *,
        scenarios: Callable[[str], Scenario] = _builtin,
        batch_delay: float = BATCH_DELAY,
        throttle: Throttle | None = None,
        random: Randomness | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.random = random or Randomness()
        self._load_scenario = scenarios
        self._scenario_cache: dict[str, Scenario] = {}
        self.throttle = throttle or Throttle(clock)
        self.sessions: dict[str, Session] = {}
        self.bindings: dict[ConnId, Binding] = {}
        self.addresses: dict[ConnId, str] = {}
        self.tokens: dict[str, tuple[str, str | None]] = {}  # token hash -> (code, player or None=host)
        self.closing = False
        self.deadlines = Deadlines()
        self.push = Pusher(clock, batch_delay)
        self.bots = BotSeats()  # bot thinking: jobs for the shell (Driver), answers back (bot_answered)

    @property
    def batch_delay(self) -> float:
        return self.push.batch_delay

    # ------------------------------------------------------------------ lifecycle

    def restore(self) -> int:
        """Load every session from the store, replaying its log; returns how many. Ended ones too:
        their host (and players) may still resume them to see the debrief and export it."""
        count = 0
        for snap in self.store.load_sessions(include_ended=True):  # ended lessons stay viewable
            try:
                self._restore_one(snap)
                count += 1
            except Exception:
                log.exception("could not restore session %s", snap.record.code)
        for s in self.sessions.values():
            self.bots.wake(s)  # a vote open when the server stopped: its bots think again
        return count

    def _restore_one(self, snap: SessionSnapshot) -> None:
        rec = snap.record
        scenario = self.scenario(rec.scenario)
        state = replay(scenario, rec.seed, [entry.decision for entry in snap.log], lesson_start(rec.config))
        if snap.log and snap.log[-1].state_id != state.state_id:
            log.warning("session %s: replay reached state %s, log says %s", rec.code, state.state_id,
                        snap.log[-1].state_id)
        s = Session(
            code=rec.code, scenario=scenario, seed=rec.seed, config=rec.config,
            host_token_hash=rec.host_token_hash, created_at=rec.created_at, state=state,
            seq=len(snap.log), status=SessionStatus(rec.status), started=rec.started, timer=rec.timer,
        )
        for m in snap.members:
            s.members[m.player] = Member(m.player, m.name, m.team, m.token_hash, m.joined_at, m.bot)
            num = m.player[1:]
            if m.bot is None:
                self.tokens[m.token_hash] = (rec.code, m.player)
                if num.isdigit():
                    s.next_player = max(s.next_player, int(num) + 1)
            elif num.isdigit():
                s.next_bot = max(s.next_bot, int(num) + 1)
        self.tokens[rec.host_token_hash] = (rec.code, None)
        timer = restored(s.timer, self.clock())
        if timer != s.timer:
            s.timer = timer
            self.store.save(rec.code, timer=timer)
        self.sessions[rec.code] = s
        if s.status == SessionStatus.ENDED and s.state.phase is not Phase.ENDED:
            # ended by an older server, which stopped the clock but not the game: end it in the engine
            # too, so that it opens on its debrief
            self.apply(s, [EndEarly()])
        self.deadlines.arm(s)

    def scenario(self, scenario_id: str) -> Scenario:
        sc = self._scenario_cache.get(scenario_id)
        if sc is None:
            try:
                sc = self._load_scenario(scenario_id)
            except (KeyError, EngineError):
                raise SessionError("scenario/unknown", f"no scenario {scenario_id!r} on this server") from None
            self._scenario_cache[scenario_id] = sc
        return sc

    def connect(self, conn: ConnId, address: str) -> None:
        """A new connection from ``address`` (used to throttle wrong codes)."""
        self.addresses[conn] = address

    def is_seated(self, conn: ConnId) -> bool:
        """Whether ``conn`` has joined, watched, resumed or created a session."""
        return conn in self.bindings

    def disconnect(self, conn: ConnId) -> list[Outgoing]:
        """The connection is gone; its seat stays (it can resume with its token)."""
        self.addresses.pop(conn, None)
        binding = self.bindings.pop(conn, None)
        if binding is None:
            return []
        s = self.sessions.get(binding.code)
        if s is not None:
            s.unbind(conn)
            if binding.player is not None and not s.is_online(binding.player):
                s.presence.append((self.clock(), binding.player, False))
                self.push.mark(s, lobby=True)
        return []

    def shutdown(self) -> list[Outgoing]:
        """Stop taking new sessions; the ``closing`` message for everyone, then close 1001."""
        self.closing = True
        out = self.flush()
        conns = tuple(self.bindings) + tuple(c for c in self.addresses if c not in self.bindings)
        if conns:
            out.append(
                Outgoing(conns, {"type": "closing", "reason": "server shutting down"}, close=CLOSE_GOING_AWAY,
                         reason="server shutting down")
            )
        return out

    # ------------------------------------------------------------------ requests

    def receive(self, conn: ConnId, message: dict[str, Any]) -> list[Outgoing]:
        """Handle one decoded client message; never raises for bad input."""
        rid = request_id(message)
        try:
            req = parse_request(message)
            binding = self._authorize(conn, req)
            return HANDLERS[req.type](self, conn, binding, req)
        except (ServerError, EngineError) as exc:
            return [replies.error(conn, rid, exc)]
        except Exception:
            log.exception("internal error on %r", message.get("type"))
            return [replies.error(conn, rid, ServerError(ErrorCode.INTERNAL, "internal error; nothing was changed"))]

    def act_as(self, code: str, player: str, message: dict[str, Any]) -> tuple[dict[str, Any], list[Outgoing]]:
        """Handle ``message`` as a request of ``player`` of session ``code`` (a bot: it has no
        connection), through the same parsing, checks and handlers as a person's request on the
        wire. Returns the reply (``ack`` or ``error``, as a person would get) and what else to send."""
        rid = request_id(message)
        try:
            req = parse_request(message)
            if code not in self.sessions:
                raise SessionError(ErrorCode.SESSION_ENDED, "the session has ended")
            binding = Binding(code, Role.PLAYER, player)
            self._permit(binding, req.type)
            out = HANDLERS[req.type](self, BOT_CONN, binding, req)
        except (ServerError, EngineError) as exc:
            return replies.error(BOT_CONN, rid, exc).message or {}, []
        except Exception:
            log.exception("internal error on a bot's %r", message.get("type"))
            internal = ServerError(ErrorCode.INTERNAL, "internal error; nothing was changed")
            return replies.error(BOT_CONN, rid, internal).message or {}, []
        mine = [o for o in out if o.to == (BOT_CONN,)]
        reply = next((o.message for o in mine if o.message is not None), {"type": "ack", "re": rid})
        return reply, [o for o in out if o.to != (BOT_CONN,)]

    def bot_answered(self, answer: BotAnswer) -> list[Outgoing]:
        """A bot's thinking came back (from the shell's pool): its votes, unless the vote moved on."""
        return self.bots.answered(self, answer)

    def _authorize(self, conn: ConnId, req: Request) -> Binding | None:
        binding = self.bindings.get(conn)
        kind = req.type
        if kind == "ping":
            return binding
        if kind in UNBOUND:
            if binding is not None:
                raise AuthError("auth/already_joined", "this connection already has a seat; open a new one")
            return None
        if binding is None:
            raise AuthError(ErrorCode.NOT_JOINED, "join, watch, resume or create a session first")
        self._permit(binding, kind)
        return binding

    def _permit(self, binding: Binding, kind: str) -> None:
        """Whether ``binding`` may send ``kind`` now (its role; an ended session takes only a few)."""
        if kind in HOST_ONLY and binding.role != Role.HOST:
            raise AuthError("auth/not_host", f"only the host may send {kind!r}")
        if kind in PLAYER_ONLY and binding.role != Role.PLAYER:
            raise AuthError("auth/not_player", f"only a player may send {kind!r}")
        s = self.sessions[binding.code]
        if s.status == SessionStatus.ENDED and kind not in ("export", "reveal"):
            raise SessionError(ErrorCode.SESSION_ENDED, "the session has ended")

    def bind(self, conn: ConnId, s: Session, role: Role, player: str | None) -> Binding:
        """Seat ``conn`` in ``s`` as ``role`` (and ``player``)."""
        b = Binding(s.code, role, player)
        came = player is not None and not s.is_online(player)
        s.bind(conn, b)
        self.bindings[conn] = b
        if came:
            s.presence.append((self.clock(), player, True))  # type: ignore[arg-type]
        return b

    def unbind(self, s: Session, conn: ConnId) -> None:
        s.unbind(conn)
        self.bindings.pop(conn, None)

    # ------------------------------------------------------------------ changes

    def apply(
        self,
        s: Session,
        decisions: list[Decision],
        *,
        members: Iterable[MemberRecord] = (),
        removed: Iterable[str] = (),
        started: bool | None = None,
    ) -> None:
        """Apply decisions to a copy, save them (and the new clock) durably, then commit in memory.

        An engine refusal or a storage failure leaves the session exactly as it was.
        """
        state = s.state
        events: list[Event] = []
        logged: list[LoggedDecision] = []
        now = self.clock()
        for d in decisions:
            state, evs = apply(state, d)
            events.extend(evs)
            logged.append(LoggedDecision(s.seq + len(logged) + 1, state.state_id, d.to_wire(), now))
        timer = None
        phase_changed = state.phase is not s.state.phase or state.turn != s.state.turn
        if phase_changed or (started and not s.started):
            timer = new_phase(s.config, state, s.started if started is None else started, s.timer.paused, now)
        self.store.save(s.code, decisions=logged, members=list(members), removed=list(removed), timer=timer,
                        started=started)
        s.state = state
        s.seq += len(logged)
        if started is not None:
            s.started = started
        if logged:
            if all(isinstance(d, _VOTES) for d in decisions):
                s.voted_teams.update(d.team for d in decisions if isinstance(d, _VOTES))
            else:
                s.votes_only = False
            s.pending_events.extend(events)
            self.push.mark(s, state=True, urgent=phase_changed)
        if timer is not None:
            self._commit_timer(s, timer)
        if started is not None:
            self.push.mark(s, lobby=True, urgent=True)
        if phase_changed and state.phase is Phase.DELIBERATION:
            self.maybe_auto_resolve(s)  # a turn with nothing to decide need not wait for the clock
            self.bots.wake(s)  # the vote opened: its bots start thinking (nothing if it resolved at once)

    def maybe_auto_resolve(self, s: Session) -> None:
        """Resolve as soon as every member of every playing team has voted on every card it decides
        (at once if, this turn, no member has anything to decide)."""
        if s.config.get("auto_resolve") and all_have_voted(s.state, s.present()):
            self.apply(s, [Resolve()])

    def set_timer(self, s: Session, timer: TimerRecord) -> None:
        """Save ``s``'s new clock, then arm and push it."""
        self.store.save(s.code, timer=timer)
        self._commit_timer(s, timer)

    def _commit_timer(self, s: Session, timer: TimerRecord) -> None:
        unchanged = timer == s.timer  # e.g. untimed play: every phase is as untimed as the last
        s.timer = timer
        self.deadlines.arm(s)
        if not unchanged:
            self.push.mark(s, timer=True, urgent=True)

    # ------------------------------------------------------------------ timers

    def next_deadline(self) -> float | None:
        """The earliest running deadline of any session (clock time), or None."""
        return self.deadlines.next(self.sessions)

    def clock_jumped(self, seconds: float) -> None:
        """The machine slept (a closed laptop lid) for ``seconds``: move every running deadline
        by as much, so a vote that was open when the lid closed is still open when it opens."""
        for s in self.sessions.values():
            timer = jumped(s.timer, seconds) if s.status == SessionStatus.OPEN else None
            if timer is not None:
                try:
                    self.set_timer(s, timer)
                except ServerError:
                    log.exception("could not move the clock of session %s", s.code)

    def tick(self) -> list[Outgoing]:
        """Fire every deadline that has passed: end the briefing, or resolve the vote.
        The changes are pushed by the next ``flush()``."""
        for s in list(self.deadlines.due(self.sessions, self.clock())):
            ends = s.timer.phase_ends
            try:
                if ends == "advance" and s.state.phase is Phase.BRIEFING:
                    self.apply(s, [Advance()])
                elif ends == "resolve" and s.state.phase is Phase.DELIBERATION:
                    self.apply(s, [Resolve()])
                else:
                    self.set_timer(s, TimerRecord())
            except (EngineError, ServerError):
                log.exception("timer of session %s", s.code)
                s.timer = TimerRecord()
        return []

    # ------------------------------------------------------------------ pushes

    def flush_delay(self) -> float | None:
        """Seconds until ``flush_due()`` should run (0: now), or None if nothing is waiting."""
        return self.push.flush_delay()

    def flush_due(self) -> list[Outgoing]:
        """Push the changes of every session whose time has come, the most overdue (urgent) first."""
        return self.push.flush_due(self.sessions)

    def flush(self) -> list[Outgoing]:
        """Push every pending change now, due or not: view updates per seat, lobby and timer changes."""
        return self.push.flush(self.sessions)

    def flush_session(self, s: Session) -> list[Outgoing]:
        return self.push.flush_session(s)
