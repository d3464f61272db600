"""Projector mode: the read-only public view for the classroom screen — map, card, timer, vote progress
(how many voted, never what), the outcome and, at the end, the ending and the scores."""

from __future__ import annotations

import pygame

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
        self.map_rect = pygame.Rect(self.px(10), top, int(w * 0.5), h - top - self.px(120))
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
        if phase in ("outcome", "ended"):
            self._draw_outcome(surface, view)
        else:
            card = self._card()
            if card is not None:
                surface.blit(self.card_view.surface(card, phase_text(phase)), self.card_rect)
            self._draw_progress(surface, card)
        if sess.role == "host":
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
            size = 22
            while size > 12 and self.app.fonts.get(self.px(size), "bold").size(name)[0] > box.width - self.px(20):
                size -= 2
            self.painter.text(surface, name, (box.centerx, box.y + self.px(10)), size, pal.ink, "bold", anchor="midtop")
            n = progress.get("votes", 0)
            m = len(members.get(team, []))
            self.painter.text(surface, tr("game.voted", n=n, m=m), (box.centerx, box.bottom - self.px(8)), 24,
                              pal.good if decided else pal.ink, "bold", anchor="midbottom")

    def _draw_outcome(self, surface: pygame.Surface, view: dict) -> None:
        pal = self.app.palette
        r = self.card_rect
        pygame.draw.rect(surface, (252, 248, 238), r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.border, r, self.px(2), border_radius=self.px(12))
        pad = self.px(20)
        x, y, width = r.x + pad, r.y + pad, r.width - 2 * pad
        ending = view.get("ending") if view.get("phase") == "ended" else None
        if ending:
            self.painter.text(surface, tr("game.ended"), (x, y), 20, pal.muted, "bold")
            y += self.px(34)
            y = self.painter.paragraph(surface, pick(ending.get("title")), pygame.Rect(x, y, width, 0), 34, pal.accent,
                                       "serif", max_lines=2)
            y = self.painter.paragraph(surface, pick(ending.get("text")), pygame.Rect(x, y + self.px(10), width, 0),
                                       22, pal.ink, max_lines=6)
            sess = self.app.session
            for team, sc in sorted((view.get("scores") or {}).items(), key=lambda kv: -kv[1].get("total", 0)):
                y += self.px(6)
                pts = tr("debrief.points", n=f"{sc.get('total', 0):g}")
                self.painter.text(surface, f"{sess.team_name(team, pick)}: {pts}", (x, y), 20, pal.ink, "bold")
                y += self.painter.line_height(20)
            return
        timeline = view.get("timeline") or []
        rec = timeline[-1] if timeline else {"cards": []}
        self.painter.text(surface, tr("outcome.title"), (x, y), 20, pal.muted, "bold")
        y += self.px(34)
        for c in rec.get("cards", [])[:2]:
            y = self.painter.paragraph(surface, pick(c.get("title")), pygame.Rect(x, y, width, 0), 30, pal.accent,
                                       "serif", max_lines=2)
            for o in (c.get("outcomes") or [])[:2]:
                label = tr("outcome.historical") if o.get("historical") else tr("outcome.alternative")
                self.painter.text(surface, label.upper(), (x, y + self.px(6)), 14,
                                  pal.good if o.get("historical") else pal.accent, "bold")
                y = self.painter.paragraph(surface, pick(o.get("text")), pygame.Rect(x, y + self.px(26), width, 0), 22,
                                           pal.ink, max_lines=4)
            hist = c.get("history")
            if hist and c.get("revealed"):
                self.painter.text(surface, tr("outcome.in_history"), (x, y + self.px(8)), 16, pal.muted, "bold")
                y = self.painter.paragraph(surface, pick(hist.get("text")), pygame.Rect(x, y + self.px(32), width, 0),
                                           20, pal.ink, max_lines=4)
                for src in (hist.get("sources") or [])[:1]:
                    y = self.painter.paragraph(surface, f"„{src.get('quote', '')}” — {src.get('section', '')}",
                                               pygame.Rect(x + self.px(12), y + self.px(4), width - self.px(12), 0), 17,
                                               pal.accent, max_lines=2)
            y += self.px(14)

    def back(self) -> None:
        if self.app.session and self.app.session.role == "host":
            self.app.host_projector = False
            self.app.route()
