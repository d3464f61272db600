"""A recording hook for drawn text (off by default): where each text went and whether it was cut.

Tests turn it on with ``start()``; the drawing helpers (``style.Painter.text`` / ``paragraph``,
``scenes.base.Scene.button`` and ``draw_header``) then call ``note`` for every text they draw, and
``cover`` when an overlay hides what lies under it. ``stop()`` returns what was recorded and turns
it off again. With the hook off, ``note`` costs one global look-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pygame


@dataclass
class DrawnText:
    """One text as drawn: on which surface (``id()``), where (the visible part), what it says."""

    surface: int
    rect: pygame.Rect
    shown: str            # what was drawn (with "…" if it was cut)
    full: str             # the whole text
    cut: bool             # less than the whole text is visible (cut with "…", or clipped)
    more: bool = False    # the whole text can be had another way (a tooltip, "Read all", scrolling)
    kind: str = "text"    # "text" or "button"
    hidden: bool = False  # covered by an overlay drawn later

    @property
    def ellipsis(self) -> bool:
        return self.shown.rstrip().endswith("…")


_log: list[DrawnText] | None = None
_muted = 0
_cut: dict[str, str] = {}   # texts cut by scenes.base.fit_text while recording: shown → whole


def start() -> None:
    """Record from now on (forgetting anything recorded before)."""
    global _log
    _log = []
    _cut.clear()


def fitted(shown: str, full: str) -> None:
    """``full`` was cut to ``shown`` to fit (scenes.base.fit_text tells): a text drawn as ``shown``
    is then recorded as cut."""
    if _log is not None and shown != full:
        _cut[shown] = full


def stop() -> list[DrawnText]:
    """Stop recording; what was recorded since ``start``."""
    global _log
    out, _log = _log or [], None
    return out


def recording() -> bool:
    return _log is not None


def note(surface: pygame.Surface | None, rect: pygame.Rect, shown: str, full: str | None = None,
         cut: bool | None = None, more: bool = False, kind: str = "text") -> None:
    """Record one drawn text (no-op unless recording). A text that runs outside ``surface``'s clip
    counts as cut; one wholly outside it is not recorded (it is not seen)."""
    if _log is None or _muted or not shown:
        return
    rect = pygame.Rect(rect)
    full = _cut.get(shown, shown) if full is None or full == shown else full
    clipped = False
    if surface is not None:
        clip = surface.get_clip()
        visible = rect.clip(clip)
        if visible.width <= 0 or visible.height <= 0:
            return
        # a few pixels of a glyph box beyond the clip (its empty line spacing) are not a cut
        clipped = visible.width < rect.width - 2 or visible.height < rect.height - 4
        rect = visible
    _log.append(DrawnText(id(surface) if surface is not None else 0, rect, shown, full,
                          bool(cut) or shown != full or clipped, more, kind))


def cover(surface: pygame.Surface, rect: pygame.Rect) -> None:
    """An overlay now hides ``rect`` of ``surface``: texts already drawn there are no longer seen
    (all of them, those of the widgets' surfaces blitted onto it too, when it covers the whole surface)."""
    if _log is None:
        return
    whole = pygame.Rect(rect).contains(surface.get_rect())
    for t in _log:
        if (whole or t.surface == id(surface)) and (whole or t.rect.colliderect(rect)):
            t.hidden = True


@contextmanager
def muted() -> Iterator[None]:
    """Nothing drawn inside is recorded (measuring on a scratch surface)."""
    global _muted
    _muted += 1
    try:
        yield
    finally:
        _muted -= 1
