"""Balance, measured: many random games of a scenario, and the tables of ``docs/balance.md``.

``measure(scenario, games, seed)`` plays ``games`` random playthroughs (the players'
whims come from their own seeded generator; the game's chance from its state) and
collects what the balance bars of the scenario format ask for:

- how often each ending and each core card came up;
- per team: mean final score, how often it ranked first and last (ties shared);
- per card, team and option: the team's mean final score in the games where *it*
  chose that option, against the best alternative it had at that card. An option
  whose mean is more than ``WORSE_THAN`` below the best alternative is flagged:
  it is either fixed in the scenario or justified in ``docs/balance-notes.yaml``
  (a historical mistake students should feel is a fine reason).

``format_markdown`` prints one scenario's tables; ``crossroads balance`` writes the
whole ``docs/balance.md`` from every shipped scenario with fixed seeds, so the
file is reproduced by one command.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from game.engine import GameState, Scenario, scores

from .simulate import random_playthrough

WORSE_THAN = 0.25  # an option this much below its best alternative is flagged
MIN_SAMPLE = 30  # fewer plays than this: the option's mean is not compared


@dataclass
class OptionStats:
    """One option a team could pick at one card: how often, and what the team scored after."""

    card: str
    team: str
    option: str
    historical: bool
    plays: int = 0
    total: float = 0.0

    @property
    def mean(self) -> float:
        return self.total / self.plays if self.plays else 0.0


@dataclass
class Balance:
    """What ``measure`` found; every figure is a share of ``games`` unless it says otherwise."""

    scenario: Scenario
    games: int = 0
    seed: int = 0
    endings: Counter[str | None] = field(default_factory=Counter)
    cards: Counter[str] = field(default_factory=Counter)
    first: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))  # ties split
    last: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    score_sum: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    options: dict[tuple[str, str, str], OptionStats] = field(default_factory=dict)

    def add(self, state: GameState) -> None:
        """Count one finished game."""
        self.games += 1
        self.endings[state.ending] += 1
        totals = {team: s["total"] for team, s in scores(state).items()}
        for team, value in totals.items():
            self.score_sum[team] += value
        top, bottom = max(totals.values()), min(totals.values())
        firsts = [t for t, v in totals.items() if v == top]
        lasts = [t for t, v in totals.items() if v == bottom]
        for t in firsts:
            self.first[t] += 1 / len(firsts)
        for t in lasts:
            self.last[t] += 1 / len(lasts)
        cards = self.scenario.cards
        for record in state.records:
            for entry in record["cards"]:
                card_id = entry["card"]
                self.cards[card_id] += 1
                for team, option in entry["team_choices"].items():
                    if option is None:
                        continue  # the team left it to the default: not its choice
                    key = (card_id, team, option)
                    stats = self.options.get(key)
                    if stats is None:
                        stats = self.options[key] = OptionStats(
                            card_id, team, option, cards[card_id].options[option].historical)
                    stats.plays += 1
                    stats.total += totals[team]

    def share(self, count: float) -> float:
        return count / self.games if self.games else 0.0

    def flagged(self) -> list[tuple[OptionStats, OptionStats, float]]:
        """(option, best alternative, how much worse as a share of |best|) for every flagged option."""
        by_choice: dict[tuple[str, str], list[OptionStats]] = defaultdict(list)
        for stats in self.options.values():
            if stats.plays >= MIN_SAMPLE:
                by_choice[(stats.card, stats.team)].append(stats)
        out = []
        for group in by_choice.values():
            for stats in group:
                others = [o for o in group if o is not stats]
                if not others:
                    continue
                best = max(others, key=lambda o: o.mean)
                worse = (best.mean - stats.mean) / max(abs(best.mean), 1.0)
                if worse > WORSE_THAN:
                    out.append((stats, best, worse))
        out.sort(key=lambda row: (row[0].card, row[0].team, row[0].option))
        return out


def measure(scenario: Scenario, games: int, seed: int = 0) -> Balance:
    """Play ``games`` random games with fixed seeds and collect the balance figures."""
    players = random.Random(seed)
    balance = Balance(scenario, seed=seed)
    for i in range(games):
        state, _ = random_playthrough(scenario, seed * 1_000_003 + i, players)
        balance.add(state)
    return balance


def _pct(x: float) -> str:
    return f"{x:.1%}"


def format_markdown(b: Balance, notes: dict[str, str] | None = None, lang: str = "en") -> str:
    """One scenario's section of ``docs/balance.md``; ``notes`` maps ``card.option`` to a justification."""
    sc, notes = b.scenario, notes or {}
    lines = [f"## {sc.id} — {sc.title[lang]}", "",
             f"{b.games:,} random games, seed {b.seed}.", "", "### Endings", "",
             "| ending | share | historical |", "|---|---:|---|"]
    for ending_id, ending in sc.endings.items():
        share = b.share(b.endings.get(ending_id, 0))
        mark = "" if share else " **never reached**"
        lines.append(f"| `{ending_id}` {ending.title[lang]}{mark} | {_pct(share)} | {'yes' if ending.historical else ''} |")
    core = tuple(getattr(sc, "core_cards", ()) or ())
    if core:
        lines += ["", "### Core cards (bar: 90% of games)", "", "| card | came up |", "|---|---:|"]
        for card_id in core:
            share = b.share(b.cards.get(card_id, 0))
            lines.append(f"| `{card_id}` | {_pct(share)}{'' if share >= 0.9 else ' **below the bar**'} |")
    lines += ["", "### Teams (bar: first or last in at most 40% of games)", "",
              "| team | mean score | first | last |", "|---|---:|---:|---:|"]
    for team in sc.teams.values():
        first, last = b.share(b.first[team.id]), b.share(b.last[team.id])
        flag = " **over the bar**" if max(first, last) > 0.4 else ""
        lines.append(f"| {team.name[lang]} | {b.share(b.score_sum[team.id]):.1f} | {_pct(first)} | {_pct(last)}{flag} |")
    flagged = b.flagged()
    lines += ["", f"### Options more than {WORSE_THAN:.0%} worse than the best alternative", ""]
    if not flagged:
        lines.append("None: at every card each option's mean score is within "
                     f"{WORSE_THAN:.0%} of the best alternative (options played at least {MIN_SAMPLE} times).")
    else:
        lines += ["| card | team | option | mean | best alternative | worse by | why it stays |", "|---|---|---|---:|---|---:|---|"]
        for stats, best, worse in flagged:
            note = notes.get(f"{stats.card}.{stats.option}", "**not justified yet**")
            hist = " (history)" if stats.historical else ""
            lines.append(f"| `{stats.card}` | {stats.team} | `{stats.option}`{hist} | {stats.mean:.1f} | "
                         f"`{best.option}` {best.mean:.1f} | {_pct(worse)} | {note} |")
    return "\n".join(lines) + "\n"


