"""brest-1918 played through the engine: the historical road and the alternative roads of the
teacher's guide (docs/history/brest-1918.md) reach their endings, and dates and "this is what
really happened" stay true on the road that reached them."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from game.bots.simulate import random_playthrough
from game.engine import Advance, GameState, Phase, Resolve, TeamChoice, apply, new_game, view_for
from game.scenarios import builtin_scenario

SCENARIO = builtin_scenario("brest-1918")

# (card, decider) -> option; anything not listed is played as in history (or by default
# where the source names no historical choice).
Road = Mapping[tuple[str, str], str]


def _historical_or_default(card_id: str, decider: str) -> str:
    card = SCENARIO.cards[card_id]
    for option in card.options.values():
        if decider in option.deciders and option.historical:
            return option.id
    return card.default[decider]


def play(road: Road, seed: int = 0) -> GameState:
    """Play one whole game: every team of a decider picks the road's option for that card."""
    state = new_game(SCENARIO, seed)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            for card_id in state.cards:
                card = SCENARIO.cards[card_id]
                for team, decider in card.team_decider.items():
                    option = road.get((card_id, decider)) or _historical_or_default(card_id, decider)
                    state, _ = apply(state, TeamChoice(team, card_id, option))
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
    return state


def cards_by_turn(state: GameState) -> dict[str, list[str]]:
    """The cards shown, keyed by the date of the turn they were shown in."""
    return {record["date"]: [entry["card"] for entry in record["cards"]] for record in state.records}


def ending(state: GameState) -> dict:
    return view_for(state, "host")["ending"]


REFUSE_ARMISTICE: Road = {("armistice", "sovnarkom"): "refuse_armistice"}


def test_the_historical_road_reaches_the_historical_ending_with_every_historical_choice():
    state = play({})
    assert state.ending == "annulment" and ending(state)["historical"] is True
    shown = cards_by_turn(state)
    assert "brest_talks" in shown["1918-02-10"] and "german_offensive" in shown["1918-02-11"]
    assert "treaty" in shown["1918-03-03"]
    for record in state.records:
        for entry in record["cards"]:
            card = SCENARIO.cards[entry["card"]]
            for decider, option in entry["choices"].items():
                historical = [o.id for o in card.options.values() if decider in o.deciders and o.historical]
                assert option in historical or not historical, (entry["card"], decider, option)
            assert not entry["off_turn"]
    # every resolved choice that has a historical option was labelled historical
    timeline = view_for(state, "host")["timeline"]
    labels = [ok for turn in timeline for card in turn["cards"] for ok in card["historical"].values()]
    assert labels.count(True) >= 15


@pytest.mark.parametrize("seed", range(5))
def test_refusing_the_armistice_keeps_the_treaty_in_march_and_claims_no_history(seed):
    state = play(REFUSE_ARMISTICE, seed)
    shown = cards_by_turn(state)
    assert "winter_front" in shown["1918-01"] and "brest_talks" in shown["1918-02-10"]
    for turn_date, card_ids in shown.items():
        for card_id in card_ids:
            if SCENARIO.cards[card_id].date == "1918-03-03":
                assert turn_date.startswith("1918-03"), (card_id, turn_date)
    assert state.ending == "annulment_other_road"
    assert ending(state)["historical"] is False


def test_no_card_is_ever_shown_outside_its_turn():
    players = random.Random(11)
    for i in range(200):
        state, _ = random_playthrough(SCENARIO, i, players)
        for record in state.records:
            for entry in record["cards"]:
                assert not entry["off_turn"], (i, entry["card"], record["date"])
                card_date = SCENARIO.cards[entry["card"]].date
                assert card_date[:7] >= record["date"][:7], (entry["card"], record["date"])
        if state.ending and SCENARIO.endings[state.ending].historical:
            assert "no_armistice" not in state.flags and "signed_in_march" in state.flags


def test_accepting_the_terms_at_the_talks_ends_in_the_early_peace():
    state = play({("brest_talks", "sovnarkom"): "sign_now"})
    assert "german_offensive" not in [c for cards in cards_by_turn(state).values() for c in cards]
    assert "treaty" in cards_by_turn(state)["1918-03-03"]
    assert state.ending == "early_peace" and ending(state)["historical"] is False


def test_refusing_the_treaty_and_holding_out_ends_without_a_treaty():
    road = {("treaty", "sovnarkom"): "refuse_treaty", ("german_advance", "sovnarkom"): "fight_to_the_end",
            ("german_advance", "central"): "stand_still"}
    state = play(road)
    assert "treaty_signed" not in state.flags and "capitulation_no_treaty" in cards_by_turn(state)["1918-11"]
    assert state.ending == "no_treaty"


def test_leaving_the_treaty_in_force_ends_with_the_treaty_standing():
    state = play({("capitulation", "sovnarkom"): "keep_brest"})
    assert state.ending == "treaty_stands"


def test_a_revolutionary_war_can_cost_petrograd():
    road = {("armistice", "sovnarkom"): "refuse_armistice", ("brest_talks", "sovnarkom"): "revolutionary_war",
            ("german_offensive", "central"): "strike_petrograd"}
    endings = {play(road, seed).ending for seed in range(30)}
    assert "petrograd_falls" in endings       # the 35% branch
    assert endings - {"petrograd_falls"}       # and the city can hold


def test_the_core_cards_come_up_in_nine_games_out_of_ten():
    players = random.Random(3)
    games = 300
    seen = {card: 0 for card in ("brest_talks", "treaty")}
    for i in range(games):
        state, _ = random_playthrough(SCENARIO, i, players)
        shown = {entry["card"] for record in state.records for entry in record["cards"]}
        for card in seen:
            seen[card] += card in shown
    assert all(count >= 0.9 * games for count in seen.values()), seen


def test_a_peace_bought_with_every_concession_can_leave_soviet_power_on_the_brink():
    road = {("armistice", "sovnarkom"): "refuse_armistice", ("winter_front", "sovnarkom"): "ask_for_talks",
            ("brest_talks", "sovnarkom"): "sign_now", ("old_treaties", "sovnarkom"): "honour_old_debts",
            ("capitulation", "sovnarkom"): "keep_brest", ("tsaritsyn", "sovnarkom"): "abandon_tsaritsyn",
            ("tsaritsyn_weak", "sovnarkom"): "abandon_tsaritsyn"}
    state = play(road)
    assert state.tracks["support"] <= 1
    assert state.ending == "soviet_crisis" and ending(state)["historical"] is False
