"""The projector as a class sees it and the teacher's switch to it: the lobby shows the code and the
address to type; every card of the turn with its options and the teams' vote counts; the text scales
with the screen; the teacher switches panel <-> projector with one key both ways (with a hint); the
teacher's panel keeps the ★ and the history hidden until revealed or "my notes" (N) is opened; the
outcome screen's reveal reaches the projector."""

from __future__ import annotations

import pygame
import pytest

from game.client.hosting import lan_address
from game.scenarios import builtin_scenario

from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts

SCENARIO = "brest-1918"


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


@pytest.fixture
def lesson(tmp_path):
    """The host, Ania (Lenin's faction), Bartek (the Entente) and a 1920x1080 projector, in the lobby."""
    host = make_app(transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    ania, bartek, screen = make_app(), make_app(), make_app(size=(1920, 1080))
    apps = [host, ania, bartek, screen]
    host.scenes.top.press("host")
    setup = host.scenes.top
    while setup.scenario.id != SCENARIO:
        setup.press("scenario")
    setup.press("start")
    pump(apps, lambda: scene_name(host) == "LobbyScene", what="the lobby")
    for app, name in ((ania, "Ania"), (bartek, "Bartek")):
        app.scenes.top.press("join")
        app.scenes.top.set_fields(address=address_of(host), code=host.session.code, name=name)
        app.scenes.top.press("join")
    screen.scenes.top.press("join")
    screen.scenes.top.set_fields(address=address_of(host), code=host.session.code)
    screen.scenes.top.press("watch")
    pump(apps, lambda: ania.session.player and bartek.session.player and screen.session.view is not None,
         what="everyone in the lobby")
    ania.scenes.top.press("pick_lenin")
    bartek.scenes.top.press("pick_entente")
    pump(apps, lambda: ania.session.team == "lenin" and bartek.session.team == "entente", what="teams picked")
    yield host, ania, bartek, screen, apps
    for a in apps:
        a.shutdown()


def test_the_teacher_switches_to_the_projector_from_the_lobby_and_back_with_one_key(lesson):
    host, ania, _bartek, screen, apps = lesson
    code, port = host.session.code, host.session.address.rsplit(":", 1)[-1]
    # the classroom screen's lobby: the code and the address to type
    assert scene_name(screen) == "ProjectorScene"
    assert shown(screen, code) and shown(screen, f"Adres: {screen.session.address}")
    # the teacher's own screen as the projector, at once from the lobby: the LAN address and the port
    assert host.scenes.top.press("projector")
    host.step()
    assert scene_name(host) == "ProjectorScene"
    assert shown(host, code) and shown(host, f"Adres: {lan_address()}:{port}")
    assert shown(host, "P / F5 — powrót do ekranu nauczyciela")
    host.step([key(pygame.K_p)])
    assert scene_name(host) == "LobbyScene"
    host.scenes.top.press("projector")
    host.step()
    # Start (from the keyboard on the teacher's panel after F5): the projector stays until the teacher switches
    host.step([key(pygame.K_F5)])
    assert scene_name(host) == "LobbyScene"
    host.scenes.top.press("start")
    pump(apps, lambda: scene_name(host) == "HostPanelScene" and ania.session.phase == "deliberation")
    assert shown(host, "P / F5 — widok projektora")
    host.step([key(pygame.K_F5)])
    assert scene_name(host) == "ProjectorScene" and shown(host, "Rozejm na froncie wschodnim")
    host.step([key(pygame.K_p)])
    assert scene_name(host) == "HostPanelScene"


def test_the_projector_shows_every_card_with_its_options_and_every_team_legibly(lesson):
    host, ania, _bartek, screen, apps = lesson
    host.scenes.top.press("start")
    pump(apps, lambda: screen.session.phase == "deliberation" and scene_name(screen) == "ProjectorScene")
    ania.scenes.top.press("vote_talk_and_wait")
    pump(apps, lambda: screen.session.view["progress"]["armistice"]["lenin"]["votes"] == 1,
         what="Ania's vote counted on the projector")
    assert shown(screen, "Zagłosowało 1 z 1") or shown(screen, "✓ 1/1")  # the full count, or in a narrow box
    sc = builtin_scenario(SCENARIO)
    rendered = "\n".join(texts(screen))
    cards = [c["id"] for c in screen.session.view["cards"]]
    assert cards == ["armistice", "entente_stance"]
    for card in cards:
        assert sc.cards[card].title["pl"] in rendered
        for i, option in enumerate(sc.cards[card].options.values(), start=1):
            assert f"{i}. {option.text['pl']}" in rendered  # every option, numbered for the discussion
    assert "Ententa" in rendered and "Zagłosowało 0 z 1" in rendered  # the second card's team, in its box
    assert "★" not in rendered and "talk_and_wait" not in rendered  # neither history nor what anyone voted
    # legible from the back: the projector scales to its screen by itself
    top = screen.scenes.top
    assert top.pscale == pytest.approx(1.5)
    assert min(top.text_px.values()) >= 30, top.text_px  # two long cards side by side
    # a turn with one card (turn 3) reads at 32 px or more at 1080p
    for _ in range(2):
        host.send("force_resolve")
        pump(apps, lambda: screen.session.phase == "outcome")
        host.send("advance")
        pump(apps, lambda: screen.session.phase == "briefing")
        host.send("advance")
        pump(apps, lambda: screen.session.phase == "deliberation")
    assert [c["id"] for c in screen.session.view["cards"]] == ["brest_talks"]
    texts(screen)
    assert screen.scenes.top.text_px["brest_talks"] >= 32, screen.scenes.top.text_px


def test_the_teacher_panel_hides_history_until_notes_or_reveal_and_the_reveal_reaches_the_projector(lesson):
    host, ania, _bartek, screen, apps = lesson
    host.scenes.top.press("start")
    pump(apps, lambda: scene_name(host) == "HostPanelScene" and ania.session.phase == "deliberation")
    history = builtin_scenario(SCENARIO).cards["armistice"].history_text["pl"]
    rendered = "\n".join(texts(host))
    assert "★" not in "".join(t for t in texts(host) if not t.startswith("★ i historia"))
    assert history not in rendered and "N — moje notatki" in rendered
    host.step([key(pygame.K_n)])  # my notes
    rendered = "\n".join(texts(host))
    assert "★" in rendered and history in rendered and "Ukryj notatki (N)" in rendered
    host.step([key(pygame.K_n)])
    assert history not in "\n".join(texts(host))
    # the outcome: the teacher reveals on their screen, the class sees it on the projector
    host.send("force_resolve")
    pump(apps, lambda: scene_name(host) == "OutcomeScene" and screen.session.phase == "outcome")
    assert history not in "\n".join(texts(screen))
    assert history not in "\n".join(texts(host))  # the teacher's outcome screen may be on the projector too
    assert host.scenes.top.press("reveal_armistice")
    pump(apps, lambda: shown(screen, history), what="the history on the projector")
    assert shown(screen, "W historii") and shown(host, history)


def test_a_team_nobody_plays_says_so_and_that_the_card_default_decides_not_0_of_0(lesson):
    """Nobody joined Trotsky's faction, the war faction or the Central Powers: their vote boxes on the
    projector say "no students" (a wide box: "no students: the card's default"), never "0/0", and so
    does the teacher's participation list; a team with a student still counts its votes."""
    host, _ania, _bartek, screen, apps = lesson
    host.scenes.top.press("start")
    pump(apps, lambda: screen.session.phase == "deliberation" and scene_name(host) == "HostPanelScene")
    nobody = ("Brak uczniów: domyślna opcja karty", "brak uczniów")
    for size in ((1920, 1080), (1280, 720), (1024, 600)):
        screen.size = size
        screen.screen = pygame.Surface(size)
        screen.apply_settings()
        rendered = texts(screen)
        assert len([t for t in rendered if t in nobody]) == 3, (size, rendered)
        assert not [t for t in rendered if "0 z 0" in t or t.endswith("0/0")], rendered
        assert "Zagłosowało 0 z 1" in rendered or "0/1" in rendered      # Ania's and Bartek's teams count
    top = screen.scenes.top
    assert top._count_text(0, 0, False, top.px(600)) == (nobody[0], 26)  # room enough: the default named
    panel = texts(host)
    assert panel.count("brak uczniów") == 3 and not [t for t in panel if "0 z 0" in t], panel
