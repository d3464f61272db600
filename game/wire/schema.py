"""The JSON Schema of the protocol: every request, every server message, the view.

``protocol_schema()`` builds one JSON Schema document (draft 2020-12) whose ``$defs`` hold:

- ``request`` (any client message) and ``request.<type>`` for each request type, built from
  the server's own field checks (``server.protocol.REQUESTS``), so they cannot drift apart;
- ``frame`` (anything one server frame unpacks to: a ``z`` envelope or a message),
  ``message`` (any server message, after ``z`` envelopes are unwrapped) and
  ``message.<type>`` for each server message type;
- ``view`` (a ``view`` message's ``view`` with its ``texts`` expanded, and ``state_id`` put
  back from the message: exactly the engine's ``view_for``) and ``wire_view`` (as sent: texts
  as ``§`` references, the pool under ``texts``), with the pieces they share.

Where a shape is fixed, maps are closed (``additionalProperties: false``): a field added to a
message or a view without being described here fails the test that plays a whole game
against this schema (``tests/server/test_protocol_schema.py``).

msgpack ``bin`` values (``zdict``, a ``z`` envelope's ``data``) have no JSON type: the schema
describes them as base64 strings (``contentEncoding: base64``), and ``jsonable(message)``
turns a decoded message into that JSON form before validation.

The published copy is ``docs/protocol.schema.json``; regenerate it with
``python -m game.wire.schema > docs/protocol.schema.json`` (a test fails while it is stale).
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

from game.bots.bot import LEVELS as BOT_LEVELS
from game.engine.decisions import DECISION_TYPES
from game.engine.state import Phase

from .codes import ERRORS
from .vocab import VERSION, Role, SessionStatus

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
NULL: Schema = {"type": "null"}
ID: Schema = {"type": "string", "minLength": 1, "maxLength": 64}
BIN: Schema = {"type": "string", "contentEncoding": "base64", "description": "msgpack bin"}
TEXT: Schema = {"type": "object", "properties": {"pl": STR, "en": STR}, "required": ["pl", "en"],
                "additionalProperties": False, "description": "a text in both languages"}
CITATION: Schema = {"type": "object", "properties": {"section": STR, "quote": STR, "en": STR},
                    "required": ["section", "quote"], "additionalProperties": False,
                    "description": "a short quote from the source (Polish), with our English gloss `en` if given"}
REF: Schema = {"type": "string", "pattern": "^§[0-9a-z]+$", "description": "a reference into `view.texts`"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None, *,
        description: str | None = None) -> Schema:
    """A closed map: these keys (``optional`` ones may be absent) and no other."""
    out: Schema = {"type": "object", "properties": {**required, **(optional or {})}, "required": list(required),
                   "additionalProperties": False}
    if description:
        out["description"] = description
    return out


def map_of(values: Schema, description: str | None = None) -> Schema:
    """A map whose keys are ids (teams, cards, players, tracks...) and whose values are all alike."""
    out: Schema = {"type": "object", "additionalProperties": values}
    if description:
        out["description"] = description
    return out


def list_of(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def either(*options: Schema) -> Schema:
    return {"anyOf": list(options)}


def nullable(inner: Schema) -> Schema:
    return either(inner, NULL)


def const(value: Any) -> Schema:
    return {"const": value}


def enum(values: Any) -> Schema:
    return {"enum": [str(v) for v in values]}


# ----------------------------------------------------------------------------- the view

def _view_defs(prefix: str, text: Schema, citation: Schema) -> dict[str, Schema]:
    """The view's parts with texts as ``text`` and citations as ``citation`` (whole, or references)."""
    t, c = ref(prefix + "text"), ref(prefix + "citation")
    history = obj({"text": t, "sources": list_of(c)})
    option = obj(
        {"id": ID, "text": t,
         "for": {**list_of(ID), "description": "the deciders (a team, or a bloc such as `sovnarkom`: see "
                 "`session.scenario.blocs`) that may pick this option"},
         "available": {**BOOL, "description": "its conditions hold now; only available options take votes"},
         "odds": {**nullable(list_of(NUM)), "description": "the chances of its outcomes, if it has a chance draw"}},
        {"historical": {**BOOL, "description": "what really happened (host; others once revealed or ended)"},
         "source_silent": {**BOOL, "description": "the source says nothing of this choice either way: label it "
                           "\"source silent\", not \"alternative history\" (shown with `historical`)"}},
    )
    card = obj(
        {"id": ID, "title": t, "text": t, "date": STR, "region": ID, "place": nullable(ID), "emblem": nullable(ID),
         "sources": list_of(c),
         "date_label": {**nullable(t), "description": "set when a scheduled card came in another turn than its own: "
                        "show this (the turn's label) instead of `date`"},
         "off_turn": {**BOOL, "description": "the card came in another turn than history's: it claims no history"},
         "terms": {**list_of(ID), "description": "glossary ids the card uses (`session.scenario.glossary`)"},
         "deciders": {**list_of(ID), "description": "who decides: teams or blocs"},
         "teams": {**list_of(ID), "description": "the teams that vote on it (a bloc's teams each vote); "
                   "empty: an event card"},
         "timer": {**nullable(INT), "description": "the scenario's seconds for this card's vote"},
         "options": list_of(ref(prefix + "option")),
         "combination_odds": nullable(list_of(list_of(NUM)))},
        {"history": ref(prefix + "history")},
    )
    outcome = obj({"kind": enum(["option", "chance", "combination"]), "text": t, "historical": BOOL,
                   "sources": list_of(c)},
                  {"decider": ID, "option": ID, "p": NUM, "source_silent": BOOL})
    timeline_card = obj(
        {"card": ID, "title": t, "region": ID,
         "choices": map_of(ID, "decider -> the option it got"),
         "choice_text": map_of(t, "decider -> that option's text"),
         "team_choices": map_of(nullable(ID), "team -> its own choice (null: none, the default applied)"),
         "defaulted": list_of(ID), "outcomes": list_of(ref(prefix + "outcome")), "revealed": BOOL},
        {"history": ref(prefix + "history"), "historical": map_of(BOOL, "decider -> its choice was history's"),
         "off_turn": {**BOOL, "description": "the card came in another turn than history's: no history claimed"}},
    )
    turn_record = obj({"turn": INT, "date": STR, "cards": list_of(ref(prefix + "timeline_card"))})
    team_block = obj(
        {"id": ID, "name": t, "role": t, "aim": t, "secret": t,
         "votes": map_of(map_of(ID), "card -> player -> option, this team's votes on the cards it decides"),
         "choice": map_of(nullable(ID), "card -> the team's current leaning (set directly, else the vote "
                          "majority, ties to the captain), null: none yet"),
         "direct": map_of(ID, "card -> a choice set directly (`team_choice`)"),
         "captain": nullable(ID)},
        description="one team's private part",
    )
    ending = obj({"id": nullable(ID), "title": nullable(t), "text": nullable(t), "historical": BOOL,
                  "sources": list_of(c)},
                 {"source_silent": BOOL,
                  "early": {**BOOL, "description": "the host ended the game before its last turn (`end`): no "
                            "scenario ending (`id`, `title`, `text` null) and no claim about history"},
                  "played": {**INT, "description": "how many turns were played (resolved)"}})
    return {
        prefix + "text": text,
        prefix + "citation": citation,
        prefix + "history": history,
        prefix + "option": option,
        prefix + "card": card,
        prefix + "outcome": outcome,
        prefix + "timeline_card": timeline_card,
        prefix + "turn_record": turn_record,
        prefix + "team_block": team_block,
        prefix + "ending": ending,
    }


