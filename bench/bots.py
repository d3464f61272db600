"""Bot figures: decision time per level, and how the hard bot does against random play and easy bots.

    python bench/bots.py [--scenario ID ...] [--games 200] [--timing-games 4] [--jobs 2]

For every scenario (default: every built-in one):

1. decision time per level (median, p99) over whole games in which every seat
   is played by a bot of that level, measured in this process (one core);
2. over ``--games`` games per opponent kind, the hard bot in one seat (seats
   taken in turn) against the other seats played randomly, then by easy bots;
   the same games with that seat played randomly give the baseline. Printed per
   kind: the seat's mean score and how often it ranks first (ties at the top
   count as first), hard vs random, overall and per team.

Random play picks uniformly among a team's open options (no abstentions). Game
``i`` uses the same game seed for the hard run and its baseline.

``--games`` defaults to 200 per opponent kind: on this 2-core machine 200 games
(each played twice, hard and baseline) take about 4-5 minutes per kind with two
jobs, so 1,000 would take over 20 minutes per kind and scenario.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.bots.bot import LEVELS, Bot, bot_seed
from game.engine import (
    Advance,
    Phase,
    Resolve,
    Seat,
    TeamChoice,
    apply,
    new_game,
    scores,
    view_for,
)
from game.engine.voting import open_options
from game.scenarios import builtin_scenario, builtin_scenario_ids


def play(scenario_id: str, seed: int, seats: dict[str, str], timings: list[float] | None = None) -> dict[str, float]:
    """One game; ``seats`` maps team -> level or "random". Returns each team's total score."""
    scenario = builtin_scenario(scenario_id)
    bots = {t: Bot(scenario, t, lvl) for t, lvl in seats.items() if lvl != "random"}
    whims = random.Random(seed ^ 0x5EED)
    state = new_game(scenario, seed)
    while state.phase is not Phase.ENDED:
        if state.phase is not Phase.DELIBERATION:
            state, _ = apply(state, Advance())
            continue
        current = state
        for team in scenario.teams:
            if team in bots:
                view = view_for(current, Seat.team(team))
                start = time.perf_counter()
                choice = bots[team].decide(view, bot_seed(seed, current.turn, team))
                if timings is not None:
                    timings.append(time.perf_counter() - start)
            else:
                choice = {}
                for card in current.cards:
                    options = open_options(current, card, team)
                    if options:
                        choice[card] = whims.choice(options)
            for card, option in choice.items():
                state, _ = apply(state, TeamChoice(team, card, option))
        state, _ = apply(state, Resolve())
    return {t: s["total"] for t, s in scores(state).items()}


def timing_job(args: tuple[str, str, int]) -> list[float]:
    scenario_id, level, seed = args
    teams = builtin_scenario(scenario_id).team_ids
    out: list[float] = []
    play(scenario_id, seed, {t: level for t in teams}, out)
    return out


def strength_job(args: tuple[str, int, str]) -> tuple[str, dict[str, float], dict[str, float]]:
    """(hard team, scores with hard in that seat, scores with that seat random) for one game."""
    scenario_id, i, others = args
    teams = builtin_scenario(scenario_id).team_ids
    team = teams[i % len(teams)]
    seed = 10_000 + i
    seats = {t: others for t in teams}
    with_hard = play(scenario_id, seed, {**seats, team: "hard"})
    with_random = play(scenario_id, seed, {**seats, team: "random"})
    return team, with_hard, with_random


def first(team: str, totals: dict[str, float]) -> bool:
    return totals[team] >= max(totals.values())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", help="scenario id (repeatable; default: all built-in)")
    parser.add_argument("--games", type=int, default=200, help="games per opponent kind (hard vs random, vs easy)")
    parser.add_argument("--timing-games", type=int, default=4, help="whole games per level for decision times")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    scenario_ids = args.scenario or builtin_scenario_ids()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for scenario_id in scenario_ids:
            print(f"== {scenario_id}")
            if not args.skip_timing:
                print("decision time per level (ms), every seat that level:")
                for level in LEVELS:
                    times = [t for g in range(args.timing_games) for t in timing_job((scenario_id, level, g))]
                    print(f"  {level:10} n={len(times):4}  median {1000 * statistics.median(times):7.1f}"
                          f"  p99 {1000 * pct(times, 0.99):7.1f}  max {1000 * max(times):7.1f}")
            for others in ("random", "easy") if args.games > 0 else ():
                start = time.perf_counter()
                rows = list(pool.map(strength_job, [(scenario_id, i, others) for i in range(args.games)], chunksize=4))
                elapsed = time.perf_counter() - start
                print(f"hard in one seat vs {others} others, {len(rows)} games ({elapsed:.0f} s):")
                teams = builtin_scenario(scenario_id).team_ids
                report = [("all", rows)] + [(t, [r for r in rows if r[0] == t]) for t in teams]
                print(f"  {'seat':10} {'n':>4}  {'hard mean':>9} {'random mean':>11}  {'hard 1st':>8} {'random 1st':>10}")
                for label, subset in report:
                    if not subset:
                        continue
                    hard_mean = statistics.mean(r[1][r[0]] for r in subset)
                    rand_mean = statistics.mean(r[2][r[0]] for r in subset)
                    hard_first = sum(first(r[0], r[1]) for r in subset) / len(subset)
                    rand_first = sum(first(r[0], r[2]) for r in subset) / len(subset)
                    print(f"  {label:10} {len(subset):4}  {hard_mean:9.2f} {rand_mean:11.2f}  {hard_first:8.1%} {rand_first:10.1%}")
                    if label == "all":
                        met = hard_mean > rand_mean and hard_first >= 2 * rand_first
                        verdict = "met" if met else "NOT met"
                        overall = f"  target (first >= 2x random's, higher mean), all seats: {verdict}"
                print(overall)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
