"""The report's machine-readable parts: a CSV of every vote, and the export as JSON.

CSV: one row per student per decision (a team's vote on a card): turn, card, team, name, the
option that stood, seconds to the first vote, changes of mind, whether it became the team's
choice, and the player id (names can repeat). UTF-8 with a BOM, so spreadsheet programs read
Polish letters right.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .model import Report

CSV_COLUMNS = ("turn", "card", "card_title", "team", "team_name", "player", "name", "option", "option_text",
               "seconds_to_vote", "changes_of_mind", "became_team_choice", "team_choice")


def render_csv(report: Report) -> str:
    """The votes table (a string; write it with ``encoding="utf-8-sig"``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for turn, card, team, vote in report.votes():
        writer.writerow([
            turn.turn, card.card, report.text(card.title), team.team, report.team_name(team.team),
            vote.player, vote.name, vote.option or "", report.option_text(card.card, vote.option),
            "" if vote.seconds is None else vote.seconds, vote.changes, "yes" if vote.became_choice else "no",
            team.choice or "",
        ])
    return out.getvalue()


def render_json(export: dict[str, Any]) -> str:
    """The export as the server sent it, ``{"data": …}`` (as the client has always saved it)."""
    return json.dumps({"data": export}, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)
