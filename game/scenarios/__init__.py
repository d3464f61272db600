"""Scenario tooling: reading scenario files, checking them, and the scenarios shipped with the game.

The engine (``game.engine``) holds only rules and takes compiled scenarios; everything
that opens a file, parses YAML or validates against the JSON Schema lives here.
"""

from game.engine.errors import Problem, ScenarioError

from .load import builtin_dir, builtin_scenario, builtin_scenario_ids, load_scenario
from .validate import check_file, validate_paths

__all__ = [
    "Problem", "ScenarioError", "builtin_dir", "builtin_scenario", "builtin_scenario_ids", "check_file",
    "load_scenario", "validate_paths",
]  # fmt: skip
