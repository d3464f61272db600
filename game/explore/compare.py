"""The comparison of paths (history, our game, its branches) and the odds, as plain data.

``comparison(scenario, paths, odds)`` is what the teacher's report shows and what the explorer
exports as JSON; ``comparison_rows(scenario, paths)`` is the same turn by turn as table rows
(one per path, turn, card and decider) for CSV. Texts come in both languages where the scenario
has them; ids stay ids so a spreadsheet can filter on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from game.engine import Scenario

from .odds import Odds
from .timeline import Path

FORMAT = "crossroads-comparison/1"

ROW_HEADER = ("path", "kind", "name", "turn", "date", "card", "decider", "option", "historical",
              "history_options", "on_history", "leaves_history_here", "ending_so_far", "tracks", "control")


def _label(path: Path) -> str:
    return path.code or path.kind


def comparison(scenario: Scenario, paths: Sequence[Path], odds: Odds | None = None) -> dict[str, Any]:
    """Every path turn by turn, where each leaves history, and the odds (if computed)."""
    endings = {e.id: {"title": dict(e.title), "historical": e.historical} for e in scenario.endings.values()}
    out: dict[str, Any] = {
        "format": FORMAT,
        "scenario": scenario.id,
        "scenario_digest": scenario.digest,
        "endings": endings,
        "paths": [p.to_dict() for p in paths],
        "odds": odds.to_dict() if odds is not None else None,
    }
    return out


def comparison_rows(scenario: Scenario, paths: Sequence[Path]) -> list[list[str]]:
    """The header, then one row per path, turn, card and decider (strings, ready for a CSV writer)."""
    rows: list[list[str]] = [list(ROW_HEADER)]
    for path in paths:
        where = path.departure
        for step in path.turns:
            tracks = ";".join(f"{k}={v}" for k, v in sorted(step.tracks.items()))
            control = ";".join(f"{k}={v}" for k, v in sorted(step.control.items()))
            for c in step.cards:
                for decider, option in c.choices.items():
                    here = where is not None and where.turn == step.turn and where.card == c.card and (
                        where.decider in (None, decider))
                    rows.append([_label(path), path.kind, path.name, str(step.turn), step.date, c.card, decider,
                                 option, "yes" if c.historical.get(decider) else "no",
                                 "|".join(c.history_options.get(decider, ())),
                                 "yes" if c.on_history else "no", "yes" if here else "no",
                                 step.ending or "", tracks, control])
    return rows
