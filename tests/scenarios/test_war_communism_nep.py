"""War communism and NEP (1920–1924): the historical path and the alternative paths of the teacher's guide.

Each path is played through the engine with team decisions (TeamChoice for every member
team of a bloc), and the tests check where it leads: the ending and the flags and map
that the guide promises, never hard-coded scores.
"""

from __future__ import annotations

import pytest

from game.engine import Advance, Phase, Resolve, TeamChoice, apply, new_game
from game.scenarios import builtin_scenario

SCENARIO_ID = "war-communism-nep"


@pytest.fixture(scope="module")
def sc():
    return builtin_scenario(SCENARIO_ID)


def historical_option(card, decider):
    """The card's historical option for this decider, or None if history chose none of them."""
    for option in card.options.values():
        if option.historical and decider in option.deciders:
            return option.id
    return None


def teams_of(sc, decider):
    bloc = sc.blocs.get(decider)
    return bloc.teams if bloc else (decider,)


def play(sc, choices=None, seed=1, history=True):
    """Play a whole game. ``choices`` maps card -> {decider: option}; cards not listed get the
    historical option (``history=True``) or the card's default. Returns (final state, cards seen)."""
    choices = choices or {}  # historical options closed on this path (their `requires`) fall to the default
    state = new_game(sc, seed)
    seen = []
    while state.phase is not Phase.ENDED:
        state, _ = apply(state, Advance())
        if state.phase is Phase.ENDED:
            break
        for card_id in state.cards:
            card = sc.cards[card_id]
            seen.append(card_id)
            for decider in card.deciders:
                option = choices.get(card_id, {}).get(decider)
                if option is None and history:
                    option = historical_option(card, decider)
                    if option is not None and not card.options[option].requires.holds(
                            state.tracks, state.flags, state.control):
                        option = None  # history's choice is closed on this path
                if option is None:
                    continue  # the default applies
                for team in teams_of(sc, decider):
                    state, _ = apply(state, TeamChoice(team, card_id, option))
        state, _ = apply(state, Resolve())
        state, _ = apply(state, Advance())
    return state, seen


def chosen(state, card_id):
    for record in state.records:
        for entry in record["cards"]:
            if entry["card"] == card_id:
                return entry["choices"]
    raise AssertionError(f"card {card_id} never came up")


def test_the_historical_path_reaches_the_historical_ending(sc):
    state, seen = play(sc)
    assert state.ending == "nep_history"
    assert sc.endings["nep_history"].historical
    assert {"nep", "factions_banned", "kronstadt_crushed", "antonov_crushed", "rouble_convertible",
            "concessions_foreign", "kulaks", "nepmen", "blockade_lifted"} <= state.flags
    assert "war_communism_kept" not in state.flags and "soviets_free" not in state.flags
    # the path of history: Antonov's rising runs from 1920 to 1922, Kronstadt never spreads
    assert "tambov" in seen and "antonov_end" in seen and "village_summer" not in seen
    assert "petrograd_uprising" not in seen and "late_nep" not in seen
    assert state.control["piotrogrod"] == "soviet" and state.control["daleki_wschod"] == "soviet"
    # every card with a historical option was decided historically
    for record in state.records:
        for entry in record["cards"]:
            card = sc.cards[entry["card"]]
            for decider, option in entry["choices"].items():
                if historical_option(card, decider) is not None:
                    assert card.options[option].historical, (card.id, decider, option)


def test_the_historical_path_is_the_same_for_every_seed(sc):
    endings = {play(sc, seed=seed)[0].ending for seed in range(10)}
    assert endings == {"nep_history"}


def test_conceding_to_kronstadt_leads_to_free_soviets(sc):
    state, _ = play(sc, {"kronstadt": {"sovnarkom": "concede_elections"},
                         "politburo": {"sovnarkom": "free_soviets"}})
    assert "soviets_free" in state.flags and "kronstadt_crushed" not in state.flags
    assert state.ending == "free_soviets"


def test_party_lists_undo_what_kronstadt_won(sc):
    state, _ = play(sc, {"kronstadt": {"sovnarkom": "concede_elections"}})
    assert "soviets_free" not in state.flags  # the Politburo's lists of 1922 took it back
    assert state.ending != "free_soviets"


def test_talks_with_kronstadt_can_end_in_a_deal(sc):
    state, _ = play(sc, {"kronstadt": {"sovnarkom": "negotiate", "petrograd": "bread_and_trade"}})
    assert "kronstadt_deal" in state.flags and "kronstadt_crushed" not in state.flags
    assert state.ending == "nep_other_road"


def test_a_kronstadt_call_to_petrograd_can_spread_the_rising(sc):
    spread = None
    for seed in range(40):
        state, seen = play(sc, {"kronstadt": {"petrograd": "call_petrograd"},
                                "petrograd_uprising": {"sovnarkom": "settle_with_city"},
                                "politburo": {"sovnarkom": "free_soviets"}}, seed=seed)
        if "petrograd_uprising" in seen:
            spread = state
            break
    assert spread is not None, "the 30% branch never came up in 40 seeds"
    assert {"soviets_free", "kronstadt_deal"} <= spread.flags and "kronstadt_crushed" not in spread.flags
    assert spread.control["piotrogrod"] == "soviet"
    assert spread.ending == "free_soviets"


