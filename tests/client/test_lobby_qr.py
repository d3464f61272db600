"""The teacher's lobby without a projector: the address to type (``http://ADDRESS:PORT``) and the join QR
code on the teacher's own screen, enlarged for the class to scan; the game's Join takes the address as
shown (``http://…``, even the QR code's ``/?code=…``)."""

from __future__ import annotations

import pygame

from game.client.hosting import lan_address
from game.client.widgets.qr_view import QUIET
from game.qr import join_url, qr_matrix

from .helpers import address_of, lan_server, make_app, pump, scene_name, texts


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)


def drawn_modules(surface: pygame.Surface, square: pygame.Rect, n: int, dark: tuple) -> list[list[bool]]:
    """The QR symbol read back from the screen: the colour at each module's centre (quiet zone cut off)."""
    cell = square.width // (n + 2 * QUIET)
    return [[tuple(surface.get_at((square.x + (x + QUIET) * cell + cell // 2,
                                   square.y + (y + QUIET) * cell + cell // 2)))[:3] == dark[:3]
             for x in range(n)] for y in range(n)]


def test_the_teacher_lobby_shows_the_browser_address_and_a_qr_code_students_can_scan(tmp_path):
    host = make_app("pl", size=(1024, 600), transport_factory=lan_server(tmp_path / "lesson.sqlite3"))
    ania = make_app("pl")
    apps = [host, ania]
    try:
        host.scenes.top.press("host")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene", what="the lobby")
        code, port = host.session.code, host.session.address.rsplit(":", 1)[-1]
        lan = f"{lan_address()}:{port}"
        assert f"Adres: http://{lan}" in texts(host)
        # the QR code on the teacher's screen is the symbol of the browser's join address with the code
        lobby = host.scenes.top
        assert lobby.qr_rect is not None and "qr" in lobby.actions
        want = qr_matrix(join_url(lan, code))
        side = lobby.qr_rect.width // (len(want) + 2 * QUIET) * (len(want) + 2 * QUIET)
        square = pygame.Rect(0, 0, side, side)
        square.center = lobby.qr_rect.center
        assert drawn_modules(host.screen, square, len(want), host.palette.ink) == want
        assert side // (len(want) + 2 * QUIET) >= 3             # at least 3 px a module even at 1024x600
        # Enlarge: the code screen-high, with the join code and the address; Esc goes back
        assert lobby.press("qr")
        shown = texts(host)
        assert code in shown and f"http://{lan}" in shown and list(lobby.actions) == ["qr_close"]
        big = lobby.qr.draw(pygame.Surface(host.size), pygame.Rect(0, 80, 600, 436), host.palette)
        assert big.width >= 400                                  # scannable across a room row or two
        host.step([key(pygame.K_ESCAPE)])
        assert scene_name(host) == "LobbyScene" and lobby.dialog is None and "qr" in lobby.actions
        # a student types the address as the lobby shows it (here the loopback one), QR suffix and all
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=f"http://{address_of(host)}/?code={code}", code=code, name="Ania")
        ania.scenes.top.press("join")
        pump(apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.player is not None, what="joined")
        pump(apps, lambda: any(m["name"] == "Ania" for ms in host.session.members_by_team().values() for m in ms),
             what="Ania in the teacher's lobby")
        # a player selected: the rename / captain / remove tools take the QR code's place
        player = ania.session.player
        assert lobby.press(f"sel_{player}")
        texts(host)
        assert lobby.qr_rect is None and "qr" not in lobby.actions and "p_rename" in lobby.actions
        assert lobby.press(f"sel_{player}")
        assert lobby.qr_rect is not None
    finally:
        for a in apps:
            a.shutdown()
