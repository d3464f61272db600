"""The what-if explorer driven headless against a real LocalServer: an exported lesson's paths,
a branch played on from a past turn (bots in the other seats), a branch of that branch, renaming
and deleting, and the odds panel against a direct simulation."""

from __future__ import annotations

import json

import pytest

from game.client import textlog
from game.client.explorer import BranchOptions, family
from game.client.scenes.explorer import ExplorerScene, open_explorer
from game.engine import Start, replay
from game.explore import draw_seed, prefix_at
from game.scenarios import builtin_scenario
from game.wire import Phase
from server.protocol import BRANCH_NAME_MAX
from server.store import SqliteStore

from ..explore.conftest import class_game
from ..explore.test_odds import _decisions, _direct
from .helpers import pump, scene_name, texts
from .test_solo import TURN_SECONDS, solo_app, vote_own_cards

CODE = "K7QXPM"


def _export_file(tmp_path, seed=3, start=None, scenario="brest-1918"):
    """An exported lesson file (what game.report writes beside the report): a finished lesson of
    ``scenario`` (``start``: a campaign lesson's carried start, kept in its config as the server keeps it)."""
    sc = builtin_scenario(scenario)
    state = class_game(sc, seed, start=start)
    config = {"lang": "pl"}
    if start is not None:
        config["campaign"] = {"id": "rozdroza-1917-1922", "step": 1, "start": start.to_wire()}
    data = {"session": {"code": CODE, "scenario": sc.id, "seed": state.seed, "scenario_digest": sc.digest,
                        "config": config, "status": "ended"},
            "log": [{**d.to_wire(), "seq": i + 1, "at": None} for i, d in enumerate(state.log)]}
    path = tmp_path / f"{CODE}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, sc, state


def _explorer(app, path) -> ExplorerScene:
    assert open_explorer(app, json.loads(path.read_text(encoding="utf-8"))) is None
    scene = app.scenes.top
    assert isinstance(scene, ExplorerScene)
    pump([app], lambda: not scene.errands, 15, "the branches' records")
    return scene


def _play_branch(app, scene, lane, turn, team):
    while scene.team != team:
        assert scene.press("team")
    assert scene.select(lane, turn) and scene.press("play")
    pump([app], lambda: scene_name(app) == "GameScene" and app.session.phase == Phase.DELIBERATION, 20,
         "the branch's first vote")
    assert app.session.view["turn"] == turn and app.session.team == team
    assert vote_own_cards(app) >= 1
    pump([app], lambda: scene_name(app) == "OutcomeScene", TURN_SECONDS, "the branch's turn to resolve")
    code = app.session.code
    app.leave_to_menu()
    app.step()
    return code


def test_the_explorer_shows_a_lesson_file_its_branches_and_branches_of_branches(tmp_path):
    path, sc, state = _export_file(tmp_path)
    app = solo_app(tmp_path / "solo.sqlite3", lang="pl", book=tmp_path / "solo.json")
    try:
        scene = _explorer(app, path)
        assert [lane.key for lane in scene.model.lanes] == ["history", "game"]
        shown = texts(app)
        assert "Historia" in shown and "Nasza gra" in shown
        # a click on a turn shows its cards and what each side chose
        cell = scene.timeline.cell_rect("game", 2)
        import pygame

        scene.process_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=cell.center))
        assert scene.selected == ("game", 2)
        card = sc.cards[state.records[1]["cards"][0]["card"]]
        from game.client.i18n import pick

        assert any(pick(card.title) in t for t in texts(app))

        first = _play_branch(app, scene, "game", 3, "lenin")
        saved = app.solo.book.find(first)
        assert saved.parent == CODE and saved.branched_at == prefix_at(sc, state.seed, state.log, 3)
        scene = _explorer(app, path)
        lane = scene.model.lane(first)
        assert lane is not None and lane.depth == 1
        ours = scene.model.game
        assert [s.to_dict() for s in lane.path.turns[:2]] == [s.to_dict() for s in ours.turns[:2]]
        assert lane.path.turns[2].turn == 3  # its own turn 3, played by the player and the bots

        second = _play_branch(app, scene, first, 3, "central")
        assert app.solo.book.find(second).parent == first
        scene = _explorer(app, path)
        keys = [lane.key for lane in scene.model.lanes]
        assert keys == ["history", "game", first, second] and scene.model.lane(second).depth == 2
        assert [g.code for g in family(app.solo.book.games, CODE)] == [first, second]

        # rename the first branch; the name is saved on the server and shown
        assert scene.select(first, 3) and scene.press("rename")
        scene.name_entry.set_text("Pokój od razu")
        assert scene.press("rename_save")
        pump([app], lambda: not scene.errands, 10, "the rename")
        assert scene.model.lane(first).label == "Pokój od razu"
        assert any("Pokój od razu" in t for t in texts(app))
        from server.store import SqliteStore

        stored = SqliteStore(tmp_path / "solo.sqlite3")   # what the solo server saved
        assert stored.load_session(first).record.config["branch_name"] == "Pokój od razu"

        # delete it (after a confirmation): gone from the server and the list; its own branch stays in the tree
        assert scene.press("delete") and "delete_yes" in scene.actions and scene.press("delete_yes")
        pump([app], lambda: not scene.deleting, 10, "the deletion")
        assert stored.load_session(first) is None and app.solo.book.find(first) is None
        assert stored.load_session(second) is not None
        stored.close()
        assert [lane.key for lane in scene.model.lanes] == ["history", "game", second]
        assert app.solo.book.find(second).parent == CODE
    finally:
        app.shutdown()


