"""Finer map regions in scenarios written for the coarser map.

`assets/map/regions.yaml` declares some regions `part_of` a coarser one (Primorye and
Transbaikalia are cut out of the Far East, the Kuban and the lower Volga out of the Don...).
A scenario that names the coarser region in its starting `control` but not a finer part of
it was written before the split: the part follows its coarser region, at the start and in
every effect that hands the coarser region to someone. Conditions and scoring terms keep
naming only what the scenario names, so such a scenario plays exactly as before and only
its map is drawn finer. A scenario that names a finer region itself (civil-war) controls it
on its own.
"""

from __future__ import annotations

import copy
import functools
from importlib import resources
from typing import Any

from .yamlload import load_yaml


@functools.cache
def region_parts() -> dict[str, tuple[str, ...]]:
    """Coarser region id -> the ids of the regions declared `part_of` it, in map order."""
    text = (resources.files("assets") / "map" / "regions.yaml").read_text(encoding="utf-8")
    parts: dict[str, list[str]] = {}
    for region in load_yaml(text).get("regions") or ():
        if region.get("part_of"):
            parts.setdefault(str(region["part_of"]), []).append(str(region["id"]))
    return {parent: tuple(children) for parent, children in parts.items()}


def followers(control: dict[str, Any], parts: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """For a scenario's starting `control`: coarser region -> its parts the scenario leaves unnamed."""
    parts = region_parts() if parts is None else parts
    out = {}
    for parent, children in parts.items():
        unnamed = tuple(c for c in children if c not in control)
        if parent in control and unnamed:
            out[parent] = unnamed
    return out


def with_parts_following(tree: dict[str, Any], parts: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """A copy of a checked scenario tree in which every unnamed finer region follows its coarser one.

    The starting `control` and every `effects: {control: ...}` (of cards, options, chance
    branches and combinations) gain the unnamed parts with the coarser region's controller.
    A tree that names every finer region is returned unchanged (the same object).
    """
    follow = followers(tree.get("control") or {}, parts)
    if not follow:
        return tree
    out = copy.deepcopy(tree)

    def spread(control: dict[str, Any]) -> None:
        for parent, children in follow.items():
            if parent in control:
                for child in children:
                    control.setdefault(child, control[parent])

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            effects = node.get("effects")
            if isinstance(effects, dict) and isinstance(effects.get("control"), dict):
                spread(effects["control"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    spread(out["control"])
    walk(out.get("cards"))
    return out
