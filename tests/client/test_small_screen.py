"""On a small screen (a 1024x600 netbook) a card whose text does not fit says so: "Read all"
(or C) shows the whole card with every option over the screen; a click or Esc closes it."""

from __future__ import annotations

import pygame

from game.scenarios import builtin_scenario

from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


def assert_buttons_apart(app) -> None:
    """Every button inside the window and clear of every other (nothing runs under anything)."""
    app.scenes.top.dirty = True
    app.step()
    screen = pygame.Rect((0, 0), app.size)
    rects = [(a, b.get_abs_rect()) for a, b in app.scenes.top.actions.items() if b.visible]
    for i, (a, r) in enumerate(rects):
        assert screen.contains(r), (scene_name(app), a, r)
        for b, q in rects[i + 1:]:
            assert not r.colliderect(q), (scene_name(app), a, b)


def test_a_cut_card_can_be_read_whole_on_a_small_screen(tmp_path):
    host = make_app(size=(1024, 600), transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    ania = make_app(lang="en", size=(1024, 600))
    apps = [host, ania]
    try:
        assert_buttons_apart(host)  # the menu
        host.scenes.top.press("host")
        setup = host.scenes.top
        setup.press("scenario_brest-1918")
        assert_buttons_apart(host)
        setup.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", what="the lobby")
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=address_of(host), code=host.session.code, name="Ania")
        ania.scenes.top.press("join")
        pump(apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.player is not None, what="joined")
        ania.scenes.top.press("pick_lenin")
        pump(apps, lambda: ania.session.team == "lenin", what="a team")
        host.scenes.top.press(f"sel_{ania.session.player}")
        assert_buttons_apart(host)  # the lobby, with the player's tools open
        assert_buttons_apart(ania)
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(ania) == "GameScene" and ania.session.phase == "deliberation", what="the vote")
        game = ania.scenes.top
        assert_buttons_apart(ania)
        pump(apps, lambda: scene_name(host) == "HostPanelScene", what="the teacher's panel")
        assert_buttons_apart(host)
        card = builtin_scenario("brest-1918").cards["armistice"]
        whole = card.text["en"]
        texts(ania)
        assert game.card_view.cut  # too long for this screen: cut with "…"
        assert "read_card" in game.actions and "vote_talk_and_wait" in game.actions
        assert game.press("read_card")
        shown_now = "\n".join(texts(ania))
        assert whole in shown_now and shown(ania, "press Esc to close")
        for option in card.options.values():  # every option whole, the other side's marked as theirs
            line = next(t for t in texts(ania) if option.text["en"] in t)
            assert line.endswith("(Central Powers)") == ("central" in option.deciders)
        assert "vote_talk_and_wait" not in game.actions  # nothing to click under the card
        game.process_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(500, 300)))
        assert not game.reading and "vote_talk_and_wait" in game.actions
        game.process_event(key(pygame.K_c))  # the keyboard way
        assert game.reading
        ania.step([key(pygame.K_ESCAPE)])
        assert not game.reading and scene_name(ania) == "GameScene"
        # the secret objective does not fit over this small card: it takes the options' place too
        lenin = builtin_scenario("brest-1918").teams["lenin"]
        assert game.press("secret")
        shown_now = texts(ania)
        assert lenin.secret_text["en"] in shown_now and lenin.aim["en"] in shown_now
        assert "vote_talk_and_wait" not in game.actions
        assert game.press("secret") and "vote_talk_and_wait" in game.actions
    finally:
        for a in apps:
            a.shutdown()
