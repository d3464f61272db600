"""What seated connections ask for: the players' votes and team picks, the host's commands.

Each handler checks what the engine cannot know (who may act, the session's settings), turns
the request into engine decisions and hands them to ``Master.apply``; the reply comes last.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from game.engine import (
    Advance,
    Decision,
    EndEarly,
    Resolve,
    Reveal,
    SetCaptain,
    TeamChoice,
    Unvote,
    Vote,
    learning,
    scores,
    view_for,
    withdraw_player,
)
from game.wire import ErrorCode, Phase, Seat, SessionStatus
from server import bots, clock, names, replies
from server.connections import Binding, ConnId
from server.errors import AuthError, JoinError, SessionError, VoteError
from server.protocol import CLOSE_KICKED, Request
from server.replies import Outgoing
from server.session import Member, Session, is_solo
from server.store import TimerRecord

if TYPE_CHECKING:
    from server.master import Master


# ------------------------------------------------------------------ checks


def _player(s: Session, binding: Binding) -> Member:
    member = s.members.get(binding.player or "")
    if member is None:  # kicked while the message was in flight
        raise AuthError(ErrorCode.NOT_JOINED, "you are no longer in this session")
    return member


def _member(s: Session, player: str) -> Member:
    member = s.members.get(player)
    if member is None:
        raise SessionError("player/unknown", f"no player {player!r} in this session")
    return member


def _check_team(s: Session, team: str) -> None:
    if team not in s.config["teams"]:
        raise SessionError("team/unknown", f"team {team!r} does not play in this session")


def _require_started(s: Session) -> None:
    if not s.started:
        raise SessionError(ErrorCode.NOT_STARTED, "start the game first")


def _voter(s: Session, binding: Binding, req: Request) -> tuple[Member, str]:
    """The member voting and their team, if they may vote now."""
    member = _player(s, binding)
    if member.team is None:
        raise VoteError(ErrorCode.NO_TEAM, "pick a team first")
    if req["team"] is not None and req["team"] != member.team:
        raise VoteError(ErrorCode.NOT_YOUR_TEAM, "you can vote only for your own team")
    _require_started(s)
    if s.timer.paused:
        raise SessionError(ErrorCode.SESSION_PAUSED, "the host has paused the game")
    return member, member.team


def _move(m: Master, s: Session, member: Member, team: str | None) -> list[Outgoing]:
    """Put ``member`` in ``team`` (None: no team); their connections get the new seat's view."""
    if team == member.team:
        return []
    decisions = [] if member.team is None else withdraw_player(s.state, member.team, member.player)
    moved = replace(member, team=team)
    m.apply(s, decisions, members=[moved.record()])
    member.team = team
    out = m.push.flush_session(s)
    for c in s.links.of_player(member.player):
        b = s.unbind(c)
        if b is not None:
            s.bind(c, b)
            out.append(m.push.full_view(s, c))
    m.push.mark(s, lobby=True, urgent=True)
    if member.bot is None:
        bots.yield_team(m, s, team)  # a student came in: the team's bot leaves (if the bots yield)
    return out


# ------------------------------------------------------------------ players


