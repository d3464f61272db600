"""The scene base class: lifecycle, pygame_gui elements, keyboard focus, recorded text.

A scene's life: `resume()` builds its widgets when it comes on top, `pause()`
removes them when another scene covers it, `update(dt)` advances time,
`draw(surface)` paints (and never changes state), `process_event(event)`
handles input. Buttons are registered under an action name; `press(action)`
does exactly what clicking that button does (tests use it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UITextEntryLine

from .. import textlog
from ..error_text import error_text
from ..i18n import tr
from ..style import Painter, fit_text  # (the scenes take fit_text from here)

if TYPE_CHECKING:
    from ..app import App


def distinct_labels(texts: Sequence[str], font: Any, width: int) -> list[str]:
    """Numbered labels "1. …" for ``texts`` within ``width``; a label cut to read the same as another
    ("1. Accept the…", "2. Accept the…") skips the words the two share: "2. …and wait"."""
    labels = [fit_text(f"{i + 1}. {t}", font, width) for i, t in enumerate(texts)]
    bodies = [lbl.removeprefix(f"{i + 1}. ") for i, lbl in enumerate(labels)]
    words = [t.split(" ") for t in texts]
    out = []
    for i in range(len(texts)):
        shared = 0
        for j in range(len(texts)):
            if j != i and bodies[j] == bodies[i]:
                n = 0
                while n < min(len(words[i]), len(words[j])) - 1 and words[i][n] == words[j][n]:
                    n += 1
                shared = max(shared, n)
        out.append(fit_text(f"{i + 1}. …{' '.join(words[i][shared:])}", font, width) if shared else labels[i])
    return out


class Scene:
    """Base of every screen. Subclasses override `build`, `draw_scene`, `on_action`."""

    routed = False          # True for the scenes that follow the session (lobby, game, …)
    gui_ticks = False       # True if pygame_gui needs time even without input (a text cursor blinks)
    kind = ""

    def __init__(self, app: App) -> None:
        self.app = app
        self.painter = Painter(app.text, app.scale)
        self.elements: list[Any] = []
        self.actions: dict[str, UIButton] = {}
        self._by_element: dict[int, str] = {}
        self.focusables: list[Any] = []
        self.focus_index = -1
        self.dirty = True
        self.message = ""

    # -- lifecycle ---------------------------------------------------------------------
    def resume(self) -> None:
        self.clear()
        self.painter = Painter(self.app.text, self.app.scale)
        self.build()
        self.dirty = True

    def pause(self) -> None:
        self.clear()

    def close(self) -> None:
        self.clear()

    def build(self) -> None:
        """Create the pygame_gui elements (called on resume, language or scale change)."""

    def clear(self) -> None:
        for el in self.elements:
            el.kill()
        self.elements.clear()
        self.actions.clear()
        self._by_element.clear()
        self.focusables.clear()
        self.focus_index = -1

    def update(self, dt: float) -> None:
        """Advance time; set `self.dirty` when the picture must change."""

    def on_session_change(self) -> None:
        """The session's view, lobby or timer changed (the app calls this, then redraws)."""
        self.dirty = True

    # -- drawing -----------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        self.painter.texts.clear()
        surface.fill(self.app.palette.bg)
        self.draw_scene(surface)
        self.draw_toast(surface)

    def draw_toast(self, surface: pygame.Surface) -> None:
        """The app's short notice (export saved, removed by the teacher) under the header band."""
        toast = getattr(self.app, "toast", None)
        if not toast:
            return
        text, _, error = toast
        pal = self.app.palette
        w = surface.get_width()
        lines = self.app.text.wrap(text, self.px(16), w - self.px(120), "bold")[:2]
        lh = self.painter.line_height(16, "bold")
        width = max(self.app.fonts.get(self.px(16), "bold").size(line)[0] for line in lines) + self.px(32)
        box = pygame.Rect(0, 0, width, lh * len(lines) + self.px(16))
        box.midtop = (w // 2, self.px(72))
        pygame.draw.rect(surface, pal.bad if error else pal.good, box, border_radius=self.px(8))
        pygame.draw.rect(surface, pal.ink, box, max(1, self.px(2)), border_radius=self.px(8))
        for i, line in enumerate(lines):
            self.painter.text(surface, line, (box.centerx, box.y + self.px(8) + i * lh), 16, pal.banner_text, "bold",
                              anchor="midtop")
        if len(lines) and text not in self.painter.texts:
            self.painter.texts.append(text)

    def draw_scene(self, surface: pygame.Surface) -> None:
        pass

    def visible_texts(self) -> list[str]:
        """Every string this scene shows: its own drawing, its widgets' and its GUI elements'."""
        out = list(self.painter.texts)
        for w in self.widgets():
            out.extend(w.texts)
        for el in self.elements:
            if el.alive() and el.visible:
                text = getattr(el, "text", None) or getattr(el, "html_text", None)
                if isinstance(text, str) and text:
                    out.append(text)
                for attr in ("selected_option", "options_list", "item_list"):
                    val = getattr(el, attr, None)
                    if isinstance(val, tuple) and val:
                        out.append(str(val[0]))
                    elif isinstance(val, list):
                        for it in val:
                            if isinstance(it, tuple):
                                out.append(str(it[0]))
                            elif isinstance(it, dict) and "text" in it:
                                out.append(str(it["text"]))
                            else:
                                out.append(str(it))
        return out

    def widgets(self) -> list[Any]:
        """Cached-surface widgets whose `texts` count as shown."""
        return []

    # -- building helpers --------------------------------------------------------------
    def px(self, v: float) -> int:
        return round(v * self.app.scale)

    def first_fitting(self, draw: Callable[[pygame.Surface, Any], int], size: tuple[int, int],
                      choices: Sequence[Any]) -> Any | None:
        """The first of ``choices`` (e.g. text sizes, largest first) with which ``draw(surface, choice)``,
        drawing from (0, 0) and returning the y below what it drew, stays within ``size``; None if none
        does. Measured on a scratch surface: nothing drawn there counts as shown."""
        scratch = pygame.Surface(size, pygame.SRCALPHA)
        shown = len(self.painter.texts)
        try:
            with textlog.muted():
                for choice in choices:
                    if draw(scratch, choice) <= size[1]:
                        return choice
            return None
        finally:
            del self.painter.texts[shown:]

    def _label_insets(self, object_id: str | None) -> tuple[Any, int]:
        """A button style's font and the pixels its label cannot use: the theme's borders, and its
        padding on both sides when the label is aligned to one side (as ``#chosen_button``'s is),
        else 10 scaled pixels on each side."""
        theme = self.app.ui.get_theme()
        ids = ([object_id] if object_id else []) + ["button"]

        def misc(key: str, default: Any) -> Any:
            try:
                return theme.get_misc_data(key, ids)
            except LookupError:
                return default

        border = misc("border_width", 0)
        borders = int(border["left"]) + int(border["right"]) if isinstance(border, dict) else 2 * int(border)
        if misc("text_horiz_alignment", "center") in ("left", "right"):
            return theme.get_font(ids), borders + 2 * int(misc("text_horiz_alignment_padding", 0))
        return theme.get_font(ids), max(self.px(20), borders + self.px(12))

    def button_width(self, text: str, object_id: str | None = None) -> int:
        """The width a button of the theme's ``object_id`` style needs to show ``text`` whole."""
        font, insets = self._label_insets(object_id)
        return font.size(text)[0] + insets

    def button(self, action: str, text: str, rect: pygame.Rect | tuple, object_id: str | None = None,
               tooltip: str | None = None, enabled: bool = True, focus: bool = True) -> UIButton:
        rect = pygame.Rect(rect)
        b = UIButton(rect, text, manager=self.app.ui, object_id=object_id, tool_tip_text=tooltip)
        fitted = fit_text(text, b.font, rect.width - self._label_insets(object_id)[1])
        if fitted != text:  # a long name in a narrow button: cut with an ellipsis, full text on hover
            b.set_text(fitted)
            b.set_tooltip(tooltip or text)
        if not enabled:
            b.disable()
        b.full_text = text  # what the label says whole (the text-fit test reads it)
        self.elements.append(b)
        self.actions[action] = b
        self._by_element[id(b)] = action
        if focus:
            self.focusables.append(b)
        return b

    def label(self, text: str, rect: pygame.Rect | tuple, object_id: str | None = None) -> UILabel:
        lbl = UILabel(pygame.Rect(rect), text, manager=self.app.ui, object_id=object_id)
        self.elements.append(lbl)
        return lbl

    def entry(self, rect: pygame.Rect | tuple, text: str = "", placeholder: str = "") -> UITextEntryLine:
        e = UITextEntryLine(pygame.Rect(rect), manager=self.app.ui, placeholder_text=placeholder or None)
        if text:
            e.set_text(text)
        self.elements.append(e)
        self.focusables.append(e)
        return e

    def add(self, element: Any, focus: bool = False) -> Any:
        self.elements.append(element)
        if focus:
            self.focusables.append(element)
        return element

    # -- input -------------------------------------------------------------------------
    def press(self, action: str) -> bool:
        """Do what clicking the button `action` does, if that button is shown and enabled."""
        b = self.actions.get(action)
        if b is None or not b.is_enabled or not b.visible:
            return False
        self.on_action(action)
        self.dirty = True
        return True

    def on_action(self, action: str) -> None:
        pass

    def back(self) -> None:
        """Esc: leave this scene (the default pops it)."""
        if len(self.app.scenes.stack) > 1:
            self.app.scenes.pop()

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            action = self._by_element.get(id(event.ui_element))
            if action is not None:
                self.press(action)
                return True
        if event.type == pygame.KEYDOWN:
            return self.on_key(event)
        return False

    def on_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        typing = any(isinstance(f, UITextEntryLine) and f.is_focused for f in self.focusables)
        if key == pygame.K_ESCAPE:
            self.back()
            return True
        if key == pygame.K_TAB or (not typing and key in (pygame.K_DOWN, pygame.K_UP, pygame.K_RIGHT,
                                                            pygame.K_LEFT)):
            step = -1 if (event.mod & pygame.KMOD_SHIFT or key in (pygame.K_UP, pygame.K_LEFT)) else 1
            self.move_focus(step)
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            el = self.focused()
            if isinstance(el, UIButton):
                action = self._by_element.get(id(el))
                if action:
                    self.press(action)
                    return True
            return self.on_enter()
        return False

    def on_enter(self) -> bool:
        return False

    def focused(self) -> Any:
        if 0 <= self.focus_index < len(self.focusables):
            return self.focusables[self.focus_index]
        return None

    def move_focus(self, step: int) -> None:
        live = [f for f in self.focusables if f.alive() and f.visible and getattr(f, "is_enabled", True)]
        if not live:
            return
        cur = self.focused()
        if isinstance(cur, UIButton):
            cur.unselect()
        if isinstance(cur, UITextEntryLine):
            cur.unfocus()
        idx = live.index(cur) if cur in live else (-1 if step > 0 else 0)
        nxt = live[(idx + step) % len(live)]
        self.focus_index = self.focusables.index(nxt)
        if isinstance(nxt, UIButton):
            nxt.select()
        elif isinstance(nxt, UITextEntryLine):
            nxt.focus()
        self.dirty = True

    # -- shared chrome -------------------------------------------------------------------
    def draw_header(self, surface: pygame.Surface, title: str, subtitle: str = "", reserve: int | None = None) -> int:
        """The band across the top; returns its bottom y. The title keeps clear of the subtitle, or of
        ``reserve`` pixels at the right (default: room for the vote clock), shrinking, then cut with "…"."""
        pal = self.app.palette
        w = surface.get_width()
        h = self.px(64)
        pygame.draw.rect(surface, pal.accent, (0, 0, w, h))
        pygame.draw.rect(surface, pal.highlight, (0, h - self.px(4), w, self.px(4)))
        right = self.px(24)
        if subtitle:
            sub = self.painter.text(surface, subtitle, (w - self.px(24), h // 2 - self.px(2)), 17,
                                    pal.accent_text, anchor="midright")
            right = w - sub.left + self.px(24)
        elif reserve is None:
            right = self.px(190)
        if reserve is not None:
            right = max(right, reserve)
        room = w - self.px(24) - right
        size = 28
        while size > 20 and self.app.fonts.get(self.px(size), "serif").size(title)[0] > room:
            size -= 2
        shown = fit_text(title, self.app.fonts.get(self.px(size), "serif"), room)
        self.painter.texts.append(title)
        img = self.app.text.render(shown, self.px(size), pal.accent_text, "serif")
        at = img.get_rect(midleft=(self.px(24), h // 2 - self.px(2)))
        surface.blit(img, at)
        textlog.note(surface, at, shown, title)
        return h

    def draw_timer(self, surface: pygame.Surface, text: str, size: int, right: int | None = None) -> None:
        """The vote clock at the top right of the header band (its right edge at ``right``, default
        24 px from the screen's), with a drawn clock face."""
        pal = self.app.palette
        if not text:
            return
        right = surface.get_width() - self.px(24) if right is None else right
        r = self.painter.text(surface, text, (right, self.px(31)), size,
                              pal.accent_text, "bold", anchor="midright")
        rad = self.px(size * 0.42)
        c = (r.left - rad - self.px(10), r.centery)
        pygame.draw.circle(surface, pal.accent_text, c, rad, max(2, self.px(2)))
        pygame.draw.line(surface, pal.accent_text, c, (c[0], c[1] - rad * 0.7), max(2, self.px(2)))
        pygame.draw.line(surface, pal.accent_text, c, (c[0] + rad * 0.5, c[1]), max(2, self.px(2)))

    def draw_status(self, surface: pygame.Surface) -> None:
        """The connection indicator (bottom-right) and, when disconnected, a banner."""
        sess = self.app.session
        if sess is None:
            return
        pal = self.app.palette
        w, h = surface.get_size()
        status = sess.status
        colour = pal.good if status == "connected" else pal.bad
        text = tr(f"net.{status}") if status in ("connected", "connecting", "reconnecting", "offline") else status
        r = self.px(7)
        label = self.painter.cache.render(text, self.px(13), pal.muted)
        x = w - self.px(12) - label.get_width()
        y = h - self.px(14)
        surface.blit(label, label.get_rect(midleft=(x, y)))
        self.painter.texts.append(text)
        pygame.draw.circle(surface, colour, (x - r - self.px(6), y), r)
        if status != "connected" or sess.closing:
            msg = tr("net.closing", reason=sess.closing) if sess.closing else tr("net.reconnecting")
            band = pygame.Rect(0, h - self.px(80), w, self.px(44))
            pygame.draw.rect(surface, pal.banner, band)
            self.painter.text(surface, msg, band.center, 20, pal.banner_text, "bold", anchor="center")
        if sess.errors:
            err = sess.errors[-1]
            msg = tr("net.error", message=error_text(err))
            self.painter.text(surface, msg, (self.px(12), y), 14, pal.bad, anchor="midleft")
