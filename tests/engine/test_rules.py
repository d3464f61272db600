"""The rules of a turn, on the small fixture scenario that uses every part of the format."""

from __future__ import annotations

import pytest

from game.engine import (
    Advance,
    Decision,
    IllegalDecision,
    InvalidDecision,
    Phase,
    Resolve,
    Reveal,
    SetCaptain,
    TeamChoice,
    Unvote,
    Vote,
    apply,
    new_game,
    team_choice,
)


def play(state, *decisions):
    for d in decisions:
        state, _ = apply(state, d)
    return state


def deliberating(mini, seed=1):
    return play(new_game(mini, seed), Advance())


def assert_refused(state, decision, code):
    before = state.digest()
    with pytest.raises(IllegalDecision) as info:
        apply(state, decision)
    assert info.value.code == code
    assert state.digest() == before


def test_game_starts_in_briefing_with_turn_one_cards(mini):
    s = new_game(mini, 3)
    assert (s.turn, s.phase, s.cards) == (1, Phase.BRIEFING, ("talks",))
    assert s.tracks == {"army": 3, "food": 2}
    assert s.flags == frozenset({"talks_open"})


def test_team_majority_decides(mini):
    s = deliberating(mini)
    s = play(s, Vote("hawks", "a", "talks", "sign"), Vote("hawks", "b", "talks", "break_off"),
             Vote("hawks", "c", "talks", "break_off"))
    assert team_choice(s, "talks", "hawks") == "break_off"


def test_team_tie_goes_to_captain_then_to_earliest_vote(mini):
    s = deliberating(mini)
    s = play(s, Vote("hawks", "a", "talks", "sign"), Vote("hawks", "b", "talks", "break_off"))
    assert team_choice(s, "talks", "hawks") == "sign"  # the earliest vote
    s = play(s, SetCaptain("hawks", "b"))
    assert team_choice(s, "talks", "hawks") == "break_off"  # the captain's vote


def test_a_new_vote_replaces_the_old_one_and_unvote_withdraws_it(mini):
    s = deliberating(mini)
    s = play(s, Vote("hawks", "a", "talks", "sign"), Vote("hawks", "a", "talks", "break_off"))
    assert s.votes[("talks", "hawks")] == (("a", "break_off", 3),)  # seq = the state_id of the vote
    s = play(s, Unvote("hawks", "a", "talks"))
    assert team_choice(s, "talks", "hawks") is None
    assert_refused(s, Unvote("hawks", "a", "talks"), "decision/no_vote")


def test_direct_team_choice_overrides_votes(mini):
    s = deliberating(mini)
    s = play(s, Vote("hawks", "a", "talks", "sign"), TeamChoice("hawks", "talks", "break_off"))
    assert team_choice(s, "talks", "hawks") == "break_off"


def test_bloc_takes_the_plurality_and_ties_go_to_the_first_listed_team(mini):
    s = deliberating(mini)
    s = play(s, TeamChoice("hawks", "talks", "break_off"), TeamChoice("doves", "talks", "sign"), Resolve())
    assert s.records[0]["cards"][0]["choices"]["council"] == "break_off"
    assert s.records[0]["cards"][0]["team_choices"] == {"hawks": "break_off", "doves": "sign", "germans": None}


def test_undecided_deciders_get_the_default(mini):
    s = play(deliberating(mini), Resolve())
    entry = s.records[0]["cards"][0]
    assert entry["choices"] == {"council": "sign", "germans": "harsh"}
    assert entry["defaulted"] == ["council", "germans"]
    assert "signed" in s.flags and "talks_open" not in s.flags


def test_combination_of_choices_ends_the_game_early(mini):
    s = play(deliberating(mini), TeamChoice("hawks", "talks", "sign"), TeamChoice("germans", "talks", "mild"), Resolve())
    assert s.records[0]["cards"][0]["combination"] == 0
    assert s.ending == "peace"
    s = play(s, Advance())
    assert s.phase is Phase.ENDED and s.ending == "peace"


def test_breaking_off_schedules_the_offensive_for_the_next_turn(mini):
    s = play(deliberating(mini), TeamChoice("hawks", "talks", "break_off"), TeamChoice("doves", "talks", "break_off"), Resolve())
    assert s.pending == ((2, "offensive"),)
    s = play(s, Advance())
    assert s.cards == ("offensive",)
    s = play(s, Advance(), Resolve())
    assert s.control["ukraina"] == "central"
    assert s.last_changes["control"]["ukraina"] == ["soviet", "central"]


