"""Helpers to read views like the rules: which card and option a team may vote for."""

from __future__ import annotations

from typing import Any


def decider_of(session_info: dict[str, Any], card: dict[str, Any], team: str) -> str:
    if team in card["deciders"]:
        return team
    for bloc in session_info["scenario"].get("blocs", []):
        if team in bloc["teams"] and bloc["id"] in card["deciders"]:
            return bloc["id"]
    raise AssertionError(f"{team} does not decide {card['id']}")


def votable(view: dict[str, Any], session_info: dict[str, Any], team: str) -> list[tuple[str, list[str]]]:
    """[(card id, [option ids the team may pick])] for the cards the team decides now."""
    out = []
    for card in view["cards"]:
        if team not in card["teams"]:
            continue
        decider = decider_of(session_info, card, team)
        options = [o["id"] for o in card["options"] if o["available"] and decider in o["for"]]
        out.append((card["id"], options))
    return out
