"""The historical bot replays history's choices, and off history's path says what it plays instead."""

from __future__ import annotations

import random

import pytest

from game.bots.bot import Bot
from game.engine import Advance, Phase, Resolve, Seat, TeamChoice, apply, learning, new_game, view_for
from game.engine.voting import open_options
from game.scenarios import builtin_scenario, builtin_scenario_ids


def _play(scenario, seed, seats):
    """Play a game: ``seats`` maps team -> a Bot, or None for random play. Returns (state, choices made)."""
    whims = random.Random(seed)
    state = new_game(scenario, seed)
    made = []
    while state.phase is not Phase.ENDED:
        if state.phase is not Phase.DELIBERATION:
            state, _ = apply(state, Advance())
            continue
        current = state
        for team, bot in seats.items():
            if bot is None:
                choices = [(c, whims.choice(open_options(current, c, team)))
                           for c in current.cards if open_options(current, c, team)]
                for card, option in choices:
                    state, _ = apply(state, TeamChoice(team, card, option))
                continue
            for choice in bot.decide_explained(view_for(current, Seat.team(team)), seed):
                made.append((current, team, choice))
                state, _ = apply(state, TeamChoice(team, choice.card, choice.option))
        state, _ = apply(state, Resolve())
    return state, made


def _history_options(card, decider):
    return [o.id for o in card.options.values() if o.historical and decider in o.deciders]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("scenario_id", builtin_scenario_ids())
def test_history_in_every_seat_plays_the_historical_path_to_the_historical_ending(scenario_id, seed):
    scenario = builtin_scenario(scenario_id)
    seats = {t: Bot(scenario, t, "historical") for t in scenario.teams}
    state, made = _play(scenario, seed, seats)
    assert made
    for _state, team, choice in made:
        card = scenario.cards[choice.card]
        history = _history_options(card, card.team_decider[team])
        if history:  # where the source records this side's choice, the bot makes it
            assert choice.option == history[0], choice
            assert choice.reason.startswith("historical")
        else:  # where it is silent, the bot says so
            assert "source records no choice" in choice.reason
    assert scenario.endings[state.ending].historical
    for record in state.records:  # every card history put on the table was decided as history did
        for entry in record["cards"]:
            card = scenario.cards[entry["card"]]
            for decider, option in entry["choices"].items():
                if _history_options(card, decider):
                    assert card.options[option].historical, (card.id, decider, option)


@pytest.mark.parametrize("scenario_id", builtin_scenario_ids())
def test_every_recorded_choice_is_historys_in_its_own_turn_and_the_learning_data_says_so(scenario_id):
    """On every scenario's historical path each card comes up in history's turn (none off its turn),
    each choice the source records is the one made, and the learning data counts exactly those."""
    scenario = builtin_scenario(scenario_id)
    state, made = _play(scenario, 0, {t: Bot(scenario, t, "historical") for t in scenario.teams})
    recorded = [(t, c) for _s, t, c in made
                if _history_options(scenario.cards[c.card], scenario.cards[c.card].team_decider[t])]
    assert recorded and all(scenario.cards[c.card].options[c.option].historical for _t, c in recorded)
    assert all(not entry["off_turn"] for record in state.records for entry in record["cards"])
    for team, row in learning(state)["teams"].items():  # source-silent choices are not counted as history
        assert row["matched"] == sum(1 for t, _c in recorded if t == team), team
    assert scenario.endings[state.ending].historical


def test_on_brest_history_ends_in_the_annulment_and_silent_cards_say_so(brest):
    state, made = _play(brest, 0, {t: Bot(brest, t, "historical") for t in brest.teams})
    silent = [c for _s, t, c in made if not _history_options(brest.cards[c.card], brest.cards[c.card].team_decider[t])]
    assert silent and all("source records no choice" in c.reason for c in silent)
    assert state.ending == "annulment"


def test_off_history_it_plays_history_where_it_can_and_says_when_it_cannot(brest):
    """One historical seat among random ones: where history's option is open it takes it;
    elsewhere it plays an open option and its reason says it is off history's path."""
    off_path = 0
    for seed in range(12):
        seats = {t: None for t in brest.teams}
        seats["central"] = Bot(brest, "central", "historical")
        _state, made = _play(brest, seed, seats)
        for state, team, choice in made:
            card = brest.cards[choice.card]
            open_now = open_options(state, choice.card, team)
            assert choice.option in open_now
            history_open = [o for o in open_now if card.options[o].historical]
            if history_open:
                assert choice.option == history_open[0]
            else:
                off_path += 1
                assert "off history's path" in choice.reason
    assert off_path > 0  # random partners do lead the game where history never went
