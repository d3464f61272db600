"""Colours (read from the theme files), fonts, cached text rendering and the pygame_gui theme.

Text is rendered once and cached (re-rendering labels every frame costs more
than the whole rest of a frame), and every rendered string is recorded by the
widget that drew it so tests can assert on what a screen shows.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import pygame

from . import textlog
from .errors import BadColour

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FONT_DIR = ASSETS / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FONT_SERIF_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"

Colour = tuple[int, ...]  # (r, g, b) or (r, g, b, a)
THEMES = ASSETS / "themes"


def hex_colour(value: str) -> Colour:
    """"#rrggbb" (or "#rrggbbaa") → an (r, g, b[, a]) tuple."""
    v = value.lstrip("#")
    if not all(c in "0123456789abcdefABCDEF" for c in v):
        raise BadColour(f"not a colour: {value!r}")
    if len(v) not in (6, 8):
        raise BadColour(f"not a colour: {value!r}")
    return tuple(int(v[i:i + 2], 16) for i in range(0, len(v), 2))


@dataclass(frozen=True)
class Palette:
    """The client's colours, by what they are for. Defined in the theme files only (`palette`
    in assets/themes/normal.json; colourblind.json changes some, Okabe–Ito based); `palette()`
    reads them."""

    bg: Colour
    panel: Colour
    paper: Colour              # cards and text panels
    ink: Colour
    muted: Colour
    accent: Colour
    accent_text: Colour
    good: Colour
    bad: Colour
    sea: Colour
    land: Colour
    border: Colour
    highlight: Colour
    banner: Colour
    banner_text: Colour        # on the banner, the toast and the (good or bad) notices
    veil: Colour               # behind an overlay (drawn translucent)
    shadow: Colour             # under a card (drawn translucent)
    track: Colour              # a gauge's empty bar, a list's row rule
    scroll_track: Colour
    rule: Colour               # a thin line between parts of a card
    disabled: Colour           # an option the team cannot choose
    disabled_border: Colour
    upcoming: Colour           # turns still to come on the timeline
    emblem_bg: Colour
    region_edge: Colour
    label_bg: Colour           # behind map labels and the map's legend
    tooltip_bg: Colour
    controllers: tuple[Colour, ...] = ()   # map colours per controller (colour-blind set; else the scenario's)


def theme_palette(colourblind: bool) -> dict[str, str | list[str]]:
    """The theme's colours by name, as written in the theme files ("#rrggbb")."""
    names = _load_theme("normal.json").get("palette", {})
    if colourblind:
        names = {**names, **_load_theme("colourblind.json").get("palette", {})}
    return names


@lru_cache(maxsize=4)
def palette(colourblind: bool) -> Palette:
    names = theme_palette(colourblind)
    wanted = {f.name for f in fields(Palette)}
    values: dict[str, Any] = {k: hex_colour(v) for k, v in names.items() if k in wanted and isinstance(v, str)}
    values["controllers"] = tuple(hex_colour(c) for c in names.get("controllers", ()))
    return Palette(**values)


def _load_theme(name: str) -> dict:
    with open(THEMES / name, encoding="utf-8") as f:
        return json.load(f)


def controller_colours(controllers: list[dict] | dict, colourblind: bool) -> dict[str, Colour]:
    """Map colours per controller id: the scenario's own, or Okabe–Ito in scenario order."""
    items = list(controllers.items()) if isinstance(controllers, dict) else [
        (c.get("id"), c) for c in controllers]
    out: dict[str, Colour] = {}
    safe = palette(True).controllers   # the colour-blind set; also when a scenario's colour is unusable
    for i, (cid, info) in enumerate(items):
        if colourblind:
            out[str(cid)] = safe[i % len(safe)]
        else:
            try:
                out[str(cid)] = hex_colour(str((info or {}).get("color") or (info or {}).get("colour")))[:3]
            except (TypeError, ValueError, IndexError):
                out[str(cid)] = safe[i % len(safe)]
    return out


