"""What the last turn changed: which regions changed hands, how the tracks moved.

The engine's view carries the resolution's changes (`control_changes`: `{region: [old, new]}`,
`track_changes`: `{track: delta}`) only while that turn's outcome is shown; the next turn's
briefing clears them. The map keeps them marked until the next turn's outcome, so
`remembered_changes(sess)` keeps the latest non-empty ones for the session (per client, in
memory: a client that reconnects mid-turn has none until the next outcome).

`describe_changes(view, info)` lists a turn's changes in words, for the outcome card:
"Ukraina: Rosja radziecka → Rządy narodowe", "Żywność −1".
"""

from __future__ import annotations

import weakref
from typing import Any

from .i18n import pick, tr

_remembered: weakref.WeakKeyDictionary[Any, tuple[int, dict[str, list], dict[str, int]]] = \
    weakref.WeakKeyDictionary()


def remembered_changes(sess: Any) -> dict[str, list]:
    """`{region: [old, new]}` of the latest turn that changed who holds a region (kept through the
    next turn's briefing and vote; replaced by the next outcome's changes)."""
    view = getattr(sess, "view", None) or {}
    control = view.get("control_changes") or {}
    tracks = view.get("track_changes") or {}
    turn = int(view.get("turn") or 0)
    held = _remembered.get(sess)
    if control or tracks:
        _remembered[sess] = (turn, {k: list(v) for k, v in control.items()}, dict(tracks))
    elif held is not None and (held[0] < turn - 1 or (held[0] < turn and view.get("phase") in ("outcome", "ended"))):
        _remembered.pop(sess, None)   # older than the turn before, or a newer outcome changed nothing
    held = _remembered.get(sess)
    return dict(held[1]) if held else {}


def describe_changes(view: dict[str, Any], info: dict[str, Any]) -> list[str]:
    """The turn's changes in words, in the current language: each region that changed hands
    ("<region>: <old> → <new>"), then each track that moved ("<track> +1"). `view` is the session's
    view (its `control_changes` and `track_changes`), `info` the scenario's public info
    (`ClientSession.scenario_info`: controller and track names). Empty when nothing changed."""
    from .widgets.map_view import region_names

    controllers = {c["id"]: pick(c.get("name")) for c in info.get("controllers", [])}
    tracks = {t["id"]: pick(t.get("name")) for t in info.get("tracks", [])}
    names = region_names()
    out = []
    for region, change in sorted((view.get("control_changes") or {}).items()):
        old, new = [*change, None, None][:2]
        out.append(tr("changes.region", region=pick(names.get(region, region)),
                      old=controllers.get(old, old) if old else tr("map.nobody"),
                      new=controllers.get(new, new) if new else tr("map.nobody")))
    for track, delta in (view.get("track_changes") or {}).items():
        if delta:
            out.append(tr("changes.track", track=tracks.get(track, track),
                          delta=f"+{delta}" if delta > 0 else f"−{-delta}"))
    return out
