"""The what-if explorer as a pure library: paths turn by turn, branches, and the odds.

- ``timeline``: ``game_path`` (our game or a branch, from a seed and a decision log),
  ``history_path`` (the options marked historical), ``departure`` (where a path leaves history);
- ``branch``: ``prefix_at`` (the log a branch shares), ``branch_log`` and ``what_if`` (the branch
  that chooses differently at a ``BranchPoint`` and plays on);
- ``odds``: ``how_likely`` (the endings of the class's decisions over many chance draws, and which
  decision moved them most);
- ``compare``: the comparison of paths as plain data, JSON and CSV (for the report and export).

A game that began from a carried start (a campaign lesson's ``game.engine.Start``) is replayed
from it: every function that builds a game from (scenario, seed, log) takes it as ``start``
(None: the scenario's own start), and a ``Path`` keeps it.

No I/O, no clocks (a caller passes its own), no global randomness; the engine's ``apply`` is the
only way a state changes.
"""

from .branch import BranchPoint, branch_log, choices_at, prefix_at, state_at, what_if
from .compare import comparison, comparison_rows
from .errors import ExploreError
from .odds import Alternative, DecisionOdds, Odds, draw_seed, how_likely, tv_distance
from .playout import FALLBACKS, Policy, class_decisions, play_out
from .timeline import CardStep, Departure, Path, TurnStep, departure, game_path, history_path, walk

__all__ = [
    "FALLBACKS",
    "Alternative",
    "BranchPoint",
    "CardStep",
    "DecisionOdds",
    "Departure",
    "ExploreError",
    "Odds",
    "Path",
    "Policy",
    "TurnStep",
    "branch_log",
    "choices_at",
    "class_decisions",
    "comparison",
    "comparison_rows",
    "departure",
    "draw_seed",
    "game_path",
    "history_path",
    "how_likely",
    "play_out",
    "prefix_at",
    "state_at",
    "tv_distance",
    "walk",
    "what_if",
]
