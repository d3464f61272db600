"""Finer map regions (`part_of` in assets/map/regions.yaml) in scenarios written for the coarser map:
the parts a scenario does not name follow their coarser region, at the start and in every effect;
a scenario that names them (civil-war) controls them on its own."""

from __future__ import annotations

from game.engine import Advance, Phase, Resolve, TeamChoice, apply, new_game
from game.mapgeo import load_regions
from game.scenarios import builtin_scenario
from game.scenarios.regions import region_parts, with_parts_following

REGIONS = {r["id"]: r for r in load_regions()["regions"]}


def test_every_part_names_a_coarser_region_and_no_part_has_parts():
    parts = region_parts()
    assert {"primorje", "zabajkale"} <= set(parts["daleki_wschod"])
    assert set(parts["murmansk"]) == {"archangielsk"} and set(parts["baltyk"]) == {"estonia"}
    for parent, children in parts.items():
        assert parent in REGIONS and "part_of" not in REGIONS[parent], parent
        for child in children:
            assert REGIONS[child]["part_of"] == parent


def test_an_old_scenarios_unnamed_parts_start_with_their_coarser_region():
    brest = builtin_scenario("brest-1918")
    for parent, children in region_parts().items():
        for child in children:
            assert brest.control[child] == brest.control[parent], (parent, child)


def test_a_landing_at_vladivostok_in_brest_colours_primorye_and_transbaikalia_too():
    brest = builtin_scenario("brest-1918")
    state = new_game(brest, 0)
    while state.phase is not Phase.ENDED and "daleki_wschod" not in {
            r for r, w in state.control.items() if w == "entente"}:
        if state.phase is Phase.DELIBERATION:
            current = state
            for card_id in current.cards:
                card = brest.cards[card_id]
                for team, decider in card.team_decider.items():
                    history = [o.id for o in card.options.values() if o.historical and decider in o.deciders]
                    state, _ = apply(state, TeamChoice(team, card_id, history[0] if history else card.default[decider]))
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
    assert state.control["daleki_wschod"] == "entente"
    assert state.control["primorje"] == state.control["zabajkale"] == "entente"


def test_a_scenario_that_names_every_part_is_left_as_written():
    tree = {"control": {r: "soviet" for r in REGIONS}, "cards": [{"effects": {"control": {"daleki_wschod": "japan"}}}]}
    assert with_parts_following(tree) is tree
    civil_war = builtin_scenario("civil-war")
    assert set(civil_war.control) == set(REGIONS)
    assert civil_war.control["primorje"] == "japan" and civil_war.control["daleki_wschod"] == "whites"


def test_effects_in_options_chance_and_combinations_spread_to_the_parts():
    parts = {"daleki_wschod": ("primorje",)}
    tree = {"control": {"daleki_wschod": "soviet"}, "cards": [{
        "effects": {"control": {"daleki_wschod": "entente"}},
        "options": [{"chance": [{"effects": {"control": {"daleki_wschod": "japan"}}}]}],
        "combinations": [{"effects": {"control": {"daleki_wschod": "whites", "primorje": "soviet"}}}]}]}
    out = with_parts_following(tree, parts)
    assert out["control"]["primorje"] == "soviet"
    card = out["cards"][0]
    assert card["effects"]["control"]["primorje"] == "entente"
    assert card["options"][0]["chance"][0]["effects"]["control"]["primorje"] == "japan"
    assert card["combinations"][0]["effects"]["control"]["primorje"] == "soviet"  # named: left alone
    assert "primorje" not in tree["control"]  # the input is not changed
