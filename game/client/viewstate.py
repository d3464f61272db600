"""Applying the server's `update` patches to the last full `view`.

The wire format (docs/protocol.md, `update.patch`) is applied by `apply_patch`.
The server's format (server/diff.py) is a list of operations applied in order:
``[path, value]`` sets the value at ``path`` (a list of map keys and list
indices; an empty path replaces the whole view) and ``[path]`` deletes the map
key at ``path``. ``None`` is an ordinary value. Also understood, for tolerance:

* a merge patch (a map): keys map to new values; a nested map merges
  recursively; a key listed in the reserved `"$del"` list is removed;
* a list of operations `{"op": "set"|"del", "path": [key, …], "value": …}`
  (a path may also be a "/a/b" string; list indices are ints or digit strings).

`apply_patch` never mutates its input; it raises `PatchError` when the patch
does not fit the view, and the caller then asks for a full view.
"""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    """The patch does not apply to this view: request a fresh full view."""


def apply_patch(view: dict, patch: Any) -> dict:
    """Return a new view with `patch` applied to `view`."""
    out = copy.deepcopy(view)
    if isinstance(patch, dict):
        return _merge(out, patch)
    if isinstance(patch, list):
        for op in patch:
            _apply_op(out, op)
        return out
    if patch is None:
        return out
    raise PatchError(f"unsupported patch of type {type(patch).__name__}")


def _merge(target: dict, patch: dict) -> dict:
    for key in patch.get("$del", ()) or ():
        target.pop(key, None)
    for key, value in patch.items():
        if key == "$del":
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def _split(path: Any) -> list[Any]:
    if isinstance(path, str):
        return [p.replace("~1", "/").replace("~0", "~") for p in path.strip("/").split("/")] if path.strip("/") else []
    if isinstance(path, list | tuple):
        return list(path)
    raise PatchError(f"bad path {path!r}")


def _step(node: Any, key: Any) -> tuple[Any, Any]:
    if isinstance(node, list):
        try:
            idx = int(key)
        except (TypeError, ValueError) as e:
            raise PatchError(f"list index {key!r}") from e
        return node, idx
    if isinstance(node, dict):
        return node, key
    raise PatchError(f"cannot descend into {type(node).__name__} at {key!r}")


def _apply_op(root: dict, op: Any) -> None:
    if isinstance(op, list | tuple) and op and isinstance(op[0], list | tuple | str):
        op = {"op": "set", "path": op[0], "value": op[1]} if len(op) == 2 else {"op": "del", "path": op[0]}
    if not isinstance(op, dict):
        raise PatchError("an operation must be a list or a map")
    kind = op.get("op", "set")
    if kind in ("replace", "add"):
        kind = "set"
    if kind == "remove":
        kind = "del"
    path = _split(op.get("path"))
    if not path:
        if kind == "set" and isinstance(op.get("value"), dict):
            root.clear()
            root.update(copy.deepcopy(op["value"]))
            return
        raise PatchError("empty path")
    node: Any = root
    for key in path[:-1]:
        container, k = _step(node, key)
        try:
            node = container[k]
        except (KeyError, IndexError) as e:
            raise PatchError(f"missing {key!r}") from e
    container, k = _step(node, path[-1])
    if kind == "set":
        if isinstance(container, list):
            if k == len(container):
                container.append(copy.deepcopy(op.get("value")))
                return
            if not 0 <= k < len(container):
                raise PatchError(f"index {k} out of range")
        container[k] = copy.deepcopy(op.get("value"))
    elif kind == "del":
        try:
            del container[k]
        except (KeyError, IndexError) as e:
            raise PatchError(f"missing {k!r}") from e
    else:
        raise PatchError(f"unknown op {kind!r}")
