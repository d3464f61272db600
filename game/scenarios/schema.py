"""The JSON Schema of scenario files (draft 2020-12): ``scenario.schema.json`` beside this module.

That JSON file is the one source of the schema: edit it there. The validator reads it,
`crossroads schema` prints it, and authors' editors point at it from each scenario's first
line (``# yaml-language-server: $schema=../game/scenarios/scenario.schema.json``).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

SCHEMA_FILE = "scenario.schema.json"


def schema_text() -> str:
    """The schema exactly as shipped (what `crossroads schema` prints)."""
    return (resources.files(__package__) / SCHEMA_FILE).read_text(encoding="utf-8")


@functools.cache
def load_schema() -> dict[str, Any]:
    """The schema as a dict (cached; do not mutate it)."""
    schema: dict[str, Any] = json.loads(schema_text())
    return schema
