"""civil-war (1918–1921) played through the engine: the historical road reaches the historical
ending with every outcome labelled history (or source-silent), every ending of the teacher's guide
(docs/history/civil-war.md) is reached by its road, the map moves turn by turn, and dates and
"this is what really happened" stay true on every road."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from game.bots.simulate import random_playthrough
from game.engine import Advance, GameState, Phase, Resolve, TeamChoice, apply, new_game, view_for
from game.scenarios import builtin_scenario

SCENARIO = builtin_scenario("civil-war")

# (card, decider) -> option; anything not listed is played as in history where history's option
# is open, else by the card's default.
Road = Mapping[tuple[str, str], str]


def _historical_or_default(state: GameState, card_id: str, decider: str) -> str:
    card = SCENARIO.cards[card_id]
    for option in card.options.values():
        if decider in option.deciders and option.historical and option.requires.holds(
                state.tracks, state.flags, state.control):
            return option.id
    return card.default[decider]


def play(road: Road, seed: int = 0) -> GameState:
    """Play one whole game: every team of a decider picks the road's option for that card."""
    state = new_game(SCENARIO, seed)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            current = state
            for card_id in current.cards:
                card = SCENARIO.cards[card_id]
                for team, decider in card.team_decider.items():
                    option = road.get((card_id, decider)) or _historical_or_default(current, card_id, decider)
                    state, _ = apply(state, TeamChoice(team, card_id, option))
            state, _ = apply(state, Resolve())
        else:
            state, _ = apply(state, Advance())
    return state


def shown(state: GameState) -> list[str]:
    return [entry["card"] for record in state.records for entry in record["cards"]]


def ending_of(road: Road, seeds: range = range(1)) -> set[str]:
    return {play(road, seed).ending for seed in seeds}


def test_the_historical_road_reaches_the_reds_victory_labelled_history_throughout():
    state = play({})
    assert state.ending == "reds_win" and SCENARIO.endings["reds_win"].historical
    assert view_for(state, "host")["ending"]["historical"] is True
    for record in state.records:
        for entry in record["cards"]:
            card = SCENARIO.cards[entry["card"]]
            assert not entry["off_turn"], card.id
            for decider, option in entry["choices"].items():
                chosen = card.options[option]
                assert chosen.historical or chosen.source_silent, (card.id, decider, option)
            if entry["combination"] is not None:
                combination = card.combinations[entry["combination"]]
                assert combination.historical or combination.source_silent, card.id
    # the map of history at the end: the Reds hold the old empire but Poland, the Baltic lands,
    # Finland, Bessarabia and Japanese Primorye
    assert state.control["primorje"] == "japan" and state.control["polska"] == "poland"
    assert state.control["estonia"] == state.control["baltyk"] == "independent"
    for region in ("moskwa", "piotrogrod", "krym", "syberia", "zabajkale", "ukraina", "kuban", "murmansk"):
        assert state.control[region] == "soviet", region


def test_the_historical_road_is_the_same_for_every_seed():
    assert ending_of({}, range(8)) == {"reds_win"}


def test_the_front_lines_move_in_most_turns_of_history():
    state = new_game(SCENARIO, 0)
    maps = [dict(state.control)]
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.DELIBERATION:
            current = state
            for card_id in current.cards:
                for team, decider in SCENARIO.cards[card_id].team_decider.items():
                    option = _historical_or_default(current, card_id, decider)
                    state, _ = apply(state, TeamChoice(team, card_id, option))
            state, _ = apply(state, Resolve())
            maps.append(dict(state.control))
        else:
            state, _ = apply(state, Advance())
    moved = [i for i in range(1, len(maps)) if maps[i] != maps[i - 1]]
    assert len(moved) >= 7, moved  # the map changes in at least 7 of the 9 turns
    changed = {r for r in maps[0] if maps[0][r] != maps[-1][r]}
    assert len(changed) >= 12, sorted(changed)


