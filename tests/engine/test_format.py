"""The format extensions of issue #9 as players see them: labels, glosses, glossary, timers, off-turn cards."""

from __future__ import annotations

import random

from game.bots.simulate import core_cards_under_bar, format_summary, simulate
from game.engine import Advance, Resolve, Seat, TeamChoice, apply, learning, new_game, view_for
from game.scenarios import load_scenario

from .conftest import FIXTURES

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def variant(tmp_path, *replacements: tuple[str, str]):
    text = MINI
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def play(state, *decisions):
    for d in decisions:
        state, _ = apply(state, d)
    return state


def card_in(view, card_id):
    return next(c for c in view["cards"] if c["id"] == card_id)


def test_glossary_terms_glosses_and_core_cards_reach_the_views(mini):
    info = mini.public_info()
    assert [g["id"] for g in info["glossary"]] == ["brest"]
    assert info["glossary"][0]["term"]["en"] == "Brest-Litovsk"
    assert info["glossary"][0]["sources"][0]["en"] == "the actual peace talks began in Brest"
    assert info["core_cards"] == ["talks"]
    view = view_for(new_game(mini, 1), Seat.team("hawks"))
    talks = card_in(view, "talks")
    assert talks["terms"] == ["brest"]
    assert talks["sources"][0]["en"] == "the actual peace talks began in Brest"
    assert "source_silent" not in talks["options"][0]  # labels stay hidden from players before the reveal


def test_source_silent_is_shown_with_history_and_kept_in_the_outcome(mini):
    state = play(new_game(mini, 1), Advance())
    host = card_in(view_for(state, Seat.HOST), "talks")
    labels = {o["id"]: (o["historical"], o["source_silent"]) for o in host["options"]}
    assert labels["mild"] == (False, True) and labels["harsh"] == (True, False)
    state = play(state, TeamChoice("germans", "talks", "mild"), TeamChoice("hawks", "talks", "break_off"), Resolve())
    outcomes = state.records[-1]["cards"][0]["outcomes"]
    mild = next(o for o in outcomes if o.get("option") == "mild")
    assert mild["source_silent"] is True and mild["historical"] is False
    assert next(o for o in outcomes if o.get("option") == "break_off")["source_silent"] is False


def test_a_card_without_a_timer_takes_its_turns_timer(tmp_path):
    sc = variant(tmp_path, ('label: {pl: luty 1918, en: February 1918}}', 'label: {pl: luty 1918, en: February 1918}, timer: 150}'))
    assert sc.turns[1].timer == 150
    state = play(new_game(sc, 1), Advance(), TeamChoice("hawks", "talks", "break_off"), Resolve(), Advance())
    assert card_in(view_for(state, Seat.PROJECTOR), "offensive")["timer"] == 150
    state = new_game(sc, 1)  # turn 1 has no timer: the card's own 120
    assert card_in(view_for(state, Seat.PROJECTOR), "talks")["timer"] == 120


def test_a_scheduled_card_off_its_turn_shows_that_turns_date_and_claims_no_history(tmp_path):
    sc = variant(tmp_path, ("schedule: [{card: offensive, after: 1}]", "schedule: [{card: offensive, after: 2}]"))
    state = play(new_game(sc, 1), Advance(), TeamChoice("hawks", "talks", "break_off"), Resolve(), Advance(),
                 Advance(), Resolve(), Advance())
    assert state.turn == 3 and "offensive" in state.cards
    host = card_in(view_for(state, Seat.HOST), "offensive")
    assert host["date"] == "1918-03-03" and host["off_turn"] is True
    assert host["date_label"] == {"pl": "marzec 1918", "en": "March 1918"}
    assert not any(o["historical"] for o in host["options"])  # "advance" is historical in its own turn
    state = play(state, Advance(), TeamChoice("germans", "offensive", "advance"), Resolve())
    entry = state.records[-1]["cards"][-1]
    assert entry["card"] == "offensive" and entry["off_turn"] is True
    assert not any(o["historical"] for o in entry["outcomes"])
    record = next(c for c in view_for(state, Seat.HOST)["timeline"][-1]["cards"] if c["card"] == "offensive")
    assert record["historical"] == {"germans": False} and record["off_turn"] is True
    row = next(c for c in learning(state)["cards"] if c["card"] == "offensive")
    assert row["historical"] == {"germans": False} and row["history_options"] == {"germans": []}


def test_a_scheduled_card_in_its_own_turn_keeps_its_date_and_history(mini):
    state = play(new_game(mini, 1), Advance(), TeamChoice("hawks", "talks", "break_off"), Resolve(), Advance())
    host = card_in(view_for(state, Seat.HOST), "offensive")
    assert host["date"] == "1918-02-18" and host["off_turn"] is False and host["date_label"] is None
    assert any(o["historical"] for o in host["options"])


def test_simulate_reports_core_cards_and_flags_those_under_the_bar(mini, tmp_path):
    summary = simulate(mini, 40, random.Random(2), seed=2)
    assert core_cards_under_bar(mini, summary) == []  # talks is drawn every game
    assert "Core cards" in format_summary(mini, summary) and "UNDER THE BAR" not in format_summary(mini, summary)
    sc = variant(tmp_path, ("core_cards: [talks]", "core_cards: [talks, offensive]"))
    summary = simulate(sc, 40, random.Random(2), seed=2)
    share = summary.cards["offensive"] / summary.games
    assert share < 0.9 and core_cards_under_bar(sc, summary) == ["offensive"]
    assert "UNDER THE BAR" in format_summary(sc, summary)
