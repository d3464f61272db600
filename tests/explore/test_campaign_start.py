"""A campaign lesson begins from a carried start, not from its scenario's own: the explorer's paths,
branches and odds replay it from there (``start=``), and a replay without it tells another story.

The lesson here is brest-1918 carried in with every track at its minimum (a lesson after a
disastrous one), its config holding the start as a campaign lesson's does (``campaign.start``).
What the lesson really went through is read off the engine directly, decision by decision.
"""

from __future__ import annotations

import pytest

from game.campaign import lesson_start
from game.engine import EngineError, Phase, Resolve, Start, apply, new_game, replay
from game.engine.voting import open_options
from game.explore import (
    BranchPoint,
    branch_log,
    choices_at,
    draw_seed,
    game_path,
    how_likely,
    prefix_at,
    state_at,
    walk,
    what_if,
)

from .conftest import class_game
from .test_odds import _decisions, _direct


@pytest.fixture(scope="module")
def low(brest):
    """brest-1918's start with every track at its minimum (army, food, support... all 0)."""
    start = Start(tracks=tuple((t.id, t.min) for t in brest.tracks.values()),
                  notes=({"pl": "Wszystko stracone w poprzedniej lekcji.", "en": "All lost in the last lesson."},))
    assert any(t.min != t.start for t in brest.tracks.values())  # it differs from the scenario's own
    return start


@pytest.fixture(scope="module")
def config(low):
    """The lesson's session config, as the server keeps a campaign lesson's."""
    return {"lang": "pl", "campaign": {"id": "rozdroza-1917-1922", "step": 1, "steps": 5, "from": None,
                                       "start": low.to_wire()}}


def _real(scenario, seed, log, start):
    """What the game really went through, straight from the engine: per resolved turn its tracks and
    control, and per turn the state its vote opened with."""
    state = new_game(scenario, seed, start)
    after, votes = {}, {}
    for d in log:
        state, _ = apply(state, d)
        if state.phase is Phase.DELIBERATION:
            votes.setdefault(state.turn, state)
        if isinstance(d, Resolve):
            after[state.records[-1]["turn"]] = (dict(state.tracks), dict(state.control))
    return after, votes


def test_the_lessons_path_replays_from_its_carried_start_and_a_startless_one_does_not(brest, low, config):
    start = lesson_start(config)
    lesson = class_game(brest, 5, start=start, end_after=4)  # a saved lesson: four turns played
    after, _votes = _real(brest, lesson.seed, lesson.log, start)
    path = game_path(brest, lesson.seed, lesson.log, start=start, code="K7QXPM")
    assert [t.turn for t in path.turns] == [1, 2, 3, 4]
    assert {t.turn: (t.tracks, t.control) for t in path.turns} == after  # the lesson's real tracks, turn by turn
    assert path.turns[-1].tracks == lesson.tracks
    assert path.start == low and path.to_dict()["start"] == low.to_wire()
    assert walk(brest, lesson.seed, lesson.log, start=start)[0].digest() == lesson.digest()
    # the scenario's own start (what the explorer did before): other tracks from the first turn on
    plain = game_path(brest, lesson.seed, lesson.log)
    assert plain.start is None and plain.to_dict()["start"] is None
    assert plain.turns[0].tracks != after[1][0]
    assert [t.tracks for t in plain.turns] != [after[n][0] for n in sorted(after)]


def test_a_startless_replay_can_even_offer_other_options_or_fail(brest, low):
    """brest-1918's last card lets Soviet Russia annul the treaty *and advance* only with an army of 5:
    from the carried start the lesson may never have had that option, while a replay from the
    scenario's own start offers it, or does not replay the lesson's log at all."""
    differs = []
    for seed in range(12):
        lesson = class_game(brest, seed, start=low)
        if not any(c["card"] == "capitulation" for r in lesson.records for c in r["cards"]):
            continue
        _after, votes = _real(brest, seed, lesson.log, low)
        turn = next(n for n, s in votes.items() if "capitulation" in s.cards)
        team = next(iter(brest.cards["capitulation"].team_decider))
        real = open_options(votes[turn], "capitulation", team)
        assert choices_at(brest, seed, lesson.log, turn, "capitulation", team, start=low) == real
        try:
            plain = choices_at(brest, seed, lesson.log, turn, "capitulation", team)
        except EngineError:
            differs.append((seed, "does not replay"))
            continue
        if plain != real:
            differs.append((seed, set(plain) - set(real)))
    assert differs, "no lesson of the first 12 seeds told the two starts apart on the last card"


