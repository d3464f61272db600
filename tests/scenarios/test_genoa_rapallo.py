"""The genoa-rapallo scenario played through the engine: the historical path and the
alternative paths the teacher's guide names each reach their ending."""

from __future__ import annotations

import pytest

from game.engine import Advance, Phase, Resolve, TeamChoice, apply, new_game
from game.scenarios import builtin_scenario

# Turn by turn: {card: {team: option}}. A card that is not on the table that turn is
# an error (the path would not be the one the guide describes).
HISTORICAL: list[dict[str, dict[str, str]]] = [
    {"invitation": {"france": "debts_first", "britain": "debts_first"},
     "preparations": {"soviet": "counterclaim_file", "germany": "wait_for_genoa", "poland": "with_france"}},
    {"genoa_debts": {"soviet": "counterclaim", "france": "full_repayment", "britain": "full_repayment"},
     "genoa_sidelines": {"germany": "press_reparations", "poland": "back_creditors"}},
    {"rapallo": {"soviet": "sign_rapallo", "germany": "sign_rapallo", "france": "hold_firm", "britain": "hold_firm"}},
    {"hague": {"soviet": "compensation_for_credits", "france": "no_credits", "britain": "no_credits"},
     "poland_answer": {"poland": "lean_on_france", "germany": "press_claims"}},
    {"military_pact": {"soviet": "accept_training", "germany": "build_factories"},
     "creditors_after": {"france": "keep_distance", "britain": "keep_distance", "poland": "army_budget"}},
    {"federation": {"soviet": "union_republics"},
     "market": {"germany": "export_drive", "france": "stay_out", "britain": "stay_out", "poland": "open_transit"}},
    {"who_rules": {"soviet": "party_decides"},
     "poland_strategy": {"poland": "rely_on_alliance", "germany": "deepen_cooperation"}},
    {"recognition": {"soviet": "trade_agreements", "france": "recognise", "britain": "recognise"}},
]


@pytest.fixture(scope="module")
def scenario():
    return builtin_scenario("genoa-rapallo")


def play(scenario, turns, seed=1):
    """Play every turn with the given choices (teams not named take the card's default)."""
    state = new_game(scenario, seed)
    for number, choices in enumerate(turns, start=1):
        assert state.turn == number and state.phase is Phase.BRIEFING
        state, _ = apply(state, Advance())
        for card, by_team in choices.items():
            assert card in state.cards, f"turn {number}: {card} is not on the table ({state.cards})"
            for team, option in by_team.items():
                state, _ = apply(state, TeamChoice(team, card, option))
        state, _ = apply(state, Resolve())
        state, _ = apply(state, Advance())
    assert state.phase is Phase.ENDED
    return state


def with_changes(turn_changes: dict[int, dict[str, dict[str, str]]]) -> list[dict[str, dict[str, str]]]:
    """The historical path with some turns' choices replaced (1-based turn -> {card: {team: option}})."""
    turns = [{card: dict(teams) for card, teams in t.items()} for t in HISTORICAL]
    for number, cards in turn_changes.items():
        turns[number - 1] = cards
    return turns


def test_the_historical_path_reaches_the_historical_ending(scenario):
    state = play(scenario, HISTORICAL)
    assert state.ending == "rapallo_and_recognition"
    assert scenario.endings["rapallo_and_recognition"].historical
    assert {"genoa_failed", "rapallo", "hague_failed", "military_pact", "ussr_federation",
            "party_rule", "recognised_1924"} <= state.flags
    assert not {"tsarist_debts_accepted", "compensation_paid", "reparations_eased"} & state.flags
    assert state.control["daleki_wschod"] == "soviet"  # the Japanese left in 1922
    # the first breach in Versailles and the German factories in Russia moved the gauges
    start = {t.id: t.start for t in scenario.tracks.values()}
    assert state.tracks["rearmament"] > start["rearmament"]
    assert state.tracks["recognition"] > start["recognition"]
    assert state.tracks["debts"] == start["debts"]  # nobody got the money back


def test_the_historical_path_takes_every_historical_option_there_is(scenario):
    """Where the source states the choice, the path takes it; the core cards are on it."""
    seen = set()
    for turn in HISTORICAL:
        for card_id, by_team in turn.items():
            card = scenario.cards[card_id]
            seen.add(card_id)
            for team, option in by_team.items():
                decider = card.team_decider[team]
                labelled = [o.id for o in card.options.values() if o.historical and decider in o.deciders]
                assert labelled in ([], [option]), f"{card_id}/{team}: history is {labelled}, path takes {option}"
    assert {"genoa_debts", "rapallo"} <= seen


def test_creditors_deal_at_genoa_brings_early_recognition_and_a_debtor(scenario):
    state = play(scenario, with_changes({
        2: {"genoa_debts": {"soviet": "pay_for_credits", "france": "write_down", "britain": "full_repayment"}},
        3: {"rapallo": {"soviet": "stay_with_entente", "germany": "sign_rapallo"}},
        4: {"hague_treaty": {"soviet": "sign_settlement", "france": "sign_settlement", "britain": "sign_settlement"}},
        5: {"military_alt": {"soviet": "stay_apart", "germany": "stay_apart"}},
        7: {"who_rules": {"soviet": "party_decides"}, "poland_strategy_quiet": {"poland": "rely_on_alliance"}},
        8: {"debts_due": {"soviet": "keep_paying"}},
    }))
    assert state.ending == "debtor_in_europe"
    assert {"genoa_deal", "tsarist_debts_accepted", "compensation_paid", "recognised_early"} <= state.flags
    assert "rapallo" not in state.flags
    assert state.tracks["debts"] > 0