def _view(prefix: str, *, wire: bool) -> Schema:
    t = ref(prefix + "text")
    always = {
        "scenario": ID, "title": t,
        "seat": {"type": "string", "pattern": "^(host|projector|team:.+)$"},
        "turn": {"type": "integer", "minimum": 1}, "turn_count": INT, "date": STR, "turn_label": t,
        "phase": enum(Phase),
        "tracks": map_of(INT, "track -> value"),
        "track_changes": map_of(INT, "track -> change in the last resolution (empty in a new turn)"),
        "control": map_of(ID, "region -> controller"),
        "control_changes": map_of({"type": "array", "prefixItems": [nullable(ID), ID], "minItems": 2, "maxItems": 2},
                                  "region -> [controller before, after] in the last resolution"),
        "flags": list_of(ID),
        "cards": list_of(ref(prefix + "card")),
        "teams": map_of(obj({"name": t, "aim": t, "captain": nullable(ID)})),
        "revealed": list_of(ID),
        "timeline": list_of(ref(prefix + "turn_record")),
        "ending": nullable(ref(prefix + "ending")),
    }
    seat_parts = {
        "progress": map_of(map_of(obj({"votes": INT, "decided": BOOL})),
                           "card -> team -> how many of its members voted (host and projector)"),
        "team": ref(prefix + "team_block"),
        "teams_private": map_of(ref(prefix + "team_block")),
        "pending": list_of({"type": "array", "prefixItems": [INT, ID], "minItems": 2, "maxItems": 2}),
        "scores": ref("scores"),
        "learning": ref("learning"),
        "secrets": map_of(t, "team -> its secret objective (everyone, once ended)"),
        "carried": {**list_of(t), "description": "what a campaign carried into this game from the last lesson"},
    }
    if wire:
        seat_parts["texts"] = map_of(either(TEXT, CITATION), "reference -> text or citation")
    else:
        always["state_id"] = INT
    schema = obj(always, seat_parts)
    host = {"properties": {"seat": const(Role.HOST)}}
    projector = {"properties": {"seat": const(Role.PROJECTOR)}}
    team = {"properties": {"seat": {"pattern": "^team:"}}}
    ended = {"properties": {"phase": const(Phase.ENDED)}}
    schema["allOf"] = [
        {"if": host, "then": {"required": ["progress", "teams_private", "pending", "scores", "learning"],
                              "not": {"required": ["team"]}}},
        {"if": projector, "then": {"required": ["progress"],
                                   "not": {"anyOf": [{"required": [k]} for k in ("team", "teams_private", "pending")]}}},
        {"if": team, "then": {"required": ["team"],
                              "not": {"anyOf": [{"required": [k]} for k in ("progress", "teams_private", "pending")]}}},
        {"if": ended, "then": {"required": ["scores", "learning", "secrets"]},
         "else": {"not": {"required": ["secrets"]}}},
    ]
    if wire:
        schema["required"].append("texts")
    return schema


