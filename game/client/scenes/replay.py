"""Replaying a finished lesson on the projector, turn by turn: what each side chose, what came of
it in our game, what really happened (with a quote from the source), and the tracks after the
turn; the last step is the ending. Built from the lesson's export (`game.report.build_report`),
so it needs no running session: the saved-lessons screen fetches the export and pushes this."""

from __future__ import annotations

from typing import Any

import pygame

from game.report import Report, build_report, region_names

from ..i18n import language, tr
from .base import Scene


class ReplayScene(Scene):
    def __init__(self, app: Any, export: dict[str, Any], scenario: Any) -> None:
        super().__init__(app)
        self.export, self.scenario = export, scenario
        self.report: Report = build_report(export, scenario, language(), region_names=region_names())
        self.turns = [t for t in self.report.turns if t.resolved]
        self.step_index = 0

    @property
    def steps(self) -> int:
        """One step per resolved turn, and the ending."""
        return len(self.turns) + 1

    def build(self) -> None:
        w, h = self.app.size
        y = h - self.px(80)
        self.button("prev", tr("replay.prev"), (self.px(60), y, self.px(260), self.px(54)),
                    enabled=self.step_index > 0)
        self.button("next", tr("replay.next"), (w - self.px(320), y, self.px(260), self.px(54)),
                    enabled=self.step_index < self.steps - 1)
        self.button("back", tr("common.back"), (w // 2 - self.px(100), y, self.px(200), self.px(54)))
        self.move_focus(1)

    def on_action(self, action: str) -> None:
        if action == "back":
            self.app.scenes.pop()
            return
        if action == "next":
            self.step_index = min(self.steps - 1, self.step_index + 1)
        elif action == "prev":
            self.step_index = max(0, self.step_index - 1)
        self.clear()
        self.build()
        pressed = self.actions.get(action)
        if pressed is not None and pressed.is_enabled:  # keep the focus where the teacher is pressing
            self.focus_index = self.focusables.index(pressed) - 1
            self.move_focus(1)
        self.dirty = True

    def on_key(self, event: pygame.event.Event) -> bool:
        # a presenter's remote sends Page Down / Page Up; the arrows move the focus as everywhere
        if event.key in (pygame.K_PAGEDOWN, pygame.K_SPACE):
            return self.press("next") or True
        if event.key == pygame.K_PAGEUP:
            return self.press("prev") or True
        return super().on_key(event)

    # -- drawing -----------------------------------------------------------------------
    def draw_scene(self, surface: pygame.Surface) -> None:
        r = self.report
        top = self.draw_header(surface, tr("replay.title", code=r.session.get("code", "")), r.text(r.scenario.title))
        if self.step_index < len(self.turns):
            self._draw_turn(surface, top + self.px(16))
        else:
            self._draw_ending(surface, top + self.px(16))
        self.painter.text(surface, tr("replay.step", step=self.step_index + 1, count=self.steps),
                          (surface.get_width() // 2, surface.get_height() - self.px(84)), 14,
                          self.app.palette.muted, anchor="midbottom")
        self.draw_status(surface)

    def _draw_turn(self, surface: pygame.Surface, y: int) -> None:
        pal, r, p = self.app.palette, self.report, self.painter
        t = self.turns[self.step_index]
        w, h = surface.get_size()
        left, gap = self.px(60), self.px(30)
        side = max(self.px(260), w // 4)
        body = pygame.Rect(left, y, w - 2 * left - side - gap, h - y - self.px(112))
        p.text(surface, tr("replay.turn", turn=t.turn, count=r.scenario.turn_count, label=r.text(t.label),
                           date=t.date), (left, y), 22, pal.ink, "bold")
        y += p.line_height(22, "bold") + self.px(8)
        per_card = max(1, len(t.cards))
        roomy = (body.bottom - y) / per_card >= self.px(260)
        lines, size = (5, 17) if roomy else (3, 15)  # one card a turn: larger, for the back of the room
        surface.set_clip(body)  # what does not fit is cut at the body's edge, not drawn over the buttons
        for c in t.cards:
            if y > body.bottom - self.px(40):
                break
            p.text(surface, r.text(c.title), (left, y), 19, pal.accent, "bold")
            y += p.line_height(19, "bold")
            chosen = "; ".join(f"{r.decider_name(d)}: {r.option_text(c.card, o)}" for d, o in c.choices.items())
            y = p.paragraph(surface, chosen, pygame.Rect(left, y, body.width, 0), size, pal.ink, "bold", max_lines=2)
            ours = " ".join(r.text(o.get("text")) for o in c.outcomes or () if isinstance(o, dict))
            if ours:
                y = p.paragraph(surface, f"{tr('replay.ours')}: {ours}", pygame.Rect(left, y, body.width, 0), size,
                                pal.ink, max_lines=lines)
            if r.text(c.history_text):
                y = p.paragraph(surface, f"{tr('replay.history')}: {r.text(c.history_text)}",
                                pygame.Rect(left, y, body.width, 0), size, pal.muted, max_lines=lines)
            if c.history_sources:
                q = c.history_sources[0]
                gloss = f" ({q['en']})" if language() == "en" and q.get("en") else ""
                y = p.paragraph(surface, f"„{q.get('quote', '')}”{gloss} — {q.get('section', '')}",
                                pygame.Rect(left + self.px(16), y, body.width - self.px(16), 0), 14, pal.muted,
                                max_lines=2)
            y += self.px(10)
        surface.set_clip(None)
        previous = self.turns[self.step_index - 1] if self.step_index else None
        self._draw_side(surface, pygame.Rect(w - left - side, body.top, side, body.height), t, previous)

    def _draw_side(self, surface: pygame.Surface, rect: pygame.Rect, t: Any, previous: Any) -> None:
        pal, r, p = self.app.palette, self.report, self.painter
        pygame.draw.rect(surface, pal.paper, rect, border_radius=self.px(8))
        x, y, inner = rect.left + self.px(14), rect.top + self.px(12), rect.width - self.px(28)
        p.text(surface, tr("replay.tracks"), (x, y), 16, pal.ink, "bold")
        y += p.line_height(16, "bold") + self.px(4)
        before = previous.tracks if previous else r.start_tracks
        for tid, track in r.scenario.tracks.items():
            value = t.tracks.get(tid, 0)
            delta = value - before.get(tid, value)
            mark = f" ({delta:+d})" if delta else ""
            y = p.paragraph(surface, f"{r.text(track.name)}: {value}{mark}", pygame.Rect(x, y, inner, 0), 13, pal.ink,
                            max_lines=2) + self.px(2)
            bar = pygame.Rect(x, y, inner, self.px(8))
            pygame.draw.rect(surface, pal.track, bar, border_radius=self.px(3))
            span = max(1, track.max - track.min)
            filled = bar.copy()
            filled.width = round(inner * (value - track.min) / span)
            pygame.draw.rect(surface, pal.accent, filled, border_radius=self.px(3))
            y += self.px(16)
        control_before = previous.control if previous else r.start_control
        changes = [(reg, control_before.get(reg), who) for reg, who in t.control.items()
                   if control_before.get(reg) != who]
        if changes and y < rect.bottom - self.px(60):
            y += self.px(6)
            p.text(surface, tr("replay.control"), (x, y), 16, pal.ink, "bold")
            y += p.line_height(16, "bold") + self.px(4)
            for region, old, new in changes:
                if y > rect.bottom - self.px(30):
                    break
                y = p.paragraph(surface, f"{r.region_name(region)}: {self._controller(old)} → {self._controller(new)}",
                                pygame.Rect(x, y, inner, 0), 13, pal.ink, max_lines=2)

    def _controller(self, cid: str | None) -> str:
        ctrl = self.report.scenario.controllers.get(cid or "")
        return self.report.text(ctrl.name) if ctrl else (cid or "—")

    def _draw_ending(self, surface: pygame.Surface, y: int) -> None:
        pal, r, p = self.app.palette, self.report, self.painter
        w, h = surface.get_size()
        left = self.px(60)
        width = w - 2 * left
        p.text(surface, tr("replay.ending"), (left, y), 22, pal.ink, "bold")
        y += p.line_height(22, "bold") + self.px(8)
        if r.ending is None:
            p.text(surface, tr("replay.no_ending"), (left, y), 17, pal.muted)
            return
        ending = r.scenario.endings[r.ending]
        p.text(surface, r.text(ending.title), (left, y), 20, pal.accent, "bold")
        y += p.line_height(20, "bold") + self.px(6)
        y = p.paragraph(surface, r.text(ending.text), pygame.Rect(left, y, width, 0), 17, pal.ink, max_lines=6)
        y += self.px(16)
        for row in r.learning:
            if y > h - self.px(140):
                break
            total = r.scores.get(row.team, {}).get("total", 0)
            share = f"{row.matched}/{row.counted}" if row.counted else "—"
            p.text(surface, tr("replay.team_line", team=r.team_name(row.team), score=f"{total:g}", history=share),
                   (left, y), 16, pal.ink)
            y += p.line_height(16) + self.px(4)