def pick_team(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    member = _player(s, binding)
    if s.config["formation"] != "free":
        raise SessionError("team/not_free", "the host assigns teams in this session")
    if s.started and member.team is not None:
        raise SessionError("team/started", "the game has started; ask the host to move you")
    _check_team(s, req["team"])
    return [*_move(m, s, member, req["team"]), replies.reply(conn, req)]


def vote(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    member, team = _voter(s, binding, req)
    m.apply(s, [Vote(team, member.player, req["card"], req["option"])])
    m.maybe_auto_resolve(s)
    return [replies.reply(conn, req)]


def unvote(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    member, team = _voter(s, binding, req)
    m.apply(s, [Unvote(team, member.player, req["card"])])
    return [replies.reply(conn, req)]


# ------------------------------------------------------------------ the host


def start(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    if s.started:
        raise SessionError("session/already_started", "the game has already started")
    if req["fill_bots"] is not None:
        bots.fill_empty(m, s, req["fill_bots"])  # every team without a member gets a bot
    decisions: list[Decision] = [Advance()] if s.state.phase is Phase.BRIEFING else []
    m.apply(s, decisions, started=True)
    return [replies.reply(conn, req)]


def advance(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    _require_started(s)
    m.apply(s, [Advance()])
    return [replies.reply(conn, req)]


def force_resolve(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    _require_started(s)
    m.apply(s, [Resolve()])
    return [replies.reply(conn, req)]


def reveal(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    m.apply(s, [Reveal(req["card"])])
    return [replies.reply(conn, req)]


def team_choice(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    if not s.config["one_screen"]:
        raise SessionError("session/not_one_screen", "team choices are for one-screen sessions")
    _check_team(s, req["team"])
    m.apply(s, [TeamChoice(req["team"], req["card"], req["option"])])
    return [replies.reply(conn, req)]


def _change_clock(m: Master, conn: ConnId, binding: Binding, req: Request, change: Any) -> list[Outgoing]:
    s = m.sessions[binding.code]
    timer = change(s.timer, m.clock())
    if timer is not s.timer:
        m.set_timer(s, timer)
    return [replies.reply(conn, req)]


def pause(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    return _change_clock(m, conn, binding, req, clock.paused)


def unpause(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    out = _change_clock(m, conn, binding, req, clock.unpaused)
    m.bots.wake(m.sessions[binding.code])  # bots whose votes were refused while paused think again
    return out


def extend(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    _require_started(s)
    timer = clock.extended(s.timer, s.state.phase, float(req["seconds"]), m.clock())
    if timer is None:
        raise SessionError("timer/none", f"there is no clock in the {s.state.phase} phase")
    m.set_timer(s, timer)
    return [replies.reply(conn, req)]


def end(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    """The host ends the lesson: the game ends now (early, unless it already has) and every seat is
    pushed the ended view (its debrief); the session stays, read-only, for resuming and exporting."""
    s = m.sessions[binding.code]
    if s.state.phase != Phase.ENDED:
        m.apply(s, [EndEarly()])
    m.store.save(s.code, status=SessionStatus.ENDED.value, timer=TimerRecord())
    s.status = SessionStatus.ENDED
    s.timer = TimerRecord()
    m.push.mark(s, lobby=True, timer=True, urgent=True)
    return [replies.reply(conn, req)]


def move_player(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    member = _member(s, req["player"])
    if member.bot is not None:
        raise SessionError("bot/not_movable", "a bot stays in its team: remove it (remove_bot) and add one "
                                              "to the other team (add_bot)")
    if req["team"] is not None:
        _check_team(s, req["team"])
    return [*_move(m, s, member, req["team"]), replies.reply(conn, req)]


def set_captain(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    _check_team(s, req["team"])
    if req["player"] is not None and _member(s, req["player"]).team != req["team"]:
        raise SessionError("player/not_in_team", "the captain must be a member of the team")
    m.apply(s, [SetCaptain(req["team"], req["player"])])
    return [replies.reply(conn, req)]


def rename(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    member = _member(s, req["player"])
    name = names.normalise_name(req["name"])
    if not name:
        raise JoinError(ErrorCode.BAD_NAME, "the name is empty once control characters are removed")
    name = names.distinct_name(name, (other.name for other in s.members.values() if other is not member))
    renamed = replace(member, name=name)
    m.store.save(s.code, members=[renamed.record()])
    member.name = name
    m.push.mark(s, lobby=True)
    return [replies.reply(conn, req, name=name)]


def kick(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    member = _member(s, req["player"])
    if member.bot is not None:  # kicking a bot is removing it
        bots.unseat_bot(m, s, member)
        return [replies.reply(conn, req)]
    decisions = [] if member.team is None else withdraw_player(s.state, member.team, member.player)
    m.apply(s, decisions, removed=[member.player])
    del s.members[member.player]
    m.tokens.pop(member.token_hash, None)
    out = m.push.flush_session(s)
    gone = s.links.of_player(member.player)
    for c in gone:
        m.unbind(s, c)
    m.push.mark(s, lobby=True)
    if gone:
        out.append(Outgoing(gone, {"type": "closing", "reason": "kicked"}, close=CLOSE_KICKED, reason="kicked"))
    out.append(replies.reply(conn, req))
    return out


def export(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    """The lesson's whole record for the teacher's report (game.report): the session, its members,
    the log with each decision's position and time, scores, learning and the host's timeline.

    Log entries are ``Decision.to_wire()`` plus ``seq`` (1-based) and ``at`` (server time, from the
    store, so a resumed lesson keeps its times); ``session.scenario_digest`` names the scenario's
    version (the SHA-256 of its file), so an old export still reads against the right text.
    """
    s = m.sessions[binding.code]
    state = s.state  # immutable: safe to read from another thread
    session = {"code": s.code, "scenario": s.scenario.id, "scenario_digest": s.scenario.digest, "seed": s.seed,
               "config": dict(s.config), "created_at": s.created_at, "exported_at": m.clock(),
               "status": s.status, "started": s.started, "solo": is_solo(s.config)}
    members = [{"player": mem.player, "name": mem.name, "team": mem.team, "joined_at": mem.joined_at,
                "online": mem.bot is not None or s.is_online(mem.player), **({"bot": mem.bot} if mem.bot else {})}
               for mem in s.members.values()]
    presence = [{"at": at, "player": player, "online": online} for at, player, online in s.presence]
    return [Outgoing((conn,), build=lambda: export_message(req.id, session, members, state, m.store, presence))]


def export_message(rid: int | None, session: dict[str, Any], members: list[dict[str, Any]], state: Any,
                   store: Any, presence: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The ``export`` reply (built off the event loop: it reads the store and walks the whole game).

    ``presence``: when members went offline or came back ({at, player, online}), as far as this
    server process saw (it is not stored: a restart begins a new record)."""
    times = _decision_times(store, session["code"], len(state.log))
    data = {
        "session": session,
        "members": members,
        "log": [{**d.to_wire(), "seq": i + 1, "at": times[i]} for i, d in enumerate(state.log)],
        "state_id": state.state_id,
        "digest": state.digest(),
        "scores": scores(state),
        "learning": learning(state),
        "timeline": view_for(state, Seat.HOST)["timeline"],
        "presence": list(presence or ()),
    }
    return {"type": "export", "re": rid, "data": data}


def _decision_times(store: Any, code: str, count: int) -> list[float | None]:
    """The logged time of each of the first ``count`` decisions (None where the store has none)."""
    snap = store.load_session(code)
    times: list[float | None] = [None] * count
    for entry in snap.log if snap is not None else ():
        if 1 <= entry.seq <= count:
            times[entry.seq - 1] = entry.at
    return times


HANDLERS = {
    "pick_team": pick_team, "vote": vote, "unvote": unvote,
    "start": start, "advance": advance, "force_resolve": force_resolve, "reveal": reveal,
    "team_choice": team_choice, "pause": pause, "unpause": unpause, "extend": extend, "end": end,
    "move_player": move_player, "set_captain": set_captain, "rename": rename, "kick": kick, "export": export,
}
