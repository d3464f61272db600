"""Taking a seat: create a session, join it, watch it, resume a seat with its token.

Wrong join codes and tokens are throttled per client address (``server.throttle``); tokens
are kept hashed (``Master.tokens``: hash -> (code, player, or None for the host)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from game.engine import Decision, replay
from game.wire import ErrorCode, Role, SessionStatus, normalize_code
from server import bots, campaigns, names, replies
from server.clock import DEFAULT_BRIEFING_SECONDS
from server.connections import ConnId
from server.errors import AuthError, JoinError, MessageError, SessionError, StorageError
from server.protocol import SCENARIO_TIMER, Request
from server.replies import Outgoing
from server.session import Member, Session
from server.store import LoggedDecision, SessionRecord

if TYPE_CHECKING:
    from server.master import Master

MAX_MEMBERS = 60
MAX_SESSIONS = 2000


@dataclass(frozen=True)
class StartFrom:
    """Where a new session starts when not from scratch (a branch, ``server.branching``): this
    ``seed``, these decisions already played (saved as the start of its log) and more ``config``."""

    seed: int
    log: tuple[Decision, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)


def create_session(m: Master, conn: ConnId, _binding: Any, req: Request, *,
                   start: StartFrom | None = None) -> list[Outgoing]:
    if m.closing:
        raise SessionError(ErrorCode.CLOSING, "the server is shutting down")
    if len(m.sessions) >= MAX_SESSIONS:
        raise SessionError("server/full", "too many sessions on this server")
    scenario = m.scenario(req["scenario"])
    teams = req["teams"] if req["teams"] is not None else list(scenario.team_ids)
    unknown = [t for t in teams if t not in scenario.team_ids]
    if unknown:
        raise MessageError("msg/bad_field", f"unknown teams {unknown}", field="teams")
    bot_teams = req["bots"] or {}
    strays = sorted(t for t in bot_teams if t not in teams)
    if strays:
        raise MessageError("msg/bad_field", f"bots for teams that do not play: {strays}", field="bots")
    timer = req["timer"]
    briefing = req["briefing"]
    if briefing == SCENARIO_TIMER:  # "auto": timed sessions brief for 30 s, untimed ones wait
        briefing = None if timer is None else DEFAULT_BRIEFING_SECONDS
    config = {
        "lang": req["lang"], "teams": teams, "timer": timer, "briefing": briefing,
        "formation": req["formation"], "one_screen": req["one_screen"], "auto_resolve": req["auto_resolve"],
        # the teacher's name is cleaned like a player's but kept up to the protocol's 60, not cut to 24
        "teacher": names.normalise_name(req["teacher"], names.TEACHER_NAME_MAX) or None if req["teacher"] else None,
        "bots_yield": req["bots_yield"], "solo": req["solo"],
    }
    if start is not None:
        config.update(start.config)
    host_token = m.random.token()
    now = m.clock()
    seed = m.random.seed() if start is None else start.seed
    if start is None:
        campaign, carried = campaigns.plan(m, req, scenario, seed)
        if campaign is not None:
            config["campaign"] = campaign
        elif req.fields.get("copy_start") is not None:  # duplicate_session of a branch of a game sent whole
            config["start"] = req.fields["copy_start"]
            carried = campaigns.lesson_start(config)
    else:  # a branch: a campaign lesson's branch keeps the lesson's carried start (in its config)
        carried = campaigns.lesson_start(config)
    state = replay(scenario, seed, start.log if start is not None else (), carried)
    for _attempt in range(3):
        code = m.random.join_code(m.sessions)
        record = SessionRecord(code, scenario.id, seed, config, names.token_hash(host_token), now)
        try:
            m.store.create_session(record)
            break
        except StorageError:  # a code used by an ended session in the database
            continue
    else:
        raise StorageError(ErrorCode.STORAGE, "could not save the new session")
    played = start.log if start is not None else ()
    if played:  # state_id counts decisions from 0, so the i-th one leaves state i
        logged = [LoggedDecision(i, i, d.to_wire(), now) for i, d in enumerate(played, 1)]
        try:
            m.store.save(code, decisions=logged)
        except StorageError:
            m.store.delete_session(code)  # no half-made session is left behind
            raise
    s = Session(code=code, scenario=scenario, seed=seed, config=config,
                host_token_hash=record.host_token_hash, created_at=now, state=state, seq=len(played))
    m.sessions[code] = s
    m.tokens[record.host_token_hash] = (code, None)
    for team in teams:  # in the session's team order, so b1, b2… follow it
        if team in bot_teams:
            bots.seat_bot(m, s, team, bot_teams[team])
    b = m.bind(conn, s, Role.HOST, None)
    return [
        replies.reply(conn, req, "session_created", code=code, host_token=host_token,
                      session=replies.session_info(s, b, now)),
        m.push.full_view(s, conn),
    ]


def _check_throttle(m: Master, address: str, what: str) -> None:
    wait = m.throttle.retry_after(address)
    if wait > 0:
        raise JoinError(ErrorCode.THROTTLED, f"too many wrong {what}; try again in {wait:.0f} s",
                        retry_after=round(wait, 1))


def find_session(m: Master, conn: ConnId, raw_code: str) -> Session:
    """The open session with this join code (as typed: case and separators do not matter)."""
    address = m.addresses.get(conn, "?")
    _check_throttle(m, address, "codes")
    s = m.sessions.get(normalize_code(raw_code))
    if s is None:
        m.throttle.fail(address)
        raise JoinError(ErrorCode.BAD_CODE, "no session with this code")
    if s.status == SessionStatus.ENDED:
        raise SessionError(ErrorCode.SESSION_ENDED, "the session has ended")
    return s


def join(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    s = find_session(m, conn, req["code"])
    name = names.normalise_name(req["name"])
    if not name:
        raise JoinError(ErrorCode.BAD_NAME, "the name is empty once control characters are removed")
    if len(s.members) >= MAX_MEMBERS:
        raise SessionError(ErrorCode.SESSION_FULL, "the session is full")
    name = names.distinct_name(name, (mem.name for mem in s.members.values()))
    team = auto_team(s) if s.config["formation"] == "auto" else None
    token = m.random.token()
    member = Member(f"p{s.next_player}", name, team, names.token_hash(token), m.clock())
    m.store.save(s.code, members=[member.record()])
    s.next_player += 1
    s.members[member.player] = member
    m.tokens[member.token_hash] = (s.code, member.player)
    bots.yield_team(m, s, team)  # a team held by a bot is the student's now (if the bots yield)
    out = m.push.flush_session(s)
    b = m.bind(conn, s, Role.PLAYER, member.player)
    b.accept = req["accept"]
    m.push.mark(s, lobby=True)
    out.append(replies.reply(conn, req, "joined", player=member.player, name=name, team=team,
                             resume_token=token, session=replies.session_info(s, b, m.clock())))
    out.append(m.push.full_view(s, conn))
    return out


def auto_team(s: Session) -> str:
    """The team a student joining an ``auto`` session goes to.

    Every playing team gets a student before any team gets a second (then a third, …): the
    team with the fewest students wins; a team held only by a bot counts as empty (the bot
    yields it to the student, if the session's bots yield). Among equals the teams are taken in *spread order*
    (``spread_order``), not the scenario's list order: scenarios list a side's teams
    together (brest-1918: three Soviet factions, then the Central Powers and the Entente),
    so filling in list order gave three students the three Soviet factions and left both
    foreign powers to the cards' defaults.
    """
    counts = {t: 0 for t in s.teams}
    for mem in s.members.values():
        if mem.team in counts and mem.bot is None:
            counts[mem.team] += 1
    order = spread_order(s.teams)
    return min(order, key=lambda t: (counts[t], order.index(t)))


def spread_order(teams: list[str]) -> list[str]:
    """``teams`` alternating between the first and the second half of the list (a, b, c, d, e →
    a, d, b, e, c): the first few students land on both ends of the scenario's cast."""
    half = (len(teams) + 1) // 2
    first, second = teams[:half], teams[half:]
    out: list[str] = []
    for i in range(half):
        out.append(first[i])
        if i < len(second):
            out.append(second[i])
    return out


def watch(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    s = find_session(m, conn, req["code"])
    out = m.push.flush_session(s)
    b = m.bind(conn, s, Role.PROJECTOR, None)
    b.accept = req["accept"]
    out.append(replies.reply(conn, req, "watching", session=replies.session_info(s, b, m.clock())))
    out.append(m.push.full_view(s, conn))
    return out


def resume(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    address = m.addresses.get(conn, "?")
    _check_throttle(m, address, "tokens")
    found = m.tokens.get(names.token_hash(req["token"]))
    if found is None:
        m.throttle.fail(address)
        raise AuthError(ErrorCode.BAD_TOKEN, "unknown token (kicked, or another server)")
    code, player = found
    s = m.sessions.get(code)
    if s is None:
        raise SessionError(ErrorCode.SESSION_ENDED, "the session has ended")
    out = m.push.flush_session(s)
    b = m.bind(conn, s, Role.HOST if player is None else Role.PLAYER, player)
    b.accept = req["accept"]
    if player is not None:
        m.push.mark(s, lobby=True)
    member = s.members.get(player) if player else None
    out.append(replies.reply(conn, req, "resumed", role=b.role, player=player,
                             name=member.name if member else None, team=member.team if member else None,
                             session=replies.session_info(s, b, m.clock())))
    out.append(m.push.full_view(s, conn))
    return out


def ping(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    return [replies.reply(conn, req, "pong", time=m.clock())]


HANDLERS = {"create_session": create_session, "join": join, "watch": watch, "resume": resume, "ping": ping}
