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

from game.bots.bot import LEVELS as BOT_LEVELS
from game.wire import (
    VERSION,
    pack_server_message,
)
from server.errors import FrameError, MessageError
from server.names import BRANCH_NAME_MAX, TEACHER_NAME_MAX

MAX_FRAME = 64 * 1024  # bytes; larger frames are closed with 1009 by websockets

# Close codes (RFC 6455 and our private 4000-4999 range).
CLOSE_GOING_AWAY = 1001  # server shutting down
CLOSE_UNSUPPORTED = 1003  # not msgpack / not a map / text frame
CLOSE_POLICY = 1008  # slow consumer that stopped reading
CLOSE_TOO_BIG = 1009  # frame over MAX_FRAME
CLOSE_KICKED = 4001  # the host removed this player
CLOSE_REPLACED = 4002  # reserved

_MISSING = object()


# --- encodings a client reads (docs/protocol.md, "Encodings a client accepts"; browsers: docs/web.md)
ZLIB = "zlib"  # `z` envelopes (zlib, RFC 1950)
ZDICT = "zdict"  # `z` envelopes with "d": 1, against the session dictionary (implies zlib)
ENCODINGS = (ZLIB, ZDICT)


def encode(message: dict[str, Any], zdict: bytes | None = None, accept: frozenset[str] | None = None) -> bytes:
    """Pack one server message (adds ``v``; large ones go in a compressed ``z`` envelope, against
    the session's dictionary ``zdict`` when given), as a recipient that reads the encodings
    ``accept`` can read it (None: every encoding; without ``zdict``: no dictionary; empty: no
    ``z`` envelope at all)."""
    if accept is not None:
        if not accept:
            return msgpack.packb({"v": VERSION, **message}, use_bin_type=True)
        if ZDICT not in accept:
            zdict = None
    return pack_server_message(message, zdict)


class _UnhashableKey:
    """Stands for a map key msgpack can carry but Python cannot hash (an array or a map), so the
    message still decodes and ``parse_request`` refuses it with ``msg/bad_field``."""

    __slots__ = ()


