"""UI strings in Polish and English, switchable at run time.

`tr("menu.host")` looks a key up in the current language; `pick({"pl": …, "en": …})`
chooses the current language from a scenario text pair. `set_language` switches
live: scenes rebuild their widgets when told (see `Scene.on_language`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import UnknownLanguage

LANGUAGES = ("pl", "en")
_DIR = Path(__file__).resolve().parents[2] / "assets" / "i18n"
_tables: dict[str, dict[str, str]] = {}
_current = "pl"


def _table(lang: str) -> dict[str, str]:
    if lang not in _tables:
        with open(_DIR / f"{lang}.yaml", encoding="utf-8") as f:
            _tables[lang] = {str(k): str(v) for k, v in (yaml.safe_load(f) or {}).items()}
    return _tables[lang]


def set_language(lang: str) -> None:
    """Switch every later lookup to `lang` (`pl` or `en`)."""
    global _current
    if lang not in LANGUAGES:
        raise UnknownLanguage(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


def tr(key: str, **fields: Any) -> str:
    """The string `key` in the current language, with `{field}`s filled in.

    A missing key falls back to English, then to the key itself, so a gap shows
    up on screen instead of crashing a lesson.
    """
    text = _table(_current).get(key) or _table("en").get(key) or key
    return text.format(**fields) if fields else text


def tr_within(key: str, limit: int, shorten: str, **fields: Any) -> str:
    """`tr(key, **fields)` in at most `limit` characters: if it is longer, the field `shorten` is cut
    (at a word where one ends late enough, without a dangling comma or bracket) and ends with "…";
    the rest of the string stays whole: in English, ``tr_within("explorer.branch_name", 30, "team",
    turn=9, team="Whites: east and Petrograd")`` is "From turn 9 as Whites: east…".
    """
    text = tr(key, **fields)
    if len(text) <= limit:
        return text
    value = str(fields[shorten])
    room = limit - (len(text) - len(value)) - 1   # what the field may keep, besides the "…"
    if room <= 0:
        return text[: limit - 1].rstrip() + "…"
    cut = value[:room]
    at_word = cut.rfind(" ")
    if value[room] != " " and at_word >= room // 2:
        cut = cut[:at_word]
    cut = cut.rstrip(" ,;:–-([{") or value[:room]
    return tr(key, **{**fields, shorten: cut + "…"})


def pick(pair: Any, lang: str | None = None) -> str:
    """The current language's text of a scenario `{pl, en}` pair (a plain str passes through)."""
    if pair is None:
        return ""
    if isinstance(pair, dict):
        lang = lang or _current
        return str(pair.get(lang) or pair.get("en") or pair.get("pl") or next(iter(pair.values()), ""))
    return str(pair)


def keys(lang: str) -> set[str]:
    return set(_table(lang))
