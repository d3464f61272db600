"""Join: server address and code (or a lesson found on the LAN), a name (or a suggested one)."""

from __future__ import annotations

import pygame

from game.wire import DEFAULT_PORT

from ..discovery import LanBrowser
from ..i18n import language, tr
from ..names import suggest_name
from .base import Scene


class JoinScene(Scene):
    follows_session = True
    gui_ticks = True

    def __init__(self, app, discover: bool = True) -> None:
        super().__init__(app)
        self.address = app.settings.last_address
        self.code = ""
        self.name = app.settings.last_name
        self.browser = LanBrowser().start() if discover else None
        self._seen = -1

    def build(self) -> None:
        x, y = self.px(60), self.px(100)
        lw, fw, bh, gap = self.px(230), self.px(380), self.px(46), self.px(64)
        self.label(tr("join.address"), (x, y, lw, bh))
        self.e_address = self.entry((x + lw, y, fw, bh), self.address)
        self.label(tr("join.code"), (x, y + gap, lw, bh))
        self.e_code = self.entry((x + lw, y + gap, fw, bh), self.code, "ABC234")
        self.label(tr("join.name"), (x, y + 2 * gap, lw, bh))
        self.e_name = self.entry((x + lw, y + 2 * gap, fw, bh), self.name)
        self.button("suggest", tr("join.suggest"), (x + lw, y + 3 * gap - self.px(8), fw, self.px(40)),
                    "#small_button")
        self.button("join", tr("join.join"), (x + lw, y + 4 * gap, fw, self.px(56)), "#big_button")
        self.button("watch", tr("join.watch"), (x + lw, y + 5 * gap + self.px(6), fw, bh))
        h = self.app.size[1]
        self.button("back", tr("common.back"), (x, h - self.px(90), self.px(200), self.px(54)))
        # sessions found on the LAN, one button each
        self.found_x = x + lw + fw + self.px(60)
        found = self.browser.found() if self.browser else []
        for i, f in enumerate(found[:6]):
            text = f"{f.name} — {f.address}" + (f" · {f.code}" if f.code else "")
            self.button(f"found_{i}", text, (self.found_x, y + self.px(40) + i * (bh + self.px(8)),
                                             self.app.size[0] - self.found_x - self.px(40), bh), "#small_button")
        self._found = found
        self.e_code.focus()
        self.focus_index = self.focusables.index(self.e_code)

    def clear(self) -> None:
        self._keep_fields()  # a rebuild (language, scale) keeps what was typed
        super().clear()

    def close(self) -> None:
        if self.browser is not None:
            self.browser.stop()
        super().close()

    def update(self, dt: float) -> None:
        if self.browser is not None and self.browser.version != self._seen:
            self._seen = self.browser.version
            self._keep_fields()
            self.resume()

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
            rect = pygame.Rect(self.found_x, y + self.px(40), surface.get_width() - self.found_x - self.px(40), 200)
            self.painter.paragraph(surface, tr("join.searching") + " " + tr("join.none_found"), rect, 15, pal.muted)
        if self.message:
            self.painter.text(surface, self.message, (self.px(60), surface.get_height() - self.px(130)), 17,
                              pal.accent, "bold")
        self.draw_status(surface)

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
        elif action in ("join", "watch"):
            code = self.code.strip()
            if not code:
                self.message = tr("join.need_code")
                return
            address = self.address.strip() or f"127.0.0.1:{DEFAULT_PORT}"
            s = self.app.settings
            s.last_address = address
            if action == "watch":
                self.app.connect("projector", address, {"type": "watch", "code": code})
            else:
                name = self.name.strip()
                if not name:
                    self.message = tr("join.need_name")
                    return
                s.last_name = name
                join = {"type": "join", "code": code, "name": name}
                saved = self.app.seats.find(code, "player")
                if saved is not None and saved.address == address:  # this computer already has a seat here
                    self.app.resume_seat(saved, fallback=join)
                else:
                    self.app.connect("player", address, join)
            if self.app.save_settings:
                s.save()
            self.message = tr("join.connecting")
