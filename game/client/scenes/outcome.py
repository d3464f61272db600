"""The outcome card: what happened in this game; once revealed, what happened in history (quote, section)."""

from __future__ import annotations

import pygame

from game.wire import Role

from .. import textlog
from ..changes import describe_changes
from ..i18n import language, pick, tr
from ..widgets.gauges import Gauges
from ..widgets.map_view import MapView
from .base import fit_text
from .common import cards, decider_name, history_tag, make_map, quote_line, sync_map, without_tag
from .live import LiveScene


class OutcomeScene(LiveScene):
    shows_clock = False  # the outcome waits for the teacher: no clock runs
    routed = True
    kind = "outcome"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.map: MapView | None = None
        self.scroll = 0
        self.max_scroll = 0   # measured in build (the cards' height beyond the panel), never in draw
        self._measured: tuple | None = None   # what max_scroll was measured for

    def record(self) -> dict:
        timeline = (self.app.session.view or {}).get("timeline") or []
        return timeline[-1] if timeline else {"cards": []}

    def build(self) -> None:
        w, h = self.app.size
        top = self.px(74)
        left_w = int(w * 0.36)
        map_rect = pygame.Rect(self.px(12), top, left_w, int((h - top) * 0.55))
        sess = self.app.session
        need = Gauges(self.app.text, self.app.palette, pygame.Rect(map_rect), self.app.scale).needed_height(
            len(sess.scenario_info.get("tracks", [])))   # many tracks: the map gives up height
        map_rect.height = max(int((h - top) * 0.4), min(map_rect.height, h - self.px(40) - self.px(8) - top - need))
        rec_cards = self.record().get("cards", [])
        region_card = {"region": rec_cards[0].get("region")} if rec_cards else None
        if self.map is None or self.map.rect != map_rect:
            self.map = make_map(self.app, map_rect, region_card, self.app.session)
        sync_map(self.map, sess, region_card, self.app.settings.colourblind)
        self.gauge_rect = pygame.Rect(self.px(12), map_rect.bottom + self.px(8), left_w,
                                      h - map_rect.bottom - self.px(40))
        self.gauges = Gauges(self.app.text, self.app.palette, self.gauge_rect, self.app.scale)
        self.panel = pygame.Rect(map_rect.right + self.px(16), top, w - map_rect.right - self.px(28),
                                 h - top - self.px(100))
        self._measure_panel()
        if sess.role == Role.HOST:
            x = self.panel.x
            hidden = [(i, c) for i, c in enumerate(rec_cards) if not c.get("revealed")]
            view = sess.view or {}
            last = view.get("turn", 1) >= view.get("turn_count", 1) or view.get("ending")
            advance = tr("outcome.finish") if last else tr("outcome.next")
            big = self.app.fonts.get(self.px(24), "bold")  # (the #big_button font)
            aw = min(self.px(300), max(self.px(180), big.size(advance)[0] + self.px(48)))  # the reveals' room
            room = w - aw - self.px(20) - self.px(12) - x
            bw = min(self.px(260), (room - self.px(10) * max(0, len(hidden) - 1)) // max(1, len(hidden)))
            font = self.app.fonts.get(self.px(16), "bold")
            for i, c in hidden:
                label = tr("outcome.reveal") + (f" ({i + 1})" if len(rec_cards) > 1 else "")
                if fit_text(label, font, bw - self.px(20)) != label:  # narrow: "Reveal 2", each still its own
                    label = tr("outcome.reveal_n", n=i + 1)
                self.button(f"reveal_{c['card']}", label, (x, h - self.px(86), bw, self.px(52)),
                            tooltip=tr("outcome.reveal_tip", title=pick(c.get("title"))))
                x += bw + self.px(10)
            self.button("advance", advance, (w - aw - self.px(20), h - self.px(86), aw, self.px(52)), "#big_button")
            self.move_focus(1)
        elif self.app.solo.active:   # solo: the player moves on when they have read it (game.client.solo)
            view = sess.view or {}
            last = view.get("turn", 1) >= view.get("turn_count", 1) or view.get("ending")
            text = tr("outcome.finish") if last else tr("outcome.next")
            aw = min(self.px(320), max(self.px(200), self.app.fonts.get(self.px(24), "bold").size(text)[0] + self.px(48)))
            self.button("advance", text, (w - aw - self.px(20), h - self.px(86), aw, self.px(52)), "#big_button",
                        enabled=self.app.solo.can_advance())
            self.move_focus(1)

    def _measure_panel(self) -> None:
        """How far the panel scrolls: its cards drawn on a scratch surface (nothing there counts as
        shown); the scroll position is kept within it."""
        r, pad = self.panel, self.px(16)
        view = self.app.session.view or {}
        key = (repr(self.record()), repr(view.get("control_changes")), repr(view.get("track_changes")), r.size,
               language(), self.app.session.role)
        if key == self._measured:
            return
        self._measured = key
        scratch = pygame.Surface((r.width, 1))
        shown = len(self.painter.texts)
        try:
            with textlog.muted():
                height = self._draw_cards(scratch, pad, pad, r.width - 2 * pad)
        finally:
            del self.painter.texts[shown:]
        self.max_scroll = max(0, height - r.height + pad)
        if self.max_scroll:  # the scroll hint takes the panel's last line
            self.max_scroll += self.hint_height()
        self.scroll = min(self.scroll, self.max_scroll)

    def widgets(self) -> list:
        return [w for w in (self.map, getattr(self, "gauges", None)) if w is not None]

    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        pal = self.app.palette
        view = sess.view or {}
        title = f"{tr('outcome.title')} · {pick(view.get('turn_label'))}"
        self.draw_header(surface, title, tr("game.turn", turn=view.get("turn", 1), count=view.get("turn_count", 1)))
        self.map.draw(surface)
        surface.blit(self.gauges.surface(sess.scenario_info.get("tracks", []), view.get("tracks", {}),
                                         view.get("track_changes", {})), self.gauge_rect)
        self._draw_panel(surface)
        if sess.role != Role.HOST and not self.app.solo.active:
            self.painter.text(surface, tr("outcome.waiting"), (self.panel.x, surface.get_height() - self.px(60)), 16,
                              pal.muted)
        self.draw_status(surface)

    def _draw_panel(self, surface: pygame.Surface) -> None:
        """The cards of this turn, each in full (choices, outcome, history, quote); scrolls when long."""
        pal = self.app.palette
        r = self.panel
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.border, r, self.px(2), border_radius=self.px(12))
        pad = self.px(16)
        body = r.inflate(-self.px(4), -self.px(4))
        if self.max_scroll:  # a strip at the bottom for the hint: no line runs under it
            body.height -= self.hint_height()
        clip = surface.get_clip()
        surface.set_clip(body)
        self.painter.scrolling = True   # a line cut at the panel's edge can be scrolled to
        try:
            self._draw_cards(surface, r.x + pad, r.y + pad - self.scroll, r.width - 2 * pad)
        finally:
            surface.set_clip(clip)
            self.painter.scrolling = False
        if self.max_scroll:
            # a scroll bar and the hint
            track = pygame.Rect(r.right - self.px(10), r.y + self.px(12), self.px(5), r.height - self.px(24))
            pygame.draw.rect(surface, pal.scroll_track, track, border_radius=self.px(2))
            frac = r.height / (r.height + self.max_scroll)
            thumb = track.copy()
            thumb.height = max(self.px(20), round(track.height * frac))
            thumb.y = track.y + round((track.height - thumb.height) * self.scroll / self.max_scroll)
            pygame.draw.rect(surface, pal.accent, thumb, border_radius=self.px(2))
            pygame.draw.line(surface, pal.rule, (r.x + pad, body.bottom), (r.right - self.px(16), body.bottom))
            self.painter.text(surface, tr("outcome.scroll"), (r.right - self.px(18), r.bottom - self.px(6)), 12,
                              pal.muted, anchor="bottomright")

    def hint_height(self) -> int:
        return self.painter.line_height(12) + self.px(10)

    def _draw_changes(self, surface: pygame.Surface, x: int, y: int, width: int) -> int:
        """What this turn changed, in words, above the cards: each region that changed hands on a line of
        its own, the tracks that moved on one line. The map keeps the regions outlined until the next turn."""
        pal = self.app.palette
        sess = self.app.session
        words = describe_changes(sess.view or {}, sess.scenario_info)
        if not words:
            return y
        regions = len((sess.view or {}).get("control_changes") or {})
        self.painter.text(surface, tr("outcome.changes"), (x, y), 14, pal.muted, "bold")
        y += self.painter.line_height(14) + self.px(2)
        for line in words[:regions]:
            y = self.painter.paragraph(surface, f"• {line}", pygame.Rect(x, y, width, 0), 15, pal.ink, "bold")
        if words[regions:]:
            y = self.painter.paragraph(surface, "  ·  ".join(words[regions:]), pygame.Rect(x, y, width, 0), 15,
                                       pal.ink)
        y += self.px(8)
        pygame.draw.line(surface, pal.border, (x, y), (x + width, y), max(1, self.px(2)))
        return y + self.px(10)

    def _draw_cards(self, surface: pygame.Surface, x: int, y: int, width: int) -> int:
        pal = self.app.palette
        sess = self.app.session
        rec_cards = self.record().get("cards", [])
        y = self._draw_changes(surface, x, y, width)
        for n, c in enumerate(rec_cards):
            if n:
                y += self.px(10)
                pygame.draw.line(surface, pal.border, (x, y), (x + width, y), max(1, self.px(2)))
                y += self.px(10)
            y = self.painter.paragraph(surface, pick(c.get("title")), pygame.Rect(x, y, width, 0), 22, pal.accent,
                                       "serif") + self.px(4)
            for d, o in (c.get("choices") or {}).items():
                text = pick((c.get("choice_text") or {}).get(d)) or o
                mark = f" {tr('outcome.default')}" if d in (c.get("defaulted") or []) else ""
                y = self.painter.paragraph(surface, f"• {decider_name(sess, d)}: {text}{mark}",
                                           pygame.Rect(x, y, width, 0), 15, pal.ink, "bold")
            y += self.px(6)
            self.painter.text(surface, tr("outcome.in_game"), (x, y), 14, pal.muted, "bold")
            y += self.painter.line_height(14) + self.px(2)
            # the teacher's screen may be mirrored to the projector: history only once revealed to the class
            history = c.get("history") if c.get("revealed") or sess.role != Role.HOST else None
            outcomes = [o for o in c.get("outcomes") or [] if pick(o.get("text"))]
            if outcomes:
                if c.get("revealed"):  # as in history or not: told once the teacher reveals it, once a card
                    tag = history_tag(outcomes)
                    colour = pal.good if tag == tr("outcome.historical") else pal.accent
                    self.painter.text(surface, tag.upper(), (x, y), 12, colour, "bold")
                    y += self.painter.line_height(12)
                text = " ".join(dict.fromkeys(without_tag(pick(o.get("text"))) for o in outcomes))  # once each
                y = self.painter.paragraph(surface, text, pygame.Rect(x, y, width, 0), 15, pal.ink)
            elif not c.get("choices"):  # an event card: nobody decided; what it says happened
                y = self.painter.paragraph(surface, tr("outcome.event"), pygame.Rect(x, y, width, 0), 14, pal.muted)
                y = self.painter.paragraph(surface, self.card_text(c["card"]), pygame.Rect(x, y, width, 0), 15,
                                           pal.ink)
            y += self.px(6)
            pygame.draw.line(surface, pal.rule, (x, y), (x + width, y))
            y += self.px(8)
            self.painter.text(surface, tr("outcome.in_history"), (x, y), 14, pal.muted, "bold")
            y += self.painter.line_height(14) + self.px(2)
            if history:
                y = self.painter.paragraph(surface, pick(history.get("text")), pygame.Rect(x, y, width, 0), 15,
                                           pal.ink)
                for src in (history.get("sources") or [])[:2]:
                    y = self.painter.paragraph(surface, quote_line(src), pygame.Rect(x + self.px(12), y + self.px(4),
                                                                                     width - self.px(12), 0), 14,
                                               pal.accent)
            else:
                y = self.painter.paragraph(surface, tr("outcome.hidden"), pygame.Rect(x, y, width, 0), 15, pal.muted)
        return y

    def card_text(self, card_id: str) -> str:
        """The text of this turn's card ``card_id`` (what an event card says happened)."""
        for card in cards(self.app.session.view):
            if card.get("id") == card_id:
                return pick(card.get("text"))
        return ""

    # -- input -------------------------------------------------------------------------
    def process_event(self, event: pygame.event.Event) -> bool:
        if self.map_event(event):
            return True
        if event.type == pygame.MOUSEWHEEL and self.panel.collidepoint(pygame.mouse.get_pos()):
            self.scroll_by(-event.y * self.px(48))
            return True
        return super().process_event(event)

    def on_key(self, event: pygame.event.Event) -> bool:
        if self.map is not None and self.map.handle_key(event):
            self.dirty = True
            return True
        if event.key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP, pygame.K_HOME, pygame.K_END):
            page = self.panel.height - self.px(60)
            self.scroll_by({pygame.K_PAGEDOWN: page, pygame.K_PAGEUP: -page, pygame.K_HOME: -10 ** 6,
                            pygame.K_END: 10 ** 6}[event.key])
            return True
        return super().on_key(event)

    def scroll_by(self, d: int) -> None:
        self.scroll = max(0, min(self.max_scroll, self.scroll + d))
        self.dirty = True

    def on_action(self, action: str) -> None:
        if action.startswith("reveal_"):
            self.app.send("reveal", card=action[7:])
        elif action == "advance":
            if self.app.session is not None and self.app.session.role == Role.HOST:
                self.app.send("advance")
            elif self.app.solo.advance():
                self.resume()   # pressed once: greyed until the next turn comes

    def back(self) -> None:
        if self.app.session and self.app.session.role == Role.HOST:
            self.app.router.host_projector = False
