"""Campaigns: the scenarios of a term chained across lessons (see ``model`` for the format).

``builtin_campaign(id)`` loads a shipped one; ``carry(step, end, scenario)`` gives the next
lesson's ``Start``; ``historical_start`` the start when beginning at a later step;
``standings`` the sides' results over the lessons played.
"""

from .carry import (
    carry,
    historical_game,
    historical_start,
    holds,
    lesson_start,
    lesson_summary,
    standings,
    start_entries,
)
from .load import builtin_campaign, builtin_campaign_ids, check_file, load_campaign
from .model import Campaign, CarryRule, EndCondition, Side, Step

__all__ = [
    "Campaign", "CarryRule", "EndCondition", "Side", "Step", "builtin_campaign", "builtin_campaign_ids",
    "carry", "check_file", "historical_game", "historical_start", "holds", "lesson_start", "lesson_summary", "load_campaign",
    "standings", "start_entries",
]
