"""The bell rings: the teacher ends the game before its last turn. The host, the student and the
projector all reach a debrief of what was played (the turns not played shown as such, the scores,
no ending claimed), each can go back to the menu, and the lesson stays viewable from the saved list."""

from __future__ import annotations

import pygame

from game.client.seats import SeatBook

from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts

SCENARIO = "brest-1918"


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


def test_ending_early_takes_everyone_to_a_debrief_and_the_lesson_stays_viewable(tmp_path):
    book = tmp_path / "teacher" / "seats.json"
    host = make_app(transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    host.lessons.seats = SeatBook(book)
    ania, screen = make_app(), make_app()
    apps = [host, ania, screen]
    try:
        host.scenes.top.press("host")
        setup = host.scenes.top
        while setup.scenario.id != SCENARIO:
            setup.press("scenario")
        setup.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", what="the lobby")
        code = host.session.code
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=address_of(host), code=code, name="Ania")
        ania.scenes.top.press("join")
        screen.scenes.top.press("join")
        screen.scenes.top.set_fields(address=address_of(host), code=code)
        screen.scenes.top.press("watch")
        pump(apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.player is not None
             and scene_name(screen) == "ProjectorScene", what="a student and the projector in the lobby")
        ania.scenes.top.press("pick_lenin")
        pump(apps, lambda: ania.session.team == "lenin", what="Ania in Lenin's faction")
        host.scenes.top.press("start")
        pump(apps, lambda: ania.session.phase == "deliberation" and scene_name(ania) == "GameScene")
        assert ania.scenes.top.press("vote_talk_and_wait")
        pump(apps, lambda: scene_name(host) == "OutcomeScene", what="turn 1's outcome")
        assert host.scenes.top.press("advance")
        pump(apps, lambda: host.session.view["turn"] == 2 and scene_name(host) == "HostPanelScene", what="turn 2")

        # the bell: End the game, confirmed
        assert host.scenes.top.press("end")
        assert shown(host, "Zakończyć grę teraz? Naciśnij ponownie, aby potwierdzić.") or host.scenes.top.confirm_end
        assert host.scenes.top.press("end")
        pump(apps, lambda: scene_name(host) == "DebriefScene" and scene_name(ania) == "DebriefScene"
             and screen.session.phase == "ended", what="everyone's debrief")
        for app in (host, ania, screen):
            rendered = "\n".join(texts(app))
            assert "Gra zakończona przed czasem po turze 1 z 9" in rendered
            assert "bez limitu" not in rendered.lower()  # no clock is shown once ended
            assert "pkt" in rendered  # the scores
            assert "Odmowa" not in rendered
        for app in (host, ania):
            rendered = "\n".join(texts(app))
            assert "Tura 1" in rendered and "Tura 2" in rendered and "nie rozegrano" in rendered
            assert "Zakończenie:" not in rendered  # no scenario ending is claimed
        assert host.session.view["learning"]["cards"] and all(
            c["turn"] == 1 for c in host.session.view["learning"]["cards"])  # only what was played
        assert host.lessons.seats.find(code, "host").stage == "ended_early"

        # everyone finds the way back to the menu: the buttons, and Esc on the projector
        assert ania.scenes.top.press("menu")
        screen.step([key(pygame.K_ESCAPE)])
        assert host.scenes.top.press("menu")
        pump(apps, lambda: all(scene_name(a) == "MenuScene" for a in apps), what="everyone at the menu")

        # the lesson stays viewable: the saved list labels it truly and reopens its debrief
        host.scenes.top.press("host")
        host.scenes.top.press("saved")
        assert shown(host, code) and shown(host, "zakończona przed czasem w turze 2 z 9")
        assert host.scenes.top.press("resume_0")
        pump([host], lambda: host.session is not None and scene_name(host) == "DebriefScene", what="the debrief again")
        assert shown(host, "Gra zakończona przed czasem po turze 1 z 9")
    finally:
        for a in apps:
            a.shutdown()
