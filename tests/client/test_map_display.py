"""The map as students see it (#11-#14), headless against a real server: land to the edges of any
window, a compact legend that folds, last turn's changes marked until the next outcome and listed
in words, names placed by priority without overlaps even with many more regions."""

from __future__ import annotations

import pygame
import pytest

from game.client.changes import describe_changes
from game.client.i18n import set_language
from game.client.widgets.map_view import MapView

from .helpers import address_of, lan_server, make_app, scene_name, texts
from .helpers import pump as _pump


def pump(apps, until, what: str = "") -> None:
    _pump(apps, until, timeout=30, what=what)  # a whole lesson on a busy machine: be patient


class Lesson:
    """A teacher and Ania (Lenin's faction) in a brest-1918 lesson; the teacher closes every vote
    (the cards' defaults: turn 2 hands Bessarabia to Romania)."""

    def __init__(self, tmp_path, size=(1280, 720), scale=1.0, lang="pl") -> None:
        self.host = make_app(lang, transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
        self.ania = make_app(lang, scale=scale, size=size)
        self.apps = [self.host, self.ania]
        host, ania = self.host, self.ania
        host.scenes.top.press("host")
        host.scenes.top.press("scenario_brest-1918")
        host.scenes.top.press("start")
        pump(self.apps, lambda: scene_name(host) == "LobbyScene", what="the lobby")
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=address_of(host), code=host.session.code, name="Ania")
        ania.scenes.top.press("join")
        pump(self.apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.player, what="joined")
        ania.scenes.top.press("pick_lenin")
        pump(self.apps, lambda: ania.session.team == "lenin" and host.session.members_by_team().get("lenin"),
             what="a team, as the teacher sees it")
        pump(self.apps, lambda: host.scenes.top.actions["start"].is_enabled, what="the start button")
        assert host.scenes.top.press("start")
        pump(self.apps, lambda: scene_name(ania) == "GameScene" and scene_name(host) == "HostPanelScene",
             what="the game")

    def close_vote(self) -> None:
        host, ania = self.host, self.ania
        pump(self.apps, lambda: scene_name(host) == "HostPanelScene" and host.session.phase == "deliberation",
             what="the vote")
        assert host.scenes.top.press("force")
        pump(self.apps, lambda: scene_name(ania) == "OutcomeScene" and scene_name(host) == "OutcomeScene",
             what="the outcome")

    def next_turn(self) -> None:
        host, ania = self.host, self.ania
        turn = host.session.view["turn"]
        assert host.scenes.top.press("advance")
        pump(self.apps, lambda: host.session.view["turn"] == turn + 1, what="the next turn")
        if host.session.phase == "briefing":
            pump(self.apps, lambda: "advance" in host.scenes.top.actions, what="the briefing panel")
            assert host.scenes.top.press("advance")
        pump(self.apps, lambda: scene_name(ania) == "GameScene" and ania.session.phase == "deliberation",
             what="the next vote")

    def close(self) -> None:
        for a in self.apps:
            a.shutdown()


@pytest.fixture
def lesson(tmp_path):
    lesson = Lesson(tmp_path)
    yield lesson
    lesson.close()


def covers_widget(m: MapView) -> bool:
    """The geometry's own box covers the whole widget (no straight land edge with sea beyond)."""
    w, h = m.geo["width"], m.geo["height"]
    left, top = m.to_local(0, 0)
    right, bottom = m.to_local(w, h)
    return left <= 0 and top <= 0 and right >= m.rect.width - 1 and bottom >= m.rect.height - 1


def test_land_reaches_the_edges_of_the_map_at_every_window_size(tmp_path):
    for size, scale in (((1024, 600), 1.0), ((1280, 720), 1.0), ((1920, 1080), 1.5), ((1920, 1080), 1.0)):
        lesson = Lesson(tmp_path / f"{size[0]}-{scale}", size=size, scale=scale)
        try:
            game = lesson.ania.scenes.top
            texts(lesson.ania)
            assert covers_widget(game.map), (size, scale)
            marker = game.map.marker_point()                   # the card's place stays in view
            x, y = game.map.to_local(*marker)
            assert 0 < x < game.map.rect.width and 0 < y < game.map.rect.height, (size, scale)
        finally:
            lesson.close()
    for rect in ((0, 0, 300, 600), (0, 0, 900, 200), (0, 0, 640, 480)):   # odd shapes too
        m = MapView(make_app().text, make_app().palette, pygame.Rect(rect))
        assert covers_widget(m), rect