def test_germany_bought_off_with_reparations_stays_with_the_entente(scenario):
    state = play(scenario, with_changes({
        3: {"rapallo": {"soviet": "sign_rapallo", "germany": "stay_with_entente", "france": "offer_relief"}},
        5: {"military_alt": {"soviet": "stay_apart", "germany": "stay_apart"}},
        7: {"who_rules": {"soviet": "party_decides"}, "poland_strategy_quiet": {"poland": "rely_on_alliance"}},
        8: {"recognition": {"soviet": "credits_first", "france": "hold_out", "britain": "hold_out"}},
    }))
    assert state.ending == "germany_with_entente"
    assert "reparations_eased" in state.flags
    assert not {"rapallo", "german_treaty", "military_pact"} & state.flags


def test_no_recognition_in_1924_leaves_two_outcasts(scenario):
    state = play(scenario, with_changes({
        8: {"recognition": {"soviet": "trade_agreements", "france": "hold_out", "britain": "hold_out"}},
    }))
    assert state.ending == "two_outcasts"
    assert {"rapallo", "military_pact"} <= state.flags and "recognised_1924" not in state.flags


def test_a_unitary_russian_republic_is_recognised_but_is_not_the_historical_union(scenario):
    state = play(scenario, with_changes({6: {"federation": {"soviet": "one_russian_republic"}}}))
    assert state.ending == "another_union"
    assert "recognised_1924" in state.flags and "ussr_federation" not in state.flags


def test_walking_out_of_genoa_and_refusing_rapallo_keeps_russia_isolated(scenario):
    state = play(scenario, with_changes({
        2: {"genoa_debts": {"soviet": "walk_out"}},
        3: {"rapallo": {"soviet": "stay_with_entente", "germany": "sign_rapallo"}},
        4: {"hague": {"soviet": "stand_on_counterclaim"}, "poland_answer": {"poland": "lean_on_france"}},
        5: {"military_alt": {"soviet": "stay_apart", "germany": "stay_apart"}},
        7: {"who_rules": {"soviet": "party_decides"}, "poland_strategy_quiet": {"poland": "rely_on_alliance"}},
        8: {"recognition": {"soviet": "credits_first", "france": "hold_out", "britain": "hold_out"}},
    }))
    assert state.ending == "still_isolated"
    assert "genoa_failed" in state.flags and "hague_failed" in state.flags
    assert not {"german_treaty", "military_pact", "recognised_1924", "recognised_early"} & state.flags


def test_polish_intelligence_can_unmask_the_pact_and_the_odds_decide(scenario):
    path = with_changes({
        5: {"military_pact": {"soviet": "accept_training", "germany": "build_factories"},
            "creditors_after": {"poland": "watch_the_border"}},
        7: {"who_rules": {"soviet": "party_decides"},
            "poland_strategy": {"poland": "expose_cooperation", "germany": "deepen_cooperation"}},
    })
    endings = {}
    for seed in range(40):
        state = play(scenario, path, seed)
        endings[seed] = state.ending
        assert (state.ending == "pact_unmasked") == ("pact_exposed" in state.flags)
        assert "polish_intel" in state.flags
    assert "pact_unmasked" in endings.values()  # 70% per game: the exposure works
    assert set(endings.values()) - {"pact_unmasked"}  # 30%: nobody believes Warsaw


def test_paying_others_after_rapallo_brings_up_the_broken_condition(scenario):
    state = play(scenario, with_changes({
        4: {"hague": {"soviet": "full_settlement", "france": "accept_swap", "britain": "accept_swap"},
            "poland_answer": {"poland": "lean_on_france"}},
        5: {"condition_broken": {"soviet": "pay_germany_too", "germany": "swallow_it"}},
        8: {"debts_due": {"soviet": "keep_paying"}},
    }))
    assert {"rapallo", "compensation_paid", "recognised_early", "military_pact"} <= state.flags
    assert state.ending == "debtor_in_europe"
    played = [c["card"] for r in state.records for c in r["cards"]]
    assert "condition_broken" in played and "military_pact" not in played


def test_one_creditor_recognising_alone_leaves_russia_half_recognised(scenario):
    state = play(scenario, with_changes({
        8: {"recognition": {"soviet": "trade_agreements", "france": "hold_out", "britain": "recognise"}},
    }))
    assert state.ending == "half_recognised"
    assert "partial_recognition" in state.flags and "recognised_1924" not in state.flags


def test_a_treaty_without_the_condition_is_not_rapallo_and_leaves_only_berlin(scenario):
    state = play(scenario, with_changes({
        3: {"rapallo": {"soviet": "sign_without_clause", "germany": "sign_rapallo"}},
        5: {"military_alt": {"soviet": "stay_apart", "germany": "stay_apart"}},
        7: {"who_rules": {"soviet": "party_decides"}, "poland_strategy_quiet": {"poland": "rely_on_alliance"}},
        8: {"recognition": {"soviet": "trade_agreements", "france": "hold_out", "britain": "hold_out"}},
    }))
    assert "german_treaty" in state.flags and "rapallo" not in state.flags
    assert state.ending == "only_berlin"


def test_officer_training_without_factories_is_a_smaller_pact_not_the_historical_one(scenario):
    state = play(scenario, with_changes({
        5: {"military_pact": {"soviet": "officers_only", "germany": "build_factories"},
            "creditors_after": {"france": "keep_distance", "britain": "keep_distance", "poland": "army_budget"}},
    }))
    assert {"military_pact", "limited_pact"} <= state.flags
    assert state.ending == "another_union"  # recognised in 1924, but by another road
