"""The deterministic engine: pure rules, no I/O, no clocks, no global randomness.

``apply(state, decision) -> (state, events)`` is the only way a game changes;
the same scenario, seed and log always replay to the same state.
"""

from .decisions import Advance, Decision, Resolve, Reveal, SetCaptain, TeamChoice, Unvote, Vote
from .errors import EngineError, IllegalDecision, InvalidDecision, Problem, ScenarioError
from .replay import branch, replay
from .rules import Event, apply, decider_choice, legal_decisions, new_game, team_choice
from .scenario import Scenario
from .scoring import learning, scores
from .state import GameState, Phase
from .validate import builtin_scenario, builtin_scenario_ids, load_scenario, validate_paths
from .views import VOTE_KEYS, Seat, card_view, events_for, team_block, view_for, vote_progress
from .voting import all_have_voted, card_timer, open_options, withdraw_player

__all__ = [
    "VOTE_KEYS", "Advance", "Decision", "EngineError", "Event", "GameState", "IllegalDecision", "InvalidDecision",
    "Phase", "Problem", "Resolve", "Reveal", "Scenario", "ScenarioError", "Seat", "SetCaptain",
    "TeamChoice", "Unvote", "Vote", "all_have_voted", "apply", "branch", "builtin_scenario", "builtin_scenario_ids",
    "card_timer", "card_view", "decider_choice", "events_for", "learning", "legal_decisions", "load_scenario", "new_game",
    "open_options", "replay", "scores", "team_block", "team_choice", "validate_paths", "view_for", "vote_progress",
    "withdraw_player",
]  # fmt: skip
