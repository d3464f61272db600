"""The wire format: msgpack maps in binary WebSocket frames (see docs/protocol.md).

``decode_frame(bytes) -> dict`` and ``encode(dict) -> bytes`` are the codec;
``parse_request(dict) -> Request`` checks the version, the type and every field
of a client message and returns it with defaults filled in.  Both raise
``ServerError`` subclasses whose ``code`` goes back to the client.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgpack

from game.wire import (
    VERSION,
    pack_server_message,
)
from server.errors import FrameError, MessageError

MAX_FRAME = 64 * 1024  # bytes; larger frames are closed with 1009 by websockets

# Close codes (RFC 6455 and our private 4000-4999 range).
CLOSE_GOING_AWAY = 1001  # server shutting down
CLOSE_UNSUPPORTED = 1003  # not msgpack / not a map / text frame
CLOSE_POLICY = 1008  # slow consumer that stopped reading
CLOSE_TOO_BIG = 1009  # frame over MAX_FRAME
CLOSE_KICKED = 4001  # the host removed this player
CLOSE_REPLACED = 4002  # reserved

_MISSING = object()


def encode(message: dict[str, Any], zdict: bytes | None = None) -> bytes:
    """Pack one server message (adds ``v``; large ones go in a compressed ``z`` envelope, against
    the session's dictionary ``zdict`` when given)."""
    return pack_server_message(message, zdict)


def decode_frame(data: bytes | str) -> dict[str, Any]:
    """Unpack one client frame; raise ``FrameError`` for anything but a msgpack map."""
    if isinstance(data, str):
        raise FrameError("frame/not_msgpack", "text frames are not accepted; send binary msgpack")
    if len(data) > MAX_FRAME:
        raise FrameError("frame/too_large", f"frames are limited to {MAX_FRAME} bytes")
    try:
        obj = msgpack.unpackb(data, raw=False, strict_map_key=True, use_list=True, timestamp=0)
    except Exception as exc:  # msgpack raises many kinds (ExtraData, StackError, ValueError...)
        raise FrameError("frame/not_msgpack", f"not a msgpack value: {type(exc).__name__}") from None
    if not isinstance(obj, dict):
        raise FrameError("frame/not_map", "a frame must be one msgpack map")
    return obj


# ----------------------------------------------------------------------------- fields

Check = Callable[[str, Any], Any]


def _bad(field: str, expected: str) -> MessageError:
    return MessageError("msg/bad_field", f"field {field!r} must be {expected}", field=field)


def text(max_len: int = 64, *, min_len: int = 1) -> Check:
    def check(field: str, value: Any) -> str:
        if not isinstance(value, str) or not (min_len <= len(value) <= max_len):
            raise _bad(field, f"a string of {min_len}..{max_len} characters")
        return value

    return check


def integer(lo: int, hi: int) -> Check:
    def check(field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not (lo <= value <= hi):
            raise _bad(field, f"an integer in {lo}..{hi}")
        return value

    return check


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(field, "true or false")
    return value


def one_of(*choices: str) -> Check:
    def check(field: str, value: Any) -> str:
        if value not in choices or not isinstance(value, str):
            raise _bad(field, "one of " + ", ".join(choices))
        return value

    return check


def nullable(inner: Check) -> Check:
    def check(field: str, value: Any) -> Any:
        return None if value is None else inner(field, value)

    return check


def text_list(max_items: int = 16, max_len: int = 64) -> Check:
    item = text(max_len)

    def check(field: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not (1 <= len(value) <= max_items):
            raise _bad(field, f"a list of 1..{max_items} strings")
        out = [item(field, v) for v in value]
        if len(set(out)) != len(out):
            raise _bad(field, "a list without duplicates")
        return out

    return check


def seconds(lo: int, hi: int) -> Check:
    """Whole or fractional seconds (int or finite float) in lo..hi."""

    def check(field: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _bad(field, f"a number of seconds in {lo}..{hi}")
        if not (lo <= value <= hi):
            raise _bad(field, f"a number of seconds in {lo}..{hi}")
        return value

    return check


ID = "id"
SCENARIO_TIMER = "scenario"  # timer absent: use the scenario's card timers


@dataclass(frozen=True, slots=True)
class Field:
    check: Check
    default: Any = _MISSING  # _MISSING: required

    @property
    def required(self) -> bool:
        return self.default is _MISSING


NAME = text(200)  # raw names are normalised (and cut to 24) by server.names
TOKEN = text(128, min_len=8)
CODE = text(16)
ANY_ID = text(64)

#: Every client message: its fields (besides v, type, id) and their checks.
REQUESTS: dict[str, dict[str, Field]] = {
    "create_session": {
        "scenario": Field(ANY_ID),
        "lang": Field(one_of("pl", "en"), "pl"),
        "teams": Field(nullable(text_list()), None),
        "timer": Field(nullable(seconds(10, 3600)), SCENARIO_TIMER),
        "briefing": Field(nullable(seconds(5, 600)), SCENARIO_TIMER),  # absent: 30 s if timed, else the host advances
        "formation": Field(one_of("free", "auto", "host"), "free"),
        "one_screen": Field(boolean, False),
        "auto_resolve": Field(boolean, True),
        "teacher": Field(nullable(text(60)), None),  # shown in the LAN announcement (server.announce)
    },
    "join": {"code": Field(CODE), "name": Field(NAME)},
    "watch": {"code": Field(CODE)},
    "resume": {"token": Field(TOKEN)},
    "pick_team": {"team": Field(ANY_ID)},
    "vote": {"card": Field(ANY_ID), "option": Field(ANY_ID), "team": Field(nullable(ANY_ID), None)},
    "unvote": {"card": Field(ANY_ID), "team": Field(nullable(ANY_ID), None)},
    "start": {},
    "pause": {},
    "unpause": {},
    "force_resolve": {},
    "advance": {},
    "end": {},
    "extend": {"seconds": Field(seconds(-3600, 3600))},
    "reveal": {"card": Field(ANY_ID)},
    "move_player": {"player": Field(ANY_ID), "team": Field(nullable(ANY_ID))},
    "set_captain": {"team": Field(ANY_ID), "player": Field(nullable(ANY_ID))},
    "rename": {"player": Field(ANY_ID), "name": Field(NAME)},
    "kick": {"player": Field(ANY_ID)},
    "team_choice": {"team": Field(ANY_ID), "card": Field(ANY_ID), "option": Field(ANY_ID)},
    "export": {},
    "ping": {},
}

#: Requests a connection may send before it holds a seat.
UNBOUND = frozenset({"create_session", "join", "watch", "resume", "ping"})
#: Requests only the host may send.
HOST_ONLY = frozenset(
    {
        "start", "pause", "unpause", "force_resolve", "advance", "end", "extend", "reveal",
        "move_player", "set_captain", "rename", "kick", "team_choice", "export",
    }
)
#: Requests only a player may send.
PLAYER_ONLY = frozenset({"pick_team", "vote", "unvote"})


@dataclass(frozen=True, slots=True)
class Request:
    type: str
    id: int
    fields: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]


def request_id(message: dict[str, Any]) -> int | None:
    """The ``id`` to name in a reply, if the message carried a usable one."""
    rid = message.get(ID)
    if isinstance(rid, int) and not isinstance(rid, bool) and -(2**63) <= rid < 2**64:
        return rid
    return None


def parse_request(message: dict[str, Any]) -> Request:
    """Check a decoded client message; raise ``MessageError`` naming what is wrong."""
    if message.get("v") != VERSION:
        raise MessageError("msg/bad_version", f"this server speaks protocol v{VERSION}", field="v")
    kind = message.get("type")
    if not isinstance(kind, str):
        raise _bad("type", "a message type string")
    spec = REQUESTS.get(kind)
    if spec is None:
        raise MessageError("msg/unknown_type", f"unknown message type {kind[:40]!r}", field="type")
    rid = request_id(message)
    if rid is None:
        raise _bad(ID, "an integer request id")
    fields: dict[str, Any] = {}
    for name, field in spec.items():
        value = message.get(name, _MISSING)
        if value is _MISSING:
            if field.required:
                raise MessageError("msg/bad_field", f"field {name!r} is required", field=name)
            fields[name] = field.default
        else:
            fields[name] = field.check(name, value)
    return Request(kind, rid, fields)
