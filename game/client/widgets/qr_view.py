"""The lesson's join address as a QR code on a pygame surface (the projector's and the teacher's lobby).

A phone that scans it opens the browser client with the join code filled in
(``http://ADDRESS:PORT/?code=CODE``, ``game.qr.join_url``). The symbol is computed once per
address and drawn dark on light with its four-module quiet zone, as a QR code must be."""

from __future__ import annotations

import pygame

from game.qr import join_url, qr_matrix

from ..style import Palette

QUIET = 4  # light modules around the symbol


class QrCode:
    """Draws the join QR code of one lesson; ``draw`` is cheap (the symbol is cached per address)."""

    def __init__(self) -> None:
        self._for: str | None = None
        self._rows: list[list[bool]] = []
        self.url = ""

    def set(self, address: str, code: str | None) -> bool:
        """The lesson at ``address`` ("host:port") with join ``code``; False if the address is not one
        a QR code can carry (then nothing is drawn)."""
        try:
            url = join_url(address, code)
        except ValueError:
            self._for, self._rows, self.url = None, [], ""
            return False
        if url != self._for:
            self._for, self._rows, self.url = url, qr_matrix(url), url
        return True

    def modules(self) -> int:
        """How many modules across, quiet zone included (0 before ``set``)."""
        return len(self._rows) + 2 * QUIET if self._rows else 0

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, palette: Palette) -> pygame.Rect:
        """The symbol as large as whole pixels per module allow, centred in ``rect``; the square drawn."""
        n = self.modules()
        if not n:
            return pygame.Rect(rect.center, (0, 0))
        cell = max(1, min(rect.width, rect.height) // n)
        side = cell * n
        x0, y0 = rect.x + (rect.width - side) // 2, rect.y + (rect.height - side) // 2
        pygame.draw.rect(surface, palette.paper, (x0, y0, side, side))  # ink on paper: dark on light
        for y, row in enumerate(self._rows):
            for x, dark in enumerate(row):
                if dark:
                    pygame.draw.rect(surface, palette.ink, (x0 + (x + QUIET) * cell, y0 + (y + QUIET) * cell,
                                                            cell, cell))
        return pygame.Rect(x0, y0, side, side)
