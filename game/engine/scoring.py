"""Scores (team objectives) and learning data (which decisions matched history), kept apart."""

from __future__ import annotations

from typing import Any

from .scenario import Term
from .state import GameState


def term_points(s: GameState, term: Term) -> float:
    """Points one scoring term gives in ``s`` (bots weigh states with it too)."""
    if term.kind == "track":
        return term.points * s.tracks[term.target]  # type: ignore[index]
    if term.kind == "flag":
        return term.points if ((term.target in s.flags) != term.unset) else 0.0
    if term.kind == "control":
        return term.points * sum(1 for r in term.target if s.control.get(r) == term.by)
    return term.points if s.ending == term.target else 0.0


def scores(s: GameState) -> dict[str, dict[str, float]]:
    """Per team: public aim points, secret objective points and their total, as of now."""
    out = {}
    for team in s.scenario.teams.values():
        public = sum(term_points(s, t) for t in team.scoring)
        secret = sum(term_points(s, t) for t in team.secret_scoring)
        out[team.id] = {"public": round(public, 2), "secret": round(secret, 2), "total": round(public + secret, 2)}
    return out


def learning(s: GameState) -> dict[str, Any]:
    """What the class chose against history: per card and per team (votes, not score)."""
    sc = s.scenario
    teams: dict[str, dict[str, Any]] = {t: {"decided": 0, "matched": 0, "cards": []} for t in sc.teams}
    cards = []
    for record in s.records:
        for entry in record["cards"]:
            card = sc.cards[entry["card"]]
            off_turn = entry.get("off_turn", False)  # history did not come that way: nothing matches it
            path_matches = {}
            for decider, option in entry["choices"].items():
                path_matches[decider] = card.options[option].historical and not off_turn
            cards.append({
                "turn": record["turn"],
                "card": card.id,
                "choices": dict(entry["choices"]),
                "historical": path_matches,
                "history_options": {
                    d: [o.id for o in card.options.values() if o.historical and d in o.deciders and not off_turn]
                    for d in card.deciders
                },
            })
            for team, option in entry["team_choices"].items():
                row = teams[team]
                matched = option is not None and card.options[option].historical and not off_turn
                if option is not None:
                    row["decided"] += 1
                    row["matched"] += int(matched)
                row["cards"].append({"card": card.id, "choice": option, "historical": matched})
    return {"cards": cards, "teams": teams}
