"""A campaign across lessons as a teacher runs it: the setup offers the campaign and its lessons, a
lesson played to its end leads to the next, which opens with what carried over (the student's
screen too); a lesson stopped at the bell carries nothing."""

from __future__ import annotations

import pygame

from game.client.seats import SeatBook

from ..server.rules import votable
from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts

CAMPAIGN = "campaign_rozdroza-1917-1922"


def _join(student, host, name: str) -> None:
    student.scenes.top.press("join")
    student.scenes.top.set_fields(address=address_of(host), code=host.session.code, name=name)
    student.scenes.top.press("join")


def _play_to_the_end_without_a_red_army(host, apps) -> None:
    """The teacher enters every team's choice on one screen (the first open option, never the Red
    Army), closes each vote and moves on, turn by turn, to the end (bounded)."""
    for _ in range(80):
        view = host.session.view
        if view["phase"] == "ended":
            return
        state_id = view["state_id"]
        if view["phase"] == "deliberation":
            for team in host.session.config["teams"]:
                for card, options in votable(view, team):
                    pick = [o for o in options if o != "found_red_army"]
                    if pick:
                        host.send("team_choice", team=team, card=card, option=pick[0])
            host.send("force_resolve")
        else:
            host.send("advance")
        pump(apps, lambda s=state_id: host.session.view["state_id"] != s, what="the game moving on")
    raise AssertionError("the lesson did not end")


def test_a_campaign_lesson_leads_to_the_next_which_says_what_carried(tmp_path):
    host = make_app(transport_factory=lan_server(tmp_path / "lesson.sqlite3"), lang="en")
    host.lessons.seats = SeatBook(tmp_path / "teacher" / "seats.json")
    ola = make_app(lang="en")
    apps = [host, ola]
    try:
        host.scenes.top.press("host")
        setup = host.scenes.top
        assert setup.press(CAMPAIGN)
        assert setup.scenario.id == "october-1917" and shown(host, "Lesson 1 of 5")
        assert setup.press("campaign_up") and setup.scenario.id == "brest-1918"
        assert shown(host, "from history's state")
        assert setup.press("one_screen")
        setup.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", what="lesson 2's lobby")
        first_code = host.session.code
        host.scenes.top.press("start")
        pump(apps, lambda: host.session.view["phase"] != "briefing" or host.session.started, what="started")
        _play_to_the_end_without_a_red_army(host, apps)
        pump(apps, lambda: scene_name(host) == "DebriefScene", what="the host's debrief")
        assert shown(host, "Campaign: lesson 2 of 5")

        assert host.scenes.top.press("campaign_next")
        pump(apps, lambda: scene_name(host) == "LobbyScene" and host.session.code != first_code,
             what="the next lesson's lobby")
        camp = host.session.config["campaign"]
        assert camp["step"] == 2 and host.session.info["scenario"]["id"] == "civil-war"
        assert [p["scenario"] for p in camp["path"]] == ["brest-1918"]

        _join(ola, host, "Ola")
        pump(apps, lambda: scene_name(ola) == "LobbyScene" and ola.session.player is not None, what="Ola joined")
        ola.scenes.top.press("pick_reds")
        pump(apps, lambda: ola.session.team == "reds", what="Ola with the Reds")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(ola) == "GameScene", what="Ola's first turn")
        rendered = "\n".join(texts(ola))
        assert "Carried over from the campaign's last lesson" in rendered and "Red Army" in rendered
        ola.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, 5), button=1)])
        assert not ola.scenes.top.show_carried
        assert "Carried over" not in "\n".join(texts(ola))

        # the bell rings in this lesson: the next one starts from history's state, nothing carried
        assert host.scenes.top.press("end") and host.scenes.top.press("end")
        pump(apps, lambda: scene_name(host) == "DebriefScene", what="the debrief after the bell")
        assert host.scenes.top.press("campaign_next")
        pump(apps, lambda: scene_name(host) == "LobbyScene" and host.session.config["campaign"]["step"] == 3,
             what="lesson 4's lobby")
        assert host.session.config["campaign"]["start"] is None
        assert [p["ended_early"] for p in host.session.config["campaign"]["path"]] == [False, True]
    finally:
        for app in apps:
            app.shutdown()
