"""Bot figures: decision time per level, the hard bot against random play and easy bots, and the
balance of games with hard bots (or the historical bot) in every seat.

    python bench/bots.py [--scenario ID ...] [--games 1000] [--seconds S] [--every-seat-games 100]
                         [--every-seat-seconds S] [--baseline-games 2000] [--timing-games 4]
                         [--historical-games 20] [--jobs 2] [--write]

For every scenario (default: every built-in one):

1. **Strength.** For each team and each kind of opponents (random play, easy bots): games with the
   hard bot in that team's seat and the other seats played by the opponents, against the same
   team played randomly among the same opponents (the baseline). Per team and kind: the team's
   mean score and how often it ranks first (ties at the top share the first place, as in the
   balance tables), and whether the bar holds: ranked first at least twice as often as the
   baseline and a higher mean; where the baseline ranks first in more than half the games,
   doubling is impossible and the bar is a higher first-rate and mean. ``--games`` hard games per
   scenario are dealt round-robin over (team, opponents), so a time bound (``--seconds``) leaves
   every cell with about as many games; the tables say how many each figure is over.
   Game ``i`` of a cell uses game seed ``SEED + i``; the baseline plays seeds ``SEED ..
   SEED + --baseline-games - 1`` (cheap games, so many more), which include the hard games' seeds.
2. **Every seat hard** (``--every-seat-games``, bounded by ``--every-seat-seconds``): endings
   reached, and each team's mean, first and last (bar: no team first in more than 40%).
3. **Every seat historical** (``--historical-games`` game seeds): whether every decision was the
   option its side really chose (where the source records one) and the game ended historically.
4. **Decision time** per level: median and p99, wall clock and this process's CPU time (the
   machine is shared: wall time includes waiting for a core). easy, normal and historical: over
   ``--timing-games`` games with every seat that level; hard: every hard decision of 1 and 2.

Work runs in ``--jobs`` processes (default 2, this machine's cores). ``--write`` puts each scenario's tables
into ``docs/balance.md`` between its bot markers as soon as that scenario is measured, keeping the
blocks of scenarios not measured this run (``crossroads balance --write`` keeps them all).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.bots.balance import BOTS_BEGIN, BOTS_END, bots_section, with_bots_section  # noqa: E402
from game.bots.bot import LEVELS, Bot, bot_seed  # noqa: E402
from game.engine import Advance, Phase, Resolve, Seat, TeamChoice, apply, new_game, scores, view_for  # noqa: E402
from game.engine.scoring import term_points  # noqa: E402
from game.engine.voting import open_options  # noqa: E402
from game.scenarios import builtin_scenario, builtin_scenario_ids  # noqa: E402

SEED = 10_000
OPPONENTS = ("random", "easy")
Times = list[tuple[float, float]]  # (wall seconds, CPU seconds) per decision


@dataclass
class Game:
    """One finished game: each team's total, the ending, the hard/historical decisions' times."""

    totals: dict[str, float]
    ending: str | None
    times: Times = field(default_factory=list)
    history_kept: bool = True  # every decision made where the side has a historical option was it
    terms: dict[str, list[float]] = field(default_factory=dict)  # per team: each scoring term's points, public then secret


def play(scenario_id: str, seed: int, seats: dict[str, str], timed: str | None = None) -> Game:
    """One game; ``seats`` maps team -> a bot level or "random". Times the decisions of level ``timed``."""
    scenario = builtin_scenario(scenario_id)
    bots = {t: Bot(scenario, t, lvl) for t, lvl in seats.items() if lvl != "random"}
    whims = random.Random(seed ^ 0x5EED)
    state = new_game(scenario, seed)
    game = Game({}, None)
    while state.phase is not Phase.ENDED:
        if state.phase is not Phase.DELIBERATION:
            state, _ = apply(state, Advance())
            continue
        current = state
        for team in scenario.teams:
            if team in bots:
                view = view_for(current, Seat.team(team))
                wall, cpu = time.perf_counter(), time.thread_time()
                choice = bots[team].decide(view, bot_seed(seed, current.turn, team))
                if seats[team] == timed:
                    game.times.append((time.perf_counter() - wall, time.thread_time() - cpu))
                if seats[team] == "historical":
                    game.history_kept &= _kept_history(scenario, team, choice)
            else:
                choice = {}
                for card in current.cards:
                    options = open_options(current, card, team)
                    if options:
                        choice[card] = whims.choice(options)
            for card, option in choice.items():
                state, _ = apply(state, TeamChoice(team, card, option))
        state, _ = apply(state, Resolve())
    game.totals = {t: s["total"] for t, s in scores(state).items()}
    game.terms = {t: [term_points(state, term) for term in (*team.scoring, *team.secret_scoring)]
                  for t, team in scenario.teams.items()}
    game.ending = state.ending
    return game


def _kept_history(scenario: Any, team: str, choice: dict[str, str]) -> bool:
    for card_id, option in choice.items():
        card = scenario.cards[card_id]
        decider = card.team_decider[team]
        if any(o.historical and decider in o.deciders for o in card.options.values()) \
                and not card.options[option].historical:
            return False
    return True


def first_share(team: str, totals: dict[str, float]) -> float:
    """The team's share of first place in one game (ties at the top share it)."""
    top = max(totals.values())
    if totals[team] < top:
        return 0.0
    return 1.0 / sum(1 for v in totals.values() if v == top)


