"""The what-if explorer's data, apart from drawing: the paths of a game and its branches, the odds
computed on a thread, and the errands that fetch, rename and delete branches.

`ExplorerModel(export, scenario, branches)` builds (with `game.explore`) history's path, our game's
and each branch's, in tree order with their depth (a campaign lesson's game and its branches from
the lesson's carried start, `lesson_start` of the export's config; history from the scenario's own); `OddsJob` runs `how_likely` on a thread of its
own (the render loop never waits: it reads `progress` and, when `done`, `result` or `error`);
`Errand` is one request on a connection of its own to the solo games' server (fetch a branch's
export, rename it). Branches are solo games (`SavedSolo` with a `parent`) on the solo server: they
are listed from the solo book and their logs fetched with `saved_export`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from game.campaign import lesson_start
from game.engine import Start
from game.explore import Odds, Path, game_path, history_path, how_likely

from .solo import SoloOptions

ODDS_DRAWS = 2000
ODDS_ALT_DRAWS = 100
ODDS_BUDGET = 60.0  # seconds of work at most; the panel says when the figures are partial


@dataclass
class Lane:
    """One row of the timeline: a path, its label and how deep in the tree of branches it sits."""

    key: str            # "history", "game" or the branch's code
    label: str
    path: Path
    depth: int = 0
    saved: Any = None   # the branch's SavedSolo (rename, delete, play on)


def start_of(export: dict[str, Any]) -> Start | None:
    """The carried start the exported game was played from (a campaign lesson's, or a branch's of
    one), from its session config; None: the scenario's own. Raises InvalidDecision ``game/bad_start``."""
    config = (export.get("session") or {}).get("config") or {}
    return lesson_start(config) if isinstance(config, dict) else None


def source_of(export: dict[str, Any]) -> dict[str, Any]:
    """A game sent whole for `branch`: its scenario, seed, carried start (wire form, or None) and
    log (from an export)."""
    session = export.get("session") or {}
    log = [{k: v for k, v in d.items() if k not in ("seq", "at")} for d in export.get("log") or []]
    start = start_of(export)
    return {"scenario": session.get("scenario"), "seed": session.get("seed"), "log": log,
            "code": session.get("code"), "scenario_digest": session.get("scenario_digest"),
            "start": start.to_wire() if start is not None else None}


def family(book_games: list[Any], root: str) -> list[Any]:
    """The saved branches descending from the game `root` (by code), parents before children."""
    out: list[Any] = []
    frontier = [root]
    seen = {root}
    while frontier:
        parent = frontier.pop(0)
        for g in book_games:
            if getattr(g, "parent", "") == parent and g.code not in seen:
                seen.add(g.code)
                out.append(g)
                frontier.append(g.code)
    return out


class ExplorerModel:
    """History, our game and its branches as `Lane`s, for the explorer scene and the report."""

    def __init__(self, export: dict[str, Any], scenario: Any, branches: list[tuple[Any, dict[str, Any]]],
                 labels: dict[str, str]) -> None:
        self.export, self.scenario = export, scenario
        session = export.get("session") or {}
        self.code = str(session.get("code") or "")
        self.seed = int(session.get("seed") or 0)
        self.source = source_of(export)
        self.start = start_of(export)
        self.history = history_path(scenario)
        self.game = game_path(scenario, self.seed, self.source["log"], history=self.history, code=self.code,
                              name=labels["game"], start=self.start)
        self.lanes = [Lane("history", labels["history"], self.history), Lane("game", labels["game"], self.game)]
        depth = {self.code: 0}
        for saved, data in branches:
            src = source_of(data)
            name = (data.get("session") or {}).get("config", {}).get("branch_name") or saved.name or saved.code
            path = game_path(scenario, int(src["seed"]), src["log"], "branch", history=self.history,
                             code=saved.code, parent=saved.parent, branched_at=saved.branched_at, name=name,
                             start=start_of(data))  # its own config: the start its server played it from
            d = depth.get(saved.parent, 0) + 1
            depth[saved.code] = d
            self.lanes.append(Lane(saved.code, name, path, d, saved))
        self.exports = {self.code: export, **{saved.code: data for saved, data in branches}}

    def lane(self, key: str) -> Lane | None:
        return next((lane for lane in self.lanes if lane.key == key), None)

    def branch_options(self, lane: Lane, turn: int, team: str, level: str, lang: str) -> BranchOptions:
        """What "play from here" sends: a branch of `lane`'s game at `turn`'s briefing, as `team`."""
        export = self.export if lane.key in ("game", "history") else self.exports[lane.key]
        source = source_of(export) if lane.key != "history" else {
            "scenario": self.scenario.id, "seed": lane.path.seed, "log": list(lane.path.log), "code": None,
            "scenario_digest": self.scenario.digest, "start": None}
        step = lane.path.turn(turn)
        at = step.log_index if step is not None else len(source["log"])
        return BranchOptions(scenario=self.scenario.id, team=team, level=level, lang=lang, source=source, at=at)


@dataclass
class BranchOptions(SoloOptions):
    """A solo game that starts as a branch of another game (the server's `branch`), not from scratch."""

    source: dict[str, Any] | None = None
    at: int = 0
    branch_name: str = ""

    def create_request(self, teams: list[str]) -> dict:
        return {"type": "branch", "source": self.source, "at": self.at, "team": self.team, "level": self.level,
                "lang": self.lang, "name": self.branch_name or None}


class OddsJob:
    """`how_likely` of one path's decisions (from the path's own start) on a thread; `progress` 0..1,
    then `done` with `result`."""

    def __init__(self, scenario: Any, path: Path, *, draws: int = ODDS_DRAWS, alt_draws: int = ODDS_ALT_DRAWS,
                 fallback: str = "default", budget: float = ODDS_BUDGET) -> None:
        self.progress = 0.0
        self.done = False
        self.result: Odds | None = None
        self.error: str | None = None
        self.key = path.code or path.kind
        self._cancel = False
        self._thread = threading.Thread(target=self._run, args=(scenario, path, draws, alt_draws, fallback, budget),
                                        name="odds", daemon=True)
        self._thread.start()

    def _clock(self) -> float:
        return float("inf") if self._cancel else time.monotonic()

    def _run(self, scenario: Any, path: Path, draws: int, alt_draws: int, fallback: str, budget: float) -> None:
        try:
            self.result = how_likely(scenario, path.seed, path.log, draws=draws, alt_draws=min(alt_draws, draws),
                                     fallback=fallback, clock=self._clock, budget=budget,
                                     progress=self._note, start=path.start)
        except Exception as exc:  # shown in the panel; the explorer stays usable
            self.error = str(exc) or type(exc).__name__
        finally:
            self.done = True

    def _note(self, fraction: float) -> None:
        self.progress = fraction

    def cancel(self) -> None:
        self._cancel = True

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)


