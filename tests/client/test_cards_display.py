"""What the content carries, shown: quotes with our English gloss, glossary terms, the source-silent
tag, a scheduled card's turn date; and the classroom test's findings (issue #11, points 6, 9, 10):
the card tabs say which cards need this team's vote, the last seconds warn of a card with none, the
team's leaning names its option, no history tag before the teacher reveals, event cards' outcome,
"Alternative history" said once, distinct reveal and one-screen buttons, the end question in full."""

from __future__ import annotations

import re

import pygame

from game.client.widgets.card_view import CardView
from game.scenarios import builtin_scenario

from .classroom import classroom, render, start
from .helpers import scene_name, texts


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


def shown_text(app) -> str:
    return "\n".join(texts(app))


def test_brest_cards_outcome_and_history_as_a_class_sees_them(tmp_path):
    brest = builtin_scenario("brest-1918")
    room = classroom(tmp_path, "brest-1918", "en", ("lenin", "central", "entente"))  # the Entente waits
    lenin, central, host = room.students["lenin"], room.students["central"], room.host
    try:
        start(room)
        assert lenin.scenes.top.press("vote_talk_and_wait")
        assert central.scenes.top.press("vote_accept_armistice")
        room.resolve()
        # before the teacher reveals: no "as in history" / "alternative history" tag, no such prefix
        for lang, tags in (("en", ("AS IN HISTORY", "ALTERNATIVE HISTORY", "Alternative history")),
                           ("pl", ("JAK W HISTORII", "HISTORIA ALTERNATYWNA", "Historia alternatywna"))):
            render(lenin, (1280, 720), 1.0, lang)
            now = shown_text(lenin)
            assert not any(t in now for t in tags), lang
        render(lenin, (1280, 720), 1.0, "en")
        for c in host.scenes.top.record()["cards"]:
            assert host.scenes.top.press(f"reveal_{c['card']}")
        room.pump(lambda: all(c.get("revealed") for c in lenin.scenes.top.record()["cards"]), "history revealed")
        now = shown_text(lenin)
        assert "AS IN HISTORY" in now            # talk_and_wait + accept_armistice is history's path
        assert len(re.findall("alternative history", now, re.I)) <= len(lenin.scenes.top.record()["cards"])
        quote = brest.cards["armistice"].history_sources[0]
        assert f"„{quote['quote']}”" in now and f"our translation: “{quote['en']}”" in now
        render(lenin, (1280, 720), 1.0, "pl")    # the Polish client: the quote alone
        now = shown_text(lenin)
        assert f"„{quote['quote']}”" in now and quote["en"] not in now and "tłumaczenie" not in now
        render(lenin, (1280, 720), 1.0, "en")

        # turn 2: three cards; Lenin's team decides the first; the tabs say so, and then that it voted
        host.scenes.top.press("advance")
        room.to_vote()
        room.pump(lambda: scene_name(lenin) == "GameScene", "turn 2")
        game = lenin.scenes.top
        ids = [c["id"] for c in lenin.session.view["cards"]]
        tabs = {c: game.actions[f"card_{i}"].text for i, c in enumerate(ids)}
        mine = [c for c in ids if "lenin" in next(x for x in lenin.session.view["cards"] if x["id"] == c)["teams"]]
        assert mine and all(tabs[c].endswith("!") for c in mine)
        assert all(not tabs[c].endswith(("!", "✓")) for c in ids if c not in mine)
        # the last 30 seconds: a card of this team without a vote is named in a warning
        lenin.session.time_left = lambda: 20.0   # the client's clock, not the server: 20 s left
        warn = f"0:20 left: your team has not voted on card {ids.index(mine[0]) + 1}/{len(ids)}"
        assert any(warn in t for t in texts(lenin))
        game.press(f"card_{ids.index('konstytuanta')}")
        assert lenin.scenes.top.press("vote_disperse_assembly")
        room.pump(lambda: (lenin.session.view["team"]["votes"].get("konstytuanta") or {}), "the vote")
        game = lenin.scenes.top
        assert game.actions[f"card_{ids.index('konstytuanta')}"].text.endswith("✓")
        now = shown_text(lenin)
        assert "Your team leans to option 1: Disperse the Assembly at its first session." in now
        if len(mine) == 1:
            assert "has not voted on card" not in now
        # the glossary: the Terms button (and G) show this card's terms and what they mean
        assert game.press("terms")
        now = shown_text(lenin)
        for term in brest.cards["konstytuanta"].terms:
            entry = brest.glossary[term]
            assert entry.term["en"] in now and entry.text["en"] in now
        lenin.step([key(pygame.K_g)])
        assert not lenin.scenes.top.show_terms
        render(lenin, (1280, 720), 1.0, "pl")
        lenin.step([key(pygame.K_g)])
        now = shown_text(lenin)
        assert brest.glossary["konstytuanta"].text["pl"] in now and brest.glossary["konstytuanta"].text["en"] not in now
        lenin.step([key(pygame.K_ESCAPE)])
        render(lenin, (1024, 600), 1.0, "en")
        room.resolve()
        # an event card (nobody decides it): "in our game" says what happened
        now = shown_text(lenin)
        assert "No one decided this: it happened." in now and brest.cards["bessarabia"].text["en"] in now
        # the teacher's reveal buttons on a small screen: each its own, whole on hover
        render(host, (1024, 600), 1.0, "pl")
        reveal = [b for a, b in host.scenes.top.actions.items() if a.startswith("reveal_")]
        assert len(reveal) == len(host.scenes.top.record()["cards"]) > 1
        assert len({b.text for b in reveal}) == len(reveal) and not any(b.text.endswith("…") for b in reveal)
    finally:
        room.close()