def last_share(team: str, totals: dict[str, float]) -> float:
    bottom = min(totals.values())
    if totals[team] > bottom:
        return 0.0
    return 1.0 / sum(1 for v in totals.values() if v == bottom)


# -- jobs (run in the worker processes) ------------------------------------------------------------

def strength_job(args: tuple[str, str, str, int]) -> tuple[str, str, Game]:
    """The hard bot in ``team``'s seat, ``others`` in the rest, game seed ``SEED + i``."""
    scenario_id, team, others, i = args
    teams = builtin_scenario(scenario_id).team_ids
    seats = {t: others for t in teams} | {team: "hard"}
    return team, others, play(scenario_id, SEED + i, seats, timed="hard")


def baseline_job(args: tuple[str, str, str, range]) -> tuple[str, str, list[dict[str, float]]]:
    """Totals of the baseline games: ``team`` played randomly, ``others`` in the rest ("*" = every team)."""
    scenario_id, team, others, seeds = args
    teams = builtin_scenario(scenario_id).team_ids
    seats = {t: others for t in teams} | ({team: "random"} if team != "*" else {})
    return team, others, [play(scenario_id, SEED + i, seats).totals for i in seeds]


def every_seat_job(args: tuple[str, str, int]) -> Game:
    scenario_id, level, i = args
    teams = builtin_scenario(scenario_id).team_ids
    return play(scenario_id, SEED + i, {t: level for t in teams}, timed=level)


