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
    lesson_start,
    standings,
)
from game.engine import EndEarly, InvalidDecision, Phase, Start, apply, legal_decisions, new_game, scores
from game.engine.voting import open_options
from game.scenarios import builtin_scenario

CAMPAIGN = "rozdroza-1917-1922"
ORDER = ["october-1917", "brest-1918", "civil-war", "war-communism-nep", "genoa-rapallo"]


@pytest.fixture(scope="module")
def campaign():
    return builtin_campaign(CAMPAIGN)


def _step(campaign, scenario_id):
    return campaign.steps[campaign.scenario_ids.index(scenario_id)]


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


def test_the_shipped_campaign_chains_all_five_scenarios_in_order(campaign):
    assert CAMPAIGN in builtin_campaign_ids()
    assert list(campaign.scenario_ids) == ORDER
    for step in campaign.steps:
        sc = builtin_scenario(step.scenario)
        assert set(dict(step.teams).values()) == set(sc.teams), f"every team of {sc.id} has a table"


@pytest.mark.parametrize("seed", [1, 2])
def test_history_carries_history_through_all_five(campaign, seed):
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


def test_an_alternative_path_changes_a_later_lesson_and_says_so(campaign):
    """A class that kept war communism comes to Genoa with no concessions to offer: the option is
    gone from the Soviet team's card, the cohesion track starts lower, the briefing says why."""
    wcnep, genoa = builtin_scenario("war-communism-nep"), builtin_scenario("genoa-rapallo")
    kept = _random_end(wcnep, lambda s: "war_communism_kept" in s.flags)
    start = carry(_step(campaign, "genoa-rapallo"), kept, genoa)
    assert "no_nep" in start.flags and start.notes
    carried, plain = new_game(genoa, 3, start), new_game(genoa, 3)
    assert carried.tracks["cohesion"] == plain.tracks["cohesion"] - 1
    carried, _ = apply(carried, legal_decisions(carried)[0])  # the briefing ends
    plain, _ = apply(plain, legal_decisions(plain)[0])
    assert "concessions_offer" in open_options(plain, "preparations", "soviet")
    assert "concessions_offer" not in open_options(carried, "preparations", "soviet")
    assert any("war communism" in n["en"] for n in start.notes)


def test_a_civil_war_the_whites_held_on_redraws_the_next_map(campaign):
    civil, wcnep = builtin_scenario("civil-war"), builtin_scenario("war-communism-nep")
    end = _random_end(civil, lambda s: s.control.get("syberia") in ("whites", "czechoslovaks"))
    start = carry(_step(campaign, "war-communism-nep"), end, wcnep)
    assert new_game(wcnep, 1, start).control["syberia"] == "rebels" != wcnep.control["syberia"]
    assert any("map" in n["en"] for n in start.notes)


def test_lesson_start_reads_the_campaigns_start_first_then_a_branchs_own():
    carried = Start(tracks=(("army", 0), ("food", 1)), notes=({"pl": "Przeniesione.", "en": "Carried."},))
    other = Start(tracks=(("army", 9),))
    lesson = {"lang": "pl", "campaign": {"id": CAMPAIGN, "step": 1, "start": carried.to_wire()}}
    assert lesson_start(lesson) == carried
    assert lesson_start({"start": carried.to_wire()}) == carried  # a branch of a lesson sent whole keeps it there
    assert lesson_start({**lesson, "start": other.to_wire()}) == carried  # the campaign's comes first
    assert lesson_start({"campaign": {"id": CAMPAIGN, "start": None}, "start": other.to_wire()}) == other
    assert lesson_start({}) is None and lesson_start({"campaign": None, "start": None}) is None
    with pytest.raises(InvalidDecision) as err:
        lesson_start({"start": ["army"]})
    assert err.value.code == "game/bad_start"


def test_a_lesson_stopped_at_the_bell_carries_nothing(campaign):
    brest, civil = builtin_scenario("brest-1918"), builtin_scenario("civil-war")
    stopped, _ = apply(new_game(brest, 1), EndEarly())
    assert carry(_step(campaign, "civil-war"), stopped, civil).empty


def test_standings_give_rank_points_per_lesson(campaign):
    october = builtin_scenario("october-1917")
    end = historical_game(october, 1)
    table = standings(campaign, [(0, end)])
    assert set(table["total"]) == {s.id for s in campaign.sides}
    lessons = table["sides"]["t1"]
    assert lessons[0]["team"] == "lenin" and 0 <= lessons[0]["rank_points"] <= len(campaign.steps[0].teams) - 1
    totals = {t: v["total"] for t, v in scores(end).items()}
    for side, team in campaign.steps[0].teams:  # each table beat the tables whose team scored less
        assert table["total"][side] == sum(1 for other in totals.values() if other < totals[team])
    assert table["total"]["t6"] == 0  # no seat in October: no points for it


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
