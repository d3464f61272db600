"""A host and two students go from the main menu to the debrief through brest-1918, against a real server:
over websockets, and in-process (the same Master, scheduled by the same Driver, in this process)."""

from __future__ import annotations

import pytest

from game.client.app import App
from game.client.transport import InProcessFactory, LocalServer
from game.scenarios import builtin_scenario

from .helpers import address_of, lan_server, make_app, pump, scene_name, shown, texts

SCENARIO = "brest-1918"


@pytest.fixture(params=["websocket", "in-process"])
def lesson(request, tmp_path):
    """A host and two students, as separate client `App`s: over websockets (the host serves on a free
    port) or all attached to one in-process `LocalServer` (no port at all)."""
    local = None
    if request.param == "websocket":
        host = make_app(transport_factory=lan_server(tmp_path / "lesson.sqlite3"))

        def another() -> App:
            return make_app()
    else:
        local = LocalServer(str(tmp_path / "lesson.sqlite3")).start()

        def another() -> App:
            return make_app(transport_factory=InProcessFactory(local))

        host = another()
    students = [another(), another()]
    apps = [host, *students]
    yield host, students, apps, another
    for a in apps:
        a.shutdown()
    if local is not None:
        local.stop()


def secrets_of(teams: list[str]) -> list[str]:
    sc = builtin_scenario(SCENARIO)
    return [text for t in teams for text in sc.teams[t].secret_text.values()]


def assert_no_foreign_secret(app, own: str) -> None:
    others = [t for t in builtin_scenario(SCENARIO).team_ids if t != own]
    rendered = "\n".join(texts(app))
    for secret in secrets_of(others):
        assert secret not in rendered, f"{own} sees another team's secret: {secret!r}"


def test_host_and_two_students_play_brest_from_menu_to_debrief(lesson):
    host, (ania, bartek), apps, _ = lesson
    # host: menu → setup → lobby
    assert scene_name(host) == "MenuScene"
    assert "Poprowadź lekcję" in texts(host)
    assert host.scenes.top.press("host")
    assert scene_name(host) == "HostSetupScene"
    setup = host.scenes.top
    setup.press(f"scenario_{SCENARIO}")
    assert shown(host, "Brześć 1918")
    setup.press("timer_up")  # 3 min → 4 min: the vote is closed by the host anyway
    assert setup.press("start")
    pump(apps, lambda: scene_name(host) == "LobbyScene", what="the host's lobby")
    code = host.session.code
    assert code and code in texts(host)
    address = address_of(host)

    # students: menu → join → lobby
    for app, name in ((ania, "Ania"), (bartek, "Bartek")):
        assert app.scenes.top.press("join")
        join = app.scenes.top
        join.press("suggest")
        assert join.e_name.get_text().count(" ") == 1  # a two-word name
        join.set_fields(address=address, code=code.lower(), name=name)
        assert join.press("join")
    pump(apps, lambda: scene_name(ania) == scene_name(bartek) == "LobbyScene"
         and len(host.session.members_by_team().get("", [])) == 2, what="both students in the lobby")
    assert code in texts(ania)
    assert "Ania (ty)" in texts(ania)
    assert shown(host, "Bartek")

    # Ania picks Lenin's faction; the host moves Bartek to the Central Powers by two clicks
    assert ania.scenes.top.press("pick_lenin")
    bartek_id = next(m["player"] for m in host.session.members_by_team()[""] if m["name"] == "Bartek")
    assert host.scenes.top.press(f"sel_{bartek_id}")
    assert host.scenes.top.press("move_central")
    pump(apps, lambda: ania.session.team == "lenin" and bartek.session.team == "central", what="teams formed")

    # the host starts: students see the game, the host the panel
    assert host.scenes.top.press("start")
    pump(apps, lambda: scene_name(ania) == scene_name(bartek) == "GameScene"
         and scene_name(host) == "HostPanelScene", what="the game screens")
    ania_texts = texts(ania)
    assert any("Rozejm" in t for t in ania_texts)                  # the card title
    assert any("Tura 1 z 9" in t for t in ania_texts)
    assert any(t.startswith("„") and "Rewolucja październikowa" in t for t in ania_texts)  # the citation
    assert_no_foreign_secret(ania, "lenin")
    assert_no_foreign_secret(bartek, "central")
    # the secret objective is one click away, and only one's own
    lenin_secret = builtin_scenario(SCENARIO).teams["lenin"].secret_text["pl"]
    assert lenin_secret not in texts(ania)
    assert ania.scenes.top.press("secret")
    assert lenin_secret in texts(ania)
    assert ania.scenes.top.press("secret")
    # Ania cannot vote for the Central Powers' options
    assert not ania.scenes.top.press("vote_accept_armistice")

    # turn 1: both vote; the own team's vote state shows; the server resolves
    assert ania.scenes.top.press("vote_talk_and_wait")
    pump(apps, lambda: shown(ania, "Twój głos") or ania.session.phase == "outcome", what="Ania's vote")
    assert bartek.scenes.top.press("vote_accept_armistice")
    pump(apps, lambda: scene_name(ania) == "OutcomeScene" and scene_name(host) == "OutcomeScene",
         what="the outcome of turn 1")
    assert "Nauczyciel jeszcze nie odsłonił historii." in texts(ania)
    assert host.scenes.top.press("reveal_armistice")
    pump(apps, lambda: shown(ania, "17 XII 1917 wszedł w życie rozejm"), what="the revealed history quote")

    # the remaining turns: the host closes each vote
    for _ in range(12):
        if host.session.phase == "ended":
            break
        assert host.scenes.top.press("advance")
        pump(apps, lambda: host.session.phase in ("briefing", "deliberation", "ended"), what="the next turn")
        if host.session.phase == "briefing":
            assert host.scenes.top.press("advance")
            pump(apps, lambda: host.session.phase != "briefing", what="the vote")
        if host.session.phase == "ended":
            break
        pump(apps, lambda: scene_name(host) == "HostPanelScene", what="the host panel")
        assert_no_foreign_secret(ania, "lenin")
        assert host.scenes.top.press("force")
        pump(apps, lambda: host.session.phase in ("outcome", "ended"), what="the resolution")
    pump(apps, lambda: scene_name(ania) == scene_name(bartek) == scene_name(host) == "DebriefScene",
         what="the debrief")
    debrief = texts(ania)
    assert "Podsumowanie" in debrief
    assert any(t.startswith("Zakończenie:") for t in debrief)
    assert any("jak w historii" in t for t in debrief)
    assert any(t.endswith("pkt") for t in debrief)
    assert any(t.startswith("„") for t in debrief)            # the quotes
    assert host.scenes.top.press("menu")
    assert scene_name(host) == "MenuScene"


