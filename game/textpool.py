"""Send each text once: views on the wire carry short references to a per-seat text pool.

Every bilingual text (``{"pl": …, "en": …}``) and every citation
(``{"section": …, "quote": …}``, with or without its ``"en"`` gloss) in a view or event is replaced by a reference
``"§<pool prefix><n>"`` (n in base 36), and the pool of referenced texts travels in the view
itself under ``"texts"`` (``{ref: text}``). The pool only grows, so the view
diff sends each text to a connection once: after the first view a turn costs
references, not paragraphs. The server interns (`TextPool.intern`); a client
expands (`expand`). Ids in views match ``[a-z][a-z0-9_-]*``, so a string that
starts with ``§`` and is in the pool is always a reference.

>>> pool = TextPool()
>>> wire = pool.intern({"title": {"pl": "Pokój", "en": "Peace"}, "id": "x"})
>>> wire
{'title': '§0', 'id': 'x'}
>>> expand(wire, pool.all_texts())
{'title': {'pl': 'Pokój', 'en': 'Peace'}, 'id': 'x'}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REF = "§"
TEXTS = "texts"


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


_CONTAINERS = (dict, list)


def _content_key(d: dict[str, Any]) -> tuple[str, Any, Any] | None:
    if len(d) == 2:
        if "pl" in d and "en" in d:
            return ("t", d["pl"], d["en"])
        if "section" in d and "quote" in d:
            return ("q", d["section"], d["quote"])
    elif len(d) == 3 and "section" in d and "quote" in d and "en" in d:  # a citation with its English gloss
        return ("q", d["section"], (d["quote"], d["en"]))
    return None


class TextPool:
    """The texts one seat has been sent; ``texts`` maps each of its own references to its text.

    A pool may extend a read-only ``base`` (the scenario's deck, shared by every
    seat of every session of that scenario), so a seat holds only what play
    added: outcomes, history, its own secret.
    """

    __slots__ = ("base", "prefix", "refs", "texts")

    def __init__(self, preload: Iterable[dict[str, Any]] = (), base: TextPool | None = None, prefix: str = "") -> None:
        """``prefix`` keeps this pool's references apart from its base's, which may still grow."""
        self.base = base
        self.prefix = REF + prefix
        self.refs: dict[tuple[str, Any, Any], str] = {}
        self.texts: dict[str, dict[str, Any]] = {}
        for d in preload:
            self._ref(d, _content_key(d))

    def lookup(self, key: tuple[str, Any, Any]) -> str | None:
        """The reference of a text in this pool or its bases, or None."""
        ref = self.refs.get(key)
        if ref is None and self.base is not None:
            return self.base.lookup(key)
        return ref

    def _ref(self, d: dict[str, Any], key: tuple[str, Any, Any] | None) -> str:
        ref = self.lookup(key)  # type: ignore[arg-type]
        if ref is None:
            ref = self.prefix + _base36(len(self.refs))
            self.refs[key] = ref  # type: ignore[index]
            self.texts[ref] = dict(d)
        return ref

    def all_texts(self) -> dict[str, dict[str, Any]]:
        """Every reference this seat knows, the base's included (for a full view)."""
        if self.base is None:
            return dict(self.texts)
        return {**self.base.all_texts(), **self.texts}

    def added_since(self, count: int) -> list[tuple[str, dict[str, Any]]]:
        """The pool's own entries after its first ``count`` (what a seat has not been sent yet)."""
        if count >= len(self.texts):
            return []
        return list(self.texts.items())[count:]

    def intern(self, node: Any) -> Any:
        """A copy of ``node`` with texts and citations replaced by references (added to the pool)."""
        kind = type(node)
        if kind is dict:
            if len(node) in (2, 3):
                key = _content_key(node)
                if key is not None:
                    return self._ref(node, key)
            intern = self.intern
            return {k: (intern(v) if type(v) in _CONTAINERS else v) for k, v in node.items()}
        if kind is list:
            intern = self.intern
            return [(intern(v) if type(v) in _CONTAINERS else v) for v in node]
        return node


def expand(node: Any, texts: dict[str, Any]) -> Any:
    """A copy of ``node`` with references replaced by the texts they stand for."""
    if isinstance(node, str):
        if node.startswith(REF):
            found = texts.get(node)
            if found is not None:
                return dict(found)
        return node
    if isinstance(node, dict):
        return {k: expand(v, texts) for k, v in node.items() if k != TEXTS}
    if isinstance(node, list):
        return [expand(v, texts) for v in node]
    return node


def expand_view(view: dict[str, Any]) -> dict[str, Any]:
    """A wire view with its references expanded (and its pool dropped)."""
    return expand(view, view.get(TEXTS) or {})