def test_a_long_branch_name_is_kept_whole_and_fitted_to_its_lane_with_an_ellipsis(tmp_path):
    """The explorer's default name of a branch played from turn 4 as the Central Powers is longer than
    a player's name (24 characters): the server keeps it whole (as it keeps a long rename), and the
    timeline fits it to its lane's label column, cut at a word with "…"."""
    path, _sc, _state = _export_file(tmp_path)
    app = solo_app(tmp_path / "solo.sqlite3", lang="pl", book=tmp_path / "solo.json")
    try:
        scene = _explorer(app, path)
        code = _play_branch(app, scene, "game", 4, "central")
        scene = _explorer(app, path)
        name = "Od tury 4 jako Państwa centralne"  # explorer.branch_name, as "play from here" sent it
        assert scene.model.lane(code).label == name
        stored = SqliteStore(tmp_path / "solo.sqlite3")
        assert stored.load_session(code).record.config["branch_name"] == name
        stored.close()

        def drawn_label(full: str) -> textlog.DrawnText:
            textlog.start()
            try:
                scene.dirty = True
                app.step()
            finally:
                drawn = textlog.stop()
            return next(t for t in drawn if t.full == full)

        room = scene.timeline.label_rect(code)
        label = drawn_label("↳ " + name)
        assert room is not None and room.left <= label.rect.left and label.rect.right <= room.right
        assert label.shown.endswith("…") and label.cut, label.shown
        kept = label.shown[:-1]
        assert label.full.startswith(kept) and label.full[len(kept)] == " ", label.shown  # cut at a word

        # a rename up to the protocol's 60 characters is kept whole too, and fitted the same way
        long = "Pokój z Niemcami od razu, zanim Ententa zdąży cokolwiek zrobić"[:60]
        assert scene.select(code, 4) and scene.press("rename")
        scene.name_entry.set_text(long)
        assert scene.press("rename_save")
        pump([app], lambda: not scene.errands, 10, "the rename")
        assert scene.model.lane(code).label == long
        label = drawn_label("↳ " + long)
        assert label.shown.endswith("…") and label.rect.right <= scene.timeline.label_rect(code).right
    finally:
        app.shutdown()


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_play_from_here_as_a_long_named_team_makes_a_default_name_within_the_protocols_limit(tmp_path, lang):
    """A civil-war lesson, "play from here" at turn 9 as Kolchak's Whites (a 46-character team name):
    "From turn 9 as " + the team is 61 characters, past the protocol's limit for a branch name. The
    default name shortens the team with "…" and keeps "From turn 9 as", so the server takes the
    branch (it refused it with msg/bad_field) and keeps the name it was sent."""
    path, sc, _state = _export_file(tmp_path, seed=3, scenario="civil-war")
    team = sc.teams["kolchak"]
    prefix = {"pl": "Od tury 9 jako ", "en": "From turn 9 as "}[lang]
    assert len(prefix + team.name[lang]) > BRANCH_NAME_MAX   # what the old default name was
    app = solo_app(tmp_path / "solo.sqlite3", lang=lang, book=tmp_path / "solo.json")
    try:
        scene = _explorer(app, path)
        while scene.team != "kolchak":
            assert scene.press("team")
        assert scene.select("game", 9) and scene.press("play")
        # Kolchak decides none of turn 9's cards, so the bots' votes may close it within a frame or two:
        # the branch has started whether its first vote or that vote's outcome is on screen.
        started = ("GameScene", "OutcomeScene")
        pump([app], lambda: (scene_name(app) in started and app.session.phase in (Phase.DELIBERATION, Phase.OUTCOME))
             or scene_name(app) == "MenuScene", 20, "the branch's first vote")
        assert scene_name(app) in started, app.toast   # not back at the menu with the server's refusal
        assert app.session.view["turn"] == 9 and app.session.team == "kolchak"
        code = app.session.code
        saved = app.solo.book.find(code)
        assert saved.parent == CODE
        stored = SqliteStore(tmp_path / "solo.sqlite3")   # what the solo server saved
        name = stored.load_session(code).record.config["branch_name"]
        stored.close()
        assert name == saved.name and len(name) <= BRANCH_NAME_MAX, name
        assert name.startswith(prefix + team.name[lang][:20]) and name.endswith("…"), name
        assert prefix + name[len(prefix):-1] in prefix + team.name[lang]   # the team's name, only shortened
    finally:
        app.shutdown()


