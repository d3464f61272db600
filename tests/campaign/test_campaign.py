"""The campaign: scenarios chained across lessons, the end of one setting the start of the next."""

from __future__ import annotations

import random
import textwrap

import pytest

from game.campaign import (
    builtin_campaign,
    builtin_campaign_ids,
    carry,
    check_file,
    historical_game,
    historical_start,
    standings,
)
from game.engine import Phase, apply, legal_decisions, new_game
from game.engine.voting import open_options
from game.scenarios import builtin_scenario

CAMPAIGN = "rozdroza-1917-1922"


@pytest.fixture(scope="module")
def campaign():
    return builtin_campaign(CAMPAIGN)


def _random_end(scenario, want, tries: int = 400):
    """A random game of ``scenario`` whose end state satisfies ``want`` (bounded in tries)."""
    for seed in range(tries):
        rng = random.Random(seed)
        state = new_game(scenario, seed)
        while state.phase is not Phase.ENDED:
            state, _ = apply(state, rng.choice(legal_decisions(state)))
        if want(state):
            return state
    pytest.fail(f"no random game of {scenario.id} in {tries} tries ended as wanted")


def test_the_shipped_campaign_loads_and_chains_shipped_scenarios(campaign):
    assert CAMPAIGN in builtin_campaign_ids()
    assert len(campaign.steps) >= 3
    for step in campaign.steps:
        sc = builtin_scenario(step.scenario)
        assert set(dict(step.teams).values()) <= set(sc.teams)


@pytest.mark.parametrize("seed", [1, 2])
def test_history_carries_history_through_every_step(campaign, seed):
    """On history's path every lesson reaches its historical ending, and the carried start is
    the scenario's own (which is history's): history carries nothing that changes it."""
    start = None
    for i, step in enumerate(campaign.steps):
        sc = builtin_scenario(step.scenario)
        if i:
            assert start is not None and start.empty, f"history carried {start} into {sc.id}"
            assert historical_start(campaign, i, seed, builtin_scenario) == start
        end = historical_game(sc, seed, start)
        assert sc.endings[end.ending].historical, f"{sc.id} ended {end.ending}"
        if i + 1 < len(campaign.steps):
            start = carry(campaign.steps[i + 1], end, builtin_scenario(campaign.steps[i + 1].scenario))


def test_an_alternative_path_changes_the_next_lesson_and_says_so(campaign):
    """A class that kept war communism comes to Genoa with no concessions to offer: the option is
    gone from the Soviet team's card, the cohesion track starts lower, the briefing says why."""
    steps = {s.scenario: i for i, s in enumerate(campaign.steps)}
    wcnep, genoa = builtin_scenario("war-communism-nep"), builtin_scenario("genoa-rapallo")
    kept = _random_end(wcnep, lambda s: "war_communism_kept" in s.flags)
    start = carry(campaign.steps[steps["genoa-rapallo"]], kept, genoa)
    assert "no_nep" in start.flags and start.notes
    carried = new_game(genoa, 3, start)
    plain = new_game(genoa, 3)
    assert carried.tracks["cohesion"] == plain.tracks["cohesion"] - 1
    carried, _ = apply(carried, legal_decisions(carried)[0])  # the briefing ends
    plain, _ = apply(plain, legal_decisions(plain)[0])
    assert "concessions_offer" in open_options(plain, "preparations", "soviet")
    assert "concessions_offer" not in open_options(carried, "preparations", "soviet")
    assert any("war communism" in n["en"] for n in start.notes)


def test_a_lost_treaty_redraws_the_next_map(campaign):
    brest, wcnep = builtin_scenario("brest-1918"), builtin_scenario("war-communism-nep")
    stands = _random_end(brest, lambda s: s.ending == "treaty_stands")
    start = carry(campaign.steps[1], stands, wcnep)
    game = new_game(wcnep, 1, start)
    assert game.control["ukraina"] == "independent" != wcnep.control["ukraina"]


def test_standings_give_rank_points_per_lesson(campaign):
    brest = builtin_scenario("brest-1918")
    end = historical_game(brest, 1)
    table = standings(campaign, [(0, end)])
    assert set(table["total"]) == {s.id for s in campaign.sides}
    lessons = table["sides"]["leaders"]
    assert lessons[0]["team"] == "lenin" and lessons[0]["rank_points"] <= len(campaign.steps[0].teams) - 1
    assert sum(table["total"].values()) > 0


BROKEN = textwrap.dedent("""\
    id: broken
    title: {pl: a, en: a}
    summary: {pl: a, en: a}
    sides:
      - {id: a, name: {pl: a, en: a}}
      - {id: b, name: {pl: b, en: b}}
    steps:
      - scenario: brest-1918
        teams: {a: lenin, b: central}
      - scenario: genoa-rapallo
        teams: {a: soviet, c: germany}
        carry:
          - when: {ending: [no_such_ending]}
            tracks: [{id: cohesion, set: 99}]
            note: {pl: x, en: x}
          - flags: [not_carried]
            note: {pl: x, en: x}
            alternative: true
    """)


def test_a_broken_campaign_gets_file_and_line_for_each_problem(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    problems, _ = check_file(path)
    text = "\n".join(str(p) for p in problems)
    assert f"{path}:11: unknown side 'c'" in text
    assert f"{path}:13:" in text and "no ending 'no_such_ending'" in text
    assert f"{path}:14:" in text and "outside 0..10" in text
    assert "does not take the flag 'not_carried'" in text
    assert "cites what makes it plausible" in text
    path.write_text("id: [", encoding="utf-8")
    assert "YAML syntax" in str(check_file(path)[0][0])
