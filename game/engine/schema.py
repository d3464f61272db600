"""The JSON Schema of scenario files (draft 2020-12), exported for authors' editors.

`crossroads schema` prints it; ``scenario.schema.json`` beside this module is the
same document (a test keeps them equal).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")
ID = {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"}
ID_LIST = {"type": "array", "items": {"$ref": "#/$defs/id"}}


def _obj(required: list[str], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props, "additionalProperties": False}


def build_schema() -> dict[str, Any]:
    text = {"$ref": "#/$defs/text"}
    sources = {"$ref": "#/$defs/sources"}
    effects = {"$ref": "#/$defs/effects"}
    conditions = {"$ref": "#/$defs/conditions"}
    chance = {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/chance"}}
    timer = {"type": "integer", "minimum": 10, "maximum": 1800}
    term = {
        "oneOf": [
            _obj(["track", "per"], {"track": ID, "per": {"type": "number"}}),
            _obj(["flag", "points"], {"flag": ID, "points": {"type": "number"}, "unset": {"type": "boolean"}}),
            _obj(["control", "by", "points"], {"control": ID_LIST, "by": ID, "points": {"type": "number"}}),
            _obj(["ending", "points"], {"ending": ID, "points": {"type": "number"}}),
        ]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://crossroads-1917.invalid/scenario.schema.json",
        "title": "Crossroads 1917-1922 scenario",
        "description": "A scenario of the classroom game; see docs/scenario-format.md.",
        "$defs": {
            "id": ID,
            "text": _obj(["pl", "en"], {"pl": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}}),
            "citation": _obj(
                ["section", "quote"],
                {"section": {"type": "string"}, "quote": {"type": "string"}, "en": {"type": "string", "minLength": 1}},
            ),
            "sources": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/citation"}},
            "date": {"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"},
            "effects": _obj(
                [],
                {
                    "tracks": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "set": ID_LIST,
                    "clear": ID_LIST,
                    "control": {"type": "object", "additionalProperties": ID},
                    "schedule": {
                        "type": "array",
                        "items": _obj(["card", "after"], {"card": ID, "after": {"type": "integer", "minimum": 1}}),
                    },
                    "end": ID,
                },
            ),
            "conditions": _obj(
                [],
                {
                    "tracks": {
                        "type": "object",
                        "additionalProperties": _obj([], {"min": {"type": "integer"}, "max": {"type": "integer"}}),
                    },
                    "flags": ID_LIST,
                    "not_flags": ID_LIST,
                    "control": {"type": "object", "additionalProperties": ID},
                },
            ),
            "chance": _obj(
                ["p", "outcome", "historical", "sources"],
                {
                    "p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "effects": effects,
                    "outcome": text,
                    "historical": {"type": "boolean"},
                    "source_silent": {"type": "boolean"},
                    "sources": sources,
                },
            ),
            "term": term,
            "option": _obj(
                ["id", "text", "outcome", "historical", "sources"],
                {
                    "id": ID,
                    "for": ID_LIST,
                    "text": text,
                    "requires": conditions,
                    "effects": effects,
                    "chance": chance,
                    "outcome": text,
                    "historical": {"type": "boolean"},
                    "source_silent": {"type": "boolean"},
                    "sources": sources,
                },
            ),
            "combination": _obj(
                ["when", "outcome", "historical", "sources"],
                {
                    "when": {"type": "object", "minProperties": 1, "additionalProperties": ID},
                    "effects": effects,
                    "chance": chance,
                    "outcome": text,
                    "historical": {"type": "boolean"},
                    "source_silent": {"type": "boolean"},
                    "sources": sources,
                },
            ),
            "card": _obj(
                ["id", "turn", "date", "region", "title", "text", "sources", "history"],
                {
                    "id": ID,
                    "turn": {"type": "integer", "minimum": 1},
                    "scheduled": {"type": "boolean"},
                    "when": conditions,
                    "date": {"$ref": "#/$defs/date"},
                    "region": ID,
                    "place": ID,
                    "emblem": ID,
                    "title": text,
                    "text": text,
                    "sources": sources,
                    "deciders": ID_LIST,
                    "timer": timer,
                    "default": {"type": "object", "additionalProperties": ID},
                    "effects": effects,
                    "options": {"type": "array", "items": {"$ref": "#/$defs/option"}},
                    "combinations": {"type": "array", "items": {"$ref": "#/$defs/combination"}},
                    "terms": ID_LIST,
                    "history": _obj(["text", "sources"], {"text": text, "sources": sources}),
                },
            ),
        },
        **_obj(
            ["format", "id", "title", "summary", "sources", "tracks", "controllers", "control", "teams", "turns", "cards", "endings"],
            {
                "format": {"const": 1},
                "id": ID,
                "title": text,
                "summary": text,
                "sources": sources,
                "flags": ID_LIST,
                "tracks": {
                    "type": "array",
                    "minItems": 1,
                    "items": _obj(
                        ["id", "name", "min", "max", "start"],
                        {"id": ID, "name": text, "min": {"type": "integer"}, "max": {"type": "integer"}, "start": {"type": "integer"}},
                    ),
                },
                "controllers": {
                    "type": "array",
                    "minItems": 1,
                    "items": _obj(
                        ["id", "name", "color"],
                        {"id": ID, "name": text, "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}},
                    ),
                },
                "control": {"type": "object", "additionalProperties": ID},
                "teams": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 8,
                    "items": _obj(
                        ["id", "name", "role", "aim", "scoring", "secret"],
                        {
                            "id": ID,
                            "name": text,
                            "role": text,
                            "aim": text,
                            "scoring": {"type": "array", "items": {"$ref": "#/$defs/term"}},
                            "secret": _obj(["text", "scoring"], {"text": text, "scoring": {"type": "array", "items": {"$ref": "#/$defs/term"}}}),
                        },
                    ),
                },
                "blocs": {
                    "type": "array",
                    "items": _obj(["id", "name", "teams"], {"id": ID, "name": text, "teams": {**ID_LIST, "minItems": 2}}),
                },
                "turns": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 12,
                    "items": _obj(["date", "label"], {"date": {"$ref": "#/$defs/date"}, "label": text, "timer": timer}),
                },
                "cards": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/card"}},
                "core_cards": ID_LIST,
                "glossary": {
                    "type": "array",
                    "items": _obj(["id", "term", "text"], {"id": ID, "term": text, "text": text, "sources": sources}),
                },
                "endings": {
                    "type": "array",
                    "minItems": 1,
                    "items": _obj(
                        ["id", "title", "text", "historical", "sources"],
                        {
                            "id": ID,
                            "title": text,
                            "text": text,
                            "historical": {"type": "boolean"},
                            "source_silent": {"type": "boolean"},
                            "when": conditions,
                            "sources": sources,
                        },
                    ),
                },
            },
        ),
    }


def schema_json() -> str:
    """The schema as the JSON text shipped in scenario.schema.json."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