def test_the_turn_panel_shows_each_text_whole_where_there_is_room_and_no_line_half_drawn(tmp_path):
    """Each turn of history and of our game, at 1024x600, 1280x720 and 1920x1080, in both languages: a
    card's texts (the choices, what came of them, history's quote) are cut with "…" only when the
    panel has no room left for them, and no line is drawn half under the panel's bottom edge. (Each
    was cut at two lines, however empty the panel below; at 1024x600 the last line was clipped.)"""
    from .classroom import render

    path, sc, _state = _export_file(tmp_path)
    app = solo_app(tmp_path / "solo.sqlite3", lang="pl", book=tmp_path / "solo.json")
    failures: list[str] = []
    try:
        scene = _explorer(app, path)
        for size in ((1024, 600), (1280, 720), (1920, 1080)):
            for lang in ("pl", "en"):
                for lane in ("history", "game"):
                    for turn in range(1, len(sc.turns) + 1):
                        assert scene.select(lane, turn)
                        drawn = render(app, size, 1.0, lang)
                        scene = app.scenes.top
                        panel = scene.detail_rect()
                        inside = [t for t in drawn if t.kind == "text" and panel.contains(t.rect)]
                        assert inside, (size, lang, lane, turn)
                        room = panel.bottom - max(t.rect.bottom for t in inside)
                        where = f"{size[0]}x{size[1]} {lang} {lane} turn {turn}"
                        for t in inside:
                            if t.cut and not t.ellipsis:
                                failures.append(f"{where}: half drawn {t.shown!r} {tuple(t.rect)}")
                            elif t.cut and room > 3 * scene.painter.paragraph_line_height(13):
                                failures.append(f"{where}: cut with {room} px to spare: {t.shown[-40:]!r}")
    finally:
        app.shutdown()
    assert not failures, "\n".join(failures[:30])


def test_the_explorers_buttons_keep_their_labels_whole_and_only_a_long_side_is_cut(tmp_path):
    """The row of buttons under the explorer shares its width by what each label needs: "How likely?"
    ("Jak bardzo prawdopodobne?") was cut to "Jak bardzo…" at 1280x720 beside a half-empty "Back". Only
    the side's button, with a long team name, may be cut (its tooltip says it whole)."""
    from .classroom import render
    from .test_text_fit import CONFIGS

    path, _sc, _state = _export_file(tmp_path)
    app = solo_app(tmp_path / "solo.sqlite3", lang="pl", book=tmp_path / "solo.json")
    failures: list[str] = []
    try:
        scene = _explorer(app, path)
        assert scene.select("game", 2)
        while scene.team != "trotsky":   # the longest side's name
            assert scene.press("team")
        for size, scale in CONFIGS:
            for lang in ("pl", "en"):
                render(app, size, scale, lang)
                scene = app.scenes.top
                for action in ("back", "team", "level", "play", "odds"):
                    b = scene.actions[action]
                    if b.text != b.full_text and (action != "team" or not b.tool_tip_text):
                        failures.append(f"{size[0]}x{size[1]} {app.scale:g}x {lang}: {b.text!r} ({b.full_text!r})")
    finally:
        app.shutdown()
    assert not failures, "\n".join(failures)


