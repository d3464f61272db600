"""Send each text once: views on the wire carry short references to a per-seat text pool.

Every bilingual text (``{"pl": …, "en": …}``) and every citation
(``{"section": …, "quote": …}``) in a view or event is replaced by a reference
``"§<n>"`` (n in base 36), and the pool of referenced texts travels in the view
itself under ``"texts"`` (``{ref: text}``). The pool only grows, so the view
diff sends each text to a connection once: after the first view a turn costs
references, not paragraphs. The server interns (`TextPool.intern`); a client
expands (`expand`). Ids in views match ``[a-z][a-z0-9_-]*``, so a string that
starts with ``§`` and is in the pool is always a reference.

>>> pool = TextPool()
>>> wire = pool.intern({"title": {"pl": "Pokój", "en": "Peace"}, "id": "x"})
>>> wire
{'title': '§0', 'id': 'x'}
>>> expand(wire, pool.texts)
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


def _content_key(d: dict[str, Any]) -> tuple[str, Any, Any] | None:
    if len(d) == 2:
        if "pl" in d and "en" in d:
            return ("t", d["pl"], d["en"])
        if "section" in d and "quote" in d:
            return ("q", d["section"], d["quote"])
    return None


class TextPool:
    """The texts one seat has been sent; ``texts`` maps each reference to its text."""

    __slots__ = ("refs", "texts")

    def __init__(self, preload: Iterable[dict[str, Any]] = ()) -> None:
        self.refs: dict[tuple[str, Any, Any], str] = {}
        self.texts: dict[str, dict[str, Any]] = {}
        for d in preload:
            self._ref(d, _content_key(d))

    def _ref(self, d: dict[str, Any], key: tuple[str, Any, Any] | None) -> str:
        ref = self.refs.get(key)  # type: ignore[arg-type]
        if ref is None:
            ref = REF + _base36(len(self.refs))
            self.refs[key] = ref  # type: ignore[index]
            self.texts[ref] = dict(d)
        return ref

    def intern(self, node: Any) -> Any:
        """A copy of ``node`` with texts and citations replaced by references (added to the pool)."""
        if isinstance(node, dict):
            key = _content_key(node)
            if key is not None:
                return self._ref(node, key)
            return {k: self.intern(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.intern(v) for v in node]
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
