"""Compact patches between two views (``game.wire.apply_patch`` applies them) (plain data: dict, list, str, int, float, bool, None).

A patch is a list of operations, applied in order:

- ``[path, value]`` — set the value at ``path`` (create the key if missing);
- ``[path]`` — delete the map key at ``path``.

A path is a list of map keys (str) and list indices (int).  Setting index
``len(list)`` appends.  Maps are compared key by key (a map whose ``id`` changed, e.g. another card in
the same slot, is replaced whole); lists element by element
over their common length, with new elements appended (so a growing timeline
sends only its new entries); a list that got shorter is replaced whole.  ``None`` is an ordinary value (views use it), which is why
deletion is a separate one-element operation rather than JSON merge patch's null.

>>> make_patch({"a": 1, "b": {"c": [1, 2]}}, {"a": 1, "b": {"c": [1, 3]}, "d": None})
[[['b', 'c', 1], 3], [['d'], None]]
"""

from __future__ import annotations

from typing import Any

Path = list[str | int]
Op = list[Any]


def make_patch(old: Any, new: Any) -> list[Op]:
    """The operations that turn ``old`` into ``new`` (empty if they are equal)."""
    ops: list[Op] = []
    if type(old) is not type(new) or type(new) not in (dict, list):
        if old != new or type(old) is not type(new):
            ops.append([[], new])
        return ops
    _diff(old, new, [], ops)
    return ops


def _diff(old: Any, new: Any, path: Path, ops: list[Op]) -> None:
    """Diff two containers of the same type; each node is visited once."""
    if type(new) is dict:
        if old.get("id") != new.get("id"):  # another card in this slot: one op, not one per field
            ops.append([list(path), new])
            return
        for key, value in new.items():
            if key not in old:
                ops.append([[*path, key], value])
            else:
                _diff_value(old[key], value, [*path, key], ops)
        for key in old:
            if key not in new:
                ops.append([[*path, key]])
        return
    if len(old) > len(new) or not path:  # a shorter list (or the root): replace it whole
        if old != new:
            ops.append([list(path), new])
        return
    for i, (a, b) in enumerate(zip(old, new, strict=False)):
        _diff_value(a, b, [*path, i], ops)
    for i in range(len(old), len(new)):
        ops.append([[*path, i], new[i]])


def _diff_value(a: Any, b: Any, path: Path, ops: list[Op]) -> None:
    if a is b:
        return
    kind = type(b)
    if kind is not type(a):
        ops.append([path, b])
    elif kind is dict or kind is list:
        _diff(a, b, path, ops)
    elif a != b:
        ops.append([path, b])