# ----------------------------------------------------------------------------- server messages

def _message(kind: str, required: dict[str, Schema], optional: dict[str, Schema] | None = None, *,
             description: str) -> Schema:
    return obj({"v": const(VERSION), "type": const(kind), **required}, optional, description=description)


RE: Schema = {**INT, "description": "the `id` of the request this answers"}


def _session_defs() -> dict[str, Schema]:
    scenario = obj({
        "id": ID, "title": TEXT, "summary": TEXT,
        "teams": list_of(obj({"id": ID, "name": TEXT, "role": TEXT, "aim": TEXT})),
        "blocs": list_of(obj({"id": ID, "name": TEXT, "teams": list_of(ID)})),
        "tracks": list_of(obj({"id": ID, "name": TEXT, "min": INT, "max": INT})),
        "controllers": list_of(obj({"id": ID, "name": TEXT, "color": STR})),
        "regions": list_of(ID),
        "turns": list_of(obj({"turn": INT, "date": STR, "label": TEXT},
                             {"timer": {**nullable(INT), "description": "the suggested seconds for this turn's vote"}})),
        "glossary": list_of(obj({"id": ID, "term": TEXT, "text": TEXT, "sources": list_of(CITATION)})),
        "core_cards": {**list_of(ID), "description": "the cards that carry the scenario's core decision"},
    }, description="the scenario's public description (texts whole, not references)")
    carried_start = obj({"tracks": map_of(INT, "track -> its value at the start"), "flags": list_of(STR),
                         "control": map_of(ID, "region -> its controller at the start"),
                         "notes": {**list_of(map_of(STR)), "description": "what carried and why (pl, en)"}},
                        description="a carried start (game.engine.Start.to_wire)")
    config = obj({
        "lang": enum(["pl", "en"]), "teams": list_of(ID),
        "timer": {**either(NUM, NULL, const("scenario")),
                  "description": "seconds per vote; null: untimed; \"scenario\": the cards' own timers"},
        "briefing": {**nullable(NUM), "description": "seconds before the vote opens by itself; null: the host "
                     "advances"},
        "formation": enum(["free", "auto", "host"]), "one_screen": BOOL, "auto_resolve": BOOL,
    }, {"teacher": {**nullable(STR), "description": "the teacher's name, if given (shown in the LAN listing)"},
        # a what-if branch (server.branching): where it came from and who plays it
        "parent": {**nullable(STR), "description": "a branch: the code of the session (or exported game) it "
                   "branched from"},
        "branched_at": {**INT, "description": "a branch: how many of the parent's logged decisions it shares"},
        "branch_name": nullable(STR), "player_team": ID, "bot_level": STR,
        "start": {**carried_start, "description": "a branch of a game sent whole with a carried start "
                  "(`branch` `source.start`): the start it replays from"},
        "campaign": obj({
            "id": ID, "step": {**INT, "description": "0-based"}, "steps": INT,
            "from": {**nullable(STR), "description": "the code of the campaign's previous lesson; null: this "
                     "lesson starts from history's state"},
            "start": {**either(carried_start, NULL), "description": "the start this lesson plays from; null: "
                      "the scenario's own"},
            "teams": map_of(ID, "campaign side -> this scenario's team"),
            "path": {**list_of(obj({
                "step": INT, "scenario": ID, "code": STR, "title": TEXT, "ending": nullable(ID),
                "ending_title": either(TEXT, NULL), "historical": BOOL, "ended_early": BOOL,
                "scores": map_of(NUM, "team -> its total"),
                "as_history": map_of(list_of(INT), "team -> [choices as history, decisions]"),
            })), "description": "the lessons before this one (game.campaign.lesson_summary)"},
        }, description="a lesson of a campaign (server.campaigns.plan)"),
        "bots_yield": {**BOOL, "description": "a bot leaves its team when a student joins it or is moved in "
                       "(absent: true)"},
        "solo": {**BOOL, "description": "a solo game: never announced on the LAN, listed apart from lessons "
                 "(absent: false)"}})
    return {
        "scores": map_of(obj({"public": NUM, "secret": NUM, "total": NUM}), "team -> its points so far"),
        "learning": obj({
            "cards": list_of(obj({"turn": INT, "card": ID, "choices": map_of(ID), "historical": map_of(BOOL),
                                  "history_options": map_of(list_of(ID))})),
            "teams": map_of(obj({"decided": INT, "matched": INT,
                                 "cards": list_of(obj({"card": ID, "choice": nullable(ID), "historical": BOOL}))})),
        }, description="what the class chose against history"),
        "clock_ends": {**nullable(enum(["advance", "resolve"])),
                       "description": "what the clock ends: the briefing (advance) or the vote (resolve); null: none"},
        "clock_remaining": {**nullable(INT), "description": "milliseconds left as of sending; null: no clock"},
        "member": obj({"player": ID, "name": STR, "team": nullable(ID), "online": BOOL},
                      {"bot": {**enum(BOT_LEVELS),
                               "description": "a bot member (player id b1, b2…): its level (absent: a student). "
                                              "Bots are always online; localise the name from this level"}}),
        "clock": obj({"ends": ref("clock_ends"), "remaining_ms": ref("clock_remaining"), "paused": BOOL}),
        "scenario_info": scenario,
        "config": config,
        "session": obj({
            "code": STR, "scenario": ref("scenario_info"), "config": ref("config"), "started": BOOL,
            "status": enum(SessionStatus), "members": list_of(ref("member")), "timer": ref("clock"),
            "you": obj({"role": enum(Role), "player": nullable(ID), "name": nullable(STR), "team": nullable(ID),
                        "seat": STR}),
            "protocol": const(VERSION),
        }, description="session info: sent with every seating reply and every view"),
    }