def test_the_odds_panel_shows_what_a_direct_simulation_gives(tmp_path):
    path, sc, state = _export_file(tmp_path, seed=6)
    app = solo_app(tmp_path / "solo.sqlite3", lang="en")
    try:
        ExplorerScene.odds_draws, ExplorerScene.odds_alt_draws = 150, 20
        scene = _explorer(app, path)
        assert scene.select("game", 1) and scene.press("odds")
        job = scene.current_odds()
        assert job is not None
        seen = []
        pump([app], lambda: (seen.append(job.progress) or job.done), 60, "the odds")
        assert job.error is None and job.result is not None and job.result.draws == 150
        decisions = _decisions(state)
        from game.explore import draw_seed

        direct = dict.fromkeys(sc.endings, 0)
        for i in range(150):
            direct[_direct(sc, draw_seed(0, i), decisions)] += 1
        assert job.result.endings == direct
        shown = texts(app)
        for ending, count in direct.items():
            if count:
                assert f"{count / 150:.0%}" in shown, (ending, shown)
                assert any(scene._ending_short(ending, False)[:20] in t for t in shown)
        assert any("moved the odds most" in t for t in shown)
        most = job.result.most_moved
        if most is not None:
            line = next(t for t in shown if f"Turn {most.turn}," in t)
            assert ".”" not in line, line   # the options' own full stops do not end up inside the quotes
    finally:
        ExplorerScene.odds_draws, ExplorerScene.odds_alt_draws = 2000, 100
        app.shutdown()


def test_the_explorer_of_a_campaign_lesson_replays_branches_and_odds_from_its_carried_start(tmp_path):
    sc = builtin_scenario("brest-1918")
    low = Start(tracks=tuple((t.id, t.min) for t in sc.tracks.values()),
                notes=({"pl": "Przeniesione.", "en": "Carried."},))
    path, sc, state = _export_file(tmp_path, seed=5, start=low)
    app = solo_app(tmp_path / "solo.sqlite3", lang="en", book=tmp_path / "solo.json")
    try:
        ExplorerScene.odds_draws, ExplorerScene.odds_alt_draws = 60, 0
        scene = _explorer(app, path)
        ours = scene.model.game
        assert ours.start == low and ours.ending == state.ending and ours.turns[-1].tracks == state.tracks
        # "play from here" sends the lesson with its start, and the branch is played from it
        options = scene.model.branch_options(scene.model.lane("game"), 3, "lenin", "easy", "en")
        assert isinstance(options, BranchOptions) and options.source["start"] == low.to_wire()
        assert options.create_request([])["source"]["start"] == low.to_wire()
        first = _play_branch(app, scene, "game", 3, "lenin")
        scene = _explorer(app, path)
        lane = scene.model.lane(first)
        assert lane is not None and lane.path.start == low
        assert [s.to_dict() for s in lane.path.turns[:2]] == [s.to_dict() for s in ours.turns[:2]]
        export = scene.model.exports[first]
        assert export["session"]["config"]["start"] == low.to_wire()
        resolves = [i for i, d in enumerate(lane.path.log, 1) if d["type"] == "resolve"]
        played = replay(sc, state.seed, lane.path.log[: resolves[-1]], low)  # the engine, from the start
        assert lane.path.turns[-1].tracks == played.tracks and len(lane.path.turns) == len(played.records)
        # the odds of our game: every draw from the carried start (a direct simulation from it agrees)
        assert scene.select("game", 1) and scene.press("odds")
        job = scene.current_odds()
        pump([app], lambda: job.done, 60, "the odds")
        assert job.error is None and job.result is not None
        decisions = _decisions(state)
        direct = dict.fromkeys(sc.endings, 0)
        for i in range(60):
            direct[_direct(sc, draw_seed(0, i), decisions, start=low)] += 1
        assert job.result.endings == direct and job.result.class_ending == state.ending
    finally:
        ExplorerScene.odds_draws, ExplorerScene.odds_alt_draws = 2000, 100
        app.shutdown()
