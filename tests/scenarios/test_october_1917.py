"""october-1917 played through the engine: the historical road and the alternative roads of the
teacher's guide (docs/history/october-1917.md) reach their endings, and the dates and "this is what
really happened" labels stay true on the road that reached them."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from game.bots.simulate import random_playthrough
from game.engine import (
    Advance,
    GameState,
    Phase,
    Resolve,
    TeamChoice,
    apply,
    new_game,
    open_options,
    view_for,
)
from game.scenarios import builtin_scenario

SCENARIO = builtin_scenario("october-1917")

# (card, decider) -> option; anything not listed is played as in history, or by the card's default
# where the source names no historical choice or history's choice is closed on this road.
Road = Mapping[tuple[str, str], str]


def _historical_or_default(state: GameState, card_id: str, decider: str) -> str:
    card = SCENARIO.cards[card_id]
    for option in card.options.values():
        if (decider in option.deciders and option.historical
                and option.requires.holds(state.tracks, state.flags, state.control)):
            return option.id  # history's choice, unless it is closed on this road
    return card.default[decider]


def play(road: Road, seed: int = 0) -> GameState:
    """Play one whole game: every deciding team picks the road's option for that card."""
    state = new_game(SCENARIO, seed)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            for card_id in state.cards:
                card = SCENARIO.cards[card_id]
                for team, decider in card.team_decider.items():
                    option = road.get((card_id, decider)) or _historical_or_default(state, card_id, decider)
                    state, _ = apply(state, TeamChoice(team, card_id, option))
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
    return state


def reach(road: Road, card_id: str, seed: int = 0) -> GameState:
    """Play the road up to the vote on ``card_id`` and return that state (in deliberation)."""
    state = new_game(SCENARIO, seed)
    while not (state.phase is Phase.DELIBERATION and card_id in state.cards):
        assert state.phase is not Phase.ENDED, f"{card_id} never came up"
        if state.phase is Phase.DELIBERATION:
            for shown_id in state.cards:
                for team, decider in SCENARIO.cards[shown_id].team_decider.items():
                    option = road.get((shown_id, decider)) or _historical_or_default(state, shown_id, decider)
                    state, _ = apply(state, TeamChoice(team, shown_id, option))
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
    return state


def shown(state: GameState) -> dict[str, list[str]]:
    """The cards shown, keyed by the date of the turn they were shown in."""
    return {record["date"]: [entry["card"] for entry in record["cards"]] for record in state.records}


def all_shown(state: GameState) -> set[str]:
    return {card for cards in shown(state).values() for card in cards}


def ending(state: GameState) -> dict:
    return view_for(state, "host")["ending"]


def test_the_historical_road_reaches_the_historical_ending_with_every_historical_choice():
    state = play({})
    assert state.ending == "soviet_republic" and ending(state)["historical"] is True
    cards = shown(state)
    assert "rising" in cards["1917-10-23"] and "arrest_order" in cards["1917-11-06"]
    assert {"winter_palace", "second_congress"} <= set(cards["1917-11-07"])
    assert "constituent" in cards["1918-01-18"] and "third_congress" in cards["1918-01-20"]
    assert "assembly_sits_on" not in all_shown(state)
    for record in state.records:
        for entry in record["cards"]:
            card = SCENARIO.cards[entry["card"]]
            assert not entry["off_turn"], entry["card"]
            for decider, option in entry["choices"].items():
                historical = [o.id for o in card.options.values() if decider in o.deciders and o.historical]
                assert option in historical or not historical, (entry["card"], decider, option)
    # the map of January 1918: Petrograd, Moscow and the centre soviet; the atamans on the Don and in
    # the Urals; the national governments in Ukraine, Kazakhstan and Transcaucasia
    control = state.control
    assert {control[r] for r in ("piotrogrod", "moskwa", "powolze", "bialorus", "baltyk", "syberia")} == {"soviet"}
    assert control["don_kuban"] == control["ural"] == "whites"
    assert {control[r] for r in ("ukraina", "kazachstan", "zakaukazie")} == {"independent"}
    assert {"city_taken", "palace_taken", "kremlin_taken", "sr_majority", "cheka", "assembly_dispersed",
            "federal_republic", "zinoviev_petrograd", "left_srs_vtsik"} <= state.flags
    assert not {"coalition", "kamenev_vtsik", "ministers_free", "government_holds"} & state.flags