def test_chance_is_drawn_from_the_seed_and_replays_identically(mini):
    outcomes = set()
    for seed in range(40):
        s = play(deliberating(mini, seed), TeamChoice("germans", "talks", "harsh"), Resolve())
        again = play(deliberating(mini, seed), TeamChoice("germans", "talks", "harsh"), Resolve())
        assert s.digest() == again.digest()
        outcomes.add(s.tracks["food"])
    assert outcomes == {1, 2}  # both branches of the 75/25 table come up


def test_chance_odds_follow_the_stated_probabilities(mini):
    hunger = sum(
        play(deliberating(mini, seed), TeamChoice("germans", "talks", "harsh"), Resolve()).tracks["food"] == 1
        for seed in range(2000)
    )
    assert 0.70 < hunger / 2000 < 0.80


def test_tracks_are_clamped_to_their_bounds(mini):
    s = play(deliberating(mini), TeamChoice("germans", "talks", "mild"), TeamChoice("hawks", "talks", "break_off"), Resolve())
    assert s.tracks["food"] == 3
    assert all(mini.tracks[t].min <= v <= mini.tracks[t].max for t, v in s.tracks.items())


def test_an_option_whose_condition_fails_is_refused(mini):
    assert_refused(deliberating(mini), Vote("hawks", "a", "talks", "army_first"), "decision/condition_not_met")


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        (Vote("nobody", "a", "talks", "sign"), "decision/unknown_team"),
        (Vote("hawks", "a", "offensive", "advance"), "decision/unknown_card"),
        (Vote("hawks", "a", "talks", "surrender"), "decision/unknown_option"),
        (Vote("hawks", "a", "talks", "mild"), "decision/option_not_allowed"),
        (Advance(), "decision/wrong_phase"),
        (Reveal("talks"), "decision/wrong_phase"),
    ],
)
def test_illegal_decisions_raise_a_specific_error_and_change_nothing(mini, decision, code):
    assert_refused(deliberating(mini), decision, code)


def test_votes_outside_deliberation_are_refused(mini):
    assert_refused(new_game(mini, 1), Vote("hawks", "a", "talks", "sign"), "decision/wrong_phase")
    assert_refused(new_game(mini, 1), Resolve(), "decision/wrong_phase")


def test_reveal_only_after_resolution_and_once(mini):
    s = play(deliberating(mini), Resolve())
    s = play(s, Reveal("talks"))
    assert s.revealed == {"talks"}
    assert_refused(s, Reveal("talks"), "decision/already_revealed")
    assert_refused(s, Reveal("offensive"), "decision/not_resolved")


def test_after_the_last_turn_the_first_matching_ending_is_chosen(mini):
    s = deliberating(mini)
    s = play(s, TeamChoice("hawks", "talks", "break_off"), Resolve(), Advance(), Advance(), Resolve(), Advance(), Advance(), Resolve())
    assert s.turn == 3 and s.cards == ("news",)
    s = play(s, Advance())
    assert s.phase is Phase.ENDED and s.ending == "war"
    with pytest.raises(IllegalDecision) as info:
        apply(s, Advance())
    assert info.value.code == "decision/game_over"


@pytest.mark.parametrize(
    ("wire", "code"),
    [
        ({"type": "vote", "team": "hawks"}, "decision/malformed"),
        ({"type": "vote", "team": "hawks", "player": 3, "card": "talks", "option": "sign"}, "decision/malformed"),
        ({"type": "advance", "extra": 1}, "decision/malformed"),
        ({"type": "fly"}, "decision/unknown_type"),
        (["vote"], "decision/malformed"),
    ],
)
def test_malformed_wire_decisions_are_invalid(wire, code):
    with pytest.raises(InvalidDecision) as info:
        Decision.from_wire(wire)
    assert info.value.code == code


def test_every_decision_round_trips_through_the_wire():
    for d in (Advance(), Resolve(), Vote("t", "p", "c", "o"), Unvote("t", "p", "c"), TeamChoice("t", "c", "o"),
              SetCaptain("t", "p"), SetCaptain("t", None), Reveal("c")):
        assert Decision.from_wire(d.to_wire()) == d
