"""The debrief: our path against history turn by turn, the ending, scores, matches, the quotes.

A game ended early (the bell rang) has no ending: the box says "ended early after turn N of M",
the turns not played are listed as such, and scores and matches cover only what was played."""

from __future__ import annotations

import pygame

from game.wire import Role

from ..i18n import pick, tr
from ..widgets.card_view import format_date
from .base import Scene
from .common import decider_name, history_tag, quote_line
from .projector import ending_text, ending_title


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
        elif self._solo_game() is not None:  # a finished solo game: what if it had gone another way?
            self.button("explore", tr("explorer.button"), (w - self.px(480), h - self.px(70), self.px(210),
                                                           self.px(50)), "#small_button", enabled=self.errand is None)
        host = self.app.session is not None and self.app.session.role == Role.HOST
        solo_next = getattr(self.app, "solo", None) is not None and self.app.solo.next_in_campaign() is not None
        if (host and self.app.lessons.next_in_campaign_scenario() is not None) or solo_next:
            self.button("campaign_next", tr("debrief.campaign_next"),
                        (w - self.px(760), h - self.px(70), self.px(270), self.px(50)), "#small_button")
        self.move_focus(1)

    errand = None  # fetching the solo game's export for the explorer

    def _solo_game(self):
        solo = getattr(self.app, "solo", None)
        game = getattr(solo, "game", None)
        if not getattr(self.app.session, "solo", False) or game is None or game.saved is None:
            return None
        return game

    def update(self, dt: float) -> None:
        if self.errand is not None and self.errand.poll():
            errand, self.errand = self.errand, None
            from .explorer import open_explorer

            why = errand.error or open_explorer(self.app, errand.result)
            if why:
                self.app.notify(why, 10, error=True)
            self.dirty = True

    def on_session_change(self) -> None:
        self.resume()

    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        if sess is None:  # the campaign's next solo lesson is starting: its screen follows
            self.draw_header(surface, tr("debrief.title"), tr("solo.starting"))
            return
        view = sess.view or {}
        w, h = surface.get_size()
        self.draw_header(surface, tr("debrief.title"), pick(view.get("title")))
        top = self.px(78)
        left = self.path_rect()
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
        body = self.path_body()
        surface.set_clip(body)
        self.painter.scrolling = True   # a line cut at the edge can be scrolled to
        y = body.y - self.scroll
        lh = self.painter.line_height(14)
        for kind, text, mark, verdict in self.path_rows(body.width):
            if kind == "head":
                self.painter.text(surface, text, (body.x, y), 15, pal.ink, "bold")
                y += self.painter.line_height(15)
            elif kind == "choice":
                if mark:
                    colour = {"match": pal.good, "differ": pal.bad}.get(verdict, pal.muted)
                    self.painter.text(surface, mark, (body.right, y), 13, colour, "bold", anchor="topright")
                self.painter.text(surface, text, (body.x + self.px(14), y), 14, pal.ink)
                y += lh
            elif kind == "unplayed":
                self.painter.text(surface, text, (body.x, y), 14, pal.muted)
                y += lh
            else:
                y += self.px(8)
        surface.set_clip(clip)
        self.painter.scrolling = False
        if self.path_height() > body.height:
            self.painter.text(surface, "▲▼", (r.right - pad, r.y + pad), 14, pal.muted, anchor="topright")

    def path_rect(self) -> pygame.Rect:
        """The path's panel: the left 60%, above the buttons."""
        w, h = self.app.size
        top = self.px(78)
        return pygame.Rect(self.px(16), top, int(w * 0.6), h - top - self.px(90))

    def path_body(self) -> pygame.Rect:
        r, pad = self.path_rect(), self.px(12)
        return pygame.Rect(r.x + pad, r.y + pad + self.px(34), r.width - 2 * pad, r.height - 2 * pad - self.px(34))

    def path_rows(self, width: int) -> list[tuple[str, str, str, str]]:
        """The path as rows (kind "head" / "choice" / "gap", text, mark, verdict): each card's heading,
        then each decider's choice wrapped beside its mark — ✓ as in history ("match"), ✗ different
        ("differ"), or "source silent" ("silent") where the text does not say what was chosen."""
        sess = self.app.session
        view = (sess.view if sess else None) or {}
        mark_font = self.app.fonts.get(self.px(13), "bold")
        rows: list[tuple[str, str, str, bool]] = self.campaign_rows(width)
        for record in view.get("timeline") or []:
            for c in record.get("cards", []):
                head = f"{tr('debrief.turn')} {record.get('turn')} · {format_date(record.get('date'))} — {pick(c.get('title'))}"
                for line in self.app.text.wrap(head, self.px(15), width, "bold"):
                    rows.append(("head", line, "", ""))
                hist = c.get("historical") or {}
                silent = {o.get("decider") for o in c.get("outcomes") or []
                          if o.get("kind") == "option" and o.get("source_silent")}
                for d, o in (c.get("choices") or {}).items():
                    text = pick((c.get("choice_text") or {}).get(d)) or o
                    verdict = "match" if hist.get(d) else "silent" if d in silent else "differ"
                    mark = {"match": f"✓ {tr('debrief.match')}", "differ": f"✗ {tr('debrief.differ')}",
                            "silent": f"– {tr('outcome.source_silent')}"}[verdict]
                    room = width - mark_font.size(mark)[0] - self.px(30)
                    for i, line in enumerate(self.app.text.wrap(f"{decider_name(sess, d)}: {text}", self.px(14), room)):
                        rows.append(("choice", line, mark if i == 0 else "", verdict))
                rows.append(("gap", "", "", ""))
        for turn, date in self.unplayed(view):  # a game ended early: the turns it did not reach
            rows.append(("unplayed", f"{tr('debrief.turn')} {turn} · {format_date(date)} — {tr('debrief.not_played')}",
                         "", ""))
        return rows

    def campaign_rows(self, width: int) -> list[tuple[str, str, str, bool]]:
        """A campaign lesson: the lessons before this one, each with its ending against history."""
        sess = self.app.session
        camp = sess.config.get("campaign") if sess else None
        if not camp:
            return []
        rows = [("head", line, "", False) for line in self.app.text.wrap(
            tr("debrief.campaign", n=camp.get("step", 0) + 1, m=camp.get("steps", 1)), self.px(15), width, "bold")]
        mark_font = self.app.fonts.get(self.px(13), "bold")
        for lesson in camp.get("path") or []:
            ending = (tr("debrief.early_label") if lesson.get("ended_early")
                      else pick(lesson.get("ending_title")) or "?")
            matched = bool(lesson.get("historical"))
            mark = f"✓ {tr('debrief.match')}" if matched else f"✗ {tr('debrief.differ')}"
            room = width - mark_font.size(mark)[0] - self.px(30)
            text = f"{lesson.get('step', 0) + 1}. {pick(lesson.get('title'))}: {ending}"
            for i, line in enumerate(self.app.text.wrap(text, self.px(14), room)):
                rows.append(("choice", line, mark if i == 0 else "", matched))
        rows.append(("gap", "", "", False))
        return rows

    def _draw_side(self, surface: pygame.Surface, r: pygame.Rect, sess, view: dict) -> None:
        pal = self.app.palette
        x, y, width = r.x, r.y, r.width
        ending = view.get("ending") or {}
        if ending:
            inner = pygame.Rect(x + self.px(12), y + self.px(10), width - self.px(24), 0)
            title = ending_title(ending, view)
            head = title if ending.get("early") else tr("debrief.ending", title=title)
            title_lines = len(self.app.text.wrap(head, self.px(17), inner.width, "bold"))
            text_lines = len(self.app.text.wrap(ending_text(ending), self.px(14), inner.width))
            box = pygame.Rect(x, y, width, self.px(10) + title_lines * self.painter.paragraph_line_height(17, "bold")
                              + self.painter.line_height(12) + self.px(8)
                              + text_lines * self.painter.paragraph_line_height(14) + self.px(12))
            pygame.draw.rect(surface, pal.accent, box, border_radius=self.px(10))
            yy = self.painter.paragraph(surface, head, inner, 17, pal.accent_text, "bold")
            label = tr("debrief.early_label") if ending.get("early") else history_tag([ending])
            self.painter.text(surface, label.upper(), (inner.x, yy), 12, pal.highlight, "bold")
            yy += self.painter.line_height(12) + self.px(8)
            self.painter.paragraph(surface, ending_text(ending), pygame.Rect(inner.x, yy, inner.width, 0), 14,
                                   pal.accent_text)
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
                    text = quote_line(src, section=False)
                    lines = len(self.app.text.wrap(text, self.px(13), width))
                    need = lines * self.painter.paragraph_line_height(13) + self.painter.line_height(11)
                    if y + need > r.bottom:
                        return  # the rest of the quotes: in the lesson's export
                    y = self.painter.paragraph(surface, text, pygame.Rect(x, y, width, 0), 13, pal.ink)
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
        heights = {"head": self.painter.line_height(15), "choice": self.painter.line_height(14), "gap": self.px(8),
                   "unplayed": self.painter.line_height(14)}
        return sum(heights[row[0]] for row in self.path_rows(self.path_body().width))

    def _scroll(self, d: int) -> None:
        limit = max(0, self.path_height() - self.path_body().height)
        self.scroll = max(0, min(limit, self.scroll + d))
        self.dirty = True

    def on_action(self, action: str) -> None:
        if action == "menu":
            self.app.leave_to_menu()
        elif action == "export":
            self.app.lessons.request_export()
        elif action == "explore" and self._solo_game() is not None:
            from ..lessons import LessonErrand

            game, solo = self._solo_game(), self.app.solo
            self.errand = LessonErrand(solo.factory(solo.factory.host(), None), "saved_export", game.saved, solo.book)
            self.resume()
        elif action == "campaign_next":
            solo_next = self.app.solo.next_in_campaign() if getattr(self.app, "solo", None) is not None else None
            if solo_next is not None:
                self.app.solo.start(solo_next)   # the next lesson against bots, carrying this game's end
            else:
                self.app.lessons.next_in_campaign()

    def back(self) -> None:
        self.app.leave_to_menu()