@pytest.mark.parametrize("turn", [2, 3])
def test_a_branch_of_the_lesson_keeps_its_carried_start(brest, low, config, turn):
    start = lesson_start(config)
    lesson = class_game(brest, 5, start=start)
    after, votes = _real(brest, lesson.seed, lesson.log, start)
    ours = game_path(brest, lesson.seed, lesson.log, start=start)
    # the shared state a branch starts from is the lesson's own at that vote
    shared = state_at(brest, lesson.seed, lesson.log, turn, start=start)
    assert shared.digest() == votes[turn].digest() and shared.start == low
    assert state_at(brest, lesson.seed, lesson.log, turn).tracks != votes[turn].tracks
    cut = prefix_at(brest, lesson.seed, lesson.log, turn, start=start)
    assert cut == prefix_at(brest, lesson.seed, lesson.log, turn)  # the same log positions either way
    step = ours.turn(turn)
    assert step is not None
    card = step.cards[0]
    team = next(iter(card.team_choices))
    chosen = card.team_choices[team]
    other = next(o for o in choices_at(brest, lesson.seed, lesson.log, turn, card.card, team, start=start)
                 if o != chosen)
    point = BranchPoint(turn, card.card, team, other)
    log = branch_log(brest, lesson.seed, lesson.log, point, start=start)
    assert [d.to_wire() for d in log[:cut]] == [d.to_wire() for d in lesson.log[:cut]]
    branch = what_if(brest, lesson.seed, lesson.log, point, start=start, code="K7QXPM")
    assert branch.start == low and branch.kind == "branch" and branch.parent == "K7QXPM"
    assert branch.branched_at == cut and branch.finished
    # up to the branch point it is the lesson, tracks and all; then it chose otherwise
    assert [t.to_dict() for t in branch.turns[: turn - 1]] == [t.to_dict() for t in ours.turns[: turn - 1]]
    assert {t.turn: (t.tracks, t.control) for t in branch.turns[: turn - 1]} == \
        {n: after[n] for n in range(1, turn)}
    assert branch.turn(turn).card(card.card).team_choices[team] == other
    # its log is a game of the carried start: the engine replays it from there to the same end
    end = replay(brest, lesson.seed, branch.log, low)
    assert end.phase is Phase.ENDED and end.ending == branch.ending and end.tracks == branch.turns[-1].tracks


def test_the_odds_of_the_lesson_match_a_direct_simulation_from_its_start(brest, low, config):
    start = lesson_start(config)
    lesson = class_game(brest, 5, start=start)  # a finished lesson
    decisions = _decisions(lesson)
    odds = how_likely(brest, lesson.seed, lesson.log, odds_seed=4, draws=80, alt_draws=12, start=start)
    direct = dict.fromkeys(brest.endings, 0)
    for i in range(80):
        direct[_direct(brest, draw_seed(4, i), decisions, start=start)] += 1
    assert odds.endings == direct and odds.complete and odds.class_ending == lesson.ending
    # from the scenario's own start the same decisions end otherwise (what the panel showed before)
    plain = how_likely(brest, lesson.seed, lesson.log, odds_seed=4, draws=80, alt_draws=0)
    assert plain.endings != odds.endings
    # an alternative, replayed from the vote where its card came up, is a game of the carried start too
    base = [_direct(brest, draw_seed(4, i), decisions, start=start) for i in range(12)]
    assert odds.base_alt == {e: base.count(e) for e in set(base)}
    d = next(d for d in odds.decisions if d.alternatives)
    alt = d.alternatives[0]
    ends = [_direct(brest, draw_seed(4, i), decisions, override=((d.card, d.team), alt.option), start=start)
            for i in range(12)]
    assert alt.endings == {e: ends.count(e) for e in set(ends)}


def test_a_start_that_does_not_fit_the_scenario_is_the_engines_refusal(brest):
    lesson = class_game(brest, 1, end_after=1)
    wrong = Start(tracks=(("army", 99),))
    for call in (lambda: game_path(brest, lesson.seed, lesson.log, start=wrong),
                 lambda: prefix_at(brest, lesson.seed, lesson.log, 1, start=wrong),
                 lambda: how_likely(brest, lesson.seed, lesson.log, draws=1, alt_draws=0, start=wrong)):
        with pytest.raises(EngineError) as err:
            call()
        assert err.value.code == "game/bad_start"