def test_keeping_the_requisitions_to_the_end_is_the_siege_economy(sc):
    state, seen = play(sc, {"food_tax": {"sovnarkom": "keep_requisitions"},
                            "late_nep": {"sovnarkom": "hold_course"}})
    assert "late_nep" in seen
    assert "war_communism_kept" in state.flags and "nep" not in state.flags
    assert "rouble_convertible" not in state.flags  # no market, no convertible rouble
    assert state.ending in {"siege_economy", "regime_shaken"}


def test_a_regime_that_loses_everyone_is_left_without_support(sc):
    state, _ = play(sc, {
        "petrograd_winter": {"petrograd": "strike"},
        "kronstadt": {"petrograd": "bread_and_trade"},
        "food_tax": {"sovnarkom": "keep_requisitions"},
        "faction_ban": {"sovnarkom": "ban_and_purge"},
        "famine": {"sovnarkom": "refuse_aid", "west": "no_aid"},
        "late_nep": {"sovnarkom": "hold_course"},
        "concessions": {"west": "debts_first"},
        "electrification": {"sovnarkom": "army_first"},
        "blockade_end": {"west": "keep_isolating"},
    })
    assert state.tracks["support"] <= 1
    assert state.ending == "regime_shaken"


def test_nep_a_year_late_is_a_belated_retreat(sc):
    state, _ = play(sc, {"food_tax": {"sovnarkom": "keep_requisitions"},
                         "late_nep": {"sovnarkom": "adopt_nep_late"}})
    assert {"nep", "nep_late"} <= state.flags and "war_communism_kept" not in state.flags
    assert state.ending == "late_retreat"


def test_a_tax_without_a_market_is_a_half_retreat(sc):
    state, _ = play(sc, {"food_tax": {"sovnarkom": "tax_only"}})
    assert "food_tax" in state.flags and "nep" not in state.flags
    assert "kulaks" not in state.flags and "nepmen" not in state.flags  # nobody may trade
    assert state.ending == "half_retreat"


def test_no_ban_on_factions_keeps_an_open_party(sc):
    state, _ = play(sc, {"faction_ban": {"sovnarkom": "allow_debate"}})
    assert "party_debate" in state.flags and "factions_banned" not in state.flags
    assert state.ending == "nep_open_party"


def test_closing_private_trade_in_1923_cuts_nep_short(sc):
    state, _ = play(sc, {"new_rich": {"sovnarkom": "ban_private_trade"}})
    assert "nepmen_banned" in state.flags
    assert "nepmen" not in state.flags and "kulaks" not in state.flags
    assert state.ending == "nep_cut_short"


def test_abolishing_money_in_1924_also_cuts_nep_short(sc):
    state, _ = play(sc, {"rouble": {"sovnarkom": "abolish_money"}})
    assert "nepmen_banned" in state.flags and "rouble_convertible" not in state.flags
    assert state.ending == "nep_cut_short"


def test_the_historical_path_shows_no_alternative_history(sc):
    """Every outcome on the historical path is labelled historical or source-silent, never alternative."""
    state, _ = play(sc)
    for record in state.records:
        for entry in record["cards"]:
            card = sc.cards[entry["card"]]
            if entry["combination"] is not None:
                combination = card.combinations[entry["combination"]]
                assert combination.historical or combination.source_silent, card.id
            for option in entry["choices"].values():
                assert card.options[option].historical or card.options[option].source_silent, (card.id, option)
    nep = next(e for r in state.records for e in r["cards"] if e["card"] == "food_tax")
    assert sc.cards["food_tax"].combinations[nep["combination"]].historical


def test_refusing_the_famine_relief_saves_fewer(sc):
    helped, _ = play(sc)
    refused, _ = play(sc, {"famine": {"sovnarkom": "refuse_aid"}})
    assert refused.tracks["saved"] < helped.tracks["saved"]
    assert refused.tracks["food"] < helped.tracks["food"]


def test_an_amnesty_for_antonov_ends_the_rising_without_crushing_it(sc):
    state, seen = play(sc, {"tambov": {"sovnarkom": "amnesty", "peasants": "go_home"}})
    assert "antonov_amnesty" in state.flags and "antonov_crushed" not in state.flags
    assert "antonov_end" not in seen and "harvest_1922" in seen


def test_peasants_who_never_rise_meet_no_tukhachevsky(sc):
    state, seen = play(sc, {"grain": {"peasants": "hide_grain"}})
    assert "tambov" not in seen and "antonov_end" not in seen
    assert "village_summer" in seen and "harvest_1922" in seen
    assert "antonov_crushed" not in state.flags


def test_the_core_cards_come_up_whatever_is_chosen_first(sc):
    for grain in ("tighten_requisitions", "ease_requisitions", "promise_tax"):
        for peasants in ("join_antonov", "hide_grain", "hand_over"):
            _, seen = play(sc, {"grain": {"sovnarkom": grain, "peasants": peasants}}, history=False)
            assert {"food_tax", "kronstadt"} <= set(seen)
    assert set(sc.core_cards) == {"food_tax", "kronstadt"}


def test_every_team_decides_in_most_turns_on_the_historical_path(sc):
    state, _ = play(sc)
    for team in sc.team_ids:
        turns = {record["turn"] for record in state.records
                 for entry in record["cards"] if team in entry["team_choices"]}
        assert len(turns) > sc.turn_count / 2, (team, sorted(turns))
