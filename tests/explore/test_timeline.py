"""Paths turn by turn: our game, history, where a path leaves history."""

from __future__ import annotations

from game.engine import replay
from game.explore import game_path, history_path
from game.explore.compare import ROW_HEADER, comparison, comparison_rows

from .conftest import class_game


def test_history_path_plays_every_recorded_choice_of_history_to_a_historical_ending(scenario):
    history = history_path(scenario)
    assert history.finished and scenario.endings[history.ending].historical
    assert history.turns and all(step.on_history for step in history.turns)
    for step in history.turns:
        for c in step.cards:
            for decider, options in c.history_options.items():
                if options:
                    assert c.choices[decider] in options
    assert game_path(scenario, history.seed, history.log, history=history).departure is None


def test_our_game_path_is_the_replayed_log_turn_by_turn(brest):
    state = class_game(brest, 3)
    path = game_path(brest, state.seed, state.log)
    assert path.ending == state.ending and path.finished and not path.ended_early
    assert [s.turn for s in path.turns] == [r["turn"] for r in state.records]
    for step, record in zip(path.turns, state.records, strict=True):
        assert [c.card for c in step.cards] == [c["card"] for c in record["cards"]]
        for c, entry in zip(step.cards, record["cards"], strict=True):
            assert c.choices == entry["choices"] and c.team_choices == entry["team_choices"]
        # the tracks shown after a turn are the state's after that turn's resolve
        prefix = path.log[: step.log_index]
        before = replay(brest, state.seed, prefix)
        assert before.turn == step.turn and str(before.phase) == "briefing"
    assert path.turns[-1].tracks == state.tracks and path.turns[-1].control == state.control


def test_a_path_leaves_history_at_the_first_choice_history_did_not_make(brest):
    history = history_path(brest)
    state = class_game(brest, 11)
    path = game_path(brest, state.seed, state.log, history=history)
    where = path.departure
    assert where is not None
    before = [s for s in path.turns if s.turn < where.turn]
    assert all(s.on_history for s in before)
    step = path.turn(where.turn)
    assert step is not None and not step.on_history
    card = step.card(where.card)
    if where.reason == "choice":
        assert card.choices[where.decider] not in where.history and where.history
    else:
        assert card.off_turn or where.card not in {c.card for c in history.turn(where.turn).cards}


def test_the_comparison_carries_every_path_and_a_row_per_decision(brest):
    history = history_path(brest)
    state = class_game(brest, 5)
    ours = game_path(brest, state.seed, state.log, history=history)
    data = comparison(brest, [history, ours])
    assert [p["kind"] for p in data["paths"]] == ["history", "game"]
    assert data["paths"][1]["departure"]["turn"] == ours.departure.turn
    rows = comparison_rows(brest, [history, ours])
    assert tuple(rows[0]) == ROW_HEADER
    decisions = sum(len(c.choices) for p in (history, ours) for s in p.turns for c in s.cards)
    assert len(rows) == 1 + decisions
    assert sum(1 for r in rows[1:] if r[ROW_HEADER.index("leaves_history_here")] == "yes") >= 1