def bounded(pool: ProcessPoolExecutor, fn: Callable[[Any], Any], tasks: Iterable[Any], seconds: float | None,
            in_flight: int) -> tuple[list[Any], float]:
    """Run ``fn`` over ``tasks`` in ``pool``, submitting no new task once ``seconds`` have passed.

    Returns (results in completion order, wall seconds). Tasks already running finish."""
    start = time.perf_counter()
    pending: set[Future[Any]] = set()
    results: list[Any] = []
    it: Iterator[Any] = iter(tasks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < in_flight and (seconds is None or time.perf_counter() - start < seconds):
            task = next(it, None)
            if task is None:
                exhausted = True
                break
            pending.add(pool.submit(fn, task))
        if not pending:
            break
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        results += [f.result() for f in done]
        if seconds is not None and time.perf_counter() - start >= seconds:
            exhausted = True
    return results, time.perf_counter() - start


# -- figures ---------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Cell:
    """One team against one kind of opponents: hard in the seat, and the random-seat baseline."""

    team: str
    others: str
    hard: list[dict[str, float]] = field(default_factory=list)
    base: list[dict[str, float]] = field(default_factory=list)

    def mean(self, rows: list[dict[str, float]]) -> float:
        return statistics.mean(r[self.team] for r in rows) if rows else float("nan")

    def first(self, rows: list[dict[str, float]]) -> float:
        return sum(first_share(self.team, r) for r in rows) / len(rows) if rows else float("nan")

    def verdict(self) -> str:
        if not self.hard:
            return "not measured"
        hf, bf, hm, bm = self.first(self.hard), self.first(self.base), self.mean(self.hard), self.mean(self.base)
        if bf > 0.5:
            return "met (higher first-rate and mean; 2x impossible)" if hf > bf and hm > bm else "NOT met"
        return "met" if hf >= 2 * bf and hm > bm else "NOT met"


@dataclass
class ScenarioFigures:
    scenario_id: str
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    strength_seconds: float = 0.0
    every_seat: list[Game] = field(default_factory=list)
    every_seat_seconds: float = 0.0
    historical: list[Game] = field(default_factory=list)
    times: dict[str, Times] = field(default_factory=lambda: defaultdict(list))


def measure_scenario(pool: ProcessPoolExecutor, scenario_id: str, args: argparse.Namespace) -> ScenarioFigures:
    scenario = builtin_scenario(scenario_id)
    teams = scenario.team_ids
    figures = ScenarioFigures(scenario_id)
    cells = [(t, o) for t in teams for o in OPPONENTS]
    for t, o in cells:
        figures.cells[(t, o)] = Cell(t, o)
    jobs = args.jobs
    # baselines: cheap games, many seeds, in chunks
    chunk = 250
    tasks = [(scenario_id, t, o, range(s, min(s + chunk, args.baseline_games)))
             for t, o in cells for s in range(0, args.baseline_games, chunk)]
    for team, others, totals in pool.map(baseline_job, tasks):
        figures.cells[(team, others)].base += totals
    # strength: round-robin over the cells
    strength_tasks = ((scenario_id, *cells[k % len(cells)], k // len(cells)) for k in range(args.games))
    played_games, figures.strength_seconds = bounded(pool, strength_job, strength_tasks, args.seconds, 2 * jobs)
    for team, others, played in played_games:
        figures.cells[(team, others)].hard.append(played.totals)
        figures.times["hard"] += played.times
    # every seat hard
    every = ((scenario_id, "hard", i) for i in range(args.every_seat_games))
    figures.every_seat, figures.every_seat_seconds = bounded(pool, every_seat_job, every, args.every_seat_seconds,
                                                             2 * jobs)
    for everyone in figures.every_seat:
        figures.times["hard"] += everyone.times
    # every seat historical, and the timing games of the cheaper levels
    figures.historical = list(pool.map(every_seat_job, [(scenario_id, "historical", i)
                                                        for i in range(args.historical_games)]))
    for level in LEVELS:
        if level == "hard":
            continue
        games = [every_seat_job((scenario_id, level, i)) for i in range(args.timing_games)]  # one at a time
        figures.times[level] = [t for g in games for t in g.times]
    return figures


# -- tables ----------------------------------------------------------------------------------------

def _ms(values: list[float]) -> str:
    if not values:
        return "— | —"
    return f"{1000 * statistics.median(values):.1f} | {1000 * pct(values, 0.99):.1f}"


def tables(f: ScenarioFigures, lang: str = "en") -> str:
    """The markdown for one scenario's bot figures."""
    sc = builtin_scenario(f.scenario_id)
    hard_games = sum(len(c.hard) for c in f.cells.values())
    out = [f"### {sc.id} — {sc.title[lang]}", ""]
    out += ["#### Decision time per level (ms)", "",
            "| level | decisions | median (wall) | p99 (wall) | median (CPU) | p99 (CPU) |",
            "|---|---:|---:|---:|---:|---:|"]
    for level in LEVELS:
        times = f.times.get(level, [])
        out.append(f"| {level} | {len(times)} | {_ms([w for w, _ in times])} | {_ms([c for _, c in times])} |")
    out += ["", f"#### Hard in one seat ({hard_games} hard games, {f.strength_seconds:.0f} s)", "",
            "Baseline: the same team played randomly among the same opponents. First: share of first place "
            "(ties shared).", "",
            "| team | opponents | hard games | hard mean | baseline mean | hard first | baseline first "
            "| baseline games | bar |",
            "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for (team, others), c in f.cells.items():
        out.append(f"| {sc.teams[team].name[lang]} | {others} | {len(c.hard)} | {c.mean(c.hard):.2f} | "
                   f"{c.mean(c.base):.2f} | {c.first(c.hard):.1%} | {c.first(c.base):.1%} | {len(c.base)} | "
                   f"{c.verdict()} |")
    n = len(f.every_seat)
    out += ["", f"#### Hard bots in every seat ({n} games, {f.every_seat_seconds:.0f} s)", ""]
    if n:
        endings = Counter(g.ending for g in f.every_seat)
        out += ["| ending | share | historical |", "|---|---:|---|"]
        for ending_id, ending in sc.endings.items():
            k = endings.get(ending_id, 0)
            mark = "" if k else f" **not reached in {n} games**"
            out.append(f"| `{ending_id}` {ending.title[lang]}{mark} | {k / n:.1%} | {'yes' if ending.historical else ''} |")
        out += ["", "| team | mean score | first | last |", "|---|---:|---:|---:|"]
        for side in sc.teams.values():
            first = sum(first_share(side.id, g.totals) for g in f.every_seat) / n
            last = sum(last_share(side.id, g.totals) for g in f.every_seat) / n
            flag = " **over the bar (40%)**" if max(first, last) > 0.4 else ""
            mean = statistics.mean(g.totals[side.id] for g in f.every_seat)
            out.append(f"| {side.name[lang]} | {mean:.1f} | {first:.1%} | {last:.1%}{flag} |")
    h = len(f.historical)
    if h:
        kept = sum(g.history_kept for g in f.historical)
        ended = Counter(g.ending for g in f.historical)
        historical_endings = {e for e, v in sc.endings.items() if v.historical}
        good = sum(k for e, k in ended.items() if e in historical_endings)
        out += ["", f"#### Historical bot in every seat ({h} game seeds)", "",
                f"- every decision history's option where the source records one: {kept} of {h} games",
                f"- the historical ending ({', '.join(f'`{e}`' for e in sorted(historical_endings))}): {good} of {h} games"
                + ("" if good == h else f" (others: {', '.join(f'`{e}` {k}' for e, k in ended.items() if e not in historical_endings)})")]
    return "\n".join(out) + "\n"


SCENARIO_MARK = "<!-- bench/bots.py scenario: {} -->"


def scenario_block(f: ScenarioFigures, command: str) -> str:
    """One scenario's tables, opened by its marker and the command that measured them."""
    return (SCENARIO_MARK.format(f.scenario_id) + "\n" + tables(f).replace(
        "\n", f"\n\nMeasured by `{command}`.\n", 1))


def split_blocks(section: str | None) -> dict[str, str]:
    """The scenario blocks of a bots section already written (scenario id -> its block)."""
    if not section:
        return {}
    body = section.split(BOTS_END, 1)[0]
    parts = body.split("<!-- bench/bots.py scenario: ")[1:]
    return {part.split(" -->", 1)[0]: "<!-- bench/bots.py scenario: " + part.rstrip("\n") + "\n" for part in parts}


def document_section(blocks: dict[str, str]) -> str:
    """The whole bots section: how it was measured, then each scenario's block in the built-in order."""
    head = [BOTS_BEGIN, "", "## Bots", "",
            "Measured by `bench/bots.py` on this 2-core machine, one scenario at a time (each block names its",
            "command). Wall times include waiting for a core, CPU times do not. The hard bot plays from its",
            "seat's view only; random play picks uniformly among a team's open options. The bot's budget is",
            "counted in work units, not seconds, so its choices, and so these strength figures, do not depend",
            "on the machine's load. Figures over few games are rough: a first-rate over 50 games has a",
            "standard error of about 6 points, over 100 games about 4.", ""]
    order = [i for i in builtin_scenario_ids() if i in blocks] + sorted(set(blocks) - set(builtin_scenario_ids()))
    return "\n".join(head) + "\n".join(blocks[i] for i in order) + "\n" + BOTS_END + "\n"


def write_block(f: ScenarioFigures, command: str) -> Path:
    """Put one scenario's block into ``docs/balance.md``, keeping the other scenarios' blocks."""
    doc = ROOT / "docs" / "balance.md"
    text = doc.read_text(encoding="utf-8")
    blocks = split_blocks(bots_section(text))
    blocks[f.scenario_id] = scenario_block(f, command)
    doc.write_text(with_bots_section(text, document_section(blocks)), encoding="utf-8")
    return doc


def print_summary(f: ScenarioFigures) -> None:
    print(f"== {f.scenario_id}")
    for level in LEVELS:
        times = f.times.get(level, [])
        if times:
            wall, cpu = [w for w, _ in times], [c for _, c in times]
            print(f"  {level:10} n={len(times):5}  wall median {1000 * statistics.median(wall):7.1f} ms"
                  f" p99 {1000 * pct(wall, 0.99):7.1f}   CPU median {1000 * statistics.median(cpu):7.1f}"
                  f" p99 {1000 * pct(cpu, 0.99):7.1f}")
    print(f"  {'team':12} {'vs':7} {'n':>4} {'hard mean':>9} {'base mean':>9} {'hard 1st':>8} {'base 1st':>8}  bar")
    for (team, others), c in f.cells.items():
        print(f"  {team:12} {others:7} {len(c.hard):4} {c.mean(c.hard):9.2f} {c.mean(c.base):9.2f}"
              f" {c.first(c.hard):8.1%} {c.first(c.base):8.1%}  {c.verdict()}")
    print(tables(f).split("#### Hard bots in every seat", 1)[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scenario", action="append", help="scenario id (repeatable; default: all built-in)")
    parser.add_argument("--games", type=int, default=1000, help="hard games per scenario (over teams and opponents)")
    parser.add_argument("--seconds", type=float, help="wall-time bound per scenario for those games")
    parser.add_argument("--every-seat-games", type=int, default=100, help="games per scenario, hard in every seat")
    parser.add_argument("--every-seat-seconds", type=float, help="wall-time bound per scenario for those games")
    parser.add_argument("--baseline-games", type=int, default=2000, help="baseline games per team and opponents")
    parser.add_argument("--historical-games", type=int, default=20, help="game seeds, historical in every seat")
    parser.add_argument("--timing-games", type=int, default=4, help="games per level (easy, normal, historical)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write the tables into docs/balance.md")
    args = parser.parse_args()
    scenario_ids = args.scenario or builtin_scenario_ids()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for scenario_id in scenario_ids:
            f = measure_scenario(pool, scenario_id, args)
            print_summary(f)
            if args.write:  # each scenario as soon as it is measured: a run cut short keeps what it measured
                one = [a for a in sys.argv[1:] if a != "--write"]
                cleaned = [a for k, a in enumerate(one) if a != "--scenario" and (k == 0 or one[k - 1] != "--scenario")]
                command = " ".join(["python bench/bots.py --scenario", scenario_id, *cleaned, "--write"])
                print(f"wrote {write_block(f, command).relative_to(ROOT)} ({scenario_id})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
