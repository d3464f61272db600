"""bench/bots.py's per-term tallies, which bench/seat_agency.py reads to say what a seat's choices move."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from game.scenarios import builtin_scenario, builtin_scenario_ids

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import bots
import seat_agency


@pytest.mark.parametrize("scenario_id", builtin_scenario_ids())
def test_each_teams_term_points_add_up_to_its_total(scenario_id):
    """The tally is per term, public aim first, then secret: its sum is the score the game gives."""
    scenario = builtin_scenario(scenario_id)
    for seed in range(3):
        game = bots.play(scenario_id, bots.SEED + seed, {t: "random" for t in scenario.team_ids})
        for team_id, team in scenario.teams.items():
            points = game.terms[team_id]
            assert len(points) == len(team.scoring) + len(team.secret_scoring)
            assert sum(points) == pytest.approx(game.totals[team_id])


def test_a_terms_label_says_what_it_counts_and_for_how_much():
    brest = builtin_scenario("brest-1918")
    labels = [seat_agency.term_label(t) for t in (*brest.teams["central"].scoring, *brest.teams["central"].secret_scoring)]
    east_front = next(t for t in brest.teams["central"].scoring if t.target == "east_front_closed")
    assert f"flag east_front_closed: {east_front.points:g}" in labels
    borderlands = next(t for t in brest.teams["central"].scoring if t.kind == "control")
    assert f"control of baltyk, bialorus, ukraina by central: {borderlands.points:g} each" in labels
    bukharin = builtin_scenario("brest-1918").teams["bukharin"]
    assert "flag treaty_signed not set: 8" in [seat_agency.term_label(t) for t in bukharin.secret_scoring]
    assert any(label.startswith("track support × 1") for label in map(seat_agency.term_label, bukharin.scoring))
