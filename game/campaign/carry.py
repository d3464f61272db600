"""From the end of one lesson to the start of the next, and history's own path through a campaign.

``carry(step, previous_end, scenario)`` is the ``Start`` of ``step`` given how the previous
lesson ended; ``historical_start(campaign, index, seed, scenarios)`` is the start a teacher
gets when beginning the campaign at step ``index``: every earlier step played on history's
path (the historical choice in every seat) and carried forward. ``standings`` sums the
sides' results over the lessons played. All pure: no files, no clocks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.bots.historical import historical_choice
from game.engine import (
    Advance,
    GameState,
    Phase,
    Resolve,
    Scenario,
    Start,
    TeamChoice,
    apply,
    learning,
    new_game,
    scores,
)
from game.engine.voting import open_options

from .model import Campaign, EndCondition, Step

MAX_TRANSITIONS = 10_000  # a historical playthrough that goes on longer is a broken scenario


def lesson_start(config: dict[str, Any]) -> Start | None:
    """The carried start of a game whose session config is ``config``, or None for a game that
    starts at the scenario's own start.

    A campaign lesson (and a branch of one made from its host token) keeps it as
    ``campaign.start``; a branch of a game sent whole (``server.branching``: e.g. a campaign
    lesson's exported file) keeps it as a top-level ``start``. The campaign's comes first.
    Raises InvalidDecision ``game/bad_start`` if the stored one is not a start."""
    data = (config.get("campaign") or {}).get("start")
    if data is None:
        data = config.get("start")
    return Start.from_wire(data) if data is not None else None


def start_entries(config: dict[str, Any]) -> dict[str, Any]:
    """The entries of session config ``config`` that carry its start, for the config of a session made
    from it (a branch, a duplicate): ``{"campaign": ...}`` for a campaign lesson, else ``{"start": ...}``
    where a top-level start is kept, else nothing. The same rule as ``lesson_start``: the campaign's
    comes first, so a new session never keeps both."""
    if config.get("campaign"):
        return {"campaign": config["campaign"]}
    return {"start": config["start"]} if config.get("start") is not None else {}


def holds(cond: EndCondition, end: GameState) -> bool:
    """Whether ``cond`` holds in the previous lesson's end state ``end``.

    A lesson ended early (the bell rang) never reached what the rest of its scenario would decide:
    only rules with ``ended_early: true`` read it, the others wait for a lesson that reached its end.
    """
    if cond.endings is not None and end.ending not in cond.endings:
        return False
    early = end.phase is Phase.ENDED and end.ending is None
    if early != bool(cond.ended_early):  # a lesson stopped at the bell carries only rules that ask for it
        return False
    for track, low, high in cond.tracks:
        value = end.tracks[track]
        if (low is not None and value < low) or (high is not None and value > high):
            return False
    if not cond.flags <= end.flags or cond.not_flags & end.flags:
        return False
    return all(end.control.get(region) == who for region, who in cond.control)


def carry(step: Step, end: GameState, scenario: Scenario) -> Start:
    """The start of ``step`` (played on ``scenario``) after a previous lesson that ended as ``end``.

    Rules apply in file order; a later rule's value for a track or region wins. ``add`` moves
    a track from the scenario's own start, clamped to its range. The notes of the rules that
    applied say what carried, in order.
    """
    tracks: dict[str, int] = {}
    flags: set[str] = set()
    control: dict[str, str] = {}
    notes = []
    for rule in step.carry:
        if not holds(rule.when, end):
            continue
        before = (dict(tracks), set(flags), dict(control))
        for track, value in rule.set_tracks:
            tracks[track] = value
        for track, delta in rule.add_tracks:
            t = scenario.tracks[track]
            tracks[track] = max(t.min, min(t.max, tracks.get(track, t.start) + delta))
        flags |= rule.flags
        control.update(rule.control)
        renamed = dict(rule.copy_controllers)
        for region in rule.copy_regions:
            who = end.control.get(region)
            if who is None:
                continue
            who = renamed.get(who, who)
            if who in scenario.controllers:
                control[region] = who
        if _changed(before, (tracks, flags, control), scenario):
            notes.append(dict(rule.note))  # a rule that left the scenario's own start as it was says nothing
    tracks = {t: v for t, v in tracks.items() if v != scenario.tracks[t].start}
    flags -= set(scenario.flags)
    control = {r: w for r, w in control.items() if scenario.control.get(r) != w}
    return Start(tracks=tuple(tracks.items()), flags=frozenset(flags), control=tuple(control.items()),
                 notes=tuple(notes) if (tracks or flags or control) else ())


def _changed(before: tuple[dict[str, int], set[str], dict[str, str]],
             after: tuple[dict[str, int], set[str], dict[str, str]], scenario: Scenario) -> bool:
    """Whether a rule moved anything away from where it stood (tracks, flags, control)."""
    def differs(a: dict[str, Any], b: dict[str, Any], default: dict[str, Any]) -> bool:
        return any(b.get(k, default.get(k)) != a.get(k, default.get(k)) for k in set(a) | set(b))

    track_starts = {t.id: t.start for t in scenario.tracks.values()}
    return (differs(before[0], after[0], track_starts) or after[1] - before[1] - set(scenario.flags) != set()
            or differs(before[2], after[2], scenario.control))


def historical_game(scenario: Scenario, seed: int, start: Start | None = None) -> GameState:
    """``scenario`` played to its end with history's choice in every seat (``historical`` bot rules)."""
    state = new_game(scenario, seed, start)
    for _ in range(MAX_TRANSITIONS):
        if state.phase is Phase.ENDED:
            return state
        if state.phase is not Phase.DELIBERATION:
            state, _ = apply(state, Advance())
            continue
        current = state
        for team in scenario.teams:
            for card in current.cards:
                options = open_options(current, card, team)
                if options:
                    option, _why = historical_choice(scenario.cards[card], team, options)
                    state, _ = apply(state, TeamChoice(team, card, option))
        state, _ = apply(state, Resolve())
    raise RuntimeError(f"{scenario.id}: the historical path did not end in {MAX_TRANSITIONS} transitions")


def historical_start(campaign: Campaign, index: int, seed: int,
                     scenarios: Callable[[str], Scenario]) -> Start | None:
    """The start of step ``index`` when every earlier step went as history did (None for step 0)."""
    if not 0 <= index < len(campaign.steps):
        raise IndexError(f"{campaign.id} has steps 0..{len(campaign.steps) - 1}, not {index}")
    start: Start | None = None
    for i in range(index):
        end = historical_game(scenarios(campaign.steps[i].scenario), seed, start)
        start = carry(campaign.steps[i + 1], end, scenarios(campaign.steps[i + 1].scenario))
    return start


def lesson_summary(step: int, code: str, end: GameState) -> dict[str, Any]:
    """What a campaign keeps of a finished lesson for the ones after it (plain data): its ending,
    whether that was history's, each team's score and how often it chose as history did."""
    ending = end.scenario.endings.get(end.ending) if end.ending else None
    taught = learning(end)["teams"]
    return {
        "step": step, "scenario": end.scenario.id, "code": code, "title": dict(end.scenario.title),
        "ending": end.ending, "ending_title": dict(ending.title) if ending else None,
        "historical": bool(ending and ending.historical), "ended_early": end.phase is Phase.ENDED and ending is None,
        "scores": {t: v["total"] for t, v in scores(end).items()},
        "as_history": {t: [row["matched"], row["decided"]] for t, row in taught.items()},
    }


def standings(campaign: Campaign, results: list[tuple[int, GameState]]) -> dict[str, Any]:
    """Each side's result in every lesson played (``(step index, end state)``) and its rank points.

    Scores of different scenarios are not comparable, so a lesson gives each side rank points
    (the number of playing sides it beat); ``total`` sums them. Sides without a team in a step
    get nothing for it.
    """
    per_side: dict[str, list[dict[str, Any]]] = {s.id: [] for s in campaign.sides}
    totals = {s.id: 0 for s in campaign.sides}
    for index, end in results:
        step = campaign.steps[index]
        marks = scores(end)
        playing = [(side, marks[team]["total"]) for side, team in step.teams if team in marks]
        for side, total in playing:
            beaten = sum(1 for _other, t in playing if t < total)
            per_side[side].append({"step": index, "scenario": step.scenario, "team": step.team_of(side),
                                   "score": total, "rank_points": beaten})
            totals[side] += beaten
    return {"sides": per_side, "total": totals}
