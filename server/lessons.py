"""The teacher's saved lessons, by host token: delete one, duplicate it as a fresh start, or
fetch its export (to replay a finished lesson turn by turn, or report on it).

Both requests come on a fresh connection (they are ``UNBOUND``) carrying the lesson's host
token, because a finished lesson is no longer in memory after the server restarted: only the
store still knows it.  ``delete_session`` removes it from memory and the store (its
connections get ``closing`` with reason ``"deleted"``); ``duplicate_session`` creates a new
session with the same scenario and settings (teams, timers, formation…) under a new code,
without members or votes, and seats the connection as its host (the reply is the same
``session_created`` that ``create_session`` gives); the copy starts where the lesson started (a
campaign lesson's ``campaign`` entry, or the top-level ``start`` of a branch of a game sent whole).
``saved_export`` answers with the same ``export`` reply the host's ``export`` gets, replaying the
stored log when the lesson is only in the store; the connection stays unseated.

Solo games (``create_session``'s ``solo``; ``server.session.is_solo``) are flagged wherever a
lesson is listed — ``session.config.solo`` in every seating reply, ``data.session.solo`` in an
export — so a client lists them apart from the class lessons; a duplicate keeps the flag, the
bots' seats (team and level) and ``bots_yield``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine import replay
from game.wire import ErrorCode, Role
from server import commands, names, replies, seating
from server.campaigns import lesson_start, start_entries
from server.connections import Binding, ConnId
from server.errors import AuthError
from server.protocol import CLOSE_GOING_AWAY, Request
from server.replies import Outgoing
from server.session import is_solo

if TYPE_CHECKING:
    from server.master import Master


def _host_code(m: Master, conn: ConnId, token: str) -> str:
    """The code of the lesson this host token opens (in memory or only in the store)."""
    address = m.addresses.get(conn, "?")
    seating._check_throttle(m, address, "tokens")
    token_hash = names.token_hash(token)
    found = m.tokens.get(token_hash)
    if found is not None and found[1] is None:
        return found[0]
    code = None if found is not None else m.store.find_host(token_hash)
    if code is None:
        m.throttle.fail(address)
        raise AuthError(ErrorCode.BAD_TOKEN, "unknown host token (deleted, or another server)")
    return code


def delete_session(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    code = _host_code(m, conn, req["token"])
    m.store.delete_session(code)  # first: if it fails, nothing changed
    out: list[Outgoing] = []
    s = m.sessions.pop(code, None)
    if s is not None:
        for token_hash in [h for h, (c, _p) in m.tokens.items() if c == code]:
            del m.tokens[token_hash]
        gone = s.links.everyone()
        for c in gone:
            m.unbind(s, c)
        if gone:
            out.append(Outgoing(gone, {"type": "closing", "reason": "deleted"}, close=CLOSE_GOING_AWAY,
                                reason="deleted"))
    out.append(replies.reply(conn, req, "deleted", code=code))
    return out


def duplicate_session(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    code = _host_code(m, conn, req["token"])
    s = m.sessions.get(code)
    if s is not None:
        scenario_id, config = s.scenario.id, dict(s.config)
        bots = {mem.team: mem.bot for mem in s.members.values() if mem.bot is not None and mem.team is not None}
    else:
        snap = m.store.load_session(code)
        if snap is None:
            raise AuthError(ErrorCode.BAD_TOKEN, "unknown host token (deleted, or another server)")
        scenario_id, config = snap.record.scenario, dict(snap.record.config)
        bots = {mem.team: mem.bot for mem in snap.members if mem.bot is not None and mem.team is not None}
    carried = start_entries(config)
    fields = {
        "scenario": scenario_id, "lang": config.get("lang", "pl"), "teams": config.get("teams"),
        "timer": config.get("timer"), "briefing": config.get("briefing"),
        "formation": config.get("formation", "free"), "one_screen": bool(config.get("one_screen", False)),
        "auto_resolve": bool(config.get("auto_resolve", True)), "teacher": config.get("teacher"),
        "bots": bots or None, "bots_yield": bool(config.get("bots_yield", True)), "solo": is_solo(config),
        # a campaign lesson starts again where it started; a branch of a game sent whole keeps its
        # carried start at the top level (server.branching)
        "copy_campaign": carried.get("campaign"),
        "copy_start": carried.get("start"),
    }
    out = seating.create_session(m, conn, None, Request("create_session", req.id, fields))
    out[0].message["duplicate_of"] = code  # type: ignore[index]
    return out


def saved_export(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    code = _host_code(m, conn, req["token"])
    s = m.sessions.get(code)
    if s is not None:
        return commands.export(m, conn, Binding(code, Role.HOST, None), req)
    snap = m.store.load_session(code)
    if snap is None:
        raise AuthError(ErrorCode.BAD_TOKEN, "unknown host token (deleted, or another server)")
    rec = snap.record
    scenario = m.scenario(rec.scenario)
    session = {"code": rec.code, "scenario": scenario.id, "scenario_digest": scenario.digest, "seed": rec.seed,
               "config": dict(rec.config), "created_at": rec.created_at, "exported_at": m.clock(),
               "status": rec.status, "started": rec.started, "solo": is_solo(rec.config)}
    members = [{"player": mem.player, "name": mem.name, "team": mem.team, "joined_at": mem.joined_at,
                "online": mem.bot is not None, **({"bot": mem.bot} if mem.bot else {})} for mem in snap.members]
    log = [entry.decision for entry in snap.log]

    def build() -> dict[str, Any]:
        state = replay(scenario, rec.seed, log, lesson_start(rec.config))
        return commands.export_message(req.id, session, members, state, m.store)

    return [Outgoing((conn,), build=build)]


HANDLERS = {"delete_session": delete_session, "duplicate_session": duplicate_session, "saved_export": saved_export}
