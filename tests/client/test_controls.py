"""Controls that do what they say (#11), driven as a teacher or student would, headless, against a
real server where one is involved: the scales offered are those the screen fits, the host setup
lists every scenario with its summary and steps the clock both ways, Back in the lobby asks first,
and the timeline opens a past turn's outcome."""

from __future__ import annotations

from game.client.scenes.settings_scene import fitting_scales
from game.client.settings import SCALES

from .helpers import make_app, shown, texts


def test_a_small_screen_offers_only_the_scales_it_fits_and_says_why():
    app = make_app("en", size=(1024, 600))
    app.scenes.top.press("settings")
    scene = app.scenes.top
    assert "scale_1.0" in scene.actions and "scale_2.0" not in scene.actions
    assert shown(app, "This screen (1024×600) fits up to 1×")
    big = make_app("en", size=(2560, 1440))
    big.scenes.top.press("settings")
    assert all(f"scale_{v}" in big.scenes.top.actions for v in SCALES)
    assert fitting_scales((1920, 1080)) == [1.0, 1.25, 1.5]


def test_there_is_no_sound_switch_for_sounds_that_do_not_exist():
    app = make_app("en")
    app.scenes.top.press("settings")
    assert not [a for a in app.scenes.top.actions if a.startswith("snd_")]
    assert "Sound" not in texts(app)


def test_host_setup_lists_every_scenario_with_its_summary_and_the_clock_steps_both_ways():
    from game.scenarios import builtin_scenario, builtin_scenario_ids

    app = make_app("pl", size=(1024, 600))
    app.scenes.top.press("host")
    setup = app.scenes.top
    shown_now = " ".join(texts(app))
    for sid in builtin_scenario_ids():
        sc = builtin_scenario(sid)
        assert f"scenario_{sid}" in setup.actions
        assert sc.summary["pl"] in shown_now                 # each summary, not only the chosen one's
    assert setup.press("scenario_genoa-rapallo")
    assert setup.scenario.id == "genoa-rapallo"
    assert setup.press("scenario_brest-1918") and setup.scenario.id == "brest-1918"
    assert "3 min" in texts(app)
    assert setup.press("timer_down")
    assert "2 min" in texts(app) and setup.options()["timer"] == 120
    assert setup.press("timer_up") and setup.press("timer_up")
    assert setup.options()["timer"] == 240
    while setup.press("timer_down"):                         # stops at the end, no wrapping round
        pass
    assert setup.options()["timer"] is None and not setup.actions["timer_down"].is_enabled


def test_back_in_the_lobby_asks_before_leaving_the_lesson(tmp_path):
    import pygame

    from .helpers import address_of, lan_server, pump, scene_name

    host = make_app("en", transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    ania = make_app("en")
    try:
        host.scenes.top.press("host")
        host.scenes.top.press("start")
        pump([host], lambda: scene_name(host) == "LobbyScene", what="the host's lobby")
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=address_of(host), code=host.session.code, name="Ania")
        ania.scenes.top.press("join")
        pump([host, ania], lambda: scene_name(ania) == "LobbyScene", what="Ania's lobby")

        lobby = ania.scenes.top
        assert lobby.press("leave")
        assert scene_name(ania) == "LobbyScene" and ania.session is not None   # nothing dropped yet
        assert shown(ania, "Leave the lobby?") and shown(ania, "join again with the code")
        assert lobby.press("p_cancel")
        assert lobby.dialog is None and "leave" in lobby.actions
        ania.step([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="")])  # Esc asks too
        assert ania.scenes.top.dialog == ("leave", "")
        assert ania.scenes.top.press("p_leave_ok")
        assert scene_name(ania) == "MenuScene" and ania.session is None

        assert host.scenes.top.press("leave")
        assert shown(host, "Resume a saved lesson") and host.session is not None
        assert host.scenes.top.press("p_leave_ok") and scene_name(host) == "MenuScene"
    finally:
        host.shutdown()
        ania.shutdown()
