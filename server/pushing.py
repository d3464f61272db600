"""Pushing changes to the seats: per-session batches, patches against what each seat holds,
full views, and when a full view is cheaper than a patch.

Changes are batched per session: ``mark`` records what changed and when it is due (urgent: now,
e.g. a phase changed; otherwise after ``batch_delay``, so thirty votes in a burst cost one
update per seat).  ``flush_due`` pushes the due sessions, the most overdue first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from game.engine import events_for, team_block, vote_progress
from game.textpool import TEXTS, TextPool
from game.wire import Seat, team_of
from server import replies
from server.connections import ConnId
from server.diff import make_patch
from server.protocol import ZDICT
from server.replies import Outgoing
from server.session import Session
from server.viewcache import PROGRESS, PublicView, SeatView, packed_size

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


class Pusher:
    """The pending pushes of every session, and how they are built."""

    def __init__(self, clock: Callable[[], float], batch_delay: float = BATCH_DELAY) -> None:
        self.clock = clock
        self.batch_delay = batch_delay
        self._dirty: dict[str, float] = {}  # session code -> when its changes are due (clock time)

    def mark(self, s: Session, *, state: bool = False, lobby: bool = False, timer: bool = False,
             urgent: bool = False) -> None:
        """Record that ``s`` changed; urgent changes are due now, others with the next batch."""
        s.dirty_state |= state
        s.dirty_lobby |= lobby
        s.dirty_timer |= timer
        due = self.clock() + (0.0 if urgent else self.batch_delay)
        if due < self._dirty.get(s.code, due + 1):
            self._dirty[s.code] = due

    def flush_delay(self) -> float | None:
        """Seconds until ``flush_due()`` should run (0: now), or None if nothing is waiting."""
        if not self._dirty:
            return None
        wait = min(self._dirty.values()) - self.clock()
        return 0.0 if wait > self.batch_delay else max(0.0, wait)  # beyond it: the wall clock went back

    def flush_due(self, sessions: Mapping[str, Session]) -> list[Outgoing]:
        """Push the changes of every session whose time has come, the most overdue (urgent) first."""
        now = self.clock()
        # due, or further off than a batch can be: the wall clock was set back meanwhile
        return self._flush(sessions, [code for code, at in self._dirty.items()
                                      if at <= now or at - now > self.batch_delay])

    def flush(self, sessions: Mapping[str, Session]) -> list[Outgoing]:
        """Push every pending change now, due or not."""
        return self._flush(sessions, list(self._dirty))

    def _flush(self, sessions: Mapping[str, Session], codes: Iterable[str]) -> list[Outgoing]:
        out: list[Outgoing] = []
        for code in sorted(codes, key=self._dirty.__getitem__):  # the most overdue first
            s = sessions.get(code)
            if s is None:
                self._dirty.pop(code, None)  # ended and dropped meanwhile
            else:
                out.extend(self.flush_session(s))  # clears its entry
        return out

    def flush_session(self, s: Session) -> list[Outgoing]:
        """Push ``s``'s pending changes now: view updates per seat, lobby and timer changes."""
        out: list[Outgoing] = []
        if s.dirty_state:
            out += self._push_state(s)
        everyone = s.links.everyone()
        if s.dirty_lobby and everyone:
            out.append(Outgoing(everyone, replies.lobby(s)))
        if s.dirty_timer and everyone:
            out.append(Outgoing(everyone, {"type": "timer", **replies.timer_info(s, self.clock())}))
        s.dirty_state = s.dirty_lobby = s.dirty_timer = False
        self._dirty.pop(s.code, None)
        return out

    def full_view(self, s: Session, conn: ConnId) -> Outgoing:
        """The whole view of ``conn``'s seat, with every text of its pools and the session info."""
        b = s.links.bindings[conn]
        held = s.views.seats.get(b.seat)
        if held is None or held.state_id != s.state.state_id:
            view, _pool = s.views.wire_view(s.state, b.seat)
            held = s.views.remember(b.seat, s.state.state_id, view, s.state.state_id)
        view = {**held.view, TEXTS: s.views.all_texts(b.seat)}  # the seat's whole pool, built to send
        # labelled with the seat's base: its view is the same at both ids, and all its clients agree
        message = {"type": "view", "state_id": held.base, "view": view,
                   "session": replies.session_info(s, b, self.clock()), "zdict": s.zdict}
        if b.accept is not None and ZDICT not in b.accept:
            del message["zdict"]  # a client that cannot use it (a browser): about 2 KB less to load
        return Outgoing((conn,), message)

    def _push_state(self, s: Session) -> list[Outgoing]:
        """One ``update`` per seat: the public patch is computed once and shared by every seat
        that was sent the same public view; each team adds the patch of its own block.

        When only votes changed since the last push (the common case: a batch of votes), the
        engine guarantees that only ``progress`` and the voting teams' blocks changed
        (``VOTE_KEYS``), so just those are rebuilt and diffed.
        """
        out: list[Outgoing] = []
        events, s.pending_events = s.pending_events, []
        cache = s.views
        state_id = s.state.state_id
        votes_only, voted, pushed = s.votes_only, s.voted_teams, s.pushed_state
        s.votes_only, s.voted_teams, s.pushed_state = True, set(), state_id
        last_public = cache.public  # the public view as of the previous push (or None)
        shared: dict[str, list[Any]] = {}  # the public patch and its team part, computed once
        blocks: dict[str, dict[str, Any]] = {}  # votes only: the voting teams' blocks, built once
        if votes_only and last_public is not None and last_public.state_id == pushed:
            progress = vote_progress(s.state)
            cache.public = PublicView(state_id, {**last_public.view, PROGRESS: progress})
            shared["progress"] = [[[PROGRESS, *path], *rest] for path, *rest in
                                  make_patch(last_public.view[PROGRESS], progress)]
            blocks = {t: team_block(s.state, t) for t in voted}
        else:
            votes_only = False
        for seat, conns in s.links.seats.items():
            held = cache.seats.get(seat)
            if held is None:
                view, pool = cache.wire_view(s.state, seat)
                cache.remember(seat, state_id, view, state_id)
                out.extend(self.full_view(s, c) for c in conns)
                continue
            if votes_only and held.state_id == pushed:
                view, pool, patch = _vote_patch(s, seat, held.view, blocks, shared["progress"])
            else:
                view, pool = cache.wire_view(s.state, seat)
                patch = _patch(s, seat, held, view, last_public, shared)
            evs = pool.intern([e for e in events_for(events, seat) if e["type"] not in VIEW_EVENTS])
            patch += cache.new_texts(seat, held)
            if not patch and not evs:
                # nothing this seat sees changed (e.g. another team voted): send nothing; its clients
                # stay at the state_id they hold, which the next update names as its base
                cache.remember(seat, state_id, view, held.base)
                continue
            cache.remember(seat, state_id, view, state_id)
            if (len(patch) > 8 and (size := packed_size(patch)) > BIG_PATCH
                    and size >= packed_size(view) + cache.texts_size(seat)):
                out.extend(self.full_view(s, c) for c in conns)
                continue
            message: dict[str, Any] = {"type": "update", "state_id": state_id, "base": held.base, "patch": patch}
            if evs:
                message["events"] = evs  # omitted when empty, as it is in every update today
            out.append(Outgoing(tuple(conns), message, zdict=s.zdict))  # each got the dictionary in its view
        return out


