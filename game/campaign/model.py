"""A compiled campaign: the scenarios of a term chained, and what carries from one to the next.

A campaign file (``campaigns/*.yaml``, checked against ``campaign.schema.json``) names its
**sides** — the class's teams through the whole term — and its **steps**: each step is a
scenario, which of its teams each side plays, and the **carry** rules that turn the end of
the previous lesson into this one's ``Start`` (tracks set or moved, flags the scenario
lists under ``carried_flags``, region controllers set or copied). Every rule has a note in
both languages (shown in the first briefing) and, when it is alternative history, the
sources that make it plausible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.engine.scenario import Citation, Text


@dataclass(frozen=True, slots=True)
class EndCondition:
    """What must hold in the previous lesson's end state for a rule to apply (all of it)."""

    endings: frozenset[str] | None = None  # None: any ending
    ended_early: bool | None = None
    tracks: tuple[tuple[str, int | None, int | None], ...] = ()
    flags: frozenset[str] = frozenset()
    not_flags: frozenset[str] = frozenset()
    control: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class CarryRule:
    when: EndCondition
    set_tracks: tuple[tuple[str, int], ...]
    add_tracks: tuple[tuple[str, int], ...]
    flags: frozenset[str]
    control: tuple[tuple[str, str], ...]
    copy_regions: tuple[str, ...]
    copy_controllers: tuple[tuple[str, str], ...]  # previous controller -> this step's
    note: Text
    alternative: bool
    sources: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Step:
    scenario: str
    teams: tuple[tuple[str, str], ...]  # side -> scenario team
    carry: tuple[CarryRule, ...]

    def team_of(self, side: str) -> str | None:
        return dict(self.teams).get(side)

    def side_of(self, team: str) -> str | None:
        return next((side for side, t in self.teams if t == team), None)


@dataclass(frozen=True, slots=True)
class Side:
    id: str
    name: Text


@dataclass(frozen=True, slots=True, eq=False)
class Campaign:
    id: str
    path: str
    digest: str
    title: Text
    summary: Text
    sides: tuple[Side, ...]
    steps: tuple[Step, ...]

    @property
    def scenario_ids(self) -> tuple[str, ...]:
        return tuple(step.scenario for step in self.steps)

    def public_info(self) -> dict[str, Any]:
        """Plain data for menus and the campaign debrief."""
        return {
            "id": self.id, "title": dict(self.title), "summary": dict(self.summary),
            "sides": [{"id": s.id, "name": dict(s.name)} for s in self.sides],
            "steps": [{"scenario": st.scenario, "teams": dict(st.teams)} for st in self.steps],
        }


def _text(node: Any) -> Text:
    return {"pl": str(node["pl"]), "en": str(node["en"])}


def _when(node: Any) -> EndCondition:
    node = node or {}
    return EndCondition(
        endings=frozenset(node["ending"]) if node.get("ending") else None,
        ended_early=node.get("ended_early"),
        tracks=tuple((t, b.get("min"), b.get("max")) for t, b in (node.get("tracks") or {}).items()),
        flags=frozenset(node.get("flags") or ()),
        not_flags=frozenset(node.get("not_flags") or ()),
        control=tuple((node.get("control") or {}).items()),
    )


def _rule(node: Any) -> CarryRule:
    copy = node.get("copy_control") or {}
    return CarryRule(
        when=_when(node.get("when")),
        set_tracks=tuple((t["id"], int(t["set"])) for t in node.get("tracks") or () if "set" in t),
        add_tracks=tuple((t["id"], int(t["add"])) for t in node.get("tracks") or () if "add" in t),
        flags=frozenset(node.get("flags") or ()),
        control=tuple((node.get("control") or {}).items()),
        copy_regions=tuple(copy.get("regions") or ()),
        copy_controllers=tuple((copy.get("controllers") or {}).items()),
        note=_text(node["note"]),
        alternative=bool(node.get("alternative", False)),
        sources=tuple(dict(c) for c in node.get("sources") or ()),
    )


def compile_campaign(tree: dict[str, Any], path: str, digest: str) -> Campaign:
    """A schema-valid, checked tree into a ``Campaign`` (``load.check_file`` checks it first)."""
    return Campaign(
        id=tree["id"], path=path, digest=digest, title=_text(tree["title"]), summary=_text(tree["summary"]),
        sides=tuple(Side(s["id"], _text(s["name"])) for s in tree["sides"]),
        steps=tuple(Step(st["scenario"], tuple(st["teams"].items()), tuple(_rule(r) for r in st.get("carry") or ()))
                    for st in tree["steps"]),
    )
