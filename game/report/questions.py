"""The scenario's discussion questions, read from its teacher's guide (docs/history/<id>.md).

Scenarios carry no questions in their data (yet); each guide has, per language, a bold line
naming the questions (``**Trzy pytania na omówienie.**``, ``**Three debrief questions.**``)
followed by a numbered list. ``guide_questions(markdown, lang, source)`` picks that list for
the report's language; the report says which file and heading they came from, or, when there
is none, where the teacher finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^\*\*(?P<title>[^*]*(?:pytania|questions)[^*]*)\*\*\s*$", re.IGNORECASE | re.MULTILINE)
_ITEM = re.compile(r"^\s*\d+\.\s+(?P<text>.+?)\s*$")
_LANG_HEADING = {"pl": "## Polski", "en": "## English"}


@dataclass(frozen=True)
class Questions:
    """The questions (may be empty), the file they come from and the heading they stand under."""

    items: tuple[str, ...] = ()
    source: str = ""  # e.g. "docs/history/brest-1918.md"
    heading: str = ""  # e.g. "Trzy pytania na omówienie."
    origin: str = "none"  # "scenario" (its data), "guide" (the markdown) or "none"


def _section(markdown: str, lang: str) -> str:
    """The part of the guide in ``lang`` (between its ``## Polski`` / ``## English`` headings)."""
    start = markdown.find(_LANG_HEADING.get(lang, "## English"))
    if start < 0:
        return markdown
    rest = markdown[start + 3:]
    end = rest.find("\n## ")
    return rest if end < 0 else rest[:end]


def guide_questions(markdown: str, lang: str, source: str = "") -> Questions:
    """The numbered questions under the guide's "questions" heading in ``lang`` (empty if none).

    >>> q = guide_questions("## English\\n\\n**Three debrief questions.**\\n1. Why?\\n2. How?\\n", "en", "g.md")
    >>> q.items, q.heading, q.origin
    (('Why?', 'How?'), 'Three debrief questions', 'guide')
    """
    part = _section(markdown, lang)
    match = _HEADING.search(part)
    if match is None:
        return Questions(source=source, origin="none")
    items: list[str] = []
    for line in part[match.end():].lstrip("\n").splitlines():
        item = _ITEM.match(line)
        if item is None:
            if items or line.strip():
                break
            continue
        items.append(item.group("text").replace("**", "").replace("*", ""))  # markdown emphasis off
    return Questions(tuple(items), source, match.group("title").strip().rstrip(".:"), "guide" if items else "none")