def _decision(kind: str, fields: tuple[str, ...], optional: frozenset[str], extra: dict[str, Schema] | None = None
              ) -> Schema:
    props = {name: (nullable(ID) if name in optional else ID) for name in fields}
    return obj({"type": const(kind), **props, **(extra or {})})


def _messages() -> dict[str, Schema]:
    session = ref("session")
    path = list_of(either(STR, {"type": "integer", "minimum": 0}))
    op = {"type": "array", "prefixItems": [path, {}], "minItems": 1, "maxItems": 2,
          "description": "[path, value]: set (a missing map key is created, the index one past a list's end "
                         "appends); [path]: delete"}
    export = obj({
        "session": obj({"code": STR, "scenario": ID, "scenario_digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "seed": INT, "config": ref("config"), "created_at": NUM, "exported_at": NUM,
                        "status": enum(SessionStatus), "started": BOOL},
                       {"solo": {**BOOL, "description": "a solo game (list it apart from the lessons)"}}),
        "members": list_of(obj({"player": ID, "name": STR, "team": nullable(ID), "joined_at": NUM, "online": BOOL},
                               {"bot": enum(BOT_LEVELS)})),
        # each decision with its 1-based position and the server time it was logged (game.report reads them)
        "log": list_of(either(*(_decision(k, c.FIELDS, c.OPTIONAL, {"seq": INT, "at": nullable(NUM)})
                                for k, c in DECISION_TYPES.items()))),
        "state_id": INT, "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "scores": ref("scores"),
        "learning": ref("learning"),
        "timeline": list_of(ref("turn_record")),
        "presence": list_of(obj({"at": NUM, "player": ID, "online": BOOL})),
    })
    return {
        "session_created": _message("session_created", {"re": RE, "code": STR, "host_token": STR, "session": session},
                                    {"duplicate_of": STR, "branch_of": nullable(STR), "branched_at": INT},
                                    description="reply to create_session (and duplicate_session: `duplicate_of` "
                                                "names the lesson copied; branch: `branch_of` the source, "
                                                "`branched_at` the decisions shared); a view follows"),
        "renamed": _message("renamed", {"re": RE, "code": STR, "name": STR},
                            description="reply to rename_branch: the branch's new name, saved"),
        "joined": _message("joined", {"re": RE, "player": ID, "name": STR, "team": nullable(ID),
                                      "resume_token": STR, "session": session},
                           description="reply to join; a view follows"),
        "watching": _message("watching", {"re": RE, "session": session}, description="reply to watch; a view follows"),
        "resumed": _message("resumed", {"re": RE, "role": enum(Role), "player": nullable(ID), "name": nullable(STR),
                                        "team": nullable(ID), "session": session},
                            description="reply to resume; a view follows"),
        "ack": _message("ack", {"re": RE}, {"name": STR, "player": ID},
                        description="the request was applied and saved (rename: `name` is the name given; "
                                    "add_bot: `player` is the bot's player id)"),
        "error": _message("error", {"re": nullable(RE), "code": enum(ERRORS), "message": STR},
                          {"field": STR, "retry_after": NUM},
                          description="the request was refused; nothing changed"),
        "pong": _message("pong", {"re": RE, "time": NUM}, description="reply to ping: the server's clock"),
        "deleted": _message("deleted", {"re": RE, "code": STR},
                            description="reply to delete_session: the lesson is gone from memory and the database"),
        "export": _message("export", {"re": RE, "data": export}, description="reply to export"),
        "view": _message("view", {"state_id": INT, "view": ref("wire_view"), "session": session, "zdict": BIN},
                         description="the seat's whole view"),
        "update": _message("update", {"state_id": INT, "base": INT, "patch": list_of(op)},
                           {"events": list_of({"type": "object", "required": ["type"]})},
                           description="a patch from the view as of `base` to the view as of `state_id`"),
        "lobby": _message("lobby", {"members": list_of(ref("member")), "started": BOOL,
                                    "status": enum(SessionStatus)}, description="the members changed"),
        "timer": _message("timer", {"ends": ref("clock_ends"), "remaining_ms": ref("clock_remaining"), "paused": BOOL},
                          description="the clock changed"),
        "closing": _message("closing", {"reason": STR}, description="the server closes this connection next"),
    }


