"""No text cut without a way to read it whole, no two texts on top of each other: every screen of a
lesson at 1024x600, 1280x720 and 1920x1080, at 1x and the largest UI scale that fits, in both languages.

The drawing helpers record each text they draw (``game.client.textlog``, off outside tests): where it
went, whether it was cut (with "…", or by a clip) and whether the whole text can be had another way
(a tooltip, *Read all*, a scrolled panel)."""

from __future__ import annotations

import pytest

from game.client import textlog

from .classroom import classroom, render, start
from .helpers import scene_name

CONFIGS = [((1024, 600), 1.0), ((1280, 720), 1.0), ((1280, 720), 2.0), ((1920, 1080), 1.0), ((1920, 1080), 2.0)]
LANGS = ("pl", "en")


def problems(drawn: list[textlog.DrawnText]) -> list[str]:
    """What is wrong with one frame: cut texts with no way to read them whole, overlapping texts."""
    seen = [t for t in drawn if not t.hidden]
    out = [f"cut: {t.shown!r} (whole: {t.full[:60]!r})" for t in seen if t.cut and not t.more]
    for i, a in enumerate(seen):
        box = a.rect.inflate(-4, -4)
        for b in seen[i + 1:]:
            if a.surface == b.surface and box.colliderect(b.rect.inflate(-4, -4)) and a.full != b.full:
                out.append(f"overlap: {a.shown!r} {tuple(a.rect)} and {b.shown!r} {tuple(b.rect)}")
    return out


def check(app, where: str, failures: list[str]) -> None:
    for size, scale in CONFIGS:
        for lang in LANGS:
            for p in problems(render(app, size, scale, lang)):
                failures.append(f"{where} [{scene_name(app)} {size[0]}x{size[1]} {app.scale:g}x {lang}] {p}")


SCENARIOS = {"brest-1918": ("lenin", "central"), "war-communism-nep": ("lenin", "peasants"),
             "genoa-rapallo": ("soviet", "france"), "october-1917": ("lenin", "government")}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_game_outcome_and_debrief_texts_fit(tmp_path, scenario):
    """The screens this part of the client draws (game, outcome, debrief) for each scenario."""
    teams = SCENARIOS[scenario]
    room = classroom(tmp_path, scenario, "pl", teams)
    failures: list[str] = []
    try:
        start(room)
        student = room.students[teams[0]]
        card = student.scenes.top.current_card()
        student.scenes.top.press(f"vote_{next(o['id'] for o in card['options'] if o['for'])}")
        room.pump(lambda: bool((student.session.view.get("team") or {}).get("votes")), "a vote")
        check(student, "game", failures)
        game = student.scenes.top
        if game.press("terms"):
            check(student, "game, terms", failures)
            game.press("terms")
        game.on_action("read_card")
        check(student, "game, whole card", failures)
        game.on_action("read_card")
        room.resolve()
        check(student, "outcome before history", failures)
        for c in room.host.scenes.top.record()["cards"]:
            room.host.scenes.top.press(f"reveal_{c['card']}")
        room.pump(lambda: all(c.get("revealed") for c in room.host.scenes.top.record()["cards"]), "revealed")
        check(room.host, "outcome (host)", failures)
        check(student, "outcome after history", failures)
        room.host.scenes.top.press("advance")
        room.to_vote()
        room.pump(lambda: scene_name(student) == "GameScene", "the second turn")
        check(student, "game, turn 2", failures)
        while room.host.session.phase != "ended":
            room.resolve()
            if room.host.session.phase == "ended":
                break
            room.host.scenes.top.press("advance")
            room.to_vote()
        room.pump(lambda: scene_name(room.host) == scene_name(student) == "DebriefScene", "the debrief")
        check(room.host, "debrief (host)", failures)
        check(student, "debrief", failures)
    finally:
        room.close()
    assert not failures, "\n".join(sorted(set(failures))[:60])


def test_the_other_screens_texts_fit(tmp_path):
    """The rest of the lesson's screens: menu, settings, the lobbies (the teacher's with its QR code, the
    student's, the projector's), the teacher's panel and its players list, the projector's turn and outcome."""
    from .helpers import make_app
    failures: list[str] = []
    menu = make_app("pl")
    try:
        check(menu, "menu", failures)
        menu.scenes.top.press("settings")
        check(menu, "settings", failures)
    finally:
        menu.shutdown()
    room = classroom(tmp_path, "brest-1918", "pl", ("lenin",), projector=True)
    try:
        check(room.host, "lobby (host)", failures)
        assert room.host.scenes.top.press("qr")
        check(room.host, "lobby (host), the QR code enlarged", failures)
        room.host.scenes.top.press("qr_close")
        check(room.students["lenin"], "lobby (student)", failures)
        check(room.screen, "lobby (projector)", failures)
        start(room)
        room.pump(lambda: scene_name(room.host) == "HostPanelScene", "the panel")
        check(room.host, "host panel", failures)
        room.host.scenes.top.press("players")
        check(room.host, "host panel, players", failures)
        room.host.scenes.top.press("players")
        check(room.screen, "projector", failures)
        room.resolve()
        check(room.screen, "projector, outcome", failures)
    finally:
        room.close()
    assert not failures, "\n".join(sorted(set(failures)))
