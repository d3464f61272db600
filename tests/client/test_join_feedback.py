"""Joining as a student would, against a real server: what the join screen says after *Join*
(a wrong code, an unreachable address, then the right code), in the client's language; what
is prefilled; and the lessons the LAN announcement lists."""

from __future__ import annotations

import json
import socket

import pytest

from game.client.discovery import StaticBrowser, sessions_of
from game.client.error_text import error_text
from game.client.i18n import set_language
from game.client.settings import Settings
from server.announce import Announcer

from .helpers import address_of, lan_server, make_app, pump, scene_name, texts


@pytest.fixture
def classroom(tmp_path):
    """A teacher's client hosting a brest-1918 lesson in its lobby, and a student's client on the join screen."""
    host = make_app("pl", transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    host.scenes.top.press("host")
    host.scenes.top.set_teacher("p. Nowak")
    host.scenes.top.press("start")
    pump([host], lambda: scene_name(host) == "LobbyScene", what="the host's lobby")
    student = make_app("pl")
    student.scenes.top.press("join")
    yield host, student
    for a in (host, student):
        a.shutdown()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_wrong_code_is_explained_in_polish_under_the_button_and_the_right_one_joins(classroom):
    host, student = classroom
    join = student.scenes.top
    assert join.e_address.get_text() == ""                      # nothing prefilled on a fresh computer
    join.set_fields(address=address_of(host), code="ZZZ999", name="Ania")
    assert join.press("join")
    assert any(t.startswith("Łączę z 127.0.0.1") for t in texts(student))
    pump([host, student], lambda: join.feedback_error, what="the refusal")
    shown = texts(student)
    assert "Nie ma lekcji z takim kodem. Sprawdź kod na ekranie nauczyciela." in shown
    assert not any("no session" in t for t in shown)            # not the server's English
    assert "Łączenie…" not in shown and "Połączono" not in shown  # no stale status next to the error
    assert student.session is None                              # the attempt is over
    box = join.feedback_rect                                    # right under the Join button
    assert 0 <= box.top - join.actions["join"].rect.bottom <= join.px(12)

    join.set_fields(code=host.session.code.lower())
    assert join.press("join")
    pump([host, student], lambda: scene_name(student) == "LobbyScene", what="the student's lobby")
    assert student.settings.last_address == address_of(host)   # offered next time


def test_an_address_where_nothing_listens_says_so(classroom):
    _, student = classroom
    join = student.scenes.top
    join.set_fields(address=f"127.0.0.1:{free_port()}", code="ABC234", name="Ania")
    join.press("join")
    pump([student], lambda: join.feedback_error, what="the failed connection")
    assert any(t.startswith("Pod adresem 127.0.0.1:") for t in texts(student))
    assert student.session is None


def test_an_empty_address_asks_for_one_instead_of_trying_this_computer(classroom):
    _, student = classroom
    join = student.scenes.top
    join.set_fields(code="ABC234", name="Ania")
    join.press("join")
    assert student.session is None
    assert any(t.startswith("Wpisz adres") for t in texts(student))


def test_error_codes_are_translated_and_unknown_ones_fall_back_with_the_code():
    set_language("en")
    try:
        assert error_text({"code": "join/bad_code", "message": "no session with this code"}).startswith(
            "There is no lesson with this code")
        assert "12 s" in error_text({"code": "join/throttled", "retry_after": 11.6})
        assert error_text({"code": "future/thing", "message": "x"}) == "The server refused (code future/thing)."
        set_language("pl")
        assert error_text({"code": "session/ended"}) == "Ta lekcja już się zakończyła."
    finally:
        set_language("pl")


def test_the_old_loopback_default_is_not_prefilled(tmp_path):
    path = Settings.path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"last_address": "127.0.0.1:8765", "last_name": "Ania"}), encoding="utf-8")
    assert Settings.load().last_address == ""
    assert Settings().last_address == ""
    path.write_text(json.dumps({"last_address": "192.168.1.20:8765"}), encoding="utf-8")
    assert Settings.load().last_address == "192.168.1.20:8765"


def test_the_announcement_lists_the_lesson_by_title_and_start_and_picking_it_fills_the_form(classroom):
    host, student = classroom
    from game.client.scenes.join import JoinScene

    master = host.transport_factory.server.server.master
    announcer = Announcer(1234, lessons=lambda: list(master.sessions.values()))
    props = announcer.properties()
    found = sessions_of("Crossroads – sala7._crossroads._tcp.local.", "192.168.1.20:1234", props)
    assert [f.code for f in found] == [host.session.code]
    older = sessions_of("Crossroads – sala8._crossroads._tcp.local.", "192.168.1.21:8765", {"v": "1"})
    assert older[0].name == "Crossroads – sala8" and older[0].code is None

    student.scenes.replace(JoinScene(student, browser=StaticBrowser(found + older)))
    join = student.scenes.top
    shown = texts(student)
    assert "Brześć 1918" in " ".join(shown)                      # the scenario, not the machine
    assert any(t.startswith("p. Nowak · od ") and f"kod {host.session.code}" in t for t in shown)
    assert any("serwer 192.168.1.21:8765" in t for t in shown)  # an older server, still listed
    assert join.press("found_0")
    assert join.e_address.get_text() == "192.168.1.20:1234"
    assert join.e_code.get_text() == host.session.code


def test_an_address_without_a_port_gets_the_default_one():
    from game.client.scenes.join import with_port

    assert with_port(" 192.168.1.5 ") == "192.168.1.5:8765"
    assert with_port("192.168.1.5:9000") == "192.168.1.5:9000"
    assert with_port("") == ""
    # the address as the teacher's lobby shows it for browsers, or as the QR code carries it
    assert with_port("http://192.168.1.5:9000") == "192.168.1.5:9000"
    assert with_port(" HTTP://192.168.1.5/?code=K7QXPM ") == "192.168.1.5:8765"
