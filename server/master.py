"""The sans-I/O server core: messages in, messages out, no sockets.

``Master.receive(conn, message) -> list[Outgoing]`` checks who the connection is
(its role and seat), validates the fields, calls the engine's ``apply``, saves to
the store and only then returns the replies.  Views and lobby changes are
batched per session: after any call, ``flush_delay()`` says when to call
``flush_due()`` (0: now, e.g. a phase changed; a short delay for vote counts, so
thirty votes in a burst cost one update per seat, not thirty).  Each session
has its own due time and the urgent ones go first, so a classroom whose turn
just ended never waits behind a hundred other classrooms' vote counts.  Time comes from the injected ``clock``
(wall-clock seconds, so deadlines survive a restart); ``next_deadline()`` and
``tick()`` drive the timers.

The I/O shell (``server.app``) decodes frames, calls these methods, and sends
each ``Outgoing`` to its connections; tests drive a ``Master`` directly.
"""

from __future__ import annotations

import heapq
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import msgpack

from game.engine import (
    Advance,
    Decision,
    EngineError,
    Phase,
    Resolve,
    Reveal,
    Scenario,
    Seat,
    SetCaptain,
    TeamChoice,
    Unvote,
    Vote,
    apply,
    events_for,
    learning,
    new_game,
    replay,
    scores,
    team_block,
    view_for,
    vote_progress,
)
from game.scenarios import builtin_scenario, builtin_scenario_ids
from game.textpool import TEXTS, TextPool
from game.wire import normalize_code
from server import names
from server.diff import make_patch
from server.errors import (
    AuthError,
    JoinError,
    MessageError,
    ServerError,
    SessionError,
    StorageError,
    VoteError,
)
from server.protocol import (
    CLOSE_GOING_AWAY,
    CLOSE_KICKED,
    HOST_ONLY,
    PLAYER_ONLY,
    SCENARIO_TIMER,
    UNBOUND,
    VERSION,
    Request,
    parse_request,
    request_id,
)
from server.session import HOST, PLAYER, PROGRESS, PROJECTOR, Binding, ConnId, Member, Session, team_seat
from server.store import LoggedDecision, SessionRecord, SessionSnapshot, Store, TimerRecord
from server.throttle import Throttle

log = logging.getLogger("crossroads.server")