def test_projector_shows_vote_counts_but_not_the_votes(lesson):
    host, (ania, screen), apps, another = lesson
    host.scenes.top.press("host")
    setup = host.scenes.top
    setup.press(f"scenario_{SCENARIO}")
    setup.press("start")
    pump(apps, lambda: scene_name(host) == "LobbyScene")
    address = address_of(host)
    cezary = another()
    apps.append(cezary)
    for app, name in ((ania, "Ania"), (cezary, "Cezary")):
        app.scenes.top.press("join")
        app.scenes.top.set_fields(address=address, code=host.session.code, name=name)
        app.scenes.top.press("join")
    screen.scenes.top.press("join")
    screen.scenes.top.set_fields(address=address, code=host.session.code)
    screen.scenes.top.press("watch")
    pump(apps, lambda: scene_name(ania) == "LobbyScene" and scene_name(screen) == "ProjectorScene")  # its lobby
    assert host.session.code in texts(screen)
    pump(apps, lambda: scene_name(cezary) == "LobbyScene")
    ania.scenes.top.press("pick_lenin")
    cezary.scenes.top.press("pick_lenin")
    pump(apps, lambda: ania.session.team == cezary.session.team == "lenin")
    host.scenes.top.press("start")
    pump(apps, lambda: scene_name(screen) == "ProjectorScene" and scene_name(ania) == "GameScene")
    ania.scenes.top.press("vote_sign_at_once")
    pump(apps, lambda: shown(screen, "Zagłosowało 1 z 2") or any(t in ("1/2", "✓ 1/2") for t in texts(screen)),
         what="the vote count on the projector")  # (a narrow box: the count, "✓ 1/2")
    rendered = "\n".join(texts(screen))
    assert "Rozejm" in rendered
    assert "Głosuj" not in rendered and "Twój głos" not in rendered
    for secret in secrets_of(list(builtin_scenario(SCENARIO).team_ids)):
        assert secret not in rendered
    # the host's own projector view, and back with Esc
    host.scenes.top.press("projector")
    host.step()
    assert scene_name(host) == "ProjectorScene"
    host.scenes.top.back()
    host.step()
    assert scene_name(host) == "HostPanelScene"
