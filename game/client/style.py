"""Colours, fonts, cached text rendering and the pygame_gui theme.

Text is rendered once and cached (re-rendering labels every frame costs more
than the whole rest of a frame), and every rendered string is recorded by the
widget that drew it so tests can assert on what a screen shows.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pygame

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FONT_DIR = ASSETS / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONT_SERIF_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"

Colour = tuple[int, int, int]


def hex_colour(value: str) -> Colour:
    v = value.lstrip("#")
    return (int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16))


@dataclass(frozen=True)
class Palette:
    """The client's colours; `CB` swaps in a colour-blind-safe set (Okabe–Ito)."""

    bg: Colour = (239, 230, 210)
    panel: Colour = (248, 243, 231)
    ink: Colour = (43, 33, 24)
    muted: Colour = (110, 96, 80)
    accent: Colour = (139, 30, 30)
    accent_text: Colour = (250, 244, 230)
    good: Colour = (46, 125, 50)
    bad: Colour = (178, 40, 40)
    sea: Colour = (182, 204, 214)
    land: Colour = (214, 207, 190)
    border: Colour = (90, 74, 58)
    highlight: Colour = (255, 196, 0)
    banner: Colour = (178, 40, 40)
    controllers: tuple[Colour, ...] = ()


NORMAL = Palette()
# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO: tuple[Colour, ...] = (
    (213, 94, 0), (0, 114, 178), (0, 158, 115), (230, 159, 0),
    (204, 121, 167), (86, 180, 233), (240, 228, 66), (80, 80, 80),
)
CB = Palette(accent=(0, 90, 150), good=(0, 114, 178), bad=(213, 94, 0), banner=(213, 94, 0),
             highlight=(240, 228, 66), controllers=OKABE_ITO)


def palette(colourblind: bool) -> Palette:
    return CB if colourblind else NORMAL


def controller_colours(controllers: list[dict] | dict, colourblind: bool) -> dict[str, Colour]:
    """Map colours per controller id: the scenario's own, or Okabe–Ito in scenario order."""
    items = list(controllers.items()) if isinstance(controllers, dict) else [
        (c.get("id"), c) for c in controllers]
    out: dict[str, Colour] = {}
    for i, (cid, info) in enumerate(items):
        if colourblind:
            out[str(cid)] = OKABE_ITO[i % len(OKABE_ITO)]
        else:
            try:
                out[str(cid)] = hex_colour(str((info or {}).get("color") or (info or {}).get("colour")))
            except (TypeError, ValueError, IndexError):
                out[str(cid)] = OKABE_ITO[i % len(OKABE_ITO)]
    return out


class Fonts:
    """pygame Font objects by (size, weight), created once."""

    def __init__(self) -> None:
        self._fonts: dict[tuple[int, str], pygame.font.Font] = {}

    def get(self, size: int, weight: str = "regular") -> pygame.font.Font:
        key = (max(6, int(size)), weight)
        f = self._fonts.get(key)
        if f is None:
            path = {"bold": FONT_BOLD, "serif": FONT_SERIF_BOLD}.get(weight, FONT_REGULAR)
            f = self._fonts[key] = pygame.font.Font(str(path), key[0])
        return f


class TextCache:
    """Rendered text surfaces keyed by (text, size, weight, colour); bounded LRU."""

    def __init__(self, fonts: Fonts, limit: int = 2048) -> None:
        self.fonts = fonts
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self.limit = limit

    def render(self, text: str, size: int, colour: Colour, weight: str = "regular") -> pygame.Surface:
        key = (text, size, weight, colour)
        s = self._cache.get(key)
        if s is None:
            s = self.fonts.get(size, weight).render(text, True, colour)
            self._cache[key] = s
            if len(self._cache) > self.limit:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return s

    def wrap(self, text: str, size: int, width: int, weight: str = "regular") -> list[str]:
        """Split `text` into lines no wider than `width` pixels (long words are cut)."""
        font = self.fonts.get(size, weight)
        lines: list[str] = []
        for para in str(text).split("\n"):
            words = para.split()
            if not words:
                lines.append("")
                continue
            line = ""
            for w in words:
                cand = f"{line} {w}" if line else w
                if font.size(cand)[0] <= width:
                    line = cand
                    continue
                if line:
                    lines.append(line)
                while font.size(w)[0] > width and len(w) > 1:
                    cut = len(w)
                    while cut > 1 and font.size(w[:cut])[0] > width:
                        cut -= 1
                    lines.append(w[:cut])
                    w = w[cut:]
                line = w
            lines.append(line)
        return lines


class Painter:
    """Draws cached text onto a surface and remembers every string it drew."""

    def __init__(self, cache: TextCache, scale: float = 1.0) -> None:
        self.cache = cache
        self.scale = scale
        self.texts: list[str] = []

    def px(self, v: float) -> int:
        return round(v * self.scale)

    def text(self, surf: pygame.Surface, text: str, pos: tuple[int, int], size: int, colour: Colour,
             weight: str = "regular", anchor: str = "topleft") -> pygame.Rect:
        if not text:
            return pygame.Rect(pos, (0, 0))
        self.texts.append(text)
        img = self.cache.render(text, self.px(size), colour, weight)
        r = img.get_rect(**{anchor: pos})
        surf.blit(img, r)
        return r

    def paragraph(self, surf: pygame.Surface, text: str, rect: pygame.Rect, size: int, colour: Colour,
                  weight: str = "regular", spacing: float = 1.2, max_lines: int | None = None) -> int:
        """Wrap `text` into `rect`; returns the y below the last line."""
        if not text:
            return rect.top
        self.texts.append(text)
        psize = self.px(size)
        lines = self.cache.wrap(text, psize, rect.width, weight)
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1].rstrip(" .,;") + "…"
        lh = self.paragraph_line_height(size, weight, spacing)
        y = rect.top
        for line in lines:
            if line:
                surf.blit(self.cache.render(line, psize, colour, weight), (rect.left, y))
            y += lh
        return y

    def line_height(self, size: int, weight: str = "regular") -> int:
        return self.cache.fonts.get(self.px(size), weight).get_linesize()

    def paragraph_line_height(self, size: int, weight: str = "regular", spacing: float = 1.2) -> int:
        """The distance between the lines of a ``paragraph`` (a little more than ``line_height``)."""
        return round(self.cache.fonts.get(self.px(size), weight).get_linesize() * spacing / 1.15)


def gui_theme(colourblind: bool, scale: float) -> dict:
    """The pygame_gui theme dict: `assets/themes/<name>.json` with font paths and sizes filled in."""
    name = "colourblind.json" if colourblind else "normal.json"
    with open(ASSETS / "themes" / name, encoding="utf-8") as f:
        theme = json.load(f)
    for block in theme.values():
        font = block.get("font") if isinstance(block, dict) else None
        if font:
            font["name"] = "dejavu"
            font["regular_path"] = str(FONT_REGULAR)
            font["bold_path"] = str(FONT_BOLD)
            font["italic_path"] = str(FONT_REGULAR)
            font["bold_italic_path"] = str(FONT_BOLD)
            font["size"] = str(round(int(font.get("size", 16)) * scale))
    return theme