def protocol_schema() -> Schema:
    """The whole protocol as one JSON Schema document (see the module docstring)."""
    from server.protocol import request_schemas  # the server's checks are the source of the requests

    requests = request_schemas()
    messages = _messages()
    defs: dict[str, Schema] = {}
    defs.update({f"request.{k}": v for k, v in requests.items()})
    defs["request"] = {"oneOf": [ref(f"request.{k}") for k in requests],
                       "description": "any client message (extra fields are ignored by the server)"}
    defs.update({f"message.{k}": v for k, v in messages.items()})
    defs["message"] = {"oneOf": [ref(f"message.{k}") for k in messages],
                       "description": "any server message, after a `z` envelope is unwrapped"}
    defs["z"] = obj({"v": const(VERSION), "type": const("z"), "data": BIN},
                    {"d": {**const(1), "description": "compressed against the session dictionary (`zdict`)"}},
                    description="a compressed server message: zlib (RFC 1950) of its msgpack")
    defs["frame"] = {"oneOf": [ref("z"), ref("message")], "description": "what one server frame unpacks to"}
    defs.update(_session_defs())
    defs.update(_view_defs("", TEXT, CITATION))
    defs.update(_view_defs("wire_", REF, REF))
    defs["view"] = _view("", wire=False)
    defs["wire_view"] = _view("wire_", wire=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://crossroads.invalid/protocol/v1.schema.json",
        "title": f"Crossroads 1917-1922 wire protocol, version {VERSION}",
        "description": "Generated by `python -m game.wire.schema`; see docs/protocol.md. msgpack bin values are "
                       "shown as base64 strings (game.wire.schema.jsonable).",
        "$defs": defs,
    }


def jsonable(value: Any) -> Any:
    """A decoded message in the JSON form the schema describes: bytes as base64, tuples as lists."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def schema_json() -> str:
    """The published text of ``docs/protocol.schema.json``."""
    return json.dumps(protocol_schema(), indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def validator(definition: str) -> Any:
    """A ``jsonschema`` validator for one of the document's ``$defs`` (``"frame"``, ``"view"``...).

    ``validator("message").validate(jsonable(msg))`` raises ``jsonschema.ValidationError``.
    """
    from jsonschema import Draft202012Validator

    doc = protocol_schema()
    schema = {**doc, "$ref": f"#/$defs/{definition}"}
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


if __name__ == "__main__":
    sys.stdout.write(schema_json())
