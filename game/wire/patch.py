"""Applying an ``update``'s patch to the last full view — the one implementation.

The server's diff (``server/diff.py``) sends a list of operations applied in order:
``[path, value]`` sets the value at ``path`` (a list of map keys and list indices;
setting the index one past a list's end appends; an empty path replaces the whole
view) and ``[path]`` deletes the map key or list item at ``path``. ``None`` is an
ordinary value.

>>> apply_patch({"a": 1, "l": [1]}, [[["a"]], [["b"], 2], [["l", 1], 5]])
{'l': [1, 5], 'b': 2}
>>> apply_patch({"a": {}}, [[["a", "b", "c"], 1]])
Traceback (most recent call last):
...
game.wire.patch.PatchError: missing 'b' at ['a', 'b', 'c']
"""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    """The patch does not fit this view: the client should ask for a full view (``resume``)."""


def apply_patch(doc: Any, patch: Any, *, in_place: bool = False) -> Any:
    """Return ``doc`` with ``patch`` applied; ``doc`` is copied first unless ``in_place``.

    Raises ``PatchError`` (and leaves ``doc`` unchanged unless ``in_place``) when an
    operation is malformed or names a path the document does not have.
    """
    if not isinstance(patch, list):
        raise PatchError(f"a patch is a list of operations, not {type(patch).__name__}")
    if not in_place:
        doc = copy.deepcopy(doc)
    for op in patch:
        if not isinstance(op, list | tuple) or len(op) not in (1, 2) or not isinstance(op[0], list | tuple):
            raise PatchError(f"bad operation {op!r}")
        path = list(op[0])
        value = op[1] if len(op) == 2 else None
        if not in_place and len(op) == 2:
            value = copy.deepcopy(value)
        if not path:
            if len(op) == 1:
                raise PatchError("cannot delete the whole view")
            doc = value
            continue
        parent = doc
        for i, key in enumerate(path[:-1]):
            parent = _child(parent, key, path[: i + 2])
        _set_or_delete(parent, path[-1], len(op) == 2, value, path)
    return doc


def _child(node: Any, key: Any, where: list[Any]) -> Any:
    try:
        if isinstance(node, dict):
            return node[key]
        if isinstance(node, list) and type(key) is int and key >= 0:
            return node[key]
    except (KeyError, IndexError):
        pass
    raise PatchError(f"missing {where[-2]!r} at {where}" if len(where) > 1 else f"missing {key!r}")


def _set_or_delete(parent: Any, key: Any, setting: bool, value: Any, path: list[Any]) -> None:
    if isinstance(parent, dict):
        if setting:
            parent[key] = value
        elif key in parent:
            del parent[key]
        else:
            raise PatchError(f"missing {key!r} at {path}")
        return
    if isinstance(parent, list) and type(key) is int and key >= 0:
        if setting and key == len(parent):
            parent.append(value)
        elif key < len(parent):
            if setting:
                parent[key] = value
            else:
                del parent[key]
        else:
            raise PatchError(f"index {key} out of range at {path}")
        return
    raise PatchError(f"cannot set {key!r} inside {type(parent).__name__} at {path}")
