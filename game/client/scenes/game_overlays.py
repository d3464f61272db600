"""What the game screen lays over itself: the whole card (when the screen is too small for it), its
glossary terms, what a campaign carried from the last lesson, and the team's secret objective.

A mixin of ``GameScene``: it draws with the scene's painter, palette and rects (``card_rect``,
``right``) and reads the session the scene shows; the scene decides when each one is open."""

from __future__ import annotations

import pygame

from .. import textlog
from ..i18n import pick, tr
from .common import decider_name, glossary_entries, quote_line, team_bloc


class GameOverlays:
    """The game screen's panels over the map and the card (see the module's docstring)."""

    def _overlay(self, surface: pygame.Surface) -> pygame.Rect:
        """A veil over the screen and a paper panel on it (the whole card, the terms); the panel's rect."""
        pal = self.app.palette
        veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        veil.fill((*pal.veil, 150))
        surface.blit(veil, (0, 0))
        w, h = surface.get_size()
        textlog.cover(surface, pygame.Rect(0, 0, w, h))
        r = pygame.Rect(self.px(24), self.px(20), w - self.px(48), h - self.px(40))
        pygame.draw.rect(surface, pal.paper, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.accent, r, self.px(3), border_radius=self.px(12))
        return r

    def _draw_terms(self, surface: pygame.Surface, card: dict) -> None:
        """The card's glossary terms and their short definitions (G; any click or Esc closes)."""
        pal = self.app.palette
        r = self._overlay(surface)
        pad = self.px(20)
        inner = pygame.Rect(r.x + pad, r.y + pad, r.width - 2 * pad, 0)
        y = self.painter.paragraph(surface, tr("game.terms_title") + " · " + pick(card.get("title")), inner, 22,
                                   pal.accent, "serif", max_lines=2, more=True)
        body = pygame.Rect(inner.x, y + self.px(8), inner.width, r.bottom - pad - self.painter.line_height(13)
                           - y - self.px(8))
        entries = glossary_entries(self.app.session, card)

        def draw(surf: pygame.Surface, size: int) -> int:
            yy = 0
            for term, text in entries:
                yy = self.painter.paragraph(surf, term, pygame.Rect(0, yy, body.width, 0), size, pal.accent, "bold")
                yy = self.painter.paragraph(surf, text, pygame.Rect(self.px(12), yy, body.width - self.px(12), 0),
                                            size, pal.ink) + self.px(8)
            return yy

        size = self.first_fitting(draw, body.size, (18, 17, 16, 15, 14, 13, 12)) or 12
        canvas = pygame.Surface(body.size, pygame.SRCALPHA)
        draw(canvas, size)
        surface.blit(canvas, body.topleft)
        self.painter.text(surface, tr("game.read_close"), (r.right - pad, r.bottom - pad), 13, pal.muted,
                          anchor="bottomright")

    def _draw_reading(self, surface: pygame.Surface, card: dict) -> None:
        """The whole card, its options and quotes, over the screen (opened with ⤢ or C; any click closes)."""
        pal = self.app.palette
        r = self._overlay(surface)
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

    def _draw_carried(self, surface: pygame.Surface, notes: list[dict]) -> None:
        """What a campaign carried into this lesson from the last one, over the screen."""
        pal = self.app.palette
        r = self._overlay(surface)
        pad = self.px(24)
        inner = pygame.Rect(r.x + pad, r.y + pad, r.width - 2 * pad, 0)
        y = self.painter.paragraph(surface, tr("game.carried_title"), inner, 24, pal.accent, "serif", max_lines=2)
        body = pygame.Rect(inner.x, y + self.px(10), inner.width, r.bottom - pad - self.painter.line_height(13) - y)

        def draw(surf: pygame.Surface, size: int) -> int:
            at = 0
            for note in notes:
                at = self.painter.paragraph(surf, "• " + pick(note), pygame.Rect(0, at, body.width, 0), size,
                                            pal.ink) + self.px(10)
            return at

        size = self.first_fitting(draw, body.size, (22, 20, 18, 17, 16, 15, 14, 13)) or 13
        canvas = pygame.Surface(body.size, pygame.SRCALPHA)
        draw(canvas, size)
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
                y = self.painter.paragraph(surf, quote_line(src), pygame.Rect(0, y + self.px(4), width, 0), 13,
                                           pal.muted)
        terms = glossary_entries(self.app.session, card)
        if terms:
            y = self.painter.paragraph(surf, f"{tr('game.terms_title')}: " + ", ".join(t for t, _ in terms) + " (G)",
                                       pygame.Rect(0, y + self.px(6), width, 0), 13, pal.accent, "bold")
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
