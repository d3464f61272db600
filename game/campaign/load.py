"""Loading campaigns: a file into a checked ``Campaign``, and the campaigns shipped with the game.

``check_file(path)`` lists every problem as ``file:line: message`` (YAML syntax, the schema
``campaign.schema.json``, then the meaning: scenarios that exist, sides and teams that
match, carry rules that read only what the previous scenario has and set only what the
next one takes). ``load_campaign`` raises ``ScenarioError`` with those problems.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from game.engine.errors import EngineError, Problem, ScenarioError
from game.engine.scenario import Scenario
from game.scenarios import builtin_scenario
from game.scenarios.validate import load_checked
from game.scenarios.yamlload import line_of

from .model import Campaign, compile_campaign

SCHEMA_FILE = "campaign.schema.json"


@functools.cache
def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((resources.files(__package__) / SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def builtin_dir() -> Path:
    """The folder of the campaigns shipped with the game (``scenarios/campaigns``)."""
    return Path(str(resources.files("scenarios") / "campaigns"))


def builtin_campaign_ids() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


@functools.cache
def builtin_campaign(campaign_id: str) -> Campaign:
    """A shipped campaign by id (cached); raises ScenarioError if it is missing or broken."""
    path = builtin_dir() / f"{campaign_id}.yaml"
    if campaign_id not in builtin_campaign_ids():
        raise ScenarioError([Problem(str(path), 1, f"no such campaign {campaign_id!r}")])
    return load_campaign(path)


def load_campaign(path: str | Path, scenarios: Callable[[str], Scenario] = builtin_scenario) -> Campaign:
    """Load and check one campaign file; raises ScenarioError listing every error."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(str(path), 1, f"cannot read: {exc}")]) from None
    problems, tree = check_file(path, raw.decode("utf-8", errors="replace"), scenarios)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ScenarioError(errors)
    return compile_campaign(tree, str(path), hashlib.sha256(raw).hexdigest())


def check_file(path: str | Path, text: str | None = None,
               scenarios: Callable[[str], Scenario] = builtin_scenario) -> tuple[list[Problem], Any]:
    """All problems of one campaign file and its loaded tree (None if unreadable)."""
    problems, tree, ok = load_checked(path, text, jsonschema.Draft202012Validator(load_schema()), "campaign")
    if not ok:
        return problems, tree
    return _Checker(tree, str(path), scenarios).run(), tree


def _set_flags(scenario: Scenario) -> set[str]:
    """Every flag a game of ``scenario`` can have: set at the start, carried in, or set by an effect."""
    flags = set(scenario.flags) | set(scenario.carried_flags)
    for card in scenario.cards.values():
        for option in card.options.values():
            flags |= option.effects.set
            for branch in option.chance:
                flags |= branch.effects.set
        for combo in card.combinations:
            flags |= combo.effects.set
    return flags


class _Checker:
    def __init__(self, tree: Any, file: str, scenarios: Callable[[str], Scenario]) -> None:
        self.tree, self.file, self.scenarios = tree, file, scenarios
        self.problems: list[Problem] = []

    def add(self, path: list[Any], message: str) -> None:
        self.problems.append(Problem(self.file, line_of(self.tree, path), message))

    def run(self) -> list[Problem]:
        sides = [s["id"] for s in self.tree["sides"]]
        if len(set(sides)) != len(sides):
            self.add(["sides"], "two sides share an id")
        loaded: list[Scenario | None] = []
        for i, step in enumerate(self.tree["steps"]):
            try:
                loaded.append(self.scenarios(step["scenario"]))
            except (EngineError, KeyError):
                loaded.append(None)
                self.add(["steps", i, "scenario"], f"no scenario {step['scenario']!r}")
        for i, step in enumerate(self.tree["steps"]):
            sc = loaded[i]
            if sc is None:
                continue
            for side, team in step["teams"].items():
                if side not in sides:
                    self.add(["steps", i, "teams", side], f"unknown side {side!r} (declare it under sides)")
                if team not in sc.teams:
                    self.add(["steps", i, "teams", side], f"{sc.id} has no team {team!r}")
            if len(set(step["teams"].values())) != len(step["teams"]):
                self.add(["steps", i, "teams"], "two sides play the same team")
            if i == 0:
                if step.get("carry"):
                    self.add(["steps", i, "carry"], "the first step has nothing to carry from")
                continue
            prev = loaded[i - 1]
            if prev is None:
                continue
            for j, rule in enumerate(step.get("carry") or ()):
                self.rule(["steps", i, "carry", j], rule, prev, sc)
        return sorted(self.problems, key=lambda p: p.line)

    def rule(self, path: list[Any], rule: Any, prev: Scenario, sc: Scenario) -> None:
        when = rule.get("when") or {}
        for k, ending in enumerate(when.get("ending") or ()):
            if ending not in prev.endings:
                self.add([*path, "when", "ending", k], f"{prev.id} has no ending {ending!r}")
        for track in when.get("tracks") or {}:
            if track not in prev.tracks:
                self.add([*path, "when", "tracks", track], f"{prev.id} has no track {track!r}")
        known = _set_flags(prev)
        for key in ("flags", "not_flags"):
            for k, flag in enumerate(when.get(key) or ()):
                if flag not in known:
                    self.add([*path, "when", key, k], f"no game of {prev.id} ever has the flag {flag!r}")
        for region, who in (when.get("control") or {}).items():
            if region not in prev.control or who not in prev.controllers:
                self.add([*path, "when", "control", region], f"{prev.id} has no region {region!r} or controller {who!r}")
        for k, item in enumerate(rule.get("tracks") or ()):
            t = sc.tracks.get(item["id"])
            if t is None:
                self.add([*path, "tracks", k], f"{sc.id} has no track {item['id']!r}")
            elif "set" in item and not t.min <= item["set"] <= t.max:
                self.add([*path, "tracks", k], f"track {t.id!r} set to {item['set']}, outside {t.min}..{t.max}")
        for k, flag in enumerate(rule.get("flags") or ()):
            if flag not in sc.carried_flags:
                self.add([*path, "flags", k], f"{sc.id} does not take the flag {flag!r} (list it in its carried_flags)")
        for region, who in (rule.get("control") or {}).items():
            if region not in sc.control or who not in sc.controllers:
                self.add([*path, "control", region], f"{sc.id} has no region {region!r} or controller {who!r}")
        copy = rule.get("copy_control")
        if copy:
            for k, region in enumerate(copy["regions"]):
                if region not in sc.control or region not in prev.control:
                    self.add([*path, "copy_control", "regions", k], f"region {region!r} is not on both maps")
            for old, new in (copy.get("controllers") or {}).items():
                if old not in prev.controllers or new not in sc.controllers:
                    self.add([*path, "copy_control", "controllers", old],
                             f"cannot rename {prev.id}'s {old!r} to {sc.id}'s {new!r}")
        if rule.get("alternative") and not rule.get("sources"):
            self.add([*path, "alternative"], "an alternative-history carry cites what makes it plausible (sources)")
        if not any(rule.get(k) for k in ("tracks", "flags", "control", "copy_control")):
            self.add(path, "a carry rule changes nothing")
