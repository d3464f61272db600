"""Projector mode: the read-only public view for the classroom screen, legible from the back row.

It scales to its screen by itself (1280x720 is 1x, 1920x1080 1.5x, whatever the teacher's UI scale).
The lobby shows the join code and the address to type; a turn shows the map and every card of the
turn with its options and stated odds, and under each card its teams' vote progress (how many voted,
never what); then the outcome (history once the teacher reveals it) and at the end the ending (or
"ended early after turn N") and the scores.
"""

from __future__ import annotations

import pygame

from game.wire import Phase, Role

from ..i18n import pick, tr
from ..style import Painter
from ..widgets.bot_picker import bot_label, humans, team_bot
from ..widgets.card_view import format_date, quote_line, risk_label
from ..widgets.map_view import MapView
from ..widgets.qr_view import QrCode
from .common import cards, decider_name, join_address, map_view_name, phase_text, sync_map, timer_text
from .live import LiveScene

SIZES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58, 0.52, 0.46)  # text size factors, largest first, for fitting


def ending_title(ending: dict, view: dict) -> str:
    """The ending's title, or for a game ended early "Ended early after turn N of M" (no claim of history)."""
    if ending.get("early"):
        played = int(ending.get("played") or 0)
        if not played:
            return tr("debrief.early_none")
        return tr("debrief.early_title", n=played, m=view.get("turn_count", "?"))
    return pick(ending.get("title"))


def quote_text(src: dict) -> str:
    """A source quote as shown: the exact Polish words, and in English its gloss after them."""
    return quote_line(src, section=False)  # (marked "our translation", as on the students' screens)


def ending_text(ending: dict) -> str:
    return tr("debrief.early_text") if ending.get("early") else pick(ending.get("text"))


