"""Projector mode: the read-only public view for the classroom screen — map, card, timer, vote progress
(how many voted, never what), the outcome and, at the end, the ending and the scores."""

from __future__ import annotations

import pygame

from game.wire import Phase, Role

from ..i18n import pick, tr
from ..widgets.card_view import CardView
from ..widgets.map_view import MapView
from .common import cards, decider_name, make_map, map_view_name, phase_text, sync_map, timer_text
from .live import LiveScene


class ProjectorScene(LiveScene):
    routed = True
    kind = "projector"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.map: MapView | None = None

    def build(self) -> None:
        sess = self.app.session
        view = sess.view or {}
        w, h = self.app.size
        top = self.px(70)
        share = 0.5 if w / h >= 1.6 else 0.42  # a 4:3 projector: more room for the text
        self.map_rect = pygame.Rect(self.px(10), top, int(w * share), h - top - self.px(120))
        card = self._card()
        if card is None and view.get("timeline"):
            last = view["timeline"][-1]["cards"]
            card = {"region": last[0].get("region")} if last else None
        name = map_view_name(card)
        if self.map is None or self.map.rect != self.map_rect or self.map.view_name != name:
            self.map = make_map(self.app, self.map_rect, card, self.app.session, interactive=False)
        sync_map(self.map, sess, card, self.app.settings.colourblind)
        rx = self.map_rect.right + self.px(14)
        self.card_rect = pygame.Rect(rx, top, w - rx - self.px(10), h - top - self.px(120))
        self.card_view = CardView(self.app.text, self.app.palette, self.card_rect.size, self.app.scale, big=True)
        self.progress_rect = pygame.Rect(self.px(10), h - self.px(112), w - self.px(20), self.px(86))

    def _card(self) -> dict | None:
        cs = cards(self.app.session.view)
        return cs[0] if cs else None

    def widgets(self) -> list:
        return [w for w in (self.map, getattr(self, "card_view", None)) if w is not None]

    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        pal = self.app.palette
        view = sess.view or {}
        title = f"{pick(view.get('turn_label'))} · {tr('game.turn', turn=view.get('turn', 1), count=view.get('turn_count', 1))}"
        self.draw_header(surface, title, "")
        self.draw_timer(surface, timer_text(sess), 34)
        self.map.draw(surface)
        phase = view.get("phase")
        if phase in (Phase.OUTCOME, Phase.ENDED):
            self._draw_outcome(surface, view)
        else:
            card = self._card()
            if card is not None:
                surface.blit(self.card_view.surface(card, phase_text(phase)), self.card_rect)
            self._draw_progress(surface, card)
        if sess.role == Role.HOST:
            self.painter.text(surface, tr("projector.exit"), (self.px(16), surface.get_height() - self.px(14)), 12,
                              pal.muted, anchor="midleft")
        self.draw_status(surface)

    def _draw_progress(self, surface: pygame.Surface, card: dict | None) -> None:
        if card is None:
            return
        pal = self.app.palette
        sess = self.app.session
        teams = card.get("teams") or []
        if not teams:
            return
        members = sess.members_by_team()
        r = self.progress_rect
        cw = r.width // max(1, len(teams))
        for i, team in enumerate(teams):
            box = pygame.Rect(r.x + i * cw + self.px(4), r.y, cw - self.px(8), r.height)
            progress = ((sess.view or {}).get("progress") or {}).get(card.get("id"), {}).get(team) or {}
            decided = progress.get("decided")
            pygame.draw.rect(surface, pal.panel, box, border_radius=self.px(10))
            pygame.draw.rect(surface, pal.good if decided else pal.border, box, self.px(3), border_radius=self.px(10))
            name = decider_name(sess, team)
            inner = box.width - self.px(20)
            n = progress.get("votes", 0)
            m = len(members.get(team, []))
            count = tr("game.voted", n=n, m=m)
            csize = 24
            while csize > 12 and self.app.fonts.get(self.px(csize), "bold").size(count)[0] > inner:
                csize -= 1
            room = box.height - self.px(18) - self.painter.line_height(csize, "bold")  # above the count
            size, lines = 22, [name]
            while size > 11:  # the largest size at which the name fits in two lines above the count
                lines = self.app.text.wrap(name, self.px(size), inner, "bold")
                fits = all(self.app.fonts.get(self.px(size), "bold").size(ln)[0] <= inner for ln in lines)
                if fits and len(lines) <= 2 and len(lines) * self.painter.line_height(size, "bold") <= room:
                    break
                size -= 1
            self.painter.texts.append(name)
            y = box.y + self.px(8)
            for line in lines[:2]:
                img = self.app.text.render(line, self.px(size), pal.ink, "bold")
                surface.blit(img, img.get_rect(midtop=(box.centerx, y)))
                y += self.painter.line_height(size, "bold")
            self.painter.text(surface, count, (box.centerx, box.bottom - self.px(8)), csize,
                              pal.good if decided else pal.ink, "bold", anchor="midbottom")

    def _draw_outcome(self, surface: pygame.Surface, view: dict) -> None:
        """The outcome (or the ending and the scores) in the right panel, at the largest text size that fits."""
        pal = self.app.palette
        r = self.card_rect
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.border, r, self.px(2), border_radius=self.px(12))
        pad = self.px(20)
        area = pygame.Rect(pad, pad, r.width - 2 * pad, 0)
        k = self.first_fitting(lambda surf, k: self._outcome_text(surf, view, area, k),
                               (r.width, r.height - pad), (1.0, 0.9, 0.8, 0.72, 0.65, 0.58)) or 0.58
        canvas = pygame.Surface(r.size, pygame.SRCALPHA)
        self._outcome_text(canvas, view, area, k)
        surface.blit(canvas, r.topleft, pygame.Rect(0, 0, r.width, r.height - self.px(6)))

    def _outcome_text(self, surf: pygame.Surface, view: dict, area: pygame.Rect, k: float) -> int:
        """Draw the outcome or the ending with every text size times ``k``; returns the y below it."""
        pal = self.app.palette
        x, y, width = area.x, area.y, area.width

        def sz(n: int) -> int:
            return max(11, round(n * k))

        ending = view.get("ending") if view.get("phase") == Phase.ENDED else None
        if ending:
            self.painter.text(surf, tr("game.ended"), (x, y), sz(20), pal.muted, "bold")
            y += self.painter.line_height(sz(20), "bold") + self.px(6)
            y = self.painter.paragraph(surf, pick(ending.get("title")), pygame.Rect(x, y, width, 0), sz(34),
                                       pal.accent, "serif", max_lines=2)
            y = self.painter.paragraph(surf, pick(ending.get("text")), pygame.Rect(x, y + self.px(10), width, 0),
                                       sz(22), pal.ink)
            sess = self.app.session
            for team, sc in sorted((view.get("scores") or {}).items(), key=lambda kv: -kv[1].get("total", 0)):
                pts = tr("debrief.points", n=f"{sc.get('total', 0):g}")
                y = self.painter.paragraph(surf, f"{sess.team_name(team, pick)}: {pts}",
                                           pygame.Rect(x, y + self.px(6), width, 0), sz(20), pal.ink, "bold")
            return y
        timeline = view.get("timeline") or []
        rec = timeline[-1] if timeline else {"cards": []}
        self.painter.text(surf, tr("outcome.title"), (x, y), sz(20), pal.muted, "bold")
        y += self.painter.line_height(sz(20), "bold") + self.px(6)
        for c in rec.get("cards", [])[:2]:
            y = self.painter.paragraph(surf, pick(c.get("title")), pygame.Rect(x, y, width, 0), sz(30), pal.accent,
                                       "serif", max_lines=2)
            for o in (c.get("outcomes") or [])[:2]:
                label = tr("outcome.historical") if o.get("historical") else tr("outcome.alternative")
                self.painter.text(surf, label.upper(), (x, y + self.px(6)), sz(14),
                                  pal.good if o.get("historical") else pal.accent, "bold")
                y += self.px(6) + self.painter.line_height(sz(14), "bold")
                y = self.painter.paragraph(surf, pick(o.get("text")), pygame.Rect(x, y, width, 0), sz(22), pal.ink)
            hist = c.get("history")
            if hist and c.get("revealed"):
                self.painter.text(surf, tr("outcome.in_history"), (x, y + self.px(8)), sz(16), pal.muted, "bold")
                y += self.px(8) + self.painter.line_height(sz(16), "bold")
                y = self.painter.paragraph(surf, pick(hist.get("text")), pygame.Rect(x, y, width, 0), sz(20), pal.ink)
                for src in (hist.get("sources") or [])[:1]:
                    y = self.painter.paragraph(surf, f"„{src.get('quote', '')}” — {src.get('section', '')}",
                                               pygame.Rect(x + self.px(12), y + self.px(4), width - self.px(12), 0),
                                               sz(17), pal.accent)
            y += self.px(14)
        return y

    def back(self) -> None:
        if self.app.session and self.app.session.role == Role.HOST:
            self.app.router.show_projector(False)
