"""Branching shares the prefix and diverges after it; branches of branches."""

from __future__ import annotations

import pytest

from game.engine import Decision, apply, new_game, replay
from game.explore import BranchPoint, ExploreError, branch_log, choices_at, game_path, prefix_at, what_if

from .conftest import class_game


def _point(scenario, seed, log, turn):
    """A decision of ``turn`` that has another open option: (card, team, the other option)."""
    state = replay(scenario, seed, log)
    record = next(r for r in state.records if r["turn"] == turn)
    for entry in record["cards"]:
        for team, chosen in entry["team_choices"].items():
            others = [o for o in choices_at(scenario, seed, log, turn, entry["card"], team) if o != chosen]
            if others:
                return BranchPoint(turn, entry["card"], team, others[0]), chosen
    return None, None


def _states(scenario, seed, log):
    state = new_game(scenario, seed)
    out = [state]
    for d in log:
        state, _ = apply(state, d if isinstance(d, Decision) else Decision.from_wire(d))
        out.append(state)
    return out


@pytest.mark.parametrize("turn", [1, 3, 5])
def test_a_branch_shares_the_prefix_and_diverges_after_it(brest, turn):
    source = class_game(brest, 21)
    point, chosen = _point(brest, source.seed, source.log, turn)
    assert point is not None
    branch = what_if(brest, source.seed, source.log, point, code="SRC")
    cut = prefix_at(brest, source.seed, source.log, turn)
    assert branch.branched_at == cut and branch.parent == "SRC" and branch.finished
    mine = _states(brest, source.seed, branch.log)
    theirs = _states(brest, source.seed, source.log)
    # equal up to the branch point: the same decisions and byte-identical states
    assert list(branch.log[:cut]) == [d.to_wire() for d in source.log[:cut]]
    assert all(a.digest() == b.digest() for a, b in zip(mine[: cut + 1], theirs[: cut + 1], strict=True))
    ours = game_path(brest, source.seed, source.log)
    assert [s.to_dict() for s in branch.turns[: turn - 1]] == [s.to_dict() for s in ours.turns[: turn - 1]]
    # different after: the changed turn resolves the team's other option, and the states part
    step = branch.turn(turn)
    assert step is not None
    assert step.card(point.card).team_choices[point.team] == point.option != chosen
    assert mine[-1].records[turn - 1] != source.records[turn - 1]
    assert mine[-1].digest() != theirs[-1].digest()
    resolved = next(i for i, s in enumerate(mine) if len(s.records) == turn)
    assert resolved > cut and mine[resolved].digest() != next(
        s for s in theirs if len(s.records) == turn and str(s.phase) == "outcome").digest()


def test_a_branch_of_a_branch_shares_the_first_branch_up_to_its_own_point(brest):
    source = class_game(brest, 8)
    first_point, _ = _point(brest, source.seed, source.log, 2)
    first = what_if(brest, source.seed, source.log, first_point, code="A")
    second_point, chosen = _point(brest, source.seed, first.log, 4)
    assert second_point is not None
    second = what_if(brest, source.seed, first.log, second_point, code="B")
    cut = prefix_at(brest, source.seed, first.log, 4)
    assert second.parent == "B" and second.branched_at == cut
    assert second.log[:cut] == first.log[:cut]
    # the first branch's change is in the second's shared prefix, and so is every turn before 4
    assert second.turn(2).card(first_point.card).team_choices[first_point.team] == first_point.option
    assert [s.to_dict() for s in second.turns[:3]] == [s.to_dict() for s in first.turns[:3]]
    assert second.turn(4).card(second_point.card).team_choices[second_point.team] == second_point.option != chosen


def test_a_branch_refuses_a_turn_never_played_and_an_option_not_open(brest):
    saved = class_game(brest, 4, end_after=3)
    with pytest.raises(ExploreError) as exc:
        branch_log(brest, saved.seed, saved.log, BranchPoint(6, "x", "lenin", "y"))
    assert exc.value.code == "explore/bad_turn"
    record = saved.records[0]["cards"][0]
    team = next(iter(record["team_choices"]))
    with pytest.raises(ExploreError) as exc:
        branch_log(brest, saved.seed, saved.log, BranchPoint(1, record["card"], team, "no_such_option"))
    assert exc.value.code == "explore/bad_choice"
    with pytest.raises(ExploreError):
        prefix_at(brest, saved.seed, saved.log, 0)