def test_a_source_silent_outcome_says_so(tmp_path):
    room = classroom(tmp_path, "war-communism-nep", "en", ("petrograd",))
    petrograd, host = room.students["petrograd"], room.host
    try:
        start(room)
        game = petrograd.scenes.top
        ids = [c["id"] for c in petrograd.session.view["cards"]]
        game.press(f"card_{ids.index('petrograd_winter')}")
        assert petrograd.scenes.top.press("vote_strike")
        room.pump(lambda: petrograd.session.view["team"]["votes"].get("petrograd_winter"), "the vote")
        room.resolve()
        for c in host.scenes.top.record()["cards"]:
            host.scenes.top.press(f"reveal_{c['card']}")
        room.pump(lambda: all(c.get("revealed") for c in petrograd.scenes.top.record()["cards"]), "revealed")
        assert "SOURCE SILENT" in shown_text(petrograd)
        render(petrograd, (1280, 720), 1.0, "pl")
        assert "ŹRÓDŁO MILCZY" in shown_text(petrograd)
    finally:
        room.close()


def test_a_scheduled_card_in_another_turn_shows_that_turns_date(tmp_path):
    room = classroom(tmp_path, "brest-1918", "en", ("lenin",))
    lenin = room.students["lenin"]
    try:
        start(room)
        card = dict(lenin.session.view["cards"][0])
        view = CardView(lenin.text, lenin.palette, (560, 330), 1.0)
        view.surface(card)
        assert any(t.startswith("17 XII 1917") for t in view.texts)
        # as the server sends a scheduled card that came in another turn (engine.views: off_turn)
        card.update(off_turn=True, date_label={"pl": "luty 1918, po zerwaniu", "en": "February 1918, after the break-off"})
        view.surface(card)
        assert any(t.startswith("February 1918, after the break-off") for t in view.texts)
        assert not any(t.startswith("17 XII 1917") for t in view.texts)
    finally:
        room.close()


def test_one_screen_panel_on_a_projector_reads_right(tmp_path):
    """1920x1080 at 1.5x: option buttons that would read the same skip their shared words; the end
    question is shown whole; "No time limit" keeps clear of the card tabs."""
    room = classroom(tmp_path, "brest-1918", "pl", (), size=(1920, 1080), scale=1.5, timer_presses=10,
                     one_screen=True)
    host = room.host
    try:
        assert host.scenes.top.press("start")
        room.to_vote()
        room.pump(lambda: scene_name(host) == "HostPanelScene", "the panel")
        drawn = render(host, (1920, 1080), 1.5, "pl")
        panel = host.scenes.top
        clock = next(t for t in drawn if t.full == "Bez limitu czasu")
        tabs = [b.get_abs_rect() for a, b in panel.actions.items() if a.startswith("card_")]
        assert tabs and all(not r.colliderect(clock.rect) and r.right <= clock.rect.left for r in tabs)
        assert panel.press("end")
        room.pump(lambda: host.toast is not None, "the question")
        assert "Zakończyć grę teraz? Naciśnij ponownie, aby potwierdzić." in shown_text(host)
        assert host.scenes.top.actions["end"].text == "Zakończyć?"
    finally:
        room.close()


def test_one_screen_option_buttons_are_told_apart(tmp_path):
    host_room = classroom(tmp_path, "brest-1918", "pl", (), size=(1920, 1080), scale=1.5, one_screen=True)
    host = host_room.host
    try:
        assert host.scenes.top.press("start")
        host_room.to_vote()
        host_room.pump(lambda: scene_name(host) == "HostPanelScene", "the panel")
        render(host, (1920, 1080), 1.5, "pl")
        panel = host.scenes.top
        for team in ("lenin", "central"):
            labels = [b.text for a, b in panel.actions.items() if a.startswith(f"choose_{team}_")]
            assert labels and len(set(labels)) == len(labels), labels
    finally:
        host_room.close()
