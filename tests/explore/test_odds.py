"""How likely was this? The odds' figures against a direct simulation written here with the engine."""

from __future__ import annotations

import itertools

import pytest

from game.bots.historical import historical_choice
from game.engine import Advance, Phase, Resolve, TeamChoice, apply, new_game
from game.engine.voting import open_options
from game.explore import ExploreError, draw_seed, how_likely, tv_distance

from .conftest import class_game


def _direct(scenario, seed, decisions, fallback="default", override=None, start=None):
    """One game played from scratch (from ``start``, a campaign lesson's carried start, if given):
    each team takes the class's choice on a card where it is open, the fallback elsewhere.
    Independent of game.explore: its own loop over the engine."""
    state = new_game(scenario, seed, start)
    while state.phase is not Phase.ENDED:
        if state.phase is not Phase.DELIBERATION:
            state, _ = apply(state, Advance())
            continue
        table = state
        for card in table.cards:
            for team in scenario.cards[card].team_decider:
                key = (card, team)
                options = open_options(state, card, team)
                pick = override[1] if override and override[0] == key else decisions.get(key, "?")
                if pick == "?" or (pick is not None and pick not in options):
                    pick = None
                    if fallback == "historical" and options:
                        pick = historical_choice(scenario.cards[card], team, options)[0]
                if pick is not None:
                    state, _ = apply(state, TeamChoice(team, card, pick))
        state, _ = apply(state, Resolve())
    return state.ending


def _decisions(state):
    return {(e["card"], t): o for r in state.records for e in r["cards"] for t, o in e["team_choices"].items()}


@pytest.mark.parametrize("fallback", ["default", "historical"])
def test_the_ending_distribution_matches_a_direct_simulation(scenario, fallback):
    source = class_game(scenario, 2, end_after=4)  # a saved game: the fallback plays the turns it never reached
    odds = how_likely(scenario, source.seed, source.log, odds_seed=9, draws=120, alt_draws=0, fallback=fallback)
    decisions = _decisions(source)
    direct: dict = dict.fromkeys(scenario.endings, 0)
    for i in range(120):
        ending = _direct(scenario, draw_seed(9, i), decisions, fallback)
        direct[ending] += 1
    assert odds.endings == direct and odds.draws == 120 and odds.complete
    assert sum(odds.share(e) for e in scenario.endings) == pytest.approx(1.0)


def test_the_decision_that_moved_the_odds_most_matches_a_direct_simulation(brest):
    source = class_game(brest, 6)
    odds = how_likely(brest, source.seed, source.log, odds_seed=1, draws=60, alt_draws=30)
    decisions = _decisions(source)
    base = [_direct(brest, draw_seed(1, i), decisions) for i in range(30)]
    base_counts = {e: base.count(e) for e in set(base)}
    assert odds.base_alt == base_counts
    most = odds.most_moved
    assert most is not None and most.best is not None and most.best.tv > 0
    # every decision's every alternative, replayed from scratch (no shared prefix), gives the same figures
    checked = 0
    for d in odds.decisions:
        for alt in d.alternatives:
            ends = [_direct(brest, draw_seed(1, i), decisions, override=((d.card, d.team), alt.option))
                    for i in range(30)]
            counts = {e: ends.count(e) for e in set(ends)}
            assert alt.endings == counts, (d.card, d.team, alt.option)
            assert alt.tv == pytest.approx(tv_distance(counts, base_counts))
            checked += 1
    assert checked == sum(len(d.alternatives) for d in odds.decisions) > 5
    assert most.best.tv == max(a.tv for d in odds.decisions for a in d.alternatives)


def test_the_odds_are_deterministic_for_a_seed_and_differ_with_it(brest):
    source = class_game(brest, 1)
    a = how_likely(brest, source.seed, source.log, odds_seed=3, draws=40, alt_draws=10)
    b = how_likely(brest, source.seed, source.log, odds_seed=3, draws=40, alt_draws=10)
    assert a.to_dict() == b.to_dict()
    assert draw_seed(3, 0) != draw_seed(4, 0)


def test_a_time_budget_stops_the_run_and_says_so(brest):
    source = class_game(brest, 1)
    ticks = itertools.count()
    seen: list[float] = []
    odds = how_likely(brest, source.seed, source.log, draws=500, alt_draws=50,
                      clock=lambda: next(ticks) * 0.01, budget=1.0, progress=seen.append)
    assert not odds.complete and 0 < odds.draws < 500
    assert seen and seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)


def test_bad_counts_and_fallbacks_are_refused(brest):
    source = class_game(brest, 1, end_after=1)
    for kwargs, code in (({"draws": 0}, "explore/bad_count"), ({"draws": 5, "alt_draws": 6}, "explore/bad_count"),
                         ({"fallback": "random"}, "explore/bad_fallback")):
        with pytest.raises(ExploreError) as exc:
            how_likely(brest, source.seed, source.log, **kwargs)
        assert exc.value.code == code
