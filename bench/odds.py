"""How long "How likely was this?" takes: the odds of one class game over N chance draws.

    python bench/odds.py [--scenario ID|all] [--draws 2000] [--alt-draws 100] [--runs 3] [--max-seconds 120]

For each scenario a class game is played (players voting at random, seeded), then
``game.explore.how_likely`` replays its decisions over ``--draws`` chance draws (the ending
distribution) and, on the first ``--alt-draws`` of them, every other option of every decision
(which decision moved the odds most). Printed per scenario: the median over runs of the
wall-clock and the CPU (process) seconds for the distribution alone and for the whole panel,
games per CPU second, and how many decisions and alternatives were weighed. CPU seconds are the
steadier figure on a shared machine. Bounded: ``--max-seconds`` stops further runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine import Advance, Phase, Resolve, Vote, apply, new_game
from game.engine.voting import open_options
from game.explore import how_likely
from game.scenarios import builtin_scenario, builtin_scenario_ids


def class_game(scenario, seed: int):
    whims = random.Random(seed)
    state = new_game(scenario, seed)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            for card in state.cards:
                for team in scenario.cards[card].team_decider:
                    options = open_options(state, card, team)
                    if options and whims.random() > 0.1:
                        state, _ = apply(state, Vote(team, f"{team}1", card, whims.choice(options)))
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
    return state


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="all")
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--alt-draws", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()
    ids = builtin_scenario_ids() if args.scenario == "all" else [args.scenario]
    deadline = time.monotonic() + args.max_seconds
    print(f"odds over {args.draws} draws, {args.alt_draws} per alternative; median of up to {args.runs} runs")
    print(f"{'scenario':20} {'dist wall':>9} {'dist cpu':>9} {'games/cpu-s':>11} {'panel wall':>10} "
          f"{'panel cpu':>9} {'decisions':>9} {'alts':>5}")
    for scenario_id in ids:
        scenario = builtin_scenario(scenario_id)
        source = class_game(scenario, 17)
        dist_wall, dist_cpu, panel_wall, panel_cpu, rates = [], [], [], [], []
        odds = None
        for _run in range(args.runs):
            _, w, c = timed(lambda sc=scenario, src=source: how_likely(sc, src.seed, src.log, draws=args.draws,
                                                                        alt_draws=0))
            dist_wall.append(w)
            dist_cpu.append(c)
            rates.append(args.draws / c if c else float("inf"))
            odds, w, c = timed(lambda sc=scenario, src=source: how_likely(sc, src.seed, src.log, draws=args.draws,
                                                                           alt_draws=args.alt_draws))
            panel_wall.append(w)
            panel_cpu.append(c)
            if time.monotonic() > deadline:
                break
        assert odds is not None
        med = statistics.median
        print(f"{scenario_id:20} {med(dist_wall):8.2f}s {med(dist_cpu):8.2f}s {med(rates):11.0f} "
              f"{med(panel_wall):9.2f}s {med(panel_cpu):8.2f}s {len(odds.decisions):9} "
              f"{sum(len(d.alternatives) for d in odds.decisions):5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
