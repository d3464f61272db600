"""The student's game screen: map, current card with options, own team's vote, tracks, timeline, timer."""

from __future__ import annotations

import pygame

from game.wire import Phase

from ..i18n import pick, tr
from ..widgets.card_view import CardView, risk_label
from ..widgets.gauges import Gauges
from ..widgets.map_view import MapView
from ..widgets.timeline import Timeline, past_labels, past_record
from .base import fit_text
from .common import (
    cards,
    decider_name,
    make_map,
    map_view_name,
    phase_text,
    sync_map,
    team_bloc,
    team_card_index,
    timer_text,
)
from .live import LiveScene


class GameScene(LiveScene):
    routed = True
    kind = "game"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.card_index: int | None = None
        self.show_secret = False
        self.reading = False  # the whole card over the screen (when the screen is too small for it)
        self.past_turn: int | None = None  # a past turn's outcome over the screen (clicked on the timeline)
        self._layout_key = None
        self.map: MapView | None = None

    # -- layout ------------------------------------------------------------------------
    def layout(self) -> None:
        w, h = self.app.size
        top = self.px(64) + self.px(10)
        left_w = int(w * (0.43 if self.app.scale <= 1.0 else 0.34))
        self.map_rect = pygame.Rect(self.px(12), top, left_w, int((h - top) * 0.56))
        self.gauge_rect = pygame.Rect(self.px(12), self.map_rect.bottom + self.px(8), left_w,
                                      h - self.map_rect.bottom - self.px(100))
        self.timeline_rect = pygame.Rect(self.px(12), h - self.px(82), w - self.px(24), self.px(50))
        rx = self.map_rect.right + self.px(16)
        self.right = pygame.Rect(rx, top, w - rx - self.px(12), self.timeline_rect.top - top - self.px(8))
        self.card_rect = pygame.Rect(rx, top, self.right.width, int(self.right.height * 0.52))

    def build(self) -> None:
        self.layout()
        sess = self.app.session
        view = sess.view if sess else None
        cs = cards(view)
        if self.card_index is None or self.card_index >= len(cs):
            self.card_index = team_card_index(view, sess.team if sess else None)
        card = cs[self.card_index] if cs else None
        if (self.reading and card is not None) or (self.past_turn is not None and hasattr(self, "timeline")):
            return  # the whole card (or a past turn) covers the screen: no buttons under it (any click closes it)
        name = map_view_name(card)
        if self.map is None or self.map.view_name != name or self.map.rect != self.map_rect:
            self.map = make_map(self.app, self.map_rect, card, self.app.session)
        self.card_view = CardView(self.app.text, self.app.palette, self.card_rect.size, self.app.scale)
        self.gauges = Gauges(self.app.text, self.app.palette, self.gauge_rect, self.app.scale)
        self.timeline = Timeline(self.app.text, self.app.palette, self.timeline_rect, self.app.scale)
        if sess is not None:
            sync_map(self.map, sess, card, self.app.settings.colourblind)
        self.options_cut = False
        self._build_options(card)
        if card is not None:
            self.card_view.surface(card, phase_text((view or {}).get("phase")))  # renders: is anything cut?
            if (self.card_view.cut or self.options_cut) and not self.show_secret:
                rw = self.px(96)
                self.button("read_card", tr("game.read"), (self.card_rect.right - rw - self.px(20),  # phase line
                                                           self.card_rect.bottom - self.px(44), rw, self.px(28)),
                            "#small_button", tooltip=tr("game.read_card"))
        else:
            self.reading = False
        bw = self.px(200)
        self.button("secret", tr("game.secret_hide") if self.show_secret else tr("game.secret"),
                    (self.right.right - bw, self.right.bottom - self.px(40), bw, self.px(38)), "#small_button",
                    enabled=bool((view or {}).get("team")))
        if len(cs) > 1:  # more cards this turn: tabs left of the secret button
            for i in range(len(cs)):
                self.button(f"card_{i}", f"{i + 1}/{len(cs)}",
                            (self.right.right - bw - self.px(12) - self.px(64) * (len(cs) - i),
                             self.right.bottom - self.px(40), self.px(58), self.px(38)),
                            "#chosen_button" if i == self.card_index else "#small_button")

    def _build_options(self, card: dict | None) -> None:
        """Option rows: wrapped text on the left (drawn), a Vote button on the right (pygame_gui).

        The team's own options always get room: the card above shrinks (its text is cut with "…")
        before an option is dropped; the other side's options are shown only if room is left.
        """
        self.rows: list[tuple[dict, pygame.Rect, list[str], str, bool]] = []
        if card is None:
            return
        sess = self.app.session
        view = sess.view or {}
        mine = team_bloc(sess, sess.team)
        team = view.get("team") or {}
        my_vote = (team.get("votes") or {}).get(card["id"], {}).get(sess.player or "")
        open_vote = view.get("phase") == Phase.DELIBERATION
        bw = self.px(150)
        text_w = self.right.width - bw - self.px(40)
        lh = self.painter.line_height(16)
        planned = []
        for i, opt in enumerate(card.get("options", [])):
            allowed = bool(mine & set(opt.get("for") or card.get("deciders") or []))
            label = f"{i + 1}. {pick(opt.get('text'))}"
            lines = self.app.text.wrap(label, self.px(16), text_w)
            keep = 3 if self.app.scale <= 1.25 else 2
            if len(lines) > keep:
                lines = [*lines[:keep - 1], lines[keep - 1].rstrip(" .,;") + "…"]
                self.options_cut = True
            note = risk_label(opt.get("odds"))
            if not allowed:
                note = tr("game.not_yours", who=", ".join(decider_name(sess, d) for d in opt.get("for", [])))
            elif not opt.get("available", True):
                note = tr("game.not_available")
            rh = max(self.px(46), lh * len(lines) + (self.painter.line_height(13) if note else 0) + self.px(12))
            planned.append((i, opt, lines, note, allowed, rh))
        planned.sort(key=lambda p: not p[4])  # own options first
        gap = self.px(6)
        bottom = self.right.bottom - self.px(84)
        own_h = sum(p[5] + gap for p in planned if p[4])
        min_card = int(self.right.height * 0.3)
        card_h = max(min_card, min(self.card_rect.height, bottom - self.card_rect.top - self.px(8) - own_h))
        if card_h != self.card_rect.height:
            self.card_rect.height = card_h
            self.card_view = CardView(self.app.text, self.app.palette, self.card_rect.size, self.app.scale)
        y = self.card_rect.bottom + self.px(8)
        # a secret objective too long for the card covers the rows: their vote buttons make way
        covered = self.show_secret and self.secret_layout()[0].bottom > self.card_rect.bottom
        for i, opt, lines, note, allowed, rh in planned:
            rect = pygame.Rect(self.right.x, y, self.right.width, rh)
            if rect.bottom > bottom and not (allowed and sess.team):
                break
            self.rows.append((opt, rect, lines, note, allowed))
            if allowed and sess.team and not covered:
                chosen = my_vote == opt["id"]
                self.button(f"vote_{opt['id']}", ("✓ " + tr("game.your_vote")) if chosen else
                            f"{tr('game.vote')} ({i + 1})",
                            (rect.right - bw - self.px(6), rect.centery - self.px(19), bw, self.px(38)),
                            "#chosen_button" if chosen else "#option_button",
                            enabled=open_vote and opt.get("available", True))
            y = rect.bottom + gap

    def widgets(self) -> list:
        return [w for w in (self.map, getattr(self, "card_view", None), getattr(self, "gauges", None),
                            getattr(self, "timeline", None)) if w is not None]

    # -- state -------------------------------------------------------------------------
    def current_card(self) -> dict | None:
        cs = cards(self.app.session.view if self.app.session else None)
        if not cs:
            return None
        return cs[min(self.card_index or 0, len(cs) - 1)]

    # -- drawing -----------------------------------------------------------------------
    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        view = (sess.view if sess else None) or {}
        info = sess.scenario_info
        turn_label = pick(view.get("turn_label"))
        title = f"{turn_label} · {tr('game.turn', turn=view.get('turn', 1), count=view.get('turn_count', 1))}"
        self.draw_header(surface, title, "")
        # timer (top right), the phase under it
        self.draw_timer(surface, timer_text(sess), 26)
        self.map.draw(surface)
        surface.blit(self.gauges.surface(info.get("tracks", []), view.get("tracks", {}),
                                         view.get("track_changes", {})), self.gauge_rect)
        surface.blit(self.timeline.surface(info.get("turns", []), view.get("turn", 1), view.get("timeline", [])),
                     self.timeline_rect)
        card = self.current_card()
        if card is not None:
            surface.blit(self.card_view.surface(card, phase_text(view.get("phase"))), self.card_rect)
            self._draw_rows(surface, card)
        self._draw_team_line(surface, card)
        if self.show_secret:
            self._draw_secret(surface)
        if self.reading and card is not None:
            self._draw_reading(surface, card)
        if self.past_turn is not None:
            self.painter.texts += self.timeline.draw_turn(surface, past_record(view, self.past_turn),
                                                          lambda d: decider_name(sess, d), past_labels(view, self.past_turn))
        self.draw_status(surface)

    def _draw_reading(self, surface: pygame.Surface, card: dict) -> None:
        """The whole card, its options and quotes, over the screen (opened with ⤢ or C; any click closes)."""
        pal = self.app.palette
        veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        veil.fill((*pal.veil, 150))
        surface.blit(veil, (0, 0))
        w, h = surface.get_size()
        r = pygame.Rect(self.px(24), self.px(20), w - self.px(48), h - self.px(40))
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.accent, r, self.px(3), border_radius=self.px(12))
        pad = self.px(20)
        inner = pygame.Rect(r.x + pad, r.y + pad, r.width - 2 * pad, 0)
        y = self.painter.paragraph(surface, pick(card.get("title")), inner, 22, pal.accent, "serif", max_lines=2)
        body = pygame.Rect(inner.x, y + self.px(8), inner.width, 0)
        body.height = r.bottom - pad - self.painter.line_height(13) - body.y
        size = self.first_fitting(lambda surf, size: self._reading_body(surf, card, body.width, size), body.size,
                                  (20, 18, 17, 16, 15, 14, 13)) or 13  # the largest size at which all of it fits
        canvas = pygame.Surface(body.size, pygame.SRCALPHA)
        self._reading_body(canvas, card, body.width, size)
        surface.blit(canvas, body.topleft)
        self.painter.text(surface, tr("game.read_close"), (r.right - pad, r.bottom - pad), 13, pal.muted,
                          anchor="bottomright")

    def _reading_body(self, surf: pygame.Surface, card: dict, width: int, size: int) -> int:
        """The card's text, every option and the quotes from (0, 0) of ``surf``; returns the y below them."""
        pal = self.app.palette
        y = self.painter.paragraph(surf, pick(card.get("text")), pygame.Rect(0, 0, width, 0), size, pal.ink)
        y += self.px(8)
        for line, mine in self._reading_options(card):
            y = self.painter.paragraph(surf, line, pygame.Rect(self.px(12), y, width - self.px(12), 0), size,
                                       pal.ink if mine else pal.muted) + self.px(4)
        for src in card.get("sources") or []:
            if isinstance(src, dict) and src.get("quote"):
                y = self.painter.paragraph(surf, f"„{src['quote']}” — {src.get('section', '')}",
                                           pygame.Rect(0, y + self.px(4), width, 0), 13, pal.muted)
        return y

    def _reading_options(self, card: dict) -> list[tuple[str, bool]]:
        """Each option's whole text, with whose choice it is when it is not this team's."""
        sess = self.app.session
        mine = team_bloc(sess, sess.team)
        out = []
        for i, opt in enumerate(card.get("options", [])):
            deciders = opt.get("for") or card.get("deciders") or []
            own = bool(mine & set(deciders))
            who = "" if own else f" ({', '.join(decider_name(sess, d) for d in deciders)})"
            out.append((f"{i + 1}. {pick(opt.get('text'))}{who}", own))
        return out

    def _draw_rows(self, surface: pygame.Surface, card: dict) -> None:
        pal = self.app.palette
        view = self.app.session.view or {}
        team = view.get("team") or {}
        votes = (team.get("votes") or {}).get(card["id"], {})
        tally: dict[str, int] = {}
        for opt in votes.values():
            tally[opt] = tally.get(opt, 0) + 1
        for opt, rect, lines, note, allowed in self.rows:
            bg = pal.panel if allowed else pal.disabled
            pygame.draw.rect(surface, bg, rect, border_radius=self.px(8))
            pygame.draw.rect(surface, pal.border if allowed else pal.disabled_border, rect, 1, border_radius=self.px(8))
            y = rect.y + self.px(6)
            colour = pal.ink if allowed else pal.muted
            for line in lines:
                self.painter.text(surface, line, (rect.x + self.px(10), y), 16, colour)
                y += self.painter.line_height(16)
            if note:
                self.painter.text(surface, note, (rect.x + self.px(26), y), 13, pal.accent if allowed else pal.muted)
            n = tally.get(opt["id"], 0)
            if n:
                self.painter.text(surface, "●" * min(n, 8), (rect.right - self.px(170), rect.y + self.px(4)), 13,
                                  pal.accent, anchor="topright")

    def _draw_team_line(self, surface: pygame.Surface, card: dict | None) -> None:
        sess = self.app.session
        pal = self.app.palette
        view = sess.view or {}
        y = self.right.bottom - self.px(38)
        x = self.right.x
        if not sess.team:
            self.painter.text(surface, tr("game.observer"), (x, y), 15, pal.muted)
            return
        team = view.get("team") or {}
        tabs = len(cards(view)) if len(cards(view)) > 1 else 0
        room = self.right.width - self.px(230) - self.px(64) * tabs  # left of the card tabs and the secret
        who = tr("game.you_are", name=sess.name or "", team=sess.team_name(sess.team, pick))
        self.painter.text(surface, fit_text(who, self.app.fonts.get(self.px(14), "bold"), room), (x, y - self.px(4)),
                          14, pal.muted, "bold")
        if card is None or card["id"] not in (team.get("votes") or {}):
            if card is not None and not card.get("deciders"):
                self.painter.text(surface, tr("game.info_card"), (x, y + self.px(18)), 15, pal.ink)
            return
        votes = team["votes"].get(card["id"], {})
        members = len(sess.members_by_team().get(sess.team, [])) or len(votes)
        line = tr("game.voted", n=len(votes), m=members)
        choice = (team.get("choice") or {}).get(card["id"])
        if choice:
            opt_text = next((pick(o.get("text")) for o in card["options"] if o["id"] == choice), choice)
            line += f" · {tr('game.leaning')} {opt_text}"
        elif not votes:
            line = tr("game.no_votes")
        lines = self.app.text.wrap(line, self.px(15), room, "bold")
        self.painter.text(surface, lines[0] + ("…" if len(lines) > 1 else ""), (x, y + self.px(18)), 15, pal.ink,
                          "bold")

    def _secret_body(self, surf: pygame.Surface, width: int, sizes: tuple[int, int], room: int | None = None) -> int:
        """The secret objective and the team's aim from (0, 0) of ``surf`` at ``sizes`` (secret, aim);
        cut to ``room`` pixels if given. Returns the y below them."""
        pal = self.app.palette
        team = (self.app.session.view or {}).get("team") or {}
        big, small = sizes
        para = self.painter.paragraph_line_height
        self.painter.text(surf, tr("game.secret"), (0, 0), 22, pal.highlight, "serif")
        y = self.painter.paragraph(surf, pick(team.get("secret")), pygame.Rect(0, self.px(40), width, 0), big,
                                   pal.accent_text,
                                   max_lines=None if room is None else max(1, (room - self.px(40)) // para(big)))
        y += self.px(10)
        if room is not None and y + self.painter.line_height(small, "bold") > room:
            return y
        self.painter.text(surf, tr("game.aim"), (0, y), small, pal.highlight, "bold")
        y += self.painter.line_height(small, "bold") + self.px(6)
        if room is not None and y + para(small) > room:
            return y
        return self.painter.paragraph(surf, pick(team.get("aim")), pygame.Rect(0, y, width, 0), small,
                                      pal.accent_text, max_lines=None if room is None else max(1, (room - y) // para(small)))

    def secret_layout(self) -> tuple[pygame.Rect, tuple[int, int]]:
        """Where the secret objective goes and its text sizes: over the card; on a screen too small for
        that, over the option rows too (their vote buttons make way while it is open)."""
        pad = self.px(18)

        def sizes(r: pygame.Rect) -> tuple[int, int] | None:
            return self.first_fitting(lambda surf, sz: self._secret_body(surf, r.width - 2 * pad, sz),
                                      (r.width - 2 * pad, r.height - 2 * pad),
                                      ((18, 15), (17, 14), (16, 14), (15, 13), (14, 12)))

        r = self.card_rect.inflate(-self.px(30), -self.px(30))
        fit = sizes(r)
        if fit is None:
            r = pygame.Rect(r.x, r.y, r.width, self.right.bottom - self.px(52) - r.y)
            fit = sizes(r)
        return r, fit or (14, 12)

    def _draw_secret(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        r, sizes = self.secret_layout()
        pygame.draw.rect(surface, pal.ink, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.highlight, r, self.px(3), border_radius=self.px(12))
        pad = self.px(18)
        inner = r.inflate(-2 * pad, -2 * pad)
        canvas = pygame.Surface(inner.size, pygame.SRCALPHA)
        self._secret_body(canvas, inner.width, sizes, room=inner.height)
        surface.blit(canvas, inner.topleft)

    # -- input -------------------------------------------------------------------------
    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and self.open_past_turn(event.pos):
            return True
        if self.reading and event.type == pygame.MOUSEBUTTONDOWN:
            self.on_action("read_card")  # any click closes the card
            return True
        if self.map_event(event):
            return True
        return super().process_event(event)

    def on_key(self, event: pygame.event.Event) -> bool:
        if self.map is not None and self.map.handle_key(event):   # + - 0: nothing else uses them here
            self.dirty = True
            return True
        if pygame.K_1 <= event.key <= pygame.K_9:
            idx = event.key - pygame.K_1
            card = self.current_card()
            if card and idx < len(card.get("options", [])):
                self.press(f"vote_{card['options'][idx]['id']}")
            return True
        if event.key == pygame.K_s:
            self.press("secret")
            return True
        if event.key == pygame.K_c and self.current_card() is not None:
            self.on_action("read_card")
            return True
        return super().on_key(event)

    def open_past_turn(self, pos: tuple[int, int]) -> bool:
        """A click: closes an open past turn, or opens the past turn clicked on the timeline."""
        view = (self.app.session.view if self.app.session else None) or {}
        turn = None if self.past_turn is not None else self.timeline.turn_at(pos, view.get("timeline") or [])
        if self.past_turn is None and turn is None:
            return False
        self.past_turn = turn
        self.resume()
        return True

    def back(self) -> None:
        if self.past_turn is not None:
            self.past_turn = None
            self.resume()
        elif self.reading:
            self.on_action("read_card")
        elif self.show_secret:
            self.press("secret")

    def on_action(self, action: str) -> None:
        card = self.current_card()
        if action.startswith("vote_") and card is not None:
            option = action[5:]
            team = (self.app.session.view or {}).get("team") or {}
            mine = (team.get("votes") or {}).get(card["id"], {}).get(self.app.session.player or "")
            if mine == option:
                self.app.send("unvote", card=card["id"])
            else:
                self.app.send("vote", card=card["id"], option=option)
        elif action == "secret":
            self.show_secret = not self.show_secret
            self.resume()
        elif action == "read_card":
            self.reading = not self.reading
            self.resume()
        elif action.startswith("card_"):
            self.card_index = int(action[5:])
            self.resume()