def test_every_team_decides_in_most_turns_of_history():
    state = play({})
    for team in SCENARIO.team_ids:
        turns = {record["turn"] for record in state.records
                 for entry in record["cards"] if team in entry["team_choices"]}
        assert len(turns) > SCENARIO.turn_count / 2, (team, sorted(turns))


@pytest.mark.parametrize("ending, road, seeds", [
    ("whites_in_moscow", {("orel", "reds"): "defend_tula"}, range(30)),
    ("petrograd_lost", {("yudenich", "reds"): "evacuate_petrograd"}, range(10)),
    ("red_poland", {("march_west", "poland"): "sue_for_peace"}, range(30)),
    ("white_crimea", {("crimea", "reds"): "siege_and_terms", ("crimea", "entente"): "no_ships"}, range(1)),
    ("white_siberia", {("kolchak_retreat", "reds"): "stop_at_the_urals"}, range(1)),
    ("kronstadt_free", {("kronstadt", "reds"): "concede"}, range(1)),
    ("free_ukraine", {("ukraine_autumn", "reds"): "leave_it_to_the_unr"}, range(1)),
    ("makhno_south", {("ukraine_rising", "ukraine"): "free_territory", ("ukraine_rising", "reds"): "amnesty"},
     range(1)),
    ("reds_win_other_road", {("tsar_family", "reds"): "send_abroad"}, range(1)),
])
def test_every_ending_is_reached_by_its_road(ending, road, seeds):
    reached = ending_of(road, seeds)
    assert ending in reached, reached
    assert not SCENARIO.endings[ending].historical


def test_every_ending_is_covered_by_a_road():
    roads = {p.args[0] if hasattr(p, "args") else p[0]
             for p in test_every_ending_is_reached_by_its_road.pytestmark[0].args[1]}
    assert roads | {"reds_win"} == set(SCENARIO.endings)


def test_cards_keep_their_dates_and_history_claims_only_history_on_every_road():
    players = random.Random(5)
    for i in range(150):
        state, _ = random_playthrough(SCENARIO, i, players)
        for record in state.records:
            for entry in record["cards"]:
                assert not entry["off_turn"], (i, entry["card"], record["date"])
                assert SCENARIO.cards[entry["card"]].date[:7] >= record["date"][:7], (entry["card"], record["date"])
        if SCENARIO.endings[state.ending].historical:
            # the historical ending only on a road that made history's core choices
            assert {"tsar_shot", "orel_defeat", "kiev_offensive", "crimea_taken", "kronstadt_crushed"} <= state.flags


def test_the_core_cards_come_up_in_every_game_and_kronstadt_wherever_petrograd_is_soviet():
    players = random.Random(3)
    games = 300
    seen = dict.fromkeys(SCENARIO.core_cards, 0)
    for i in range(games):
        state, _ = random_playthrough(SCENARIO, i, players)
        cards = set(shown(state))
        for card in seen:
            seen[card] += card in cards
        assert ("kronstadt" in cards) != ("kronstadt_white" in cards), i  # one Kronstadt card, always
    assert set(SCENARIO.core_cards) == {"spring_offensive", "march_on_moscow", "kiev_offensive"}
    assert all(count == games for count in seen.values()), seen


def test_the_whites_vote_together_on_the_spring_offensive():
    state = play({("spring_offensive", "whites_bloc"): "east_first"})
    entry = next(e for r in state.records for e in r["cards"] if e["card"] == "spring_offensive")
    assert set(entry["team_choices"]) >= {"kolchak", "denikin", "reds"}
    assert entry["choices"]["whites_bloc"] == "east_first"


def test_piłsudski_holding_back_is_what_poland_is_secretly_paid_for():
    held = play({})
    struck = play({("pilsudski_pause", "poland"): "strike_with_whites", ("pilsudski_pause", "denikin"): "offer_alliance"})
    assert "pilsudski_paused" in held.flags and "pilsudski_paused" not in struck.flags
    assert "whites_poles_allied" in struck.flags
    assert struck.tracks["red_army"] < held.tracks["red_army"]
