"""The what-if explorer's detail panel: the selected turn of the selected path (what each side chose,
what came of it and what history did, with the quote), its tracks against history's, and the odds
panel ("How likely?": the ending distribution and the decision that moved it most).

A mixin of ``ExplorerScene``: it draws with the scene's painter and palette from the scene's model,
selection and odds job; the scene lays out the rects and decides which panel shows."""

from __future__ import annotations

from typing import Any

import pygame

from .. import textlog
from ..i18n import language, pick, tr
from ..widgets.card_view import format_date
from .base import fit_text


class ExplorerDetail:
    """The explorer's panels beside its timeline (see the module's docstring)."""

    def _draw_turn(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pal, p = self.app.palette, self.painter
        pygame.draw.rect(surface, pal.paper, rect, border_radius=self.px(8))
        lane = self.selected_lane()
        if lane is None or self.selected is None:
            p.paragraph(surface, tr("explorer.pick_turn"), rect.inflate(-self.px(24), -self.px(20)), 16, pal.muted)
            return
        step = lane.path.turn(self.selected[1])
        if step is None:
            return
        history = self.model.history.turn(step.turn)
        pad = self.px(12)
        side_w = min(self.px(300), rect.width // 3)
        body = pygame.Rect(rect.x + pad, rect.y + pad, rect.width - side_w - 3 * pad, rect.height - 2 * pad)
        head = tr("explorer.turn_head", turn=step.turn, date=format_date(step.date), path=lane.label)
        right_room = self.px(330) if lane.saved is not None else 0
        y = p.paragraph(surface, head, pygame.Rect(body.x, body.y, rect.width - 2 * pad - right_room, 0), 18,
                        pal.accent, "bold", max_lines=1)
        if lane.path.departure is not None and lane.path.departure.turn == step.turn:
            y = p.paragraph(surface, tr("explorer.leaves_here"), pygame.Rect(body.x, y, body.width, 0), 14, pal.bad,
                            "bold", max_lines=2)
        clip = surface.get_clip()
        surface.set_clip(body)
        room = pygame.Rect(body.x, y, body.width, body.bottom - y)

        def cards(surf: pygame.Surface, lines: int | None, bottom: int | None = None, x: int = 0, top: int = 0,
                  extra: int = 0) -> int:
            return self._turn_cards(surf, step, lane, history, x, top, room.width, lines, bottom, extra)

        # each text whole where the panel has room for it; else at most 4, 3 or 2 lines; else one line
        # each, and what room is left goes to the first texts that are longer
        lines = self.first_fitting(cards, room.size, (None, 4, 3, 2))
        extra = 0
        if lines is None:
            lines = 1
            scratch = pygame.Surface((room.width, 1), pygame.SRCALPHA)
            shown = len(p.texts)
            with textlog.muted():
                extra = max(0, room.height - cards(scratch, 1))
            del p.texts[shown:]
        cards(surface, lines, room.bottom, room.x, room.y, extra)
        surface.set_clip(clip)
        self._draw_tracks(surface, pygame.Rect(rect.right - side_w - pad, rect.y + pad + self.px(44), side_w,
                                               rect.height - 2 * pad - self.px(44)), step, history)

    def _turn_cards(self, surface: pygame.Surface, step: Any, lane: Any, history: Any, x: int, y: int, width: int,
                    lines: int | None, bottom: int | None, extra: int = 0) -> int:
        """The turn's cards from (x, y), ``width`` wide: each card's title, what each side chose, what came
        of it and history's quote, these at most ``lines`` lines each (None: whole), and ``extra`` pixels
        more for the first that are longer. Nothing is drawn past ``bottom`` (a text that would run past
        it is cut to the lines that fit, with "…"; one with no room left is not drawn, nor anything
        after it). Returns the y below the last text."""
        pal, p, sc = self.app.palette, self.painter, self.scenario

        def para(text: str, indent: int, size: int, colour: Any, weight: str = "regular", title: bool = False) -> bool:
            nonlocal y, extra
            top = y
            most = 1 if title else lines
            lh = p.paragraph_line_height(size, weight)
            if most is not None and not title and extra >= lh:
                need = len(p.cache.wrap(text, self.px(size), width - indent, weight))
                more = max(0, min(need - most, extra // lh))
                most, extra = most + more, extra - more * lh
            if bottom is not None:
                room = (bottom - top) // lh
                if room < 1:
                    return False
                most = room if most is None else min(most, room)
            y = p.paragraph(surface, text, pygame.Rect(x + indent, top, width - indent, 0), size, colour, weight,
                            max_lines=most)
            return True

        for c in step.cards:
            card = sc.cards[c.card]
            y += self.px(4)
            if not para(pick(card.title), 0, 16, pal.ink, "bold", title=True):
                return y
            for decider, option in c.choices.items():
                text = pick(card.options[option].text)
                mark = "" if not c.history_options.get(decider) else (
                    " ✓" if c.historical.get(decider) else " ≠ " + tr("explorer.history_chose", option=pick(
                        card.options[c.history_options[decider][0]].text)))
                default = f" {tr('outcome.default')}" if decider in c.defaulted else ""
                if not para(f"• {self._name(decider)}: {text}{default}{mark}", self.px(8), 13,
                            pal.good if c.historical.get(decider) else pal.ink):
                    return y
            ours = " ".join(pick(o.get("text")) for o in c.outcomes if pick(o.get("text")))
            if ours and not para(ours, self.px(8), 13, pal.muted):
                return y
            if lane.key != "history" and history is not None and history.card(c.card) is not None and card.history_sources:
                q = card.history_sources[0]
                gloss = f" ({q['en']})" if language() == "en" and q.get("en") else ""
                if not para(f"„{q.get('quote', '')}”{gloss} — {q.get('section', '')}", self.px(8), 12, pal.muted):
                    return y
            elif lane.key == "history":
                for o in c.outcomes:
                    for q in o.get("sources") or []:
                        if not para(f"„{q.get('quote', '')}” — {q.get('section', '')}", self.px(8), 12, pal.muted):
                            return y
                        break
        return y

    def _draw_tracks(self, surface: pygame.Surface, rect: pygame.Rect, step: Any, history: Any) -> None:
        pal, p, sc = self.app.palette, self.painter, self.scenario
        y = rect.y
        p.text(surface, tr("explorer.tracks"), (rect.x, y), 14, pal.ink, "bold")
        y += p.line_height(14, "bold")
        for tid, track in sc.tracks.items():
            if y > rect.bottom - self.px(30):
                break
            value = step.tracks.get(tid, 0)
            hist = history.tracks.get(tid) if history is not None else None
            extra = f" ({tr('explorer.in_history')}: {hist})" if hist is not None and hist != value else ""
            y = p.paragraph(surface, f"{pick(track.name)}: {value}{extra}", pygame.Rect(rect.x, y, rect.width, 0), 12,
                            pal.ink, max_lines=1)
            bar = pygame.Rect(rect.x, y, rect.width, self.px(6))
            pygame.draw.rect(surface, pal.track, bar, border_radius=self.px(3))
            span = max(1, track.max - track.min)
            fill = bar.copy()
            fill.width = round(rect.width * (value - track.min) / span)
            pygame.draw.rect(surface, pal.accent, fill, border_radius=self.px(3))
            if hist is not None:
                hx = rect.x + round(rect.width * (hist - track.min) / span)
                pygame.draw.line(surface, pal.good, (hx, y - self.px(2)), (hx, y + self.px(8)), max(2, self.px(2)))
            y += self.px(12)
        held = sum(1 for r, who in step.control.items() if history is not None and history.control.get(r) != who)
        if y < rect.bottom - self.px(16):
            p.paragraph(surface, tr("explorer.control_diff", n=held), pygame.Rect(rect.x, y, rect.width, 0), 12,
                        pal.muted, max_lines=2)

    def _draw_odds(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pal, p, sc = self.app.palette, self.painter, self.scenario
        pygame.draw.rect(surface, pal.paper, rect, border_radius=self.px(8))
        pad = self.px(12)
        job = self.current_odds() or self.start_odds()
        path = self.odds_path()
        lane = self.selected_lane()
        y = p.paragraph(surface, tr("explorer.odds_head", path=lane.label if lane else tr("explorer.our_game")),
                        pygame.Rect(rect.x + pad, rect.y + pad, rect.width - 2 * pad, 0), 18, pal.accent, "bold",
                        max_lines=1)
        if not job.done:
            bar = pygame.Rect(rect.x + pad, y + self.px(10), rect.width - 2 * pad, self.px(14))
            pygame.draw.rect(surface, pal.track, bar, border_radius=self.px(6))
            fill = bar.copy()
            fill.width = max(self.px(4), round(bar.width * job.progress))
            pygame.draw.rect(surface, pal.accent, fill, border_radius=self.px(6))
            p.text(surface, tr("explorer.odds_working", pct=round(job.progress * 100), draws=self.odds_draws),
                   (bar.x, bar.bottom + self.px(8)), 14, pal.muted)
            return
        if job.error or job.result is None:
            p.text(surface, tr("saved.failed", error=job.error or "?"), (rect.x + pad, y + self.px(8)), 14, pal.bad)
            return
        odds = job.result
        left_w = rect.width // 2 - 2 * pad
        y = p.paragraph(surface, tr("explorer.odds_intro", draws=odds.draws),
                        pygame.Rect(rect.x + pad, y, left_w, 0), 13, pal.muted, max_lines=2) + self.px(4)
        bar_w = left_w - self.px(56)
        rows = [e for e in sc.endings if odds.endings.get(e) or e == path.ending]
        row_h = p.line_height(13) + self.px(16)
        for e in rows:
            if y > rect.bottom - row_h:
                break
            share = odds.share(e)
            ending = sc.endings[e]
            title = self._ending_short(e, False)
            mine = e == path.ending
            pygame.draw.circle(surface, pal.good if ending.historical else pal.bad,
                               (rect.x + pad + self.px(5), y + p.line_height(13) // 2), self.px(5))
            shown = fit_text(title + (f" · {tr('explorer.ours')}" if mine else ""),
                             self.app.fonts.get(self.px(13), "bold" if mine else "regular"), left_w - self.px(16))
            p.text(surface, shown, (rect.x + pad + self.px(16), y), 13, pal.ink, "bold" if mine else "regular",
                   full=title, more=True)
            y += p.line_height(13)
            bar = pygame.Rect(rect.x + pad + self.px(16), y + self.px(2), max(1, round(bar_w * share)), self.px(10))
            pygame.draw.rect(surface, pal.accent if mine else pal.border, bar, border_radius=self.px(3))
            p.text(surface, f"{share:.0%}", (bar.right + self.px(6), bar.centery), 13, pal.ink, anchor="midleft")
            y += row_h - p.line_height(13)
        right = pygame.Rect(rect.x + rect.width // 2 + pad, rect.y + pad + self.px(30), rect.width // 2 - 2 * pad,
                            rect.height - 2 * pad - self.px(30))
        most = odds.most_moved
        ry = p.paragraph(surface, tr("explorer.moved_most"), pygame.Rect(right.x, right.y, right.width, 0), 15, pal.ink,
                         "bold", max_lines=1)
        if most is None or most.best is None:
            p.paragraph(surface, tr("explorer.moved_none"), pygame.Rect(right.x, ry, right.width, 0), 13, pal.muted)
            return
        card = sc.cards[most.card]
        # an option is a sentence: its full stop goes, the line's own punctuation follows the quote
        chosen = pick(card.options[most.chosen].text).rstrip(".") if most.chosen else tr("explorer.left_default")
        other = pick(card.options[most.best.option].text).rstrip(".")
        ry = p.paragraph(surface, tr("explorer.moved_line", turn=most.turn, card=pick(card.title),
                                     team=self._name(most.team), chosen=chosen, other=other,
                                     tv=round(most.best.tv * 100)),
                         pygame.Rect(right.x, ry + self.px(2), right.width, 0), 13, pal.ink, max_lines=5)
        n = sum(most.best.endings.values()) or 1
        top = sorted(most.best.endings.items(), key=lambda kv: -kv[1])[:3]
        for e, count in top:
            if ry > right.bottom - self.px(18):
                break
            title = self._ending_short(e, False) if e in sc.endings else str(e)
            ry = p.paragraph(surface, tr("explorer.would_end", ending=title, pct=round(100 * count / n)),
                             pygame.Rect(right.x + self.px(8), ry, right.width - self.px(8), 0), 12, pal.muted,
                             max_lines=1)
        if not odds.complete:
            p.paragraph(surface, tr("explorer.odds_partial"), pygame.Rect(right.x, ry + self.px(4), right.width, 0), 12,
                        pal.bad, max_lines=2)