def test_the_historical_road_shows_no_alternative_history():
    """Every outcome on the historical road is labelled historical or source-silent, never alternative."""
    state = play({})
    for record in state.records:
        for entry in record["cards"]:
            for outcome in entry["outcomes"]:
                assert outcome["historical"] or outcome["source_silent"], (entry["card"], outcome["text"]["en"])


@pytest.mark.parametrize("seed", range(8))
def test_the_historical_road_is_the_same_for_every_seed(seed):
    state = play({}, seed)
    assert state.ending == "soviet_republic"
    assert state.control == play({}, 0).control


def test_the_storm_at_the_aurora_signal_needs_the_city_taken_first():
    state = reach({("arrest_order", "garrison"): "guard_smolny", ("arrest_order", "lenin"): "await_congress"},
                  "winter_palace")
    assert "city_taken" not in state.flags
    assert set(open_options(state, "winter_palace", "garrison")) == {"besiege", "stand_aside"}
    assert "storm_at_signal" in open_options(reach({}, "winter_palace"), "winter_palace", "garrison")


def test_leaving_power_to_the_congress_without_a_rising_is_power_by_vote():
    road = {("rising", "lenin"): "leave_to_congress", ("arrest_order", "lenin"): "await_congress",
            ("arrest_order", "garrison"): "guard_smolny", ("cheka", "lenin"): "cheka_under_vtsik"}
    endings = set()
    for seed in range(6):
        state = play(road, seed)
        assert "rising_postponed" in state.flags and "city_taken" not in state.flags
        assert ending(state)["historical"] is False
        endings.add(state.ending)
    assert "voted_not_fought" in endings


def test_a_garrison_that_stays_in_barracks_leaves_the_government_in_the_palace():
    road = {("winter_palace", "garrison"): "stand_aside", ("moscow", "lenin"): "hold_petrograd_first"}
    state = play(road)
    assert "government_holds" in state.flags and "kremlin_taken" not in state.flags
    assert state.control["moskwa"] == "government"
    assert state.ending == "government_survives"


def test_sharing_power_with_the_moderates_makes_a_socialist_coalition():
    road = {("power_sharing", "lenin"): "share_power", ("power_sharing", "moderates"): "negotiate_seats"}
    state = play(road)
    assert "coalition" in state.flags and "bolshevik_rule" not in state.flags
    assert state.ending == "socialist_coalition"


def test_kamenev_pressing_an_offer_the_moderates_refuse_is_a_coin_toss():
    road = {("power_sharing", "lenin"): "share_power"}  # Kamenev insists, the moderates fight on
    endings = {play(road, seed).ending for seed in range(30)}
    assert "socialist_coalition" in endings and endings - {"socialist_coalition"}


def test_letting_the_assembly_sit_leads_to_the_assemblys_russia():
    state = play({("constituent", "lenin"): "let_it_sit"})
    assert "assembly_sits" in state.flags and "assembly_dispersed" not in state.flags
    assert "assembly_sits_on" in all_shown(state) and "third_congress" not in all_shown(state)
    assert state.ending == "assembly_rules"


def test_an_assembly_that_confirms_the_decrees_is_allowed_to_sit():
    road = {("constituent", "lenin"): "demand_confirmation", ("constituent", "moderates"): "confirm_decrees"}
    state = play(road)
    assert {"assembly_sits", "assembly_confirms"} <= state.flags
    assert state.ending == "decrees_confirmed"


def test_an_assembly_that_refuses_the_condition_is_dispersed_but_not_as_in_history():
    state = play({("constituent", "lenin"): "demand_confirmation"})
    assert {"assembly_dispersed", "dispersed_on_condition"} <= state.flags
    assert "third_congress" in all_shown(state)
    assert state.ending != "soviet_republic" and ending(state)["historical"] is False


def test_a_bolshevik_victory_at_the_polls_can_make_a_bolshevik_assembly():
    road = {("elections", "lenin"): "land_campaign", ("constituent", "lenin"): "let_it_sit"}
    endings = {play(road, seed).ending for seed in range(30)}
    assert "bolshevik_assembly" in endings   # the 40% branch
    assert "assembly_rules" in endings       # and the SRs can still win