class ProjectorScene(LiveScene):
    routed = True
    kind = "projector"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.map: MapView | None = None
        self.qr = QrCode()  # the join address's QR code, in the lobby
        self.painter = Painter(app.text, self.pscale)
        self.text_px: dict[str, int] = {}  # card id -> the pixel size its text was last drawn at

    @property
    def pscale(self) -> float:
        """The projector's own scale: the screen's size against 1280x720 (never below the UI scale)."""
        w, h = self.app.size
        return max(self.app.scale, min(w / 1280, h / 720))

    def px(self, v: float) -> int:
        return round(v * self.pscale)

    def _phase(self) -> str:
        sess = self.app.session
        if (sess.view or {}).get("phase") == Phase.ENDED:
            return Phase.ENDED
        return "lobby" if not sess.started else str((sess.view or {}).get("phase") or "")

    def build(self) -> None:
        self.painter = Painter(self.app.text, self.pscale)
        sess = self.app.session
        view = sess.view or {}
        w, h = self.app.size
        top = self.px(70)
        bottom = h - self.px(34)  # a line for the hint under everything
        phase = self._phase()
        cs = cards(view)
        if phase == "lobby":
            self.map = None
            return
        wide = w / h >= 1.6
        if phase in (Phase.BRIEFING, Phase.DELIBERATION) and len(cs) > 1:
            share = (0.22 if wide else 0.18) if len(cs) == 2 else 0.16
        else:
            share = 0.42 if wide else 0.36  # a 4:3 projector: more room for the text
        self.map_rect = pygame.Rect(self.px(10), top, int(w * share), bottom - top)
        card = cs[0] if cs else None
        if card is None and view.get("timeline"):
            last = view["timeline"][-1]["cards"]
            card = {"region": last[0].get("region")} if last else None
        name = map_view_name(card)
        if self.map is None or self.map.rect != self.map_rect or self.map.view_name != name:
            focus = list(sess.scenario_info.get("regions") or [])
            self.map = MapView(self.app.text, self.app.palette, self.map_rect, self.pscale, name, labels=True,
                               focus=focus if name == "russia" else None, interactive=False)
        sync_map(self.map, sess, card, self.app.settings.colourblind)
        rx = self.map_rect.right + self.px(12)
        self.right = pygame.Rect(rx, top, w - rx - self.px(10), bottom - top)
        self.card_rect = self.right  # the outcome and the ending use the whole right side

    def widgets(self) -> list:
        return [self.map] if self.map is not None else []

    # -- drawing -------------------------------------------------------------------------
    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        pal = self.app.palette
        view = sess.view or {}
        phase = self._phase()
        if phase == "lobby":
            self._draw_lobby(surface)
        else:
            title = f"{pick(view.get('turn_label'))} · " \
                    f"{tr('game.turn', turn=view.get('turn', 1), count=view.get('turn_count', 1))}"
            self.draw_header(surface, title, "")
            self.draw_timer(surface, timer_text(sess), 34)
            if self.map is not None:
                self.map.draw(surface)
            if phase in (Phase.OUTCOME, Phase.ENDED):
                self._draw_outcome(surface, view)
            else:
                self._draw_cards(surface, view)
        if sess.role != Role.HOST and phase == Phase.ENDED:
            self.painter.text(surface, tr("projector.menu_hint"), (self.px(16), surface.get_height() - self.px(16)),
                              16, pal.muted, anchor="midleft")
        self.draw_status(surface)

    def _address(self) -> str:
        """The address students type: this machine's LAN address (the host) or the one typed to get here."""
        return join_address(self.app.session)

    def _draw_lobby(self, surface: pygame.Surface) -> None:
        """The join code as large as the screen allows, the address to type, and who is in which team."""
        sess = self.app.session
        pal = self.app.palette
        w, h = surface.get_size()
        self.draw_header(surface, pick(sess.scenario_info.get("title")) or tr("projector.title"), "")
        box = pygame.Rect(self.px(40), self.px(90), w - self.px(80), int(h * 0.42))
        pygame.draw.rect(surface, pal.paper, box, border_radius=self.px(16))
        pygame.draw.rect(surface, pal.border, box, self.px(3), border_radius=self.px(16))
        code = sess.code or "…"
        qr_side = box.height - self.px(28)
        if sess.code and box.width > 2.2 * qr_side:  # the QR code of the join address at the box's right
            qr_box = pygame.Rect(box.right - qr_side - self.px(14), box.y + self.px(14), qr_side, qr_side)
            if self.qr.set(self._address(), sess.code):
                self.qr.draw(surface, qr_box, pal)
            box = pygame.Rect(box.x, box.y, qr_box.x - box.x, box.height)
        self.painter.text(surface, tr("lobby.code"), (box.centerx, box.y + self.px(14)), 28, pal.muted, "bold",
                          anchor="midtop")
        size = 150
        while size > 40 and (self.app.fonts.get(self.px(size), "bold").size(code)[0] > box.width - self.px(40)
                             or self.app.fonts.get(self.px(size), "bold").get_ascent() > box.height - self.px(70)):
            size -= 6
        self.painter.text(surface, code, (box.centerx, box.centery + self.px(20)), size, pal.ink, "bold",
                          anchor="center")
        y = box.bottom + self.px(18)
        self.painter.text(surface, tr("projector.address", address=self._address()), (w // 2, y), 40, pal.accent,
                          "bold", anchor="midtop")
        y += self.painter.line_height(40, "bold") + self.px(4)
        y = self.painter.paragraph(surface, tr("projector.how_to_join"), pygame.Rect(self.px(60), y, w - self.px(120), 0),
                                   24, pal.ink) + self.px(12)
        members = sess.members_by_team()
        playing = sess.config.get("teams")
        teams = [t for t in sess.scenario_info.get("teams", []) if not playing or t["id"] in playing]
        if not teams:
            return
        # each team's whole name (all at one size, as large as the longest allows) and its count under it
        cw = (w - self.px(80)) // len(teams)
        width = cw - self.px(16)
        names = [pick(t["name"]) for t in teams]
        size = min(self.painter.fit_size(n, width, 24, 14, 3, "bold") for n in names)
        lines = max(len(self.app.text.wrap(n, self.px(size), width, "bold")) for n in names)
        count_y = y + min(3, lines) * self.painter.paragraph_line_height(size, "bold") + self.px(4)
        for i, (team, name) in enumerate(zip(teams, names, strict=True)):
            x = self.px(40) + i * cw
            self.painter.paragraph(surface, name, pygame.Rect(x, y, width, 0), size, pal.ink, "bold", max_lines=3)
            ms = members.get(team["id"], [])
            n = len(humans(ms))
            bot = team_bot(ms)   # a bot in the team: named (number and level) after the students' count
            line = tr("lobby.members", n=n) + (f" + {bot_label(bot['bot'], bot.get('player'))}" if bot else "")
            self.painter.text(surface, line, (x, count_y), 22, pal.accent if n or bot else pal.muted, "bold")

    def _draw_cards(self, surface: pygame.Surface, view: dict) -> None:
        """Every card of the turn in its own column: title, text, options with odds, and its teams' votes."""
        cs = cards(view)
        if not cs:
            return
        r = self.right
        gap = self.px(12)
        # a longer card gets a wider column (a little less than in proportion: a short card still reads big)
        weights = [len(pick(c.get("text"))) + sum(len(pick(o.get("text"))) + 40 for o in c.get("options") or [])
                   for c in cs]
        weights = [max(1, w) ** 0.85 for w in weights]
        room = r.width - gap * (len(cs) - 1)
        x = r.x
        for i, card in enumerate(cs):
            cw = round(room * weights[i] / sum(weights)) if i < len(cs) - 1 else r.right - x
            col = pygame.Rect(x, r.y, cw, r.height)
            x += cw + gap
            teams = card.get("teams") or []
            prog_h = self.px(84) if teams else 0
            panel = pygame.Rect(col.x, col.y, col.width, col.height - prog_h - (self.px(8) if teams else 0))
            self._draw_card(surface, card, panel, view)
            if teams:
                self._draw_progress(surface, card, pygame.Rect(col.x, panel.bottom + self.px(8), col.width, prog_h))

    def _draw_card(self, surface: pygame.Surface, card: dict, r: pygame.Rect, view: dict) -> None:
        pal = self.app.palette
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.border, r, self.px(2), border_radius=self.px(12))
        pad = self.px(16)
        area = pygame.Rect(pad, pad, r.width - 2 * pad, 0)
        k = self.first_fitting(lambda surf, k: self._card_text(surf, card, view, area, k),
                               (r.width, r.height - pad), SIZES) or SIZES[-1]
        canvas = pygame.Surface(r.size, pygame.SRCALPHA)
        self._card_text(canvas, card, view, area, k)
        self.text_px[card.get("id")] = self.px(max(12, round(26 * k)))  # the card text's size in pixels
        surface.blit(canvas, r.topleft, pygame.Rect(0, 0, r.width, r.height - self.px(4)))

    def _card_text(self, surf: pygame.Surface, card: dict, view: dict, area: pygame.Rect, k: float) -> int:
        """One card at text sizes times ``k``; returns the y below it. At 1x the text is 26 (39 px at 1080p)."""
        pal = self.app.palette
        sess = self.app.session
        x, y, width = area.x, area.y, area.width

        def sz(n: int) -> int:
            return max(12, round(n * k))

        when = (card.get("date_label") and pick(card.get("date_label"))) or format_date(card.get("date"))
        head = " · ".join(t for t in (phase_text(view.get("phase")), when) if t)
        self.painter.text(surf, head, (x, y), sz(20), pal.muted, "bold")
        y += self.painter.line_height(sz(20), "bold") + self.px(2)
        y = self.painter.paragraph(surf, pick(card.get("title")), pygame.Rect(x, y, width, 0), sz(34), pal.accent,
                                   "serif", max_lines=3)
        y = self.painter.paragraph(surf, pick(card.get("text")), pygame.Rect(x, y + self.px(6), width, 0), sz(26),
                                   pal.ink) + self.px(10)
        deciders = card.get("deciders") or []
        group = None
        for i, o in enumerate(card.get("options") or []):
            who = tuple(o.get("for") or [])
            if len(deciders) > 1 and who != group:  # who picks these options, once above them
                group = who
                y = self.painter.paragraph(surf, ", ".join(decider_name(sess, d) for d in who) + ":",
                                           pygame.Rect(x, y + self.px(2), width, 0), sz(20), pal.muted, "bold")
            colour = pal.ink if o.get("available", True) else pal.muted
            line = f"{i + 1}. {pick(o.get('text'))}"
            if not o.get("available", True):
                line += f" ({tr('projector.unavailable')})"
            y = self.painter.paragraph(surf, line, pygame.Rect(x, y, width, 0), sz(24), colour, "bold")
            odds = risk_label(o.get("odds"))
            if odds:
                y = self.painter.paragraph(surf, odds, pygame.Rect(x + self.px(24), y, width - self.px(24), 0),
                                           sz(20), pal.muted)
            y += self.px(6)
        return y

    def _draw_progress(self, surface: pygame.Surface, card: dict, r: pygame.Rect) -> None:
        """A box per team deciding ``card``: its name and how many of its members voted (never what)."""
        pal = self.app.palette
        sess = self.app.session
        playing = sess.config.get("teams")
        teams = [t for t in card.get("teams") or [] if not playing or t in playing]
        members = sess.members_by_team()
        cw = r.width // max(1, len(teams))
        for i, team in enumerate(teams):
            box = pygame.Rect(r.x + i * cw + (self.px(3) if i else 0), r.y, cw - (self.px(3) if i else 0), r.height)
            progress = ((sess.view or {}).get("progress") or {}).get(card.get("id"), {}).get(team) or {}
            decided = progress.get("decided")
            pygame.draw.rect(surface, pal.panel, box, border_radius=self.px(10))
            pygame.draw.rect(surface, pal.good if decided else pal.border, box, self.px(3), border_radius=self.px(10))
            name = decider_name(sess, team)
            inner = box.width - self.px(16)
            n, m = progress.get("votes", 0), len(members.get(team, []))
            count, csize = self._count_text(n, m, decided, inner)
            room = box.height - self.px(14) - self.painter.line_height(csize, "bold")  # above the count
            # the whole name at the largest size at which it fits above the count (words kept whole)
            size = self.painter.fit_size(name, inner, 24, 10, 3, "bold", height=room)
            lines = self.app.text.wrap(name, self.px(size), inner, "bold")
            lh = self.painter.paragraph_line_height(size, "bold")
            shown = max(1, min(len(lines), room // max(1, lh)))
            y = box.y + self.px(6)
            for k, line in enumerate(lines[:shown]):
                cut = k == shown - 1 and shown < len(lines)
                self.painter.text(surface, line.rstrip(" ,.;") + "…" if cut else line, (box.centerx, y), size,
                                  pal.ink, "bold", anchor="midtop", full=name if cut else None)
                y += lh
            if len(lines) > 1:
                self.painter.texts.append(name)   # (the whole name, as the lines above spell it)
            self.painter.text(surface, count, (box.centerx, box.bottom - self.px(6)), csize,
                              pal.good if decided else pal.ink if m else pal.muted, "bold", anchor="midbottom")

    def _count_text(self, n: int, m: int, decided: bool, width: int) -> tuple[str, int]:
        """What a team's vote box says under its name, and at what size, within ``width`` pixels:
        "2 of 3 voted" (narrow: "2/3"); a team nobody plays says so and that the card's default
        will be its choice ("0/0" would read as a vote nobody can win); in one-screen play (the
        teacher enters the choices) whether its choice is in."""
        if self.app.session.config.get("one_screen"):
            texts = [tr("game.decided") if decided else tr("game.deciding")]
        elif m == 0 and not n and not decided:
            texts = [tr("votes.nobody_default"), tr("votes.nobody")]
        else:
            texts = [tr("game.voted", n=n, m=m), f"{'✓ ' if decided else ''}{n}/{m}"]
        fonts = self.app.fonts
        for text in texts:   # the first that fits at a size still legible from the back
            for size in range(26, 15, -1):
                if fonts.get(self.px(size), "bold").size(text)[0] <= width:
                    return text, size
        text = texts[-1]
        size = next((s for s in range(15, 9, -1) if fonts.get(self.px(s), "bold").size(text)[0] <= width), 10)
        return text, size

    def _draw_outcome(self, surface: pygame.Surface, view: dict) -> None:
        """The outcome (or the ending and the scores) on the right, at the largest text size that fits."""
        pal = self.app.palette
        r = self.right
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.border, r, self.px(2), border_radius=self.px(12))
        pad = self.px(20)
        area = pygame.Rect(pad, pad, r.width - 2 * pad, 0)
        k = self.first_fitting(lambda surf, k: self._outcome_text(surf, view, area, k),
                               (r.width, r.height - pad), SIZES) or SIZES[-1]
        canvas = pygame.Surface(r.size, pygame.SRCALPHA)
        self._outcome_text(canvas, view, area, k)
        surface.blit(canvas, r.topleft, pygame.Rect(0, 0, r.width, r.height - self.px(6)))

    def _outcome_text(self, surf: pygame.Surface, view: dict, area: pygame.Rect, k: float) -> int:
        """Draw the outcome or the ending with every text size times ``k``; returns the y below it."""
        pal = self.app.palette
        x, y, width = area.x, area.y, area.width

        def sz(n: int) -> int:
            return max(12, round(n * k))

        ending = view.get("ending") if view.get("phase") == Phase.ENDED else None
        if ending:
            if not ending.get("early"):  # an early end says so in its title
                self.painter.text(surf, tr("game.ended"), (x, y), sz(22), pal.muted, "bold")
                y += self.painter.line_height(sz(22), "bold") + self.px(6)
            y = self.painter.paragraph(surf, ending_title(ending, view), pygame.Rect(x, y, width, 0), sz(36),
                                       pal.accent, "serif", max_lines=3)
            y = self.painter.paragraph(surf, ending_text(ending), pygame.Rect(x, y + self.px(10), width, 0),
                                       sz(24), pal.ink)
            sess = self.app.session
            for team, sc in sorted((view.get("scores") or {}).items(), key=lambda kv: -kv[1].get("total", 0)):
                pts = tr("debrief.points", n=f"{sc.get('total', 0):g}")
                y = self.painter.paragraph(surf, f"{sess.team_name(team, pick)}: {pts}",
                                           pygame.Rect(x, y + self.px(6), width, 0), sz(24), pal.ink, "bold")
            return y
        timeline = view.get("timeline") or []
        rec = timeline[-1] if timeline else {"cards": []}
        self.painter.text(surf, tr("outcome.title"), (x, y), sz(22), pal.muted, "bold")
        y += self.painter.line_height(sz(22), "bold") + self.px(6)
        for c in rec.get("cards", []):
            y = self.painter.paragraph(surf, pick(c.get("title")), pygame.Rect(x, y, width, 0), sz(32), pal.accent,
                                       "serif", max_lines=2)
            for o in (c.get("outcomes") or [])[:3]:
                if c.get("revealed"):
                    label = tr("outcome.historical") if o.get("historical") else tr("outcome.alternative")
                    self.painter.text(surf, label.upper(), (x, y + self.px(6)), sz(16),
                                      pal.good if o.get("historical") else pal.accent, "bold")
                    y += self.px(6) + self.painter.line_height(sz(16), "bold")
                y = self.painter.paragraph(surf, pick(o.get("text")), pygame.Rect(x, y, width, 0), sz(24), pal.ink)
            hist = c.get("history")
            if hist and c.get("revealed"):
                self.painter.text(surf, tr("outcome.in_history"), (x, y + self.px(8)), sz(18), pal.muted, "bold")
                y += self.px(8) + self.painter.line_height(sz(18), "bold")
                y = self.painter.paragraph(surf, pick(hist.get("text")), pygame.Rect(x, y, width, 0), sz(22), pal.ink)
                for src in (hist.get("sources") or [])[:1]:
                    y = self.painter.paragraph(surf, f"{quote_text(src)} — {src.get('section', '')}",
                                               pygame.Rect(x + self.px(12), y + self.px(4), width - self.px(12), 0),
                                               sz(20), pal.accent)
            y += self.px(14)
        return y

    def back(self) -> None:
        sess = self.app.session
        if sess and sess.role == Role.HOST:
            self.app.router.show_projector(False)
        elif sess and self._phase() == Phase.ENDED:
            self.app.leave_to_menu()  # the lesson is over: the classroom screen may go back to the menu
