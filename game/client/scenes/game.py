"""The student's game screen: map, current card with options, own team's vote, tracks, timeline, timer."""

from __future__ import annotations

import pygame

from game.wire import Phase

from .. import textlog
from ..i18n import pick, tr
from ..widgets.card_view import CardView, risk_label
from ..widgets.gauges import Gauges
from ..widgets.map_view import MapView
from ..widgets.timeline import Timeline, past_labels, past_record
from .base import fit_text
from .common import (
    _mmss,
    cards,
    decider_name,
    glossary_entries,
    make_map,
    map_view_name,
    phase_text,
    sync_map,
    team_bloc,
    team_card_index,
    timer_text,
)
from .game_overlays import GameOverlays
from .live import LiveScene

WARN_SECONDS = 30  # in the vote's last seconds a team that has not voted on a card of its own is warned


class GameScene(GameOverlays, LiveScene):
    routed = True
    kind = "game"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.card_index: int | None = None
        self.show_secret = False
        self.reading = False  # the whole card over the screen (when the screen is too small for it)
        self.show_terms = False  # the card's glossary terms over the screen (G)
        self.past_turn: int | None = None  # a past turn's outcome over the screen (clicked on the timeline)
        self._layout_key = None
        self.map: MapView | None = None

    @property
    def show_carried(self) -> bool:
        """A campaign's later lesson opens, in its first turn, with what came over from the last one,
        until the student reads it (any click or key closes it, once per lesson)."""
        sess = self.app.session
        view = (sess.view if sess else None) or {}
        return bool(view.get("carried")) and view.get("turn") == 1 and not sess.carried_read

    # -- layout ------------------------------------------------------------------------
    def layout(self) -> None:
        w, h = self.app.size
        top = self.px(64) + self.px(10)
        left_w = int(w * (0.43 if self.app.scale <= 1.0 else 0.34))
        self.map_rect = pygame.Rect(self.px(12), top, left_w, int((h - top) * 0.56))
        # many tracks: the map gives up height until every gauge fits
        tracks = len(self.app.session.scenario_info.get("tracks", [])) if self.app.session else 0
        need = Gauges(self.app.text, self.app.palette, self.map_rect, self.app.scale).needed_height(tracks)
        room = h - self.px(100) - self.px(8) - top
        self.map_rect.height = max(int((h - top) * 0.4), min(self.map_rect.height, room - need))
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
        if ((self.reading or self.show_terms) and card is not None) or (self.past_turn is not None
                                                                       and hasattr(self, "timeline")):
            return  # the whole card, its terms or a past turn covers the screen: no buttons under it (a click closes it)
        name = map_view_name(card)
        if self.map is None or self.map.view_name != name or self.map.rect != self.map_rect:
            self.map = make_map(self.app, self.map_rect, card, self.app.session)
        self.card_view = CardView(self.app.text, self.app.palette, self.card_rect.size, self.app.scale, tools=True)
        self.gauges = Gauges(self.app.text, self.app.palette, self.gauge_rect, self.app.scale)
        self.timeline = Timeline(self.app.text, self.app.palette, self.timeline_rect, self.app.scale)
        if sess is not None:
            sync_map(self.map, sess, card, self.app.settings.colourblind)
        self.options_cut = False
        self._build_options(card)
        if card is not None:
            self.card_view.surface(card, phase_text((view or {}).get("phase")))  # renders: is anything cut?
            x = self.card_rect.right - self.px(22)
            ty = self.card_rect.y + (self.card_view.tools_y if self.card_view.tools_y is not None
                                     else self.card_rect.height - self.px(46)) + self.px(2)  # the phase line's right
            if (self.card_view.cut or self.options_cut) and not self.show_secret:
                rw = self.px(96)
                x -= rw
                self.button("read_card", tr("game.read"), (x, ty, rw, self.px(28)), "#small_button",
                            tooltip=tr("game.read_card"))
                x -= self.px(8)
            if glossary_entries(sess, card) and not self.show_secret:
                tw = self.px(120)
                self.button("terms", tr("game.terms"), (x - tw, ty, tw, self.px(28)), "#small_button",
                            tooltip=tr("game.terms_tip"))
        else:
            self.reading = self.show_terms = False
        # the bottom bar, right to left: the secret button (as wide as its label), the card tabs
        label = tr("game.secret_hide") if self.show_secret else tr("game.secret")
        font = self.app.fonts.get(self.px(16))
        bw = max(self.px(120), font.size(label)[0] + self.px(36))
        self.button("secret", label, (self.right.right - bw, self.right.bottom - self.px(40), bw, self.px(38)),
                    "#small_button", enabled=bool((view or {}).get("team")))
        self.bar_left = self.right.right - bw - self.px(12)
        if self.app.solo.active:   # solo: back to the menu at any time (the game is saved)
            mw = max(self.px(90), font.size(tr("solo.menu"))[0] + self.px(36))
            self.button("solo_menu", tr("solo.menu"), (self.app.size[0] - self.px(12) - mw, self.px(14), mw, self.px(36)),
                        "#small_button", tooltip=tr("solo.menu_tip"))
        if len(cs) > 1:  # more cards this turn: tabs left of the secret button, marked for this team
            marks = [self.tab_mark(c) for c in cs]
            labels = [f"{i + 1}/{len(cs)}{m}" for i, (m, _) in enumerate(marks)]
            if self.right.width < self.px(640):  # narrow: "2 !" instead of "2/3 !"
                labels = [f"{i + 1}{m}" for i, (m, _) in enumerate(marks)]
            # as wide as the widest label needs, plain or chosen (bold, aligned left: "1/3 !" is wider)
            tw = max(max(font.size(t)[0] + self.px(30), self.button_width(t, "#small_button"),
                         self.button_width(t, "#chosen_button")) for t in labels)
            for i, (text, (_, tip)) in enumerate(zip(labels, marks, strict=True)):
                self.button(f"card_{i}", text, (self.bar_left - (tw + self.px(6)) * (len(cs) - i),
                                                self.right.bottom - self.px(40), tw, self.px(38)),
                            "#chosen_button" if i == self.card_index else "#small_button", tooltip=tip)
            self.bar_left -= (tw + self.px(6)) * len(cs)

    def tab_mark(self, card: dict) -> tuple[str, str]:
        """A card tab's mark and tooltip: " !" this team must still vote on it, " ✓" it has voted,
        "" other teams decide it."""
        sess = self.app.session
        if not sess.team or sess.team not in (card.get("teams") or []):
            return "", tr("game.tab_other")
        if self.team_voted(card):
            return " ✓", tr("game.tab_voted")
        return " !", tr("game.tab_vote")

    def team_voted(self, card: dict) -> bool:
        """Someone in this team has voted on ``card`` (or the teacher entered the team's choice)."""
        team = (self.app.session.view or {}).get("team") or {}
        return bool((team.get("votes") or {}).get(card["id"])) or card["id"] in (team.get("direct") or {})

    def unvoted_cards(self) -> list[int]:
        """The numbers (1-based) of the cards this team decides and has not voted on."""
        sess = self.app.session
        if not sess.team:
            return []
        return [i + 1 for i, c in enumerate(cards(sess.view)) if sess.team in (c.get("teams") or [])
                and not self.team_voted(c)]

    def warning(self) -> str:
        """In the vote's last WARN_SECONDS: which of this team's cards still have no vote."""
        sess = self.app.session
        left = sess.time_left() if sess.phase == Phase.DELIBERATION and not sess.paused else None
        missing = self.unvoted_cards()
        if left is None or left > WARN_SECONDS or not missing:
            return ""
        n = len(cards(sess.view))
        return tr("game.unvoted", left=_mmss(left), cards=", ".join(f"{i}/{n}" for i in missing))

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
        gap = self.px(6)
        bottom = self.right.bottom - self.px(84)
        min_card = int(self.right.height * 0.3)
        for keep in ((3 if self.app.scale <= 1.25 else 2), 2, 1):  # fewer lines each until the team's own fit
            planned, cut = self._plan_options(card, mine, text_w, lh, keep)
            own_h = sum(p[5] + gap for p in planned if p[4])
            if self.card_rect.top + min_card + self.px(8) + own_h <= bottom:
                break
        self.options_cut = cut
        card_h = max(min_card, min(self.card_rect.height, bottom - self.card_rect.top - self.px(8) - own_h))
        if card_h != self.card_rect.height:
            self.card_rect.height = card_h
            self.card_view = CardView(self.app.text, self.app.palette, self.card_rect.size, self.app.scale, tools=True)
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

    def _plan_options(self, card: dict, mine: set[str], text_w: int, lh: int,
                      keep: int) -> tuple[list[tuple], bool]:
        """Each option's row (index, option, lines (at most ``keep``, cut with "…"), note, own, height),
        own options first; and whether any option was cut."""
        sess = self.app.session
        planned, cut = [], False
        for i, opt in enumerate(card.get("options", [])):
            allowed = bool(mine & set(opt.get("for") or card.get("deciders") or []))
            label = f"{i + 1}. {pick(opt.get('text'))}"
            lines = self.app.text.wrap(label, self.px(16), text_w)
            if len(lines) > keep:
                lines = [*lines[:keep - 1], fit_text(" ".join(lines[keep - 1:]), self.app.fonts.get(self.px(16)),
                                                     text_w)]
                cut = True
            note = risk_label(opt.get("odds"))
            if not allowed:
                note = tr("game.not_yours", who=", ".join(decider_name(sess, d) for d in opt.get("for", [])))
            elif not opt.get("available", True):
                note = tr("game.not_available")
            pad = self.px(12) if keep > 1 else self.px(8)
            rh = max(self.px(42), lh * len(lines) + (self.painter.line_height(13) if note else 0) + pad)
            planned.append((i, opt, lines, note, allowed, rh))
        planned.sort(key=lambda p: not p[4])  # own options first
        return planned, cut

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
        menu = self.actions.get("solo_menu")
        clock = timer_text(sess) if menu is None or sess.time_left() is not None else ""  # solo untimed: no clock
        right = menu.rect.left - self.px(16) if menu is not None else None
        reserve = None if menu is None else surface.get_width() - right + self.px(
            24 + 26 + 20 + 10) + (self.app.fonts.get(self.px(26), "bold").size(clock)[0] if clock else 0)
        self.draw_header(surface, title, "", reserve=reserve)
        # timer (top right), the phase under it
        self.draw_timer(surface, clock, 26, right=right)
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
        warning = self.warning()
        if warning:
            self._draw_warning(surface, warning)
        if self.show_secret:
            self._draw_secret(surface)
        if self.show_carried:
            self._draw_carried(surface, view.get("carried") or [])
        elif self.reading and card is not None:
            self._draw_reading(surface, card)
        elif self.show_terms and card is not None:
            self._draw_terms(surface, card)
        if self.past_turn is not None:
            self.painter.texts += self.timeline.draw_turn(surface, past_record(view, self.past_turn),
                                                          lambda d: decider_name(sess, d), past_labels(view, self.past_turn))
        self.draw_status(surface)

    def _draw_warning(self, surface: pygame.Surface, text: str) -> None:
        """A red band over the top of the card: the clock is running out and a card has no vote."""
        pal = self.app.palette
        lines = self.app.text.wrap(text, self.px(16), self.card_rect.width - self.px(30), "bold")[:2]
        lh = self.painter.line_height(16, "bold")
        band = pygame.Rect(self.card_rect.x, self.card_rect.y, self.card_rect.width - self.px(6),
                           lh * len(lines) + self.px(14))
        textlog.cover(surface, band)
        pygame.draw.rect(surface, pal.bad, band, border_radius=self.px(10))
        pygame.draw.rect(surface, pal.ink, band, max(1, self.px(2)), border_radius=self.px(10))
        self.painter.texts.append(text)
        for i, line in enumerate(lines):
            img = self.app.text.render(line, self.px(16), pal.banner_text, "bold")
            at = img.get_rect(topleft=(band.x + self.px(14), band.y + self.px(7) + i * lh))
            surface.blit(img, at)
            textlog.note(surface, at, line)

    def _draw_rows(self, surface: pygame.Surface, card: dict) -> None:
        pal = self.app.palette
        view = self.app.session.view or {}
        team = view.get("team") or {}
        votes = (team.get("votes") or {}).get(card["id"], {})
        tally: dict[str, int] = {}
        for opt in votes.values():
            tally[opt] = tally.get(opt, 0) + 1
        leaning = (team.get("choice") or {}).get(card["id"]) if votes else None
        for opt, rect, lines, note, allowed in self.rows:
            bg = pal.panel if allowed else pal.disabled
            pygame.draw.rect(surface, bg, rect, border_radius=self.px(8))
            pygame.draw.rect(surface, pal.border if allowed else pal.disabled_border, rect, 1, border_radius=self.px(8))
            if opt["id"] == leaning:  # the option the team leans to, as the line under the options says
                pygame.draw.rect(surface, pal.accent, rect, max(2, self.px(3)), border_radius=self.px(8))
            y = rect.y + self.px(6)
            colour = pal.ink if allowed else pal.muted
            for line in lines:  # a cut option: "Read all" shows it whole
                self.painter.text(surface, line, (rect.x + self.px(10), y), 16, colour, more="read_card" in self.actions)
                y += self.painter.line_height(16)
            if note:
                self.painter.text(surface, note, (rect.x + self.px(26), y), 13, pal.accent if allowed else pal.muted)
            n = tally.get(opt["id"], 0)
            if n:
                self.painter.text(surface, "●" * min(n, 8), (rect.right - self.px(170), rect.y + self.px(4)), 13,
                                  pal.accent, anchor="topright")

    def _draw_team_line(self, surface: pygame.Surface, card: dict | None) -> None:
        """Who this is (above the buttons, the whole width) and how the team votes on this card (beside
        the tabs: "3 of 4 voted · Your team leans to option 2: …", that option's row framed)."""
        sess = self.app.session
        pal = self.app.palette
        view = sess.view or {}
        x = self.right.x
        status_y = self.right.bottom - self.px(80)
        who_y = self.right.bottom - self.px(21)
        if not sess.team:
            self.painter.text(surface, tr("game.observer"), (x, who_y), 15, pal.muted, anchor="midleft")
            return
        team = view.get("team") or {}
        room = self.bar_left - self.px(6) - x  # left of the tabs and the secret button
        who = tr("game.you_are", name=sess.name or "", team=sess.team_name(sess.team, pick))
        team_name = sess.team_name(sess.team, pick)
        font = self.app.fonts.get(self.px(14), "bold")
        if font.size(who)[0] > room:  # narrow: the team's name alone, then smaller
            who = team_name
        size = next((sz for sz in range(14, 10, -1) if self.app.fonts.get(self.px(sz), "bold").size(who)[0] <= room),
                    None)
        if size is None:  # even at 11 too long for one line: the team's name in two lines beside the tabs
            lines = self.app.text.wrap(who, self.px(12), room, "bold")
            if len(lines) == 2:
                lh = self.painter.line_height(12, "bold")
                for i, line in enumerate(lines):
                    self.painter.text(surface, line, (x, who_y - lh // 2 + i * lh), 12, pal.muted, "bold",
                                      anchor="midleft")
                self._draw_vote_line(surface, card, team, x, status_y)
                return
            size = 11   # (cut only if even two lines do not hold it)
        self.painter.text(surface, fit_text(who, self.app.fonts.get(self.px(size), "bold"), room), (x, who_y), size,
                          pal.muted, "bold", anchor="midleft", full=who)
        self._draw_vote_line(surface, card, team, x, status_y)

    def _draw_vote_line(self, surface: pygame.Surface, card: dict | None, team: dict, x: int, status_y: int) -> None:
        """How the team votes on this card (see `_draw_team_line`)."""
        sess = self.app.session
        pal = self.app.palette
        if card is None or card["id"] not in (team.get("votes") or {}):
            if card is not None and not card.get("deciders"):
                self.fitted(surface, tr("game.info_card"), (x, status_y), 15, pal.ink, "regular", self.right.width)
            return
        votes = team["votes"].get(card["id"], {})
        members = len(sess.members_by_team().get(sess.team, [])) or len(votes)
        line = tr("game.voted", n=len(votes), m=members)
        choice = (team.get("choice") or {}).get(card["id"])
        if choice and votes:
            n = next((i + 1 for i, o in enumerate(card["options"]) if o["id"] == choice), 0)
            opt_text = next((pick(o.get("text")) for o in card["options"] if o["id"] == choice), choice)
            line += " · " + tr("game.leaning_to", n=n, option=opt_text)
        elif not votes:
            line = tr("game.no_votes")
        # cut, it still names the option's number, and that option's row is framed above
        self.fitted(surface, line, (x, status_y), 15, pal.ink, "bold", self.right.width)

    def fitted(self, surface: pygame.Surface, text: str, pos: tuple[int, int], size: int, colour, weight: str,
               width: int, anchor: str = "topleft") -> pygame.Rect:
        """One line cut with "…" to ``width`` (the whole text is shown elsewhere on this screen)."""
        shown = fit_text(text, self.app.fonts.get(self.px(size), weight), width)
        r = self.painter.text(surface, shown, pos, size, colour, weight, anchor=anchor, full=text, more=True)
        if shown != text:
            self.painter.texts[-1] = text
        return r

    def process_event(self, event: pygame.event.Event) -> bool:
        if self.show_carried and event.type in (pygame.MOUSEBUTTONDOWN, pygame.KEYDOWN):
            self.app.session.carried_read = True  # read: the lesson goes on
            self.dirty = True
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and self.open_past_turn(event.pos):
            return True
        if self.reading and event.type == pygame.MOUSEBUTTONDOWN:
            self.on_action("read_card")  # any click closes the card
            return True
        if self.show_terms and event.type == pygame.MOUSEBUTTONDOWN:
            self.on_action("terms")
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
        if event.key == pygame.K_g and (self.show_terms or glossary_entries(self.app.session, self.current_card())):
            self.on_action("terms")
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
        elif self.show_terms:
            self.on_action("terms")
        elif self.show_secret:
            self.press("secret")
        elif self.app.solo.active:
            self.press("solo_menu")

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
            self.show_terms = False
            self.resume()
        elif action == "terms":
            self.show_terms = not self.show_terms
            self.reading = False
            self.resume()
        elif action.startswith("card_"):
            self.card_index = int(action[5:])
            self.resume()
        elif action == "solo_menu":
            self.app.leave_to_menu()   # the menu lists the game to continue (it is saved)
