"""A campaign across two lessons as a teacher runs it: lesson 1 ends at the bell, the debrief offers
the next lesson, which opens with what carried over — on the student's screen too."""

from __future__ import annotations

import pygame

from game.client.seats import SeatBook

from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts


def _join(student, host, name: str) -> None:
    student.scenes.top.press("join")
    student.scenes.top.set_fields(address=address_of(host), code=host.session.code, name=name)
    student.scenes.top.press("join")


def test_a_campaign_lesson_leads_to_the_next_which_says_what_carried(tmp_path):
    host = make_app(transport_factory=lan_server(tmp_path / "lesson.sqlite3"), lang="en")
    host.lessons.seats = SeatBook(tmp_path / "teacher" / "seats.json")
    ola = make_app(lang="en")
    apps = [host, ola]
    try:
        host.scenes.top.press("host")
        setup = host.scenes.top
        assert setup.press("campaign_rozdroza-1917-1922")
        assert setup.scenario.id == "brest-1918" and shown(host, "Lesson 1 of")
        assert setup.press("campaign_up") and setup.scenario.id == "war-communism-nep"
        assert shown(host, "from history's state")
        assert setup.press("campaign_down") and setup.scenario.id == "brest-1918"
        setup.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", what="lesson 1's lobby")
        first_code = host.session.code
        _join(ola, host, "Ola")
        pump(apps, lambda: scene_name(ola) == "LobbyScene" and ola.session.player is not None, what="Ola joined")
        ola.scenes.top.press("pick_lenin")
        pump(apps, lambda: ola.session.team == "lenin", what="Ola in Lenin's faction")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(host) == "HostPanelScene", what="the host panel")
        assert host.scenes.top.press("end") and host.scenes.top.press("end")  # the bell, confirmed
        pump(apps, lambda: scene_name(host) == "DebriefScene", what="the host's debrief")
        assert shown(host, "Campaign: lesson 1 of")

        assert host.scenes.top.press("campaign_next")
        pump(apps, lambda: scene_name(host) == "LobbyScene" and host.session.code != first_code,
             what="the next lesson's lobby")
        camp = host.session.config["campaign"]
        assert camp["step"] == 1 and host.session.info["scenario"]["id"] == "war-communism-nep"
        assert [p["scenario"] for p in camp["path"]] == ["brest-1918"]

        pump(apps, lambda: scene_name(ola) == "DebriefScene", what="Ola's debrief of lesson 1")
        assert not ola.scenes.top.press("campaign_next")  # only the teacher starts the next lesson
        assert ola.scenes.top.press("menu")
        pump(apps, lambda: scene_name(ola) == "MenuScene", what="Ola back at the menu")
        _join(ola, host, "Ola")
        pump(apps, lambda: scene_name(ola) == "LobbyScene" and ola.session.player is not None, what="Ola joined again")
        ola.scenes.top.press("pick_lenin")
        pump(apps, lambda: ola.session.team == "lenin", what="Ola in Lenin's team again")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(ola) == "GameScene", what="Ola's first briefing")
        rendered = "\n".join(texts(ola))
        assert "Carried over from the campaign's last lesson" in rendered and "Red Army" in rendered
        ola.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, 5), button=1)])
        assert not ola.scenes.top.show_carried
    finally:
        for app in apps:
            app.shutdown()
