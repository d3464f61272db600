"""Join: server address and code (or a lesson found on the LAN), a name (or a suggested one).

What happens after *Join* is shown under the button, where the student is looking: "Connecting
to …" while the connection opens, then either the lobby (the scene gives way) or the reason in
the student's language (`error_text`: a wrong code, an ended lesson, an unreachable address),
and the connection is dropped so that the next attempt starts clean.
"""

from __future__ import annotations

import time

import pygame

from game.wire import DEFAULT_PORT, Role

from ..discovery import FoundSession, LanBrowser
from ..error_text import error_text
from ..i18n import language, pick, tr
from ..names import suggest_name
from .base import Scene, fit_text

MAX_FOUND = 6


def with_port(address: str) -> str:
    """``host`` → ``host:8765`` (the default port); ``host:port`` stays. The address as the teacher's
    lobby shows it for browsers (``http://host:port/``, even with ``?code=…``) is the same lesson."""
    address = address.strip()
    for scheme in ("http://", "https://"):
        if address.lower().startswith(scheme):
            address = address[len(scheme):]
    address = address.split("/", 1)[0].split("?", 1)[0]
    if address and ":" not in address.rsplit("]", 1)[-1]:
        return f"{address}:{DEFAULT_PORT}"
    return address


def started_label(started: float | None, now: float | None = None) -> str:
    """"14:05" today, "3.12 14:05" another day; "" when unknown."""
    if not started:
        return ""
    when, today = time.localtime(started), time.localtime(now if now is not None else time.time())
    if when[:3] == today[:3]:
        return time.strftime("%H:%M", when)
    return f"{when.tm_mday}.{when.tm_mon:02d} " + time.strftime("%H:%M", when)


def lesson_title(f: FoundSession) -> str:
    """A found lesson as the list shows it: its scenario's title (or, from an older server, the machine)."""
    return pick(f.title) if f.title else f.name


def lesson_details(f: FoundSession) -> str:
    """The second line of a found lesson: the teacher, when it started, its code, the machine."""
    parts = []
    if f.teacher:
        parts.append(f.teacher)
    if f.started:
        parts.append(tr("join.started", time=started_label(f.started)))
    if f.code:
        parts.append(tr("join.code_is", code=f.code))
    parts.append(f.address if f.title else tr("join.older_server", address=f.address))
    return " · ".join(parts)