def _team_ops(path_head: list[Any], patch: list[Any]) -> list[Any]:
    return [[[*path_head, *path], *rest] for path, *rest in patch]


def _patch(s: Session, seat: str, held: SeatView, view: dict[str, Any], last_public: PublicView | None,
           shared: dict[str, list[Any]]) -> list[Any]:
    """A seat's patch from its last view: the shared public patch plus its own block where it can."""
    team = None if seat == Seat.HOST else held.view.get("team")
    if seat != Seat.HOST and last_public is not None and held.state_id == last_public.state_id:
        if "public" not in shared:
            shared["public"] = make_patch(last_public.view, s.views.public_view(s.state))
            shared["team"] = [op for op in shared["public"] if op[0][:1] != [PROGRESS]]
        if team is None:
            return list(shared["public"])  # the projector: with the room's vote progress
        public_secrets = s.views.public_view(s.state).get("secrets") or {}  # once ended: a team's own keeps its own ref
        own = [[["secrets", t], r] for t, r in (view.get("secrets") or {}).items() if r != public_secrets.get(t)]
        return shared["team"] + own + _team_ops(["team"], make_patch(team, view["team"]))
    return make_patch(held.view, view)


def _vote_patch(s: Session, seat: str, old: dict[str, Any], blocks: dict[str, dict[str, Any]],
                progress_patch: list[Any]) -> tuple[dict[str, Any], TextPool, list[Any]]:
    """Only votes changed: (view, pool, patch) from the new progress and the voting teams' blocks."""
    pool = s.views.seat_texts(seat)
    public = s.views.public
    assert public is not None
    if seat == Seat.HOST:
        private = dict(old["teams_private"])
        patch = list(progress_patch)
        for voted, block in blocks.items():
            private[voted] = new = pool.intern(block)
            patch += _team_ops(["teams_private", voted], make_patch(old["teams_private"][voted], new))
        return {**old, PROGRESS: public.view[PROGRESS], "teams_private": private}, pool, patch
    team = team_of(seat)
    if team is None:
        return public.view, pool, list(progress_patch)  # the projector
    own = blocks.get(team)
    if own is None:
        return old, pool, []  # another team voted: this seat sees nothing new
    new = pool.intern(own)
    return {**old, "team": new}, pool, _team_ops(["team"], make_patch(old["team"], new))