def test_the_legend_is_a_compact_strip_that_folds_to_a_tab(lesson):
    ania = lesson.ania
    game = ania.scenes.top
    texts(ania)
    m = game.map
    legend = m.legend_rect
    assert legend is not None and legend.height <= m.rect.height * 0.2      # not a third of the map
    assert "Rosja radziecka" in texts(ania)
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=legend.center)
    ania.step([click])
    texts(ania)
    assert not m.legend_open and m.legend_rect.height <= legend.height and m.legend_rect.width < legend.width / 2
    assert "Rosja radziecka" not in texts(ania)
    ania.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=m.legend_rect.center)])
    assert m.legend_open and "Rosja radziecka" in texts(ania)


def test_last_turns_changes_stay_marked_until_the_next_outcome_and_are_listed_in_words(lesson):
    ania = lesson.ania
    lesson.close_vote()                                       # turn 1: nothing changes hands
    lesson.next_turn()
    assert ania.scenes.top.map.changed == ()
    lesson.close_vote()                                       # turn 2: Bessarabia goes to Romania
    view = ania.session.view
    words = describe_changes(view, ania.session.scenario_info)
    assert any(w.startswith("Besarabia: Rosja radziecka → ") for w in words), words
    assert any(w.startswith("Poparcie") and w.endswith("−2") for w in words), words
    for app in (ania, lesson.host):                           # the outcome card lists them, above the cards
        shown = texts(app)
        assert "Zmiany w tej turze" in shown
        assert [t for t in shown if t.startswith("• Besarabia: Rosja radziecka → ")], shown
        tracks = next(t for t in shown if t.startswith("Poparcie") and "−2" in t)
        assert all(w in tracks for w in words[1:]), (tracks, words)   # every track that moved, on one line
    lesson.next_turn()                                        # turn 3's vote: still outlined, and in the legend
    game = ania.scenes.top
    assert game.map.changed == ("besarabia",)
    assert "zmiana w ostatniej turze" in texts(ania)
    lesson.close_vote()                                       # turn 3 changes nothing: the mark goes
    lesson.next_turn()
    assert ania.scenes.top.map.changed == ()


def test_a_past_turn_opens_from_the_timeline(lesson):
    ania = lesson.ania
    lesson.close_vote()
    lesson.next_turn()
    game = ania.scenes.top
    texts(ania)
    assert game.timeline.turn_at(game.timeline_rect.move(0, 0).midleft, []) is None
    x = next(cx for turn, cx in game.timeline._centres if turn == 1) + game.timeline_rect.x
    pos = (round(x), game.timeline_rect.y + 12)
    assert game.timeline.turn_at(pos, ania.session.view["timeline"]) == 1
    ania.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos)])
    shown = texts(ania)
    assert game.past_turn == 1
    assert any(t.startswith("Tura 1 · ") and t.endswith("co się stało") for t in shown)
    assert any(t.startswith("• ") for t in shown)                       # what each side chose
    assert not [a for a in game.actions if a.startswith("vote_")]      # nothing clickable under it
    ania.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=(5, 5))])
    assert game.past_turn is None and [a for a in game.actions if a.startswith("vote_")]
    current = next(cx for turn, cx in game.timeline._centres if turn == 2) + game.timeline_rect.x
    assert game.timeline.turn_at((round(current), pos[1]), ania.session.view["timeline"]) is None


def test_names_do_not_overlap_and_the_important_ones_stay_with_many_more_regions():
    app = make_app()
    m = MapView(app.text, app.palette, pygame.Rect(0, 0, 560, 380), focus=["ukraina"])
    geo = m.geo
    # a finer map: every region cut into a 3x3 grid of pieces with their own names
    regions, points, names = {}, {}, {}
    for rid, rings in geo["regions"].items():
        xs = [p[0] for r in rings for p in r]
        ys = [p[1] for r in rings for p in r]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        for i in range(3):
            for j in range(3):
                a, b = x0 + (x1 - x0) * i / 3, y0 + (y1 - y0) * j / 3
                c, d = x0 + (x1 - x0) * (i + 1) / 3, y0 + (y1 - y0) * (j + 1) / 3
                pid = f"{rid}_{i}{j}"
                regions[pid] = [[[a, b], [c, b], [c, d], [a, d]]]
                points[pid] = [(a + c) / 2, (b + d) / 2]
                names[pid] = {"pl": f"Obszar {pid}", "en": f"Area {pid}"}
    m.geo = {**geo, "regions": regions, "label_points": points, "places": {}}
    m.region_names = names
    m._geo_boxes = None
    m.focus = ["ukraina_11"]
    m.set_state({pid: "soviet" for pid in regions}, {"soviet": app.palette.land}, {"soviet": "Soviet"},
                marker_region="bialorus_11")
    m.set_changes({"ukraina_11": ["soviet", "central"]})
    surface = pygame.Surface((600, 400))
    m.draw(surface)
    rects = m.label_rects
    for i, r in enumerate(rects):
        for q in rects[i + 1:]:
            assert not r.colliderect(q), (r, q)
    assert m.label_order()[:2] == ["bialorus_11", "ukraina_11"]    # the card's region, then the changed one
    assert "Obszar ukraina_11" in m.texts                           # both placed first, so both shown
    assert len([t for t in m.texts if t.startswith("Obszar")]) < len(regions)   # the rest only where room