def test_recognising_the_national_governments_lets_the_borderlands_go():
    state = play({("borderlands", "lenin"): "recognise_governments"})
    assert {state.control[r] for r in ("ukraina", "bialorus", "baltyk")} == {"independent"}
    assert state.ending == "peoples_go_free"


def test_recognition_is_open_only_after_the_declaration_of_the_rights_of_the_peoples():
    state = reach({("peoples_declaration", "lenin"): "one_power"}, "borderlands")
    assert "peoples_rights" not in state.flags
    assert "recognise_governments" not in open_options(state, "borderlands", "lenin")
    assert "recognise_governments" in open_options(reach({}, "borderlands"), "borderlands", "lenin")


def test_a_unitary_republic_after_the_cheka_is_a_power_built_on_fear():
    state = play({("third_congress", "lenin"): "unitary_republic"})
    assert "federal_republic" not in state.flags and state.tracks["terror"] >= 8
    assert state.ending == "terror_state"


def test_a_left_sr_government_with_a_checked_cheka_is_soviet_power_by_another_road():
    road = {("power_sharing", "lenin"): "left_srs_only", ("cheka", "lenin"): "cheka_under_vtsik"}
    state = play(road)
    assert {"left_sr_government", "cheka_checked"} <= state.flags
    assert state.ending == "soviet_other_road"


def test_a_leaked_plan_lets_the_government_strike_first_and_the_odds_decide():
    road = {("rising", "kamenev"): "go_public", ("arrest_order", "government"): "strike_first"}
    taken = [("city_taken" in play(road, seed).flags) for seed in range(30)]
    assert any(taken) and not all(taken)   # 60% / 40% when the garrison comes out


def test_every_ending_is_reached_by_some_road():
    roads: list[Road] = [
        {},
        {("winter_palace", "garrison"): "stand_aside", ("moscow", "lenin"): "hold_petrograd_first"},
        {("power_sharing", "lenin"): "share_power", ("power_sharing", "moderates"): "negotiate_seats"},
        {("constituent", "lenin"): "let_it_sit"},
        {("constituent", "lenin"): "demand_confirmation", ("constituent", "moderates"): "confirm_decrees"},
        {("borderlands", "lenin"): "recognise_governments"},
        {("third_congress", "lenin"): "unitary_republic"},
        {("power_sharing", "lenin"): "left_srs_only", ("cheka", "lenin"): "cheka_under_vtsik"},
        {("elections", "lenin"): "land_campaign", ("constituent", "lenin"): "let_it_sit"},
        {("rising", "lenin"): "leave_to_congress", ("arrest_order", "lenin"): "await_congress",
         ("arrest_order", "garrison"): "guard_smolny", ("cheka", "lenin"): "cheka_under_vtsik"},
    ]
    reached = {play(road, seed).ending for road in roads for seed in range(6)}
    assert reached == set(SCENARIO.endings)


def test_no_card_is_ever_shown_outside_its_turn_and_the_core_cards_always_come_up():
    players = random.Random(17)
    for i in range(200):
        state, _ = random_playthrough(SCENARIO, i, players)
        seen = set()
        for record in state.records:
            for entry in record["cards"]:
                seen.add(entry["card"])
                assert not entry["off_turn"], (i, entry["card"], record["date"])
                card_date = SCENARIO.cards[entry["card"]].date
                assert card_date[:7] >= record["date"][:7], (entry["card"], record["date"])
        assert set(SCENARIO.core_cards) <= seen, i
        if SCENARIO.endings[state.ending].historical:
            assert {"rising_planned", "palace_taken", "assembly_dispersed", "federal_republic"} <= state.flags
            assert "coalition" not in state.flags


def test_every_team_decides_in_most_turns_on_every_road():
    players = random.Random(5)
    states = [play({})] + [random_playthrough(SCENARIO, i, players)[0] for i in range(100)]
    for state in states:
        for team in SCENARIO.team_ids:
            turns = {record["turn"] for record in state.records
                     for entry in record["cards"] if team in entry["team_choices"]}
            assert len(turns) > SCENARIO.turn_count / 2, (team, sorted(turns))