class JoinScene(Scene):
    follows_session = True
    gui_ticks = True

    def __init__(self, app, discover: bool = True, browser: LanBrowser | None = None) -> None:
        """`browser` (default: a zeroconf `LanBrowser` when `discover`) lists the lessons on the LAN."""
        super().__init__(app)
        self.address = app.settings.last_address
        self.code = ""
        self.name = app.settings.last_name
        self.browser = browser or (LanBrowser().start() if discover else None)
        self._seen = -1
        self.feedback = ""            # under the Join button: what is happening or what went wrong
        self.feedback_error = False
        self._attempt: str | None = None   # the address being joined, while waiting for the answer
        self._found: list[FoundSession] = []

    def build(self) -> None:
        w, h = self.app.size
        x, y = self.px(60), self.px(100)
        lw, fw, bh, gap = self.px(230), self.px(380), self.px(46), self.px(64)
        if x + lw + fw + self.px(300) > w:  # a narrow window: the labels' column gives way to the list
            lw = self.px(170)
        self.label(tr("join.address"), (x, y, lw, bh))
        self.e_address = self.entry((x + lw, y, fw, bh), self.address, "192.168.1.10")
        self.label(tr("join.code"), (x, y + gap, lw, bh))
        self.e_code = self.entry((x + lw, y + gap, fw, bh), self.code, "ABC234")
        self.label(tr("join.name"), (x, y + 2 * gap, lw, bh))
        self.e_name = self.entry((x + lw, y + 2 * gap, fw, bh), self.name)
        self.button("suggest", tr("join.suggest"), (x + lw, y + 3 * gap - self.px(8), fw, self.px(40)),
                    "#small_button")
        self.button("join", tr("join.join"), (x + lw, y + 4 * gap, fw, self.px(56)), "#big_button")
        self.feedback_rect = pygame.Rect(x + lw, y + 4 * gap + self.px(62), fw, self.px(58))
        self.button("watch", tr("join.watch"), (x + lw, self.feedback_rect.bottom + self.px(6), fw, bh))
        self.button("back", tr("common.back"), (x, h - self.px(90), min(lw - self.px(10), self.px(200)),
                                                self.px(54)))
        # lessons found on the LAN, one button each, their details drawn under it
        self.found_x = x + lw + fw + self.px(50)
        self.found_w = w - self.found_x - self.px(30)
        self.row_h = bh + self.px(30)
        found = self.browser.found() if self.browser else []
        rows = max(1, (h - self.px(160) - y) // self.row_h)
        self._found = found[:min(MAX_FOUND, rows)]
        for i, f in enumerate(self._found):
            self.button(f"found_{i}", lesson_title(f), (self.found_x, self._row_y(i), self.found_w, bh),
                        "#small_button", tooltip=lesson_details(f))
        self.e_code.focus()
        self.focus_index = self.focusables.index(self.e_code)

    def _row_y(self, i: int) -> int:
        return self.px(140) + i * self.row_h

    def clear(self) -> None:
        self._keep_fields()  # a rebuild (language, scale) keeps what was typed
        super().clear()

    def close(self) -> None:
        sess = self.app.session
        if sess is not None and sess.code and sess.address:  # the join worked: offer this lesson next time
            self.app.settings.last_address = sess.address
            if self.app.save_settings:
                self.app.settings.save()
        if self.browser is not None:
            self.browser.stop()
        super().close()

    def update(self, dt: float) -> None:
        if self.browser is not None and self.browser.version != self._seen:
            self._seen = self.browser.version
            self._keep_fields()
            self.resume()

    def on_session_change(self) -> None:
        """A refusal, or an address that does not answer, ends the attempt with the reason shown."""
        self.dirty = True
        sess = self.app.session
        if sess is None or self._attempt is None:
            return
        if sess.errors and not sess.code:
            self._fail(error_text(sess.errors[-1]))
        elif sess.closing is not None:
            self._fail(tr("join.server_closing"))
        elif sess.status in ("reconnecting", "offline"):  # the first connection failed
            self._fail(tr("join.unreachable", address=self._attempt))

    def _fail(self, text: str) -> None:
        self._attempt = None
        self.app.disconnect()
        self.feedback, self.feedback_error = text, True

    def _keep_fields(self) -> None:
        if getattr(self, "e_address", None) is not None and self.e_address.alive():
            self.address = self.e_address.get_text()
            self.code = self.e_code.get_text()
            self.name = self.e_name.get_text()

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        self.draw_header(surface, tr("join.title"), tr("app.title"))
        y = self.px(100)
        self.painter.text(surface, tr("join.found"), (self.found_x, y), 18, pal.accent, "bold")
        if not self._found:
            rect = pygame.Rect(self.found_x, y + self.px(40), self.found_w, self.px(200))
            self.painter.paragraph(surface, tr("join.searching") + " " + tr("join.none_found"), rect, 15, pal.muted)
        font = self.app.fonts.get(self.px(13))
        for i, f in enumerate(self._found):
            details = lesson_details(f)
            self.painter.text(surface, fit_text(details, font, self.found_w), (self.found_x + self.px(4),
                              self._row_y(i) + self.px(48)), 13, pal.muted)
        self._draw_feedback(surface)
        if self.message:  # a field left empty
            self.painter.text(surface, self.message, (self.feedback_rect.x, self.feedback_rect.y), 17, pal.bad, "bold")
        if self.app.session is not None and not self.feedback_error:
            self.draw_status(surface)

    def _draw_feedback(self, surface: pygame.Surface) -> None:
        if not self.feedback or self.message:
            return
        pal = self.app.palette
        box = self.feedback_rect
        if self.feedback_error:
            pygame.draw.rect(surface, pal.bad, box, border_radius=self.px(6))
            self.painter.paragraph(surface, self.feedback, box.inflate(-self.px(16), -self.px(8)), 15,
                                   pal.banner_text, "bold", max_lines=2)
        else:
            self.painter.paragraph(surface, self.feedback, box.inflate(-self.px(4), -self.px(8)), 16, pal.ink,
                                   max_lines=2)

    def on_enter(self) -> bool:
        self.press("join")
        return True

    def set_fields(self, address: str | None = None, code: str | None = None, name: str | None = None) -> None:
        """Type into the fields (what a student does with the keyboard)."""
        if address is not None:
            self.e_address.set_text(address)
        if code is not None:
            self.e_code.set_text(code)
        if name is not None:
            self.e_name.set_text(name)
        self.dirty = True

    def on_action(self, action: str) -> None:
        self._keep_fields()
        self.message = ""
        if action == "back":
            self.app.disconnect()
            self.app.scenes.pop()
        elif action == "suggest":
            self.e_name.set_text(suggest_name(language()))
        elif action.startswith("found_"):
            f = self._found[int(action[6:])]
            self.e_address.set_text(f.address)
            if f.code:
                self.e_code.set_text(f.code)
            self.feedback, self.feedback_error = "", False
            self.e_name.focus()
        elif action in ("join", "watch"):
            self._join(action)

    def _join(self, action: str) -> None:
        address = with_port(self.address)
        code = self.code.strip()
        name = self.name.strip()
        if not address:
            self.message = tr("join.need_address")
        elif not code:
            self.message = tr("join.need_code")
        elif action == "join" and not name:
            self.message = tr("join.need_name")
        if self.message:
            return
        s = self.app.settings
        if action == "watch":
            self.app.lessons.open(Role.PROJECTOR, address, {"type": "watch", "code": code})
        else:
            s.last_name = name
            join = {"type": "join", "code": code, "name": name}
            saved = self.app.lessons.seats.find(code, Role.PLAYER)
            if saved is not None and saved.address == address:  # this computer already has a seat here
                self.app.lessons.resume(saved, fallback=join)
            else:
                self.app.lessons.open(Role.PLAYER, address, join)
        if self.app.save_settings:
            s.save()
        self._attempt = address
        self.feedback, self.feedback_error = tr("join.connecting_to", address=address), False