def _map(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    try:
        return dict(pairs)
    except TypeError:
        return {(k if isinstance(k, str | int | float | bool | bytes | None) else _UnhashableKey()): v
                for k, v in pairs}


def decode_frame(data: bytes | str) -> dict[str, Any]:
    """Unpack one client frame; raise ``FrameError`` for anything but a msgpack map.

    The frame's size is the transport's business: the WebSocket server refuses frames over
    ``MAX_FRAME`` itself (close 1009, no reply). Maps with keys that are not strings decode
    here and are refused by ``parse_request`` (``msg/bad_field``), so the client learns why.
    """
    if isinstance(data, str):
        raise FrameError("frame/not_msgpack", "text frames are not accepted; send binary msgpack")
    try:
        obj = msgpack.unpackb(data, raw=False, strict_map_key=False, object_pairs_hook=_map, use_list=True,
                              timestamp=0)
    except Exception as exc:  # msgpack raises many kinds (ExtraData, StackError, ValueError...)
        raise FrameError("frame/not_msgpack", f"not a msgpack value: {type(exc).__name__}") from None
    if not isinstance(obj, dict):
        raise FrameError("frame/not_map", "a frame must be one msgpack map")
    return obj


# ----------------------------------------------------------------------------- fields

Check = Callable[[str, Any], Any]


def _described(check: Check, schema: dict[str, Any]) -> Check:
    """Attach the JSON Schema of what ``check`` accepts (``game.wire.schema`` publishes it)."""
    check.schema = schema  # type: ignore[attr-defined]
    return check


def schema_of(check: Check) -> dict[str, Any]:
    """The JSON Schema of the values ``check`` accepts."""
    return dict(check.schema)  # type: ignore[attr-defined]


def _bad(field: str, expected: str) -> MessageError:
    return MessageError("msg/bad_field", f"field {field!r} must be {expected}", field=field)


def text(max_len: int = 64, *, min_len: int = 1) -> Check:
    def check(field: str, value: Any) -> str:
        if not isinstance(value, str) or not (min_len <= len(value) <= max_len):
            raise _bad(field, f"a string of {min_len}..{max_len} characters")
        return value

    return _described(check, {"type": "string", "minLength": min_len, "maxLength": max_len})


def integer(lo: int, hi: int) -> Check:
    def check(field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not (lo <= value <= hi):
            raise _bad(field, f"an integer in {lo}..{hi}")
        return value

    return _described(check, {"type": "integer", "minimum": lo, "maximum": hi})


def boolean(field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad(field, "true or false")
    return value


_described(boolean, {"type": "boolean"})


def one_of(*choices: str) -> Check:
    def check(field: str, value: Any) -> str:
        if value not in choices or not isinstance(value, str):
            raise _bad(field, "one of " + ", ".join(choices))
        return value

    return _described(check, {"enum": list(choices)})


def nullable(inner: Check) -> Check:
    def check(field: str, value: Any) -> Any:
        return None if value is None else inner(field, value)

    return _described(check, {"anyOf": [schema_of(inner), {"type": "null"}]})


def text_list(max_items: int = 16, max_len: int = 64) -> Check:
    item = text(max_len)

    def check(field: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not (1 <= len(value) <= max_items):
            raise _bad(field, f"a list of 1..{max_items} strings")
        out = [item(field, v) for v in value]
        if len(set(out)) != len(out):
            raise _bad(field, "a list without duplicates")
        return out

    return _described(check, {"type": "array", "items": schema_of(item), "minItems": 1, "maxItems": max_items,
                              "uniqueItems": True})


def seconds(lo: int, hi: int) -> Check:
    """Whole or fractional seconds (int or finite float) in lo..hi."""

    def check(field: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _bad(field, f"a number of seconds in {lo}..{hi}")
        if not (lo <= value <= hi):
            raise _bad(field, f"a number of seconds in {lo}..{hi}")
        return value

    return _described(check, {"type": "number", "minimum": lo, "maximum": hi})


ID = "id"


def encodings(field: str, value: Any) -> frozenset[str]:
    """The ``accept`` field: a list of encoding names (unknown names are ignored, for clients newer
    than this server)."""
    if not isinstance(value, list) or len(value) > 8 or not all(isinstance(v, str) for v in value):
        raise _bad(field, "a list of encoding names")
    return frozenset(v for v in value if v in ENCODINGS)


_described(encodings, {"type": "array", "items": {"type": "string"}, "maxItems": 8,
                       "description": "encodings this connection reads: \"zlib\", \"zdict\" (unknown names ignored)"})

def id_map(values: Check, max_items: int = 16) -> Check:
    """A map of ids (e.g. teams) to values that ``values`` accepts; at most ``max_items`` entries."""
    key = text(64)

    def check(field: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or len(value) > max_items:
            raise _bad(field, f"a map of at most {max_items} ids to values")
        return {key(field, k): values(field, v) for k, v in value.items()}

    return _described(check, {"type": "object", "propertyNames": schema_of(key), "additionalProperties":
                              schema_of(values), "maxProperties": max_items})


SCENARIO_TIMER = "scenario"  # timer absent: use the scenario's card timers
BOT_LEVEL = one_of(*BOT_LEVELS)

MAX_LOG = 5000  # decisions in a branch's source log (a 9-turn lesson of 35 students logs ~1,000)
_SEED = (0, 2**63 - 1)


def source_game(field: str, value: Any) -> dict[str, Any]:
    """A played game sent whole (an exported lesson file): {scenario, seed, log, code?, scenario_digest?,
    start?}. ``start`` is the carried start it was played from (a campaign lesson's, as
    ``game.engine.Start.to_wire`` writes it) or null. The log's decisions and the start's contents
    are checked by the engine when it replays them (``game/bad_start``)."""
    if not isinstance(value, dict):
        raise _bad(field, "a map {scenario, seed, log}")
    scenario, seed, log = value.get("scenario"), value.get("seed"), value.get("log")
    if not isinstance(scenario, str) or not 1 <= len(scenario) <= 64:
        raise _bad(f"{field}.scenario", "a scenario id")
    if isinstance(seed, bool) or not isinstance(seed, int) or not _SEED[0] <= seed <= _SEED[1]:
        raise _bad(f"{field}.seed", f"an integer in {_SEED[0]}..{_SEED[1]}")
    if not isinstance(log, list) or len(log) > MAX_LOG or not all(isinstance(d, dict) for d in log):
        raise _bad(f"{field}.log", f"a list of at most {MAX_LOG} decisions (maps)")
    code, digest = value.get("code"), value.get("scenario_digest")
    if code is not None and (not isinstance(code, str) or not 1 <= len(code) <= 16):
        raise _bad(f"{field}.code", "the source's join code (1..16 characters) or null")
    if digest is not None and (not isinstance(digest, str) or len(digest) != 64):
        raise _bad(f"{field}.scenario_digest", "the scenario file's SHA-256 (64 hex digits) or null")
    start = value.get("start")
    if start is not None and not isinstance(start, dict):
        raise _bad(f"{field}.start", "the game's carried start (a map of tracks, flags, control, notes) or null")
    return {"scenario": scenario, "seed": seed, "log": log, "code": code, "scenario_digest": digest, "start": start}


_described(source_game, {
    "type": "object", "required": ["scenario", "seed", "log"],
    "properties": {"scenario": {"type": "string", "minLength": 1, "maxLength": 64},
                   "seed": {"type": "integer", "minimum": _SEED[0], "maximum": _SEED[1]},
                   "log": {"type": "array", "items": {"type": "object"}, "maxItems": MAX_LOG},
                   "code": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 16}, {"type": "null"}]},
                   "scenario_digest": {"anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                                 {"type": "null"}]},
                   "start": {"anyOf": [{"type": "object"}, {"type": "null"}],
                             "description": "the carried start the game was played from (a campaign lesson's: "
                                            "{tracks, flags, control, notes}, as game.engine.Start.to_wire "
                                            "writes it); null or absent: the scenario's own. The engine checks "
                                            "it (game/bad_start)"}},
    "description": "a played game sent whole (from an exported lesson): its scenario, seed, carried start and "
                   "decision log"})
BRANCH_LEVELS = BOT_LEVELS


@dataclass(frozen=True, slots=True)
class Field:
    check: Check
    default: Any = _MISSING  # _MISSING: required

    @property
    def required(self) -> bool:
        return self.default is _MISSING


NAME = text(200)  # raw player names are normalised (and cut to 24) by server.names
BRANCH_NAME = text(BRANCH_NAME_MAX)  # a what-if branch's name: kept whole (server.branching)
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
        "teacher": Field(nullable(text(TEACHER_NAME_MAX)), None),  # shown in the LAN announcement (server.announce)
        "bots": Field(nullable(id_map(BOT_LEVEL)), None),  # team -> level: bots seated at once (server.bots)
        "bots_yield": Field(boolean, True),  # a bot leaves its team when a student joins it or is moved in
        "solo": Field(boolean, False),  # a solo game: never announced on the LAN, listed apart from lessons
        "campaign": Field(nullable(ANY_ID), None),  # a lesson of a campaign (server.campaigns)
        "campaign_step": Field(nullable(integer(0, 31)), None),
        "campaign_from": Field(nullable(TOKEN), None),  # the previous lesson's host token
    },
    "join": {"code": Field(CODE), "name": Field(NAME), "accept": Field(nullable(encodings), None)},
    "watch": {"code": Field(CODE), "accept": Field(nullable(encodings), None)},
    "resume": {"token": Field(TOKEN), "accept": Field(nullable(encodings), None)},
    "delete_session": {"token": Field(TOKEN)},  # a saved lesson, by its host token (server.lessons)
    "duplicate_session": {"token": Field(TOKEN)},
    "saved_export": {"token": Field(TOKEN)},
    # a what-if branch (server.branching): from a session on this server (its host token) or a game sent whole
    "branch": {"token": Field(nullable(TOKEN), None), "source": Field(nullable(source_game), None),
               "at": Field(integer(0, MAX_LOG)), "team": Field(ANY_ID),
               "level": Field(one_of(*BRANCH_LEVELS), "normal"), "lang": Field(one_of("pl", "en"), "pl"),
               "name": Field(nullable(BRANCH_NAME), None)},
    "rename_branch": {"token": Field(TOKEN), "name": Field(BRANCH_NAME)},
    "pick_team": {"team": Field(ANY_ID)},
    "vote": {"card": Field(ANY_ID), "option": Field(ANY_ID), "team": Field(nullable(ANY_ID), None)},
    "unvote": {"card": Field(ANY_ID), "team": Field(nullable(ANY_ID), None)},
    "start": {"fill_bots": Field(nullable(BOT_LEVEL), None)},
    "add_bot": {"team": Field(ANY_ID), "level": Field(BOT_LEVEL)},
    "remove_bot": {"team": Field(ANY_ID)},
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
UNBOUND = frozenset({"create_session", "join", "watch", "resume", "ping", "delete_session", "duplicate_session",
                     "saved_export", "branch", "rename_branch"})
#: Requests only the host may send.
HOST_ONLY = frozenset(
    {
        "start", "pause", "unpause", "force_resolve", "advance", "end", "extend", "reveal",
        "move_player", "set_captain", "rename", "kick", "team_choice", "export", "add_bot", "remove_bot",
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
    if any(type(key) is not str for key in message):
        raise MessageError("msg/bad_field", "every key of a message must be a string")
    version = message.get("v")
    if type(version) is not int or version != VERSION:  # not True, not 1.0: the integer 1
        raise MessageError("msg/bad_version", f"this server speaks protocol v{VERSION} (\"v\": {VERSION})",
                           field="v")
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


#: What a field's absence means, where that is not a plain default value.
_ABSENT = {
    ("create_session", "timer"): "absent: each vote lasts as long as the longest timer of the turn's cards "
                                 "(180 s if none has one); null: untimed",
    ("create_session", "briefing"): "absent: 30 s when the session is timed, else null; null: the host advances",
    ("create_session", "teams"): "null or absent: all of the scenario's teams",
    ("create_session", "campaign"): "a campaign id: this lesson is one step of it (the scenario must be that step's)",
    ("create_session", "campaign_step"): "0-based; absent: the step after `campaign_from`'s, else 0",
    ("create_session", "campaign_from"): "the host token of the campaign's previous lesson (ended): its end carries over;"
                                         " absent: a later step starts from history's state",
    ("vote", "team"): "if given, it must be the player's own team",
    ("branch", "token"): "the source session's host token (a session on this server); or give `source`",
    ("branch", "source"): "the source game whole (an exported lesson); or give `token`",
    ("branch", "at"): "how many of the source's logged decisions the branch shares: a turn's briefing",
    ("branch", "name"): "the branch's name (null: none yet; `rename_branch` names it later)",
    ("create_session", "bots"): "team -> bot level: each of these teams gets a bot member at once",
    ("start", "fill_bots"): "a bot level: every playing team without a member gets a bot of it; null: none",
    ("unvote", "team"): "if given, it must be the player's own team",
}


def request_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of each client request, built from ``REQUESTS`` (so it cannot drift from the
    checks). Unknown extra fields are allowed: the server ignores them."""
    out: dict[str, dict[str, Any]] = {}
    for kind, spec in REQUESTS.items():
        properties: dict[str, Any] = {
            "v": {"const": VERSION},
            "type": {"const": kind},
            ID: {"type": "integer", "minimum": -(2**63), "maximum": 2**64 - 1,
                 "description": "chosen by the client; the reply names it in `re`"},
        }
        for name, field in spec.items():
            schema = schema_of(field.check)
            note = _ABSENT.get((kind, name))
            if note is not None:
                schema["description"] = note
            elif not field.required:
                schema["default"] = field.default
            properties[name] = schema
        required = ["v", "type", ID, *(name for name, field in spec.items() if field.required)]
        out[kind] = {"type": "object", "properties": properties, "required": required,
                     "additionalProperties": True}
    return out