BOTS_BEGIN = "<!-- bench/bots.py: begin (written by `python bench/bots.py --write`; kept by `crossroads balance --write`) -->"
BOTS_END = "<!-- bench/bots.py: end -->"


def bots_section(document: str) -> str | None:
    """The bot figures ``bench/bots.py --write`` put into a ``docs/balance.md`` (markers included), or None."""
    start, end = document.find(BOTS_BEGIN), document.find(BOTS_END)
    if start < 0 or end < start:
        return None
    return document[start:end + len(BOTS_END)] + "\n"


def with_bots_section(document: str, section: str) -> str:
    """``document`` with its bot figures replaced by ``section`` (which must carry the markers), or appended."""
    if not section.startswith(BOTS_BEGIN) or BOTS_END not in section:
        raise ValueError("a bots section starts with BOTS_BEGIN and holds BOTS_END")
    old = bots_section(document)
    if old is not None:
        return document.replace(old, section)
    return document.rstrip("\n") + "\n\n" + section


def balance_document(balances: list[Balance], notes: dict[str, dict[str, str]], command: str,
                     bots: str | None = None) -> str:
    """The whole ``docs/balance.md``: a header saying how to reproduce it, then each scenario, then
    ``bots`` (the section ``bench/bots.py --write`` wrote, kept as it was; see ``bots_section``)."""
    head = [
        "# Balance, measured",
        "",
        f"Written by `{command}`: random games with fixed seeds, so the same command writes the same",
        "file. Each deciding team picks a random open option (or, one time in ten, leaves it to the",
        "card's default). The bars (docs/scenario-format.md): every ending reachable; core cards in at",
        "least 90% of games; no team first or last in more than 40% of games; no option more than",
        f"{WORSE_THAN:.0%} worse than the best alternative at its card unless `docs/balance-notes.yaml`",
        "says why it stays (a historical mistake students should feel is a fine reason).",
        "",
    ]
    body = [format_markdown(b, notes.get(b.scenario.id, {})) for b in balances]
    document = "\n".join(head) + "\n".join(body)
    return with_bots_section(document, bots) if bots else document
