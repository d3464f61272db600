"""Engine throughput: full playthroughs per second and state transitions per second, one core.

    python bench/engine.py [--scenario brest-1918] [--games 2000] [--runs 5]

Each playthrough starts a new game and plays it to its end with random legal
team decisions (`game.bots.simulate.random_playthrough`); the figure is the
median of several runs. A second pass replays logged games to measure replay.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.bots.simulate import random_playthrough
from game.engine import replay
from game.scenarios import builtin_scenario, load_scenario


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="brest-1918")
    parser.add_argument("--games", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario) if Path(args.scenario).exists() else builtin_scenario(args.scenario)

    deadline = time.monotonic() + args.max_seconds
    games_per_s, transitions_per_s, logs = [], [], []
    for run in range(args.runs):
        players = random.Random(run)
        transitions = 0
        start = time.perf_counter()
        for i in range(args.games):
            state, n = random_playthrough(scenario, run * 1_000_003 + i, players)
            transitions += n
            if run == 0 and i < 200:
                logs.append((state.seed, state.log, state.digest()))
        elapsed = time.perf_counter() - start
        games_per_s.append(args.games / elapsed)
        transitions_per_s.append(transitions / elapsed)
        if time.monotonic() > deadline:
            break

    start = time.perf_counter()
    for seed, log, digest in logs:
        assert replay(scenario, seed, log).digest() == digest
    replay_per_s = len(logs) / (time.perf_counter() - start)

    print(f"scenario {scenario.id}: {len(games_per_s)} runs x {args.games} random playthroughs, one core")
    print(f"  playthroughs/s  median {statistics.median(games_per_s):9.0f}  (min {min(games_per_s):.0f}, max {max(games_per_s):.0f})")
    print(f"  transitions/s   median {statistics.median(transitions_per_s):9.0f}")
    print(f"  transitions per playthrough {statistics.mean(transitions_per_s) / statistics.mean(games_per_s):.1f}")
    print(f"  replay + digest check: {replay_per_s:.0f} games/s")
    print(f"  target 2,000 playthroughs/s: {'met' if statistics.median(games_per_s) >= 2000 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
