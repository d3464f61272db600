"""The deterministic engine: pure rules, no I/O, no clocks, no global randomness.

``apply(state, decision) -> (state, events)`` is the only way a game changes;
the same scenario, seed and log always replay to the same state. Scenarios come
compiled (``compile_scenario``); reading them from files is ``game.scenarios``'s job.
"""

from .decisions import Advance, Decision, EndEarly, Resolve, Reveal, SetCaptain, TeamChoice, Unvote, Vote
from .errors import EngineError, IllegalDecision, InvalidDecision, InvalidQuery, Problem, ScenarioError
from .replay import branch, replay
from .rules import (
    Event,
    apply,
    decider_choice,
    ended_early,
    legal_decisions,
    new_game,
    played_turns,
    team_choice,
)
from .scenario import Scenario, compile_scenario
from .scoring import learning, scores
from .start import Start
from .state import GameState, Phase
from .views import VOTE_KEYS, Seat, card_view, events_for, team_block, view_for, vote_progress
from .voting import all_have_voted, card_timer, open_options, withdraw_player

__all__ = [
    "VOTE_KEYS", "Advance", "Decision", "EndEarly", "EngineError", "Event", "GameState", "IllegalDecision", "InvalidDecision",
    "InvalidQuery", "Phase", "Problem", "Resolve", "Reveal", "Scenario", "ScenarioError", "Seat", "SetCaptain",
    "Start", "TeamChoice", "Unvote", "Vote", "all_have_voted", "apply", "branch", "card_timer", "card_view", "compile_scenario",
    "decider_choice", "ended_early", "events_for", "learning", "legal_decisions", "new_game", "open_options", "played_turns", "replay", "scores",
    "team_block", "team_choice", "view_for", "vote_progress", "withdraw_player",
]  # fmt: skip
