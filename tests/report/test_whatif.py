"""The what-if comparison in the teacher's report and exported on its own (JSON, CSV)."""

from __future__ import annotations

import csv
import json

import pytest

from game.engine import EngineError, Phase, Start, replay
from game.engine.voting import open_options
from game.explore import comparison_rows, prefix_at
from game.report import build_report, render_html
from game.report.files import write_comparison
from game.report.whatif import comparison_of, paths_of
from game.scenarios import builtin_scenario
from tests.explore.conftest import class_game
from tests.server.harness import Harness

from .conftest import SCENARIO


def _branch_export(export: dict, turn: int) -> dict:
    """A branch of the lesson at ``turn`` (a game sent whole, as the explorer sends it), played one turn
    by a student of lenin and bots, and its export."""
    sc = builtin_scenario(SCENARIO)
    log = [{k: v for k, v in d.items() if k not in ("seq", "at")} for d in export["log"]]
    session = export["session"]
    at = prefix_at(sc, session["seed"], log, turn)
    return _played_branch(Harness(), {"scenario": SCENARIO, "seed": session["seed"], "log": log, "code": session["code"]}, at)


def _played_branch(h: Harness, source: dict, at: int) -> dict:
    """Branch ``source`` at log index ``at`` on ``h``'s server, play its first turn with a student of
    lenin (bots in the rest), and return the branch's saved export."""
    host = h.connect()
    made = h.ok(host, "branch", source=source, at=at, team="lenin", level="easy")
    student, _ = h.join(made["code"], "Ty", "lenin")
    h.ok(host, "start")
    s = h.session(made["code"])
    for card in s.state.cards:
        options = open_options(s.state, card, "lenin")
        if options:
            h.ok(student, "vote", card=card, option=options[0])
    if h.session(made["code"]).state.phase is Phase.DELIBERATION:
        h.ok(host, "force_resolve")
    return h.ok(h.connect(), "saved_export", token=made["host_token"])["data"]


def test_the_report_shows_our_path_against_history_and_where_it_leaves(export):
    sc = builtin_scenario(SCENARIO)
    report = build_report(export, sc, "en")
    assert report.whatif is not None
    kinds = [p["kind"] for p in report.whatif["paths"]]
    assert kinds == ["history", "game"]
    ours = report.whatif["paths"][1]
    page = render_html(report)
    assert 'id="whatif"' in page and "What if? History, our game and its branches" in page
    where = ours["departure"]
    if where is not None:
        assert f"turn {where['turn']}" in page
    assert page.count("<tr><th>") >= 2


def test_the_comparison_with_a_branch_exports_on_its_own_as_json_and_csv(export, tmp_path):
    sc = builtin_scenario(SCENARIO)
    branch = _branch_export(export, 3)
    data = comparison_of(export, sc, [branch])
    assert [p["kind"] for p in data["paths"]] == ["history", "game", "branch"]
    mine = data["paths"][2]
    assert mine["parent"] == export["session"]["code"] and mine["branched_at"] is not None
    ours = data["paths"][1]
    assert mine["turns"][:2] == ours["turns"][:2]  # the shared turns are the lesson's own
    rows = comparison_rows(sc, paths_of(export, sc, [branch]))
    files = write_comparison(tmp_path, "whatif", data, rows)
    assert json.loads(files["json"].read_text(encoding="utf-8")) == json.loads(json.dumps(data))
    with files["csv"].open(encoding="utf-8-sig", newline="") as f:
        read = list(csv.reader(f))
    assert read == rows and {r[1] for r in read[1:]} == {"history", "game", "branch"}
    page = render_html(build_report(export, sc, "pl"))
    assert "A gdyby?" in page


def test_a_campaign_lessons_paths_and_its_branchs_start_from_its_carried_start():
    """A campaign lesson (brest-1918 carried in with every track at its minimum) and a branch of it
    sent whole with that start: the report's paths replay both from it, not from the scenario's own."""
    sc = builtin_scenario(SCENARIO)
    low = Start(tracks=tuple((t.id, t.min) for t in sc.tracks.values()), notes=({"pl": "Przeniesione.",
                                                                                "en": "Carried."},))
    lesson = class_game(sc, 6, start=low)
    config = {"lang": "en", "campaign": {"id": "rozdroza-1917-1922", "step": 1, "start": low.to_wire()}}
    log = [d.to_wire() for d in lesson.log]
    export = {"session": {"code": "K7QXPM", "scenario": sc.id, "seed": lesson.seed, "scenario_digest": sc.digest,
                          "config": config, "status": "ended"},
              "log": [{**d, "seq": i + 1, "at": None} for i, d in enumerate(log)], "digest": lesson.digest()}
    at = prefix_at(sc, lesson.seed, log, 3, start=low)
    branch = _played_branch(Harness(), {"scenario": sc.id, "seed": lesson.seed, "log": log, "code": "K7QXPM",
                                        "start": low.to_wire()}, at)
    assert branch["session"]["config"]["start"] == low.to_wire()

    data = comparison_of(export, sc, [branch])
    _history, ours, mine = data["paths"]
    assert ours["start"] == low.to_wire() and mine["start"] == low.to_wire()
    assert ours["ending"] == lesson.ending and ours["turns"][-1]["tracks"] == lesson.tracks
    assert mine["turns"][:2] == ours["turns"][:2]  # the shared turns are the lesson's own, tracks and all
    played = replay(sc, lesson.seed, [{k: v for k, v in d.items() if k not in ("seq", "at")} for d in branch["log"]],
                    low)
    assert mine["turns"][-1]["tracks"] == played.tracks
    # the lesson's report carries the comparison (replayed from the scenario's own start its log does not
    # even replay: other cards come up later on, so the report had no what-if part at all)
    with pytest.raises(EngineError):
        replay(sc, lesson.seed, log)
    report = build_report(export, sc, "en")
    assert report.whatif is not None and report.whatif["paths"][1]["turns"] == ours["turns"]
