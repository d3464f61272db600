"""Loading scenarios: a file into a compiled ``Scenario``, and the scenarios shipped with the game."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from game.engine.errors import Problem, ScenarioError
from game.engine.scenario import Scenario, compile_scenario

from .regions import with_parts_following
from .validate import check_file


def load_scenario(path: str | Path) -> Scenario:
    """Load, check and compile one scenario file; raises ScenarioError listing every error.

    Warnings (see ``Problem.level``) do not stop a file from loading. Finer map regions the
    file does not name follow their coarser region (``game.scenarios.regions``).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(str(path), 1, f"cannot read: {exc}")]) from None
    problems, tree = check_file(path, raw.decode("utf-8", errors="replace"))
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ScenarioError(errors)
    return compile_scenario(with_parts_following(tree), str(path), raw)


def builtin_dir() -> Path:
    """The folder of the scenarios shipped with the game (the ``scenarios`` data package)."""
    return Path(str(resources.files("scenarios")))


def builtin_scenario_ids() -> list[str]:
    """Ids of the scenarios shipped with the game."""
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


@functools.cache
def builtin_scenario(scenario_id: str) -> Scenario:
    """A shipped scenario by id (cached); raises ScenarioError if it is missing or broken."""
    path = builtin_dir() / f"{scenario_id}.yaml"
    if scenario_id not in builtin_scenario_ids():
        raise ScenarioError([Problem(str(path), 1, f"no such scenario {scenario_id!r}")])
    return load_scenario(path)