DEFAULT_VOTE_SECONDS = 180  # when neither the host nor the scenario's cards set a timer
DEFAULT_BRIEFING_SECONDS = 30
RESTORE_GRACE = 15.0  # seconds added to a deadline that passed while the server was down
MAX_MEMBERS = 60
MAX_SESSIONS = 2000
BATCH_DELAY = 0.5  # seconds to gather vote-count updates before pushing them (phase changes go at once)
# Engine events whose whole content the view patch already carries; sending them too would double
# the bytes. Every event the engine emits today is one of them (phase and cards: the view's phase and
# cards; choice and chance: the timeline; track, flag, control: tracks, flags, control and their
# changes; captain, revealed, ended: teams, revealed, ending; votes: team.votes and progress), so
# `update.events` stays empty until the engine emits something a view cannot show.
VIEW_EVENTS = frozenset({
    "votes_cast", "vote_cast", "vote_withdrawn", "team_decided", "team_choice", "outcome", "phase", "cards",
    "choice", "chance", "track", "flag", "control", "captain", "revealed", "ended", "scheduled",
})
BIG_PATCH = 1024  # bytes: above this, compare with the full view and send the smaller


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Send ``message`` (or the result of ``build()``, run off the event loop) to ``to``;
    then, if ``close`` is set, close those connections with that code."""

    to: tuple[ConnId, ...]
    message: dict[str, Any] | None = None
    close: int | None = None
    reason: str = ""
    build: Callable[[], dict[str, Any]] | None = None
    zdict: bytes | None = None  # compress against this session dictionary (every recipient was sent it)


def _builtin(scenario_id: str) -> Scenario:
    if scenario_id not in builtin_scenario_ids():
        raise KeyError(scenario_id)
    return builtin_scenario(scenario_id)


def _packed_size(obj: Any) -> int:
    return len(msgpack.packb(obj, use_bin_type=True))


def _texts_size(pool: TextPool) -> int:
    """Packed size of a seat's whole text pool (the deck's part is computed once per scenario)."""
    base = pool.base
    if base is None:
        return _packed_size(pool.texts)
    cached = _BASE_SIZES.get(id(base))
    if cached is None:
        cached = _BASE_SIZES[id(base)] = _packed_size(base.all_texts())
    return cached + _packed_size(pool.texts)


_BASE_SIZES: dict[int, int] = {}  # deck pools live for the process (server.session.deck_pool)


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
    ) -> None:
        self.store = store
        self.clock = clock
        self._load_scenario = scenarios
        self._scenario_cache: dict[str, Scenario] = {}
        self.batch_delay = batch_delay
        self.throttle = throttle or Throttle(clock)
        self.sessions: dict[str, Session] = {}
        self.bindings: dict[ConnId, Binding] = {}
        self.addresses: dict[ConnId, str] = {}
        self.tokens: dict[str, tuple[str, str | None]] = {}  # token hash -> (code, player or None=host)
        self.closing = False
        self._heap: list[tuple[float, str]] = []
        self._dirty: dict[str, float] = {}  # session code -> when its changes are due (clock time)

    # ------------------------------------------------------------------ lifecycle

    def restore(self) -> int:
        """Load every open session from the store, replaying its log; returns how many."""
        count = 0
        for snap in self.store.load_sessions():
            try:
                self._restore_one(snap)
                count += 1
            except Exception:
                log.exception("could not restore session %s", snap.record.code)
        return count

    def _restore_one(self, snap: SessionSnapshot) -> None:
        rec = snap.record
        scenario = self.scenario(rec.scenario)
        state = replay(scenario, rec.seed, [entry.decision for entry in snap.log])
        if snap.log and snap.log[-1].state_id != state.state_id:
            log.warning("session %s: replay reached state %s, log says %s", rec.code, state.state_id,
                        snap.log[-1].state_id)
        s = Session(
            code=rec.code, scenario=scenario, seed=rec.seed, config=rec.config,
            host_token_hash=rec.host_token_hash, created_at=rec.created_at, state=state,
            seq=len(snap.log), status=rec.status, started=rec.started, timer=rec.timer,
        )
        for m in snap.members:
            s.members[m.player] = Member(m.player, m.name, m.team, m.token_hash, m.joined_at)
            self.tokens[m.token_hash] = (rec.code, m.player)
            num = m.player[1:]
            if num.isdigit():
                s.next_player = max(s.next_player, int(num) + 1)
        self.tokens[rec.host_token_hash] = (rec.code, None)
        t = s.timer
        if t.deadline is not None and not t.paused:
            # The clock kept running while we were down; never fire before clients can reconnect.
            deadline = max(t.deadline, self.clock() + RESTORE_GRACE)
            if deadline != t.deadline:
                s.timer = TimerRecord(t.phase_ends, deadline, False, None)
                self.store.save(rec.code, timer=s.timer)
            heapq.heappush(self._heap, (deadline, rec.code))
        self.sessions[rec.code] = s

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
                self._mark(s, lobby=True)
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
            handler = getattr(self, "_on_" + req.type)
            return handler(conn, binding, req)
        except (ServerError, EngineError) as exc:
            return [self._error(conn, rid, exc)]
        except Exception:
            log.exception("internal error on %r", message.get("type"))
            return [self._error(conn, rid, ServerError("server/internal", "internal error; nothing was changed"))]

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
            raise AuthError("auth/not_joined", "join, watch, resume or create a session first")
        if kind in HOST_ONLY and binding.role != HOST:
            raise AuthError("auth/not_host", f"only the host may send {kind!r}")
        if kind in PLAYER_ONLY and binding.role != PLAYER:
            raise AuthError("auth/not_player", f"only a player may send {kind!r}")
        s = self.sessions[binding.code]
        if s.status == "ended" and kind != "export":
            raise SessionError("session/ended", "the session has ended")
        return binding

    @staticmethod
    def _error(conn: ConnId, rid: int | None, exc: ServerError | EngineError) -> Outgoing:
        msg: dict[str, Any] = {"type": "error", "re": rid, "code": exc.code, "message": exc.message}
        for key, value in getattr(exc, "extra", {}).items():
            msg[key] = value
        return Outgoing((conn,), msg)

    @staticmethod
    def _reply(conn: ConnId, req: Request, kind: str = "ack", **fields: Any) -> Outgoing:
        return Outgoing((conn,), {"type": kind, "re": req.id, **fields})

    # --- anyone

    def _on_ping(self, conn: ConnId, binding: Binding | None, req: Request) -> list[Outgoing]:
        return [self._reply(conn, req, "pong", time=self.clock())]

    def _on_create_session(self, conn: ConnId, binding: Binding | None, req: Request) -> list[Outgoing]:
        if self.closing:
            raise SessionError("server/closing", "the server is shutting down")
        if len(self.sessions) >= MAX_SESSIONS:
            raise SessionError("server/full", "too many sessions on this server")
        scenario = self.scenario(req["scenario"])
        teams = req["teams"] if req["teams"] is not None else list(scenario.team_ids)
        unknown = [t for t in teams if t not in scenario.team_ids]
        if unknown:
            raise MessageError("msg/bad_field", f"unknown teams {unknown}", field="teams")
        timer = req["timer"]
        briefing = req["briefing"]
        if briefing == SCENARIO_TIMER:  # "auto": timed sessions brief for 30 s, untimed ones wait
            briefing = None if timer is None else DEFAULT_BRIEFING_SECONDS
        config = {
            "lang": req["lang"], "teams": teams, "timer": timer, "briefing": briefing,
            "formation": req["formation"], "one_screen": req["one_screen"], "auto_resolve": req["auto_resolve"],
        }
        host_token = names.new_token()
        now = self.clock()
        seed = secrets.randbits(62)
        state = new_game(scenario, seed)
        for _attempt in range(3):
            code = names.new_join_code(self.sessions)
            record = SessionRecord(code, scenario.id, seed, config, names.token_hash(host_token), now)
            try:
                self.store.create_session(record)
                break
            except StorageError:  # a code used by an ended session in the database
                continue
        else:
            raise StorageError("server/storage", "could not save the new session")
        s = Session(code=code, scenario=scenario, seed=seed, config=config,
                    host_token_hash=record.host_token_hash, created_at=now, state=state)
        self.sessions[code] = s
        self.tokens[record.host_token_hash] = (code, None)
        b = self._bind(conn, s, HOST, None)
        return [
            self._reply(conn, req, "session_created", code=code, host_token=host_token, session=self._session_info(s, b)),
            self._full_view(s, conn),
        ]

    def _find_session(self, conn: ConnId, raw_code: str) -> Session:
        address = self.addresses.get(conn, "?")
        wait = self.throttle.retry_after(address)
        if wait > 0:
            raise JoinError("join/throttled", f"too many wrong codes; try again in {wait:.0f} s",
                            retry_after=round(wait, 1))
        code = normalize_code(raw_code)
        s = self.sessions.get(code)
        if s is None:
            self.throttle.fail(address)
            raise JoinError("join/bad_code", "no session with this code")
        if s.status == "ended":
            raise SessionError("session/ended", "the session has ended")
        return s

    def _on_join(self, conn: ConnId, binding: Binding | None, req: Request) -> list[Outgoing]:
        s = self._find_session(conn, req["code"])
        name = names.normalise_name(req["name"])
        if not name:
            raise JoinError("join/bad_name", "the name is empty once control characters are removed")
        if len(s.members) >= MAX_MEMBERS:
            raise SessionError("session/full", "the session is full")
        name = names.distinct_name(name, (m.name for m in s.members.values()))
        team = self._auto_team(s) if s.config["formation"] == "auto" else None
        token = names.new_token()
        member = Member(f"p{s.next_player}", name, team, names.token_hash(token), self.clock())
        self.store.save(s.code, members=[member.record()])
        s.next_player += 1
        s.members[member.player] = member
        self.tokens[member.token_hash] = (s.code, member.player)
        out = self.flush_session(s)
        b = self._bind(conn, s, PLAYER, member.player)
        self._mark(s, lobby=True)
        out.append(self._reply(conn, req, "joined", player=member.player, name=name, team=team,
                               resume_token=token, session=self._session_info(s, b)))
        out.append(self._full_view(s, conn))
        return out

    def _auto_team(self, s: Session) -> str:
        counts = {t: 0 for t in s.teams}
        for m in s.members.values():
            if m.team in counts:
                counts[m.team] += 1
        return min(s.teams, key=lambda t: counts[t])  # min() keeps the first of equals: scenario order

    def _on_watch(self, conn: ConnId, binding: Binding | None, req: Request) -> list[Outgoing]:
        s = self._find_session(conn, req["code"])
        out = self.flush_session(s)
        b = self._bind(conn, s, PROJECTOR, None)
        out.append(self._reply(conn, req, "watching", session=self._session_info(s, b)))
        out.append(self._full_view(s, conn))
        return out

    def _on_resume(self, conn: ConnId, binding: Binding | None, req: Request) -> list[Outgoing]:
        address = self.addresses.get(conn, "?")
        wait = self.throttle.retry_after(address)
        if wait > 0:
            raise JoinError("join/throttled", f"too many wrong tokens; try again in {wait:.0f} s",
                            retry_after=round(wait, 1))
        found = self.tokens.get(names.token_hash(req["token"]))
        if found is None:
            self.throttle.fail(address)
            raise AuthError("auth/bad_token", "unknown token (kicked, or another server)")
        code, player = found
        s = self.sessions.get(code)
        if s is None:
            raise SessionError("session/ended", "the session has ended")
        out = self.flush_session(s)
        b = self._bind(conn, s, HOST if player is None else PLAYER, player)
        if player is not None:
            self._mark(s, lobby=True)
        member = s.members.get(player) if player else None
        out.append(self._reply(conn, req, "resumed", role=b.role, player=player,
                               name=member.name if member else None, team=member.team if member else None,
                               session=self._session_info(s, b)))
        out.append(self._full_view(s, conn))
        return out

    def _bind(self, conn: ConnId, s: Session, role: str, player: str | None) -> Binding:
        b = Binding(s.code, role, player)
        s.bind(conn, b)
        self.bindings[conn] = b
        return b

    # --- players

    def _player(self, s: Session, binding: Binding) -> Member:
        member = s.members.get(binding.player or "")
        if member is None:  # kicked while the message was in flight
            raise AuthError("auth/not_joined", "you are no longer in this session")
        return member

    def _on_pick_team(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self.sessions[binding.code]
        member = self._player(s, binding)
        if s.config["formation"] != "free":
            raise SessionError("team/not_free", "the host assigns teams in this session")
        if s.started and member.team is not None:
            raise SessionError("team/started", "the game has started; ask the host to move you")
        self._check_team(s, req["team"])
        out = self._move(s, member, req["team"])
        return [*out, self._reply(conn, req)]

    def _voter(self, s: Session, binding: Binding, req: Request) -> Member:
        member = self._player(s, binding)
        if member.team is None:
            raise VoteError("vote/no_team", "pick a team first")
        if req["team"] is not None and req["team"] != member.team:
            raise VoteError("vote/not_your_team", "you can vote only for your own team")
        if s.timer.paused:
            raise SessionError("session/paused", "the host has paused the game")
        return member

    def _on_vote(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self.sessions[binding.code]
        member = self._voter(s, binding, req)
        self._apply(s, [Vote(member.team, member.player, req["card"], req["option"])])  # type: ignore[arg-type]
        self._maybe_auto_resolve(s)
        return [self._reply(conn, req)]

    def _on_unvote(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self.sessions[binding.code]
        member = self._voter(s, binding, req)
        self._apply(s, [Unvote(member.team, member.player, req["card"])])  # type: ignore[arg-type]
        return [self._reply(conn, req)]

    def _maybe_auto_resolve(self, s: Session) -> None:
        """Resolve as soon as every member of every playing team has voted on every card it decides
        (at once if, this turn, no member has anything to decide).

        Reads the engine state directly: this runs on every vote, so it must not build views.
        """
        if not s.config.get("auto_resolve") or s.state.phase is not Phase.DELIBERATION:
            return
        state, sc = s.state, s.scenario
        playing = set(s.config["teams"])
        members: dict[str, list[str]] = {}
        for m in s.members.values():
            if m.team in playing:
                members.setdefault(m.team, []).append(m.player)
        if not members:
            return  # nobody votes here (e.g. one-screen mode): the host or the clock closes the vote
        for card_id in state.cards:
            card = sc.cards[card_id]
            for team, decider in card.team_decider.items():
                players = members.get(team)
                if not players:
                    continue
                open_options = [o for o in card.options.values()
                                if decider in o.deciders and o.requires.holds(state.tracks, state.flags, state.control)]
                if not open_options:
                    continue  # nothing this team could pick: it gets the default
                voted = {entry[0] for entry in state.votes.get((card_id, team), ())}
                if any(p not in voted for p in players):
                    return
        self._apply(s, [Resolve()])  # everyone voted, or nobody had anything to decide this turn

    # --- host

    def _host_session(self, binding: Binding) -> Session:
        return self.sessions[binding.code]

    def _on_start(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        if s.started:
            raise SessionError("session/already_started", "the game has already started")
        decisions: list[Decision] = [Advance()] if s.state.phase is Phase.BRIEFING else []
        self._apply(s, decisions, started=True)
        return [self._reply(conn, req)]

    def _require_started(self, s: Session) -> None:
        if not s.started:
            raise SessionError("session/not_started", "start the game first")

    def _on_advance(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        self._require_started(s)
        self._apply(s, [Advance()])
        return [self._reply(conn, req)]

    def _on_force_resolve(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        self._require_started(s)
        self._apply(s, [Resolve()])
        return [self._reply(conn, req)]

    def _on_reveal(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        self._apply(s, [Reveal(req["card"])])
        return [self._reply(conn, req)]

    def _on_team_choice(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        if not s.config["one_screen"]:
            raise SessionError("session/not_one_screen", "team choices are for one-screen sessions")
        self._check_team(s, req["team"])
        self._apply(s, [TeamChoice(req["team"], req["card"], req["option"])])
        return [self._reply(conn, req)]

    def _on_pause(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        t = s.timer
        if not t.paused:
            remaining = None if t.deadline is None else max(0.0, t.deadline - self.clock())
            self._set_timer(s, TimerRecord(t.phase_ends, None, True, remaining))
        return [self._reply(conn, req)]

    def _on_unpause(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        t = s.timer
        if t.paused:
            deadline = None if t.remaining is None else self.clock() + t.remaining
            self._set_timer(s, TimerRecord(t.phase_ends, deadline, False, None))
        return [self._reply(conn, req)]

    def _on_extend(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        self._require_started(s)
        now, t, secs = self.clock(), s.timer, float(req["seconds"])
        ends = t.phase_ends or self._phase_ends(s.state.phase)
        if ends is None:
            raise SessionError("timer/none", f"there is no clock in the {s.state.phase} phase")
        if t.paused:
            self._set_timer(s, TimerRecord(ends, None, True, max(0.0, (t.remaining or 0.0) + secs)))
        else:
            base = t.deadline if t.deadline is not None else now  # untimed: start a countdown
            self._set_timer(s, TimerRecord(ends, max(now, base + secs), False, None))
        return [self._reply(conn, req)]

    def _on_end(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        self.store.save(s.code, status="ended", timer=TimerRecord())
        s.status = "ended"
        s.timer = TimerRecord()
        self._mark(s, lobby=True, timer=True, urgent=True)
        return [self._reply(conn, req)]

    def _on_move_player(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        member = self._member(s, req["player"])
        if req["team"] is not None:
            self._check_team(s, req["team"])
        out = self._move(s, member, req["team"])
        return [*out, self._reply(conn, req)]

    def _on_set_captain(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        self._check_team(s, req["team"])
        if req["player"] is not None and self._member(s, req["player"]).team != req["team"]:
            raise SessionError("player/not_in_team", "the captain must be a member of the team")
        self._apply(s, [SetCaptain(req["team"], req["player"])])
        return [self._reply(conn, req)]

    def _on_rename(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        member = self._member(s, req["player"])
        name = names.normalise_name(req["name"])
        if not name:
            raise JoinError("join/bad_name", "the name is empty once control characters are removed")
        name = names.distinct_name(name, (m.name for m in s.members.values() if m is not member))
        renamed = Member(member.player, name, member.team, member.token_hash, member.joined_at)
        self.store.save(s.code, members=[renamed.record()])
        member.name = name
        self._mark(s, lobby=True)
        return [self._reply(conn, req, name=name)]

    def _on_kick(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        member = self._member(s, req["player"])
        decisions = self._leave_team_decisions(s, member)
        self._apply(s, decisions, removed=[member.player])
        del s.members[member.player]
        self.tokens.pop(member.token_hash, None)
        out = self.flush_session(s)
        gone = tuple(s.player_conns.get(member.player, ()))
        for c in gone:
            s.unbind(c)
            self.bindings.pop(c, None)
        self._mark(s, lobby=True)
        if gone:
            out.append(Outgoing(gone, {"type": "closing", "reason": "kicked"}, close=CLOSE_KICKED, reason="kicked"))
        out.append(self._reply(conn, req))
        return out

    def _on_export(self, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
        s = self._host_session(binding)
        state = s.state  # immutable: safe to read from another thread
        session = {"code": s.code, "scenario": s.scenario.id, "seed": s.seed, "config": dict(s.config),
                   "created_at": s.created_at, "status": s.status, "started": s.started}
        members = [{"player": m.player, "name": m.name, "team": m.team} for m in s.members.values()]
        rid = req.id

        def build() -> dict[str, Any]:
            data = {
                "session": session,
                "members": members,
                "log": [d.to_wire() for d in state.log],
                "state_id": state.state_id,
                "digest": state.digest(),
                "scores": scores(state),
                "learning": learning(state),
                "timeline": view_for(state, HOST)["timeline"],
            }
            return {"type": "export", "re": rid, "data": data}

        return [Outgoing((conn,), build=build)]

    # ------------------------------------------------------------------ helpers

    def _member(self, s: Session, player: str) -> Member:
        member = s.members.get(player)
        if member is None:
            raise SessionError("player/unknown", f"no player {player!r} in this session")
        return member

    @staticmethod
    def _check_team(s: Session, team: str) -> None:
        if team not in s.config["teams"]:
            raise SessionError("team/unknown", f"team {team!r} does not play in this session")

    def _leave_team_decisions(self, s: Session, member: Member) -> list[Decision]:
        """Withdraw the member's votes and captaincy in their current team."""
        old = member.team
        if old is None or s.state.phase is Phase.ENDED:
            return []
        private = view_for(s.state, team_seat(old))["team"]
        decisions: list[Decision] = []
        if s.state.phase is Phase.DELIBERATION:
            for card, votes in private["votes"].items():
                if member.player in votes:
                    decisions.append(Unvote(old, member.player, card))
        if private.get("captain") == member.player:
            decisions.append(SetCaptain(old, None))
        return decisions

    def _move(self, s: Session, member: Member, team: str | None) -> list[Outgoing]:
        """Put ``member`` in ``team`` (None: no team); their connections get the new seat's view."""
        if team == member.team:
            return []
        decisions = self._leave_team_decisions(s, member)
        moved = Member(member.player, member.name, team, member.token_hash, member.joined_at)
        self._apply(s, decisions, members=[moved.record()])
        member.team = team
        out = self.flush_session(s)
        for c in list(s.player_conns.get(member.player, ())):
            b = s.unbind(c)
            if b is not None:
                s.bind(c, b)
                out.append(self._full_view(s, c))
        self._mark(s, lobby=True, urgent=True)
        return out

    @staticmethod
    def _phase_ends(phase: Phase) -> str | None:
        return {Phase.BRIEFING: "advance", Phase.DELIBERATION: "resolve"}.get(phase)

    def _phase_seconds(self, s: Session, state: Any) -> float | None:
        if state.phase is Phase.BRIEFING:
            return s.config.get("briefing")
        if state.phase is Phase.DELIBERATION:
            timer = s.config.get("timer")
            if timer == SCENARIO_TIMER:
                card_timers = [c["timer"] for c in view_for(state, PROJECTOR)["cards"] if c.get("timer") and c["teams"]]
                return max(card_timers, default=DEFAULT_VOTE_SECONDS)
            return timer
        return None

    def _apply(
        self,
        s: Session,
        decisions: Iterable[Decision],
        *,
        members: Iterable[Any] = (),
        removed: Iterable[str] = (),
        started: bool | None = None,
    ) -> None:
        """Apply decisions to a copy, save them (and the new clock) durably, then commit in memory.

        An engine refusal or a storage failure leaves the session exactly as it was.
        """
        state, events, logged = s.state, [], []
        now = self.clock()
        for d in decisions:
            state, evs = apply(state, d)
            events.extend(evs)
            logged.append(LoggedDecision(s.seq + len(logged) + 1, state.state_id, d.to_wire(), now))
        timer = None
        phase_changed = state.phase is not s.state.phase or state.turn != s.state.turn
        is_started = s.started if started is None else started
        if phase_changed or (started and not s.started):
            secs = self._phase_seconds(s, state) if is_started else None
            ends = self._phase_ends(state.phase) if secs is not None else None
            if s.timer.paused:
                timer = TimerRecord(ends, None, True, secs)
            else:
                timer = TimerRecord(ends, None if secs is None else now + secs, False, None)
        self.store.save(s.code, decisions=logged, members=list(members), removed=list(removed), timer=timer,
                        started=started)
        s.state = state
        s.seq += len(logged)
        if started is not None:
            s.started = started
        if logged:
            if all(type(d) in (Vote, Unvote) for d in decisions):
                s.voted_teams.update(d.team for d in decisions)  # type: ignore[attr-defined]
            else:
                s.votes_only = False
            s.pending_events.extend(events)
            self._mark(s, state=True, urgent=phase_changed)
        if timer is not None:
            self._commit_timer(s, timer)
        if started is not None:
            self._mark(s, lobby=True, urgent=True)
        if phase_changed and state.phase is Phase.DELIBERATION:
            self._maybe_auto_resolve(s)  # a turn with nothing to decide need not wait for the clock

    def _set_timer(self, s: Session, timer: TimerRecord) -> None:
        self.store.save(s.code, timer=timer)
        self._commit_timer(s, timer)

    def _commit_timer(self, s: Session, timer: TimerRecord) -> None:
        unchanged = timer == s.timer  # e.g. untimed play: every phase is as untimed as the last
        s.timer = timer
        if timer.deadline is not None:
            heapq.heappush(self._heap, (timer.deadline, s.code))
        if not unchanged:
            self._mark(s, timer=True, urgent=True)

    def _mark(self, s: Session, *, state: bool = False, lobby: bool = False, timer: bool = False,
              urgent: bool = False) -> None:
        s.dirty_state |= state
        s.dirty_lobby |= lobby
        s.dirty_timer |= timer
        due = self.clock() + (0.0 if urgent else self.batch_delay)
        if due < self._dirty.get(s.code, due + 1):
            self._dirty[s.code] = due

    # ------------------------------------------------------------------ timers

    def _peek(self) -> tuple[float, Session] | None:
        while self._heap:
            deadline, code = self._heap[0]
            s = self.sessions.get(code)
            if s is not None and s.timer.deadline == deadline and not s.timer.paused and s.status == "open":
                return deadline, s
            heapq.heappop(self._heap)  # stale: the clock was changed since
        return None

    def next_deadline(self) -> float | None:
        """The earliest running deadline of any session (clock time), or None."""
        top = self._peek()
        return None if top is None else top[0]

    def clock_jumped(self, seconds: float) -> None:
        """The machine slept (a closed laptop lid) for ``seconds``: move every running deadline
        by as much, so a vote that was open when the lid closed is still open when it opens."""
        for s in self.sessions.values():
            t = s.timer
            if t.deadline is not None and not t.paused and s.status == "open":
                try:
                    self._set_timer(s, TimerRecord(t.phase_ends, t.deadline + seconds, False, None))
                except (StorageError, ServerError):
                    log.exception("could not move the clock of session %s", s.code)

    def tick(self) -> list[Outgoing]:
        """Fire every deadline that has passed: end the briefing, or resolve the vote.
        The changes are pushed by the next ``flush()``."""
        now = self.clock()
        while (top := self._peek()) is not None and top[0] <= now:
            heapq.heappop(self._heap)
            s = top[1]
            ends = s.timer.phase_ends
            try:
                if ends == "advance" and s.state.phase is Phase.BRIEFING:
                    self._apply(s, [Advance()])
                elif ends == "resolve" and s.state.phase is Phase.DELIBERATION:
                    self._apply(s, [Resolve()])
                else:
                    self._set_timer(s, TimerRecord())
            except (EngineError, ServerError):
                log.exception("timer of session %s", s.code)
                s.timer = TimerRecord()
        return []

    # ------------------------------------------------------------------ pushes

    def flush_delay(self) -> float | None:
        """Seconds until ``flush_due()`` should run (0: now), or None if nothing is waiting."""
        if not self._dirty:
            return None
        wait = min(self._dirty.values()) - self.clock()
        return 0.0 if wait > self.batch_delay else max(0.0, wait)  # beyond it: the wall clock went back

    def flush_due(self) -> list[Outgoing]:
        """Push the changes of every session whose time has come, the most overdue (urgent) first."""
        now = self.clock()
        # due, or further off than a batch can be: the wall clock was set back meanwhile
        return self._flush([code for code, at in self._dirty.items() if at <= now or at - now > self.batch_delay])

    def flush(self) -> list[Outgoing]:
        """Push every pending change now, due or not: view updates per seat, lobby and timer changes."""
        return self._flush(list(self._dirty))

    def _flush(self, codes: list[str]) -> list[Outgoing]:
        out: list[Outgoing] = []
        for code in sorted(codes, key=self._dirty.__getitem__):  # the most overdue first
            s = self.sessions.get(code)
            if s is None:
                self._dirty.pop(code, None)  # ended and dropped meanwhile
            else:
                out.extend(self.flush_session(s))  # clears its entry
        return out

    def flush_session(self, s: Session) -> list[Outgoing]:
        out: list[Outgoing] = []
        if s.dirty_state:
            out += self._push_state(s)
        everyone = tuple(s.conns)
        if s.dirty_lobby and everyone:
            out.append(Outgoing(everyone, self._lobby(s)))
        if s.dirty_timer and everyone:
            out.append(Outgoing(everyone, {"type": "timer", **self._timer_info(s)}))
        s.dirty_state = s.dirty_lobby = s.dirty_timer = False
        self._dirty.pop(s.code, None)
        return out

    def _push_state(self, s: Session) -> list[Outgoing]:
        """One ``update`` per seat: the public patch is computed once and shared by every seat
        that was sent the same public view; each team adds the patch of its own block.

        When only votes changed since the last push (the common case: a batch of votes), the
        engine guarantees that only ``progress`` and the voting teams' blocks changed
        (``VOTE_KEYS``), so just those are rebuilt and diffed.
        """
        out: list[Outgoing] = []
        events, s.pending_events = s.pending_events, []
        state_id = s.state.state_id
        votes_only, voted, pushed = s.votes_only, s.voted_teams, s.pushed_state
        s.votes_only, s.voted_teams, s.pushed_state = True, set(), state_id
        last_public = s.public  # the public view as of the previous push (or None)
        shared: dict[str, list[Any]] = {}  # the public patch and its team part, computed once
        blocks: dict[str, dict[str, Any]] = {}  # votes only: the voting teams' blocks, built once
        if votes_only and last_public is not None and last_public[0] == pushed:
            progress = vote_progress(s.state)
            s.public = (state_id, {**last_public[1], PROGRESS: progress})
            shared["progress"] = [[[PROGRESS, *path], *rest] for path, *rest in
                                  make_patch(last_public[1][PROGRESS], progress)]
            blocks = {t: team_block(s.state, t) for t in voted}
        else:
            votes_only = False
        public_texts = s.public_texts()
        for seat, conns in s.seats.items():
            old = s.sent.get(seat)
            if old is None:
                view, pool = s.wire_view(seat)
                s.sent[seat] = (state_id, view, *s.texts_count(seat), state_id)
                out.extend(self._full_view(s, c) for c in conns)
                continue
            if votes_only and old[0] == pushed:
                view, pool, patch = self._vote_patch(s, seat, old[1], blocks, shared["progress"])
            else:
                view, pool = s.wire_view(seat)
                patch = self._patch(s, seat, old, view, last_public, shared)
            evs = pool.intern([e for e in events_for(events, seat) if e["type"] not in VIEW_EVENTS])
            patch += [[[TEXTS, ref], text] for ref, text in public_texts.added_since(old[2])]
            if pool is not public_texts:
                patch += [[[TEXTS, ref], text] for ref, text in pool.added_since(old[3])]
            if not patch and not evs:
                # nothing this seat sees changed (e.g. another team voted): send nothing; its clients
                # stay at the state_id they hold, which the next update names as its base
                s.sent[seat] = (state_id, view, *s.texts_count(seat), old[4])
                continue
            s.sent[seat] = (state_id, view, *s.texts_count(seat), state_id)
            if (len(patch) > 8 and (size := _packed_size(patch)) > BIG_PATCH
                    and size >= _packed_size(view) + _texts_size(pool)):
                out.extend(self._full_view(s, c) for c in conns)
                continue
            message = {"type": "update", "state_id": state_id, "base": old[4], "patch": patch}
            if evs:
                message["events"] = evs  # omitted when empty, as it is in every update today
            out.append(Outgoing(tuple(conns), message, zdict=s.zdict))  # each got the dictionary in its view
        return out

    @staticmethod
    def _patch(s: Session, seat: str, old: tuple[Any, ...], view: dict[str, Any],
               last_public: tuple[int, dict[str, Any]] | None, shared: dict[str, list[Any]]) -> list[Any]:
        """A seat's patch from its last view: the shared public patch plus its own block where it can."""
        team = None if seat == HOST else old[1].get("team")
        if seat != HOST and last_public is not None and old[0] == last_public[0]:
            if "public" not in shared:
                shared["public"] = make_patch(last_public[1], s.public_view())
                shared["team"] = [op for op in shared["public"] if op[0][:1] != [PROGRESS]]
            if team is None:
                return list(shared["public"])  # the projector: with the room's vote progress
            return shared["team"] + [[["team", *path], *rest] for path, *rest in make_patch(team, view["team"])]
        return make_patch(old[1], view)

    @staticmethod
    def _vote_patch(s: Session, seat: str, old: dict[str, Any], blocks: dict[str, dict[str, Any]],
                    progress_patch: list[Any]) -> tuple[dict[str, Any], TextPool, list[Any]]:
        """Only votes changed: (view, pool, patch) from the new progress and the voting teams' blocks."""
        pool = s.seat_texts(seat)
        assert s.public is not None
        if seat == HOST:
            private = dict(old["teams_private"])
            patch = list(progress_patch)
            for team, block in blocks.items():
                private[team] = new = pool.intern(block)
                patch += [[["teams_private", team, *path], *rest]
                          for path, *rest in make_patch(old["teams_private"][team], new)]
            return {**old, PROGRESS: s.public[1][PROGRESS], "teams_private": private}, pool, patch
        team = Seat.team_of(seat)
        if team is None:
            return s.public[1], pool, list(progress_patch)  # the projector
        block = blocks.get(team)
        if block is None:
            return old, pool, []  # another team voted: this seat sees nothing new
        new = pool.intern(block)
        return {**old, "team": new}, pool, [[["team", *path], *rest] for path, *rest in make_patch(old["team"], new)]

    def _full_view(self, s: Session, conn: ConnId) -> Outgoing:
        b = s.conns[conn]
        sent = s.sent.get(b.seat)
        if sent is None or sent[0] != s.state.state_id:
            view, _pool = s.wire_view(b.seat)
            sent = s.sent[b.seat] = (s.state.state_id, view, *s.texts_count(b.seat), s.state.state_id)
        view = {**sent[1], TEXTS: s.seat_texts(b.seat).all_texts()}  # the seat's whole pool, built to send
        # labelled with the seat's base: its view is the same at both ids, and all its clients agree
        return Outgoing((conn,), {"type": "view", "state_id": sent[4], "view": view,
                                  "session": self._session_info(s, b), "zdict": s.zdict})

    def _members(self, s: Session) -> list[dict[str, Any]]:
        return [{"player": m.player, "name": m.name, "team": m.team, "online": s.is_online(m.player)}
                for m in s.members.values()]

    def _lobby(self, s: Session) -> dict[str, Any]:
        return {"type": "lobby", "members": self._members(s), "started": s.started, "status": s.status}

    def _timer_info(self, s: Session) -> dict[str, Any]:
        t = s.timer
        if t.paused:
            remaining = t.remaining
        elif t.deadline is not None:
            remaining = max(0.0, t.deadline - self.clock())
        else:
            remaining = None
        return {"ends": t.phase_ends, "remaining_ms": None if remaining is None else int(remaining * 1000),
                "paused": t.paused}

    def _session_info(self, s: Session, b: Binding) -> dict[str, Any]:
        member = s.members.get(b.player) if b.player else None
        return {
            "code": s.code,
            "scenario": s.scenario.public_info(),
            "config": dict(s.config),
            "started": s.started,
            "status": s.status,
            "members": self._members(s),
            "timer": self._timer_info(s),
            "you": {"role": b.role, "player": b.player, "name": member.name if member else None,
                    "team": member.team if member else None, "seat": b.seat},
            "protocol": VERSION,
        }