def test_describe_changes_in_english():
    set_language("en")
    try:
        info = {"controllers": [{"id": "soviet", "name": {"en": "Soviet Russia"}}],
                "tracks": [{"id": "food", "name": {"en": "Food"}}]}
        view = {"control_changes": {"ukraina": ["soviet", None]}, "track_changes": {"food": 1}}
        assert describe_changes(view, info) == ["Ukraine: Soviet Russia → nobody", "Food +1"]
        assert describe_changes({}, info) == []
    finally:
        set_language("pl")


@pytest.mark.parametrize("size", [(1024, 600), (1280, 720), (1920, 1080)])
def test_the_card_marker_leaves_the_names_around_it_readable(tmp_path, size):
    """Brest-Litovsk's marker and name box sit in Belarus, beside Ukraine and Moscow: the card's own
    region keeps its name (moved off the marker), and the box goes where it hides the fewest names."""
    lesson = Lesson(tmp_path, size=size)
    try:
        game = lesson.ania.scenes.top
        texts(lesson.ania)
        m = game.map
        assert m.marker_region == "bialorus" and m.marker_place == "brzesc"
        assert "Białoruś" in m.texts and "Brześć" in m.texts
        marker_box = m.label_rects[1]                       # (the dot, then its name's box, then the names)
        names = m.label_rects[2:]
        assert names and all(not marker_box.colliderect(r) for r in names)
        hidden = [rect for rect, weight in m._estimated_labels() if weight >= 2 and marker_box.colliderect(rect)]
        right = marker_box.copy()
        right.midleft = (m.label_rects[0].right + 3, m.label_rects[0].centery)
        assert len(hidden) <= len([r for r, w in m._estimated_labels() if w >= 2 and right.colliderect(r)])
    finally:
        lesson.close()


def test_a_region_that_changed_hands_keeps_its_name_and_the_marker_readable_while_it_flashes():
    """The flash of a region that changed hands was painted over the cached map, names and marker
    included: for 1.6 s "Latvia and Lithuania" and "Estonia" were hidden under it (the 1920x1080
    outcome screenshot caught it). The names and the marker are drawn again over the flash."""
    app = make_app(lang="en")
    m = MapView(app.text, app.palette, pygame.Rect(0, 0, 560, 380))
    soviet, central = (200, 40, 40), (90, 90, 100)
    regions = list(m.geo["regions"])
    m.set_state(dict.fromkeys(regions, "soviet"), {"soviet": soviet, "central": central},
                {"soviet": "Soviet Russia", "central": "Central Powers"}, marker_region="ukraina")
    changed = {"ukraina": ["soviet", "central"], "bialorus": ["soviet", "central"]}
    m.set_state({**dict.fromkeys(regions, "soviet"), **dict.fromkeys(changed, "central")},
                {"soviet": soviet, "central": central}, {"soviet": "Soviet Russia", "central": "Central Powers"},
                marker_region="ukraina")
    m.set_changes(changed)
    assert m.animating
    ink = pygame.Color(app.palette.ink)

    def inked(surface: pygame.Surface, rects: list[pygame.Rect]) -> int:
        return sum(1 for r in rects for x in range(r.left, r.right) for y in range(r.top, r.bottom)
                   if surface.get_at((x, y))[:3] == ink[:3])

    m.update(0.5)   # mid-flash
    flashing = pygame.Surface((600, 400))
    m.draw(flashing)
    names = [r.inflate(-4, -2) for r in m.label_rects]
    assert len(names) >= 3      # the marker, its region's name, the other's, …
    m.update(5.0)   # the flash is over
    assert not m.animating
    still = pygame.Surface((600, 400))
    m.draw(still)
    assert inked(flashing, names) >= 0.95 * inked(still, names) > 0
