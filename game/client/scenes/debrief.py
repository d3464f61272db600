"""The debrief: our path against history turn by turn, the ending, scores, matches, the quotes.

A game ended early (the bell rang) has no ending: the box says "ended early after turn N of M",
the turns not played are listed as such, and scores and matches cover only what was played."""

from __future__ import annotations

import pygame

from game.wire import Role

from ..i18n import pick, tr
from ..widgets.card_view import format_date
from .base import Scene
from .common import decider_name
from .projector import ending_text, ending_title, quote_text


class DebriefScene(Scene):
    routed = True
    kind = "ended"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.scroll = 0

    def build(self) -> None:
        w, h = self.app.size
        self.button("menu", tr("debrief.menu"), (w - self.px(260), h - self.px(70), self.px(240), self.px(50)))
        if self.app.session is not None and self.app.session.role == Role.HOST:
            self.button("export", tr("report.button"), (w - self.px(480), h - self.px(70), self.px(210), self.px(50)),
                        "#small_button")
        self.move_focus(1)

    def on_session_change(self) -> None:
        self.resume()

    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        view = sess.view or {}
        w, h = surface.get_size()
        self.draw_header(surface, tr("debrief.title"), pick(view.get("title")))
        top = self.px(78)
        left = pygame.Rect(self.px(16), top, int(w * 0.6), h - top - self.px(20))
        right = pygame.Rect(left.right + self.px(16), top, w - left.right - self.px(32), h - top - self.px(90))
        self._draw_path(surface, left, sess, view)
        self._draw_side(surface, right, sess, view)

    def _draw_path(self, surface: pygame.Surface, r: pygame.Rect, sess, view: dict) -> None:
        pal = self.app.palette
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(10))
        pygame.draw.rect(surface, pal.border, r, self.px(2), border_radius=self.px(10))
        pad = self.px(12)
        self.painter.text(surface, tr("debrief.path"), (r.x + pad, r.y + pad), 20, pal.accent, "serif")
        clip = surface.get_clip()
        body = pygame.Rect(r.x + pad, r.y + pad + self.px(34), r.width - 2 * pad, r.height - 2 * pad - self.px(34))
        surface.set_clip(body)
        y = body.y - self.scroll
        lh = self.painter.line_height(14)
        for record in view.get("timeline") or []:
            for c in record.get("cards", []):
                head = f"{tr('debrief.turn')} {record.get('turn')} · {format_date(record.get('date'))} — {pick(c.get('title'))}"
                self.painter.text(surface, head, (body.x, y), 15, pal.ink, "bold")
                y += self.painter.line_height(15)
                hist = c.get("historical") or {}
                for d, o in (c.get("choices") or {}).items():
                    text = pick((c.get("choice_text") or {}).get(d)) or o
                    matched = hist.get(d)
                    mark = f"✓ {tr('debrief.match')}" if matched else f"✗ {tr('debrief.differ')}"
                    colour = pal.good if matched else pal.bad
                    mark_img = self.painter.text(surface, mark, (body.right, y), 13, colour, "bold", anchor="topright")
                    line = f"{decider_name(sess, d)}: {text}"
                    lines = self.app.text.wrap(line, self.px(14), body.width - mark_img.width - self.px(30))
                    self.painter.text(surface, lines[0] + ("…" if len(lines) > 1 else ""), (body.x + self.px(14), y),
                                      14, pal.ink)
                    y += lh
                y += self.px(8)
        for turn, date in self.unplayed(view):
            self.painter.text(surface, f"{tr('debrief.turn')} {turn} · {format_date(date)} — {tr('debrief.not_played')}",
                              (body.x, y), 14, pal.muted)
            y += lh
        surface.set_clip(clip)
        if self.path_height() > body.height:
            self.painter.text(surface, "▲▼", (r.right - pad, r.y + pad), 14, pal.muted, anchor="topright")

    def _draw_side(self, surface: pygame.Surface, r: pygame.Rect, sess, view: dict) -> None:
        pal = self.app.palette
        x, y, width = r.x, r.y, r.width
        ending = view.get("ending") or {}
        if ending:
            box = pygame.Rect(x, y, width, self.px(150))
            pygame.draw.rect(surface, pal.accent, box, border_radius=self.px(10))
            title = ending_title(ending, view)
            head = title if ending.get("early") else tr("debrief.ending", title=title)
            self.painter.paragraph(surface, head, pygame.Rect(x + self.px(12), y + self.px(10), width - self.px(24), 0),
                                   17, pal.accent_text, "bold", max_lines=1)
            if ending.get("early"):
                label = tr("debrief.early_label")
            else:
                label = tr("outcome.historical") if ending.get("historical") else tr("outcome.alternative")
            self.painter.text(surface, label.upper(), (x + self.px(12), y + self.px(34)), 12, pal.highlight, "bold")
            self.painter.paragraph(surface, ending_text(ending),
                                   pygame.Rect(x + self.px(12), y + self.px(54), width - self.px(24), 0), 14,
                                   pal.accent_text, max_lines=5)
            y = box.bottom + self.px(12)
        self.painter.text(surface, tr("debrief.scores"), (x, y), 18, pal.accent, "serif")
        y += self.painter.line_height(18, "serif")
        scores = view.get("scores") or {}
        learning = (view.get("learning") or {}).get("teams", {})
        ranked = sorted(scores.items(), key=lambda kv: -float(kv[1].get("total", 0)))
        for team, sc in ranked:
            mine = team == sess.team
            name = sess.team_name(team, pick)
            pts = tr("debrief.points", n=f"{sc.get('total', 0):g}")
            self.painter.text(surface, pts, (x + width, y), 15, pal.ink, "bold", anchor="topright")
            self.painter.text(surface, ("▶ " if mine else "") + name, (x, y), 15, pal.ink, "bold" if mine else "regular")
            y += self.painter.line_height(15)
            lr = learning.get(team)
            if lr and lr.get("decided"):
                self.painter.text(surface, tr("debrief.learning", n=lr.get("matched", 0), m=lr.get("decided", 0)),
                                  (x + self.px(18), y), 12, pal.muted)
                y += self.painter.line_height(12)
        y += self.px(10)
        self.painter.text(surface, tr("debrief.quotes"), (x, y), 18, pal.accent, "serif")
        y += self.painter.line_height(18, "serif")
        for record in view.get("timeline") or []:
            for c in record.get("cards", []):
                for src in ((c.get("history") or {}).get("sources") or [])[:1]:
                    if y > r.bottom - self.px(40):
                        return
                    y = self.painter.paragraph(surface, quote_text(src), pygame.Rect(x, y, width, 0), 13,
                                               pal.ink, max_lines=3)
                    self.painter.text(surface, f"— {src.get('section', '')}", (x + self.px(14), y), 11, pal.muted)
                    y += self.painter.line_height(11) + self.px(4)

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL:
            self._scroll(-event.y * self.px(40))
            return True
        return super().process_event(event)

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_PAGEDOWN, pygame.K_DOWN):
            self._scroll(self.px(120 if event.key == pygame.K_PAGEDOWN else 40))
            return True
        if event.key in (pygame.K_PAGEUP, pygame.K_UP):
            self._scroll(-self.px(120 if event.key == pygame.K_PAGEUP else 40))
            return True
        return super().on_key(event)

    def unplayed(self, view: dict) -> list[tuple[int, str | None]]:
        """(turn, date) of each turn not played, when the game ended early."""
        if not (view.get("ending") or {}).get("early"):
            return []
        played = {r.get("turn") for r in view.get("timeline") or []}
        turns = (self.app.session.scenario_info.get("turns") or []) if self.app.session else []
        count = int(view.get("turn_count") or len(turns))
        return [(n, (turns[n - 1] if n <= len(turns) else {}).get("date")) for n in range(1, count + 1)
                if n not in played]

    def path_height(self) -> int:
        """The height of the whole path (every card's heading and choice lines), as `_draw_path` lays it out."""
        lh, head = self.painter.line_height(14), self.painter.line_height(15)
        view = (self.app.session.view if self.app.session else None) or {}
        cards = [c for record in view.get("timeline") or [] for c in record.get("cards", [])]
        return sum(head + lh * len(c.get("choices") or {}) + self.px(8) for c in cards) + lh * len(self.unplayed(view))

    def _scroll(self, d: int) -> None:
        limit = max(0, self.path_height() - self.px(400))
        self.scroll = max(0, min(limit, self.scroll + d))
        self.dirty = True

    def on_action(self, action: str) -> None:
        if action == "menu":
            self.app.leave_to_menu()
        elif action == "export":
            self.app.lessons.request_export()

    def back(self) -> None:
        self.app.leave_to_menu()
