"""What the Master sends: the ``Outgoing`` value and the messages built from a session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from game.engine import EngineError
from game.wire import VERSION
from server.connections import Binding, ConnId
from server.errors import ServerError
from server.protocol import Request
from server.session import Session


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
    think: Any = None  # a ``server.bots.ThinkJob``: run ``server.bots.think`` on it off the loop, give the
    #                    answer to ``Driver.bot_answered`` (``to`` is empty)


def error(conn: ConnId, rid: int | None, exc: ServerError | EngineError) -> Outgoing:
    msg: dict[str, Any] = {"type": "error", "re": rid, "code": exc.code, "message": exc.message}
    for key, value in getattr(exc, "extra", {}).items():
        msg[key] = value
    return Outgoing((conn,), msg)


def reply(conn: ConnId, req: Request, kind: str = "ack", **fields: Any) -> Outgoing:
    return Outgoing((conn,), {"type": kind, "re": req.id, **fields})


def members(s: Session) -> list[dict[str, Any]]:
    """Member entries: a bot's has ``bot`` (its level) and is always online; a student's has no ``bot``."""
    out = []
    for m in s.members.values():
        entry: dict[str, Any] = {"player": m.player, "name": m.name, "team": m.team,
                                 "online": m.bot is not None or s.is_online(m.player)}
        if m.bot is not None:
            entry["bot"] = m.bot
        out.append(entry)
    return out


def lobby(s: Session) -> dict[str, Any]:
    return {"type": "lobby", "members": members(s), "started": s.started, "status": s.status}


def timer_info(s: Session, now: float) -> dict[str, Any]:
    t = s.timer
    if t.paused:
        remaining = t.remaining
    elif t.deadline is not None:
        remaining = max(0.0, t.deadline - now)
    else:
        remaining = None
    return {"ends": t.phase_ends, "remaining_ms": None if remaining is None else int(remaining * 1000),
            "paused": t.paused}


def session_info(s: Session, b: Binding, now: float) -> dict[str, Any]:
    member = s.members.get(b.player) if b.player else None
    return {
        "code": s.code,
        "scenario": s.scenario.public_info(),
        "config": dict(s.config),
        "started": s.started,
        "status": s.status,
        "members": members(s),
        "timer": timer_info(s, now),
        "you": {"role": b.role, "player": b.player, "name": member.name if member else None,
                "team": member.team if member else None, "seat": b.seat},
        "protocol": VERSION,
    }