def fit_text(text: str, font: pygame.font.Font, width: int) -> str:
    """``text`` cut at a word (else a letter) and ended with "…" so that ``font`` renders it within ``width``."""
    if width <= 0 or font.size(text)[0] <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and font.size(" ".join(words) + "…")[0] > width:
        words.pop()
    cut = " ".join(words).rstrip(" ,.;:–-(")
    while len(cut) > 1 and font.size(cut + "…")[0] > width:
        cut = cut[:-1]
    textlog.fitted(cut + "…", text)
    return cut + "…"


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
        self.scrolling = False  # drawing into a scrolled panel: a clipped line can be scrolled to

    def px(self, v: float) -> int:
        return round(v * self.scale)

    def text(self, surf: pygame.Surface, text: str, pos: tuple[int, int], size: int, colour: Colour,
             weight: str = "regular", anchor: str = "topleft", full: str | None = None,
             more: bool = False) -> pygame.Rect:
        """Draw one line. ``full``: the whole text when ``text`` was cut to fit (recorded as cut);
        ``more``: the whole text can be had another way (a tooltip, "Read all")."""
        if not text:
            return pygame.Rect(pos, (0, 0))
        self.texts.append(text)
        img = self.cache.render(text, self.px(size), colour, weight)
        r = img.get_rect(**{anchor: pos})
        surf.blit(img, r)
        textlog.note(surf, r, text, full or text, more=more or self.scrolling)
        return r

    def paragraph(self, surf: pygame.Surface, text: str, rect: pygame.Rect, size: int, colour: Colour,
                  weight: str = "regular", spacing: float = 1.2, max_lines: int | None = None,
                  more: bool = False) -> int:
        """Wrap `text` into `rect`; returns the y below the last line. ``max_lines`` cuts it with "…";
        ``more``: the whole text can be had another way (recorded for the text-fit test)."""
        if not text:
            return rect.top
        self.texts.append(text)
        psize = self.px(size)
        lines = self.cache.wrap(text, psize, rect.width, weight)
        cut = max_lines is not None and len(lines) > max_lines
        if cut:
            lines = lines[:max_lines]
            lines[-1] = lines[-1].rstrip(" .,;") + "…"
        lh = self.paragraph_line_height(size, weight, spacing)
        y = rect.top
        for i, line in enumerate(lines):
            if line:
                img = self.cache.render(line, psize, colour, weight)
                surf.blit(img, (rect.left, y))
                textlog.note(surf, img.get_rect(topleft=(rect.left, y)), line, cut=cut and i == len(lines) - 1,
                             more=more or self.scrolling)
            y += lh
        return y

    def fit_size(self, text: str, width: int, size: int, min_size: int, max_lines: int, weight: str = "regular",
                 height: int | None = None, spacing: float = 1.2) -> int:
        """The largest text size from ``size`` down to ``min_size`` at which ``text`` wraps into at most
        ``max_lines`` lines of ``width`` pixels (and ``height`` pixels in all, if given); ``min_size``
        if none does (``paragraph`` then cuts it with "…")."""
        for s in range(size, min_size - 1, -1):
            lines = self.cache.wrap(text, self.px(s), width, weight)
            words_whole = all(w in text.split() for ln in lines for w in ln.split())  # no word broken
            if len(lines) <= max_lines and words_whole and (
                    height is None or len(lines) * self.paragraph_line_height(s, weight, spacing) <= height):
                return s
        return min_size

    def fitting_paragraph(self, surf: pygame.Surface, text: str, rect: pygame.Rect, size: int, colour: Colour,
                          weight: str = "regular", max_lines: int = 2, min_size: int = 10,
                          height: int | None = None, more: bool = False) -> int:
        """``paragraph`` at the largest size (``size`` down to ``min_size``) that shows ``text`` whole in
        ``max_lines`` lines (and ``height`` pixels): a long team name gets smaller, not cut. Returns the
        y below it."""
        s = self.fit_size(text, rect.width, size, min_size, max_lines, weight, height)
        return self.paragraph(surf, text, rect, s, colour, weight, max_lines=max_lines, more=more)

    def line_height(self, size: int, weight: str = "regular") -> int:
        return self.cache.fonts.get(self.px(size), weight).get_linesize()

    def paragraph_line_height(self, size: int, weight: str = "regular", spacing: float = 1.2) -> int:
        """The distance between the lines of a ``paragraph`` (a little more than ``line_height``)."""
        return round(self.cache.fonts.get(self.px(size), weight).get_linesize() * spacing / 1.15)


def gui_theme(colourblind: bool, scale: float) -> dict:
    """The pygame_gui theme dict: the element blocks of assets/themes/normal.json with their "$name"
    colours taken from the palette (colourblind.json's where it has them), font paths and sizes filled in."""
    theme = _load_theme("normal.json")
    names = theme_palette(colourblind)
    del theme["palette"]
    for block in theme.values():
        colours = block.get("colours") if isinstance(block, dict) else None
        for key, value in (colours or {}).items():
            if isinstance(value, str) and value.startswith("$"):
                colours[key] = names[value[1:]]
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
