"""How much do a seat's own choices move its score? One team of one scenario:

    python bench/seat_agency.py --scenario civil-war --team kolchak [--games 80] [--seconds 600]
                                [--random-games 4000] [--jobs 2]

Prints three tables:

1. **Scoring terms** (public aim, then secret): the team's mean points per term over
   ``--random-games`` games with every seat played randomly (game seeds ``SEED ..``), over
   ``--games`` games with the hard bot in the team's seat and the others random (the same seeds
   as bench/bots.py's strength games), and the difference: which of its aims the team's own
   decisions move, and by how much.
2. **Cards** the team decides: its mean final score after each option it picked in random play
   (the games ``crossroads balance`` plays), and the spread between the best and the worst option:
   where a choice is worth making.
3. **The bots bar** for the seat (bench/bots.py): hard first-rate against random first-rate, means.

Read it when a seat misses that bar. If the hard bot moves only terms worth little, and every
card's spread is small beside the spread of the team's total, no search will double the seat's
first place: the scenario must give the seat decisions that bear on its own aims (or weigh less
the terms other seats and chance decide). docs/balance.md says which seats miss.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bots import SEED, Game, bounded, first_share, play

from game.bots.balance import OptionStats, measure
from game.engine.scenario import Term
from game.scenarios import builtin_scenario


def term_label(term: Term) -> str:
    """A term as a maintainer reads it: what it counts and for how many points."""
    target = term.target if isinstance(term.target, str) else ", ".join(term.target)
    if term.kind == "track":
        return f"track {target} × {term.points:g}"
    if term.kind == "control":
        return f"control of {target} by {term.by}: {term.points:g} each"
    if term.kind == "flag":
        return f"flag {target}{' not set' if term.unset else ''}: {term.points:g}"
    return f"ending {target}: {term.points:g}"


def _game(args: tuple[str, str, str, int]) -> Game:
    scenario_id, team, level, i = args
    seats = {t: "random" for t in builtin_scenario(scenario_id).team_ids} | {team: level}
    return play(scenario_id, SEED + i, seats)


def term_table(terms: list[Term], random_games: list[Game], hard_games: list[Game], team: str) -> str:
    rows = ["| term | random seat | hard seat | moved by |", "|---|---:|---:|---:|"]
    for k, term in enumerate(terms):
        r = statistics.fmean(g.terms[team][k] for g in random_games)
        h = statistics.fmean(g.terms[team][k] for g in hard_games)
        rows.append(f"| {term_label(term)} | {r:.2f} | {h:.2f} | {h - r:+.2f} |")
    return "\n".join(rows)


def card_table(scenario_id: str, team: str, games: int) -> str:
    """The team's mean final score after each of its options, in random play."""
    b = measure(builtin_scenario(scenario_id), games, seed=1)
    by_card: dict[str, list[OptionStats]] = defaultdict(list)
    for (card, t, _), stats in b.options.items():
        if t == team:
            by_card[card].append(stats)
    for options in by_card.values():
        options.sort(key=lambda o: -o.mean)
    rows = ["| card | options: mean final score (plays) | spread |", "|---|---|---:|"]
    for card, options in sorted(by_card.items(), key=lambda kv: kv[1][-1].mean - kv[1][0].mean):
        cells = ", ".join(f"`{o.option}`{' (history)' if o.historical else ''} {o.mean:.2f} ({o.plays})" for o in options)
        rows.append(f"| `{card}` | {cells} | {options[0].mean - options[-1].mean:.2f} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--team", required=True)
    parser.add_argument("--games", type=int, default=80, help="games with the hard bot in the seat")
    parser.add_argument("--seconds", type=float, default=600, help="wall-time bound for those games")
    parser.add_argument("--random-games", type=int, default=4000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    scenario = builtin_scenario(args.scenario)
    if args.team not in scenario.teams:
        parser.error(f"no team {args.team!r} in {args.scenario}; its teams: {', '.join(scenario.team_ids)}")
    team = scenario.teams[args.team]
    terms = [*team.scoring, *team.secret_scoring]
    with ProcessPoolExecutor(args.jobs) as pool:
        chance = list(pool.map(_game, [(args.scenario, args.team, "random", i) for i in range(args.random_games)],
                               chunksize=50))
        hard, seconds = bounded(pool, _game, [(args.scenario, args.team, "hard", i) for i in range(args.games)],
                                args.seconds, in_flight=2 * args.jobs)
    if not hard:
        print("no hard game finished within --seconds", file=sys.stderr)
        return 1
    print(f"## {args.scenario}, {args.team}: what the seat's own choices move\n")
    print(f"{len(chance)} random games, {len(hard)} games with the hard bot in the seat ({seconds:.0f} s).\n")
    print(term_table(terms, chance, hard, args.team), "\n")
    totals = [g.totals[args.team] for g in chance]
    print(f"The team's total in random games: mean {statistics.fmean(totals):.2f}, "
          f"standard deviation {statistics.pstdev(totals):.2f}.\n")
    print(card_table(args.scenario, args.team, args.random_games), "\n")
    r_first = statistics.fmean(first_share(args.team, g.totals) for g in chance)
    h_first = statistics.fmean(first_share(args.team, g.totals) for g in hard)
    h_mean = statistics.fmean(g.totals[args.team] for g in hard)
    ratio = h_first / r_first if r_first else float("inf")
    print(f"Hard first {h_first:.1%} against random {r_first:.1%} (×{ratio:.2f}; the bar is ×2), "
          f"mean {h_mean:.2f} against {statistics.fmean(totals):.2f}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
