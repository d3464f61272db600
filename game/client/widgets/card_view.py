"""An event card drawn like a card: title band, date and place, emblem, text, citation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pygame

from .. import textlog
from ..i18n import language, pick, tr
from ..style import ASSETS, Painter, TextCache

CARD_DIR = ASSETS / "cards"
_emblems: dict[tuple[str, int], pygame.Surface | None] = {}


# Cards without an `emblem:` get one by a keyword of their id (the scenario may always name its own).
EMBLEM_KEYWORDS = (
    ("treaty", "treaty"), ("brest", "treaty"), ("armistice", "treaty"), ("talks", "treaty"), ("rapallo", "treaty"),
    ("old_treat", "scroll"), ("debt", "scroll"), ("capitulation", "crown"), ("tsar", "crown"),
    ("entente", "globe"), ("genoa", "globe"), ("hague", "globe"), ("recogn", "globe"),
    ("offensive", "army"), ("advance", "army"), ("front", "army"), ("war", "army"), ("red_army", "star"),
    ("murmansk", "ship"), ("vladivostok", "ship"), ("kronstadt", "ship"), ("landing", "ship"),
    ("czech", "train"), ("rail", "train"), ("opposition", "eye"), ("cheka", "eye"), ("terror", "eye"),
    ("don", "sabre"), ("cossack", "sabre"), ("white", "sabre"), ("tsaritsyn", "fortress"), ("siege", "fortress"),
    ("bessarabia", "flag"), ("independ", "flag"), ("poland", "flag"),
    ("famine", "wheat"), ("grain", "wheat"), ("requisition", "wheat"), ("nep", "wheat"),
    ("industry", "factory"), ("strike", "factory"), ("worker", "factory"),
)


def emblem_for(card: dict) -> str:
    """The card's emblem name: its own, else one matching its id, else "default"."""
    if card.get("emblem"):
        return str(card["emblem"])
    cid = str(card.get("id") or card.get("card") or "").lower()
    for key, name in EMBLEM_KEYWORDS:
        if key in cid:
            return name
    return "default"


def emblem_image(name: str | None, size: int) -> pygame.Surface | None:
    """`assets/cards/<name>.png` scaled to `size` (falls back to `default.png`)."""
    key = (name or "default", size)
    if key not in _emblems:
        img = None
        for candidate in (name, "default"):
            path = Path(CARD_DIR / f"{candidate}.png") if candidate else None
            if path is not None and path.exists():
                try:
                    img = pygame.transform.smoothscale(pygame.image.load(str(path)), (size, size))
                except pygame.error:
                    img = None
                break
        _emblems[key] = img
    return _emblems[key]


def format_date(iso: str | None) -> str:
    """"1918-03-03" → "3 III 1918" (the Polish textbook style, readable in both languages)."""
    if not iso:
        return ""
    parts = str(iso).split("-")
    try:
        nums = [int(p) for p in parts[:3]]
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][nums[1] - 1]
    except (ValueError, IndexError):
        return str(iso)
    return f"{nums[2]} {roman} {nums[0]}" if len(nums) == 3 else f"{roman} {nums[0]}"


def quote_line(src: dict, section: bool = True) -> str:
    """„quote” — section; in the English client with our English gloss after it, marked as ours."""
    text = f"„{src.get('quote', '')}”"
    if section and src.get("section"):
        text += f" — {src['section']}"
    if language() == "en" and src.get("en"):
        text += f" ({tr('quote.our_translation')}: “{src['en']}”)"
    return text


def card_date(card: dict) -> str:
    """The card's date line: the turn's label for a scheduled card shown in another turn, else its date."""
    return pick(card.get("date_label")) if card.get("date_label") else format_date(card.get("date"))


class CardView:
    """Renders one card dict (from the view) into a cached surface of a fixed size."""

    def __init__(self, cache: TextCache, palette: Any, size: tuple[int, int], scale: float = 1.0,
                 big: bool = False, tools: bool = False) -> None:
        """``tools``: the phase line is made tall enough for small buttons at its right (``tools_y``)."""
        self.cache, self.palette, self.size, self.scale, self.big = cache, palette, size, scale, big
        self.tools = tools
        self.tools_y: int | None = None  # the top of the phase line (card coordinates), if it was drawn
        self.texts: list[str] = []
        self.cut = False  # the last card drawn did not fit whole (its text ends with "…")
        self._surf: pygame.Surface | None = None
        self._key: Any = None
        self.place_names: dict[str, Any] = {}
        self.region_names: dict[str, Any] = {}
        try:
            from .map_view import _load_names
            self.region_names, self.place_names = _load_names()
        except Exception:  # the names are a nicety
            pass

    def px(self, v: float) -> int:
        return round(v * self.scale)

    def surface(self, card: dict, extra: str = "") -> pygame.Surface:
        key = (repr(card), extra, language(), self.size, self.palette)
        if self._surf is None or key != self._key:
            self._surf = self._render(card, extra)
            self._key = key
        return self._surf

    def _render(self, card: dict, extra: str) -> pygame.Surface:
        pal = self.palette
        w, h = self.size
        big = 1.45 if self.big else 1.0
        p = Painter(self.cache, self.scale * big)
        surf = pygame.Surface((w, h), pygame.SRCALPHA)
        body = pygame.Rect(0, 0, w - self.px(6), h - self.px(6))
        pygame.draw.rect(surf, (*pal.shadow, 60), body.move(self.px(6), self.px(6)), border_radius=self.px(12))
        pygame.draw.rect(surf, pal.paper, body, border_radius=self.px(12))
        pygame.draw.rect(surf, pal.border, body, self.px(2), border_radius=self.px(12))
        pad = self.px(16)
        # title band
        title = pick(card.get("title"))
        tsize = 22
        lines = self.cache.wrap(title, p.px(tsize), body.width - 2 * pad, "serif")
        if len(lines) > 2:
            tsize = 18
            lines = self.cache.wrap(title, p.px(tsize), body.width - 2 * pad, "serif")
            if len(lines) > 2:
                lines = [lines[0], lines[1].rstrip(" .,;:") + "…"]
        if len(lines) > 1 and body.height < p.px(220):
            lines = [lines[0].rstrip(" .,;:") + "…"]
        lh = p.line_height(tsize, "serif")
        band = pygame.Rect(body.x, body.y, body.width, lh * len(lines) + 2 * self.px(10))
        pygame.draw.rect(surf, pal.accent, band, border_top_left_radius=self.px(12),
                         border_top_right_radius=self.px(12))
        pygame.draw.rect(surf, pal.highlight, (band.x, band.bottom - self.px(3), band.width, self.px(3)))
        p.texts.append(title)
        for i, line in enumerate(lines):
            at = (band.x + pad, band.y + self.px(10) + i * lh)
            surf.blit(self.cache.render(line, p.px(tsize), pal.accent_text, "serif"), at)
            textlog.note(surf, pygame.Rect(at, self.cache.fonts.get(p.px(tsize), "serif").size(line)), line,
                         cut=line.endswith("…"), more=True)  # "Read all" shows the title whole
        y = band.bottom + self.px(8)
        # date and place
        place = card.get("place")
        where = pick(self.place_names.get(place)) if place else pick(self.region_names.get(card.get("region")))
        meta = " · ".join(s for s in (card_date(card), where) if s)
        if body.bottom - y > p.line_height(15, "bold"):
            p.text(surf, meta, (body.x + pad, y), 15, pal.muted, "bold")
            y += p.line_height(15, "bold") + self.px(4)
        # the bottom block: the phase line and the citation, when there is room for them and some text
        tl = p.line_height(17)
        bottom = body.bottom - self.px(10)
        src = (card.get("sources") or [{}])[0]
        src_text = quote_line(src) if isinstance(src, dict) and src.get("quote") else ""
        src_lines = self.cache.wrap(src_text, p.px(13), body.width - 2 * pad)[:2] if src_text else []
        src_h = len(src_lines) * p.line_height(13) + self.px(10) if src_lines else 0
        extra_h = (max(p.line_height(14, "bold"), self.px(32)) if self.tools else p.line_height(14, "bold")) \
            if extra else 0
        if bottom - y - src_h - extra_h < 2 * tl:
            src_lines, src_h = [], 0
        if bottom - y - extra_h < tl:
            extra, extra_h = "", 0
        text_bottom = bottom - src_h - extra_h
        # emblem at the right, text flowing to its left, then under it; the largest text size (17 down
        # to 14) at which the whole text fits, giving up the emblem before the size; cut only at 14
        text = pick(card.get("text"))
        esize = min(p.px(96), max(0, text_bottom - y))
        img = emblem_image(emblem_for(card), esize) if esize >= p.px(48) else None
        full_w = body.width - 2 * pad
        narrow = full_w - esize - self.px(12)

        def plan(size: int, emblem: bool) -> tuple[list[str], list[str], bool]:
            """(lines beside the emblem, lines under it, whether everything fits)."""
            line_h = p.paragraph_line_height(size)
            room = max(0, (text_bottom - y) // line_h)
            if not emblem:
                lines = self.cache.wrap(text, p.px(size), full_w)
                return [], lines, len(lines) <= room
            head = self.cache.wrap(text, p.px(size), narrow)
            beside = min(room, max(1, -(-(esize + self.px(8)) // line_h)))
            rest = self.cache.wrap(" ".join(head[beside:]), p.px(size), full_w) if head[beside:] else []
            under_y = max(y + beside * line_h, y + esize + self.px(2)) if rest else y + beside * line_h
            return head[:beside], rest, len(head) <= beside or len(rest) <= (text_bottom - under_y) // line_h

        size, emblem = 14, False
        for size, emblem in [(sz, e) for sz in (17, 16, 15, 14) for e in ((True, False) if img else (False,))]:
            if plan(size, emblem)[2]:
                break
        # cut: the text, the title or the citation does not fit whole ("Read all" shows them)
        self.cut = (bool(text) and not plan(size, emblem)[2]) or lines[-1].endswith("…") or (
            bool(src_lines) and len(self.cache.wrap(src_text, p.px(13), body.width - 2 * pad)) > len(src_lines))
        if text and (text_bottom - y) >= p.paragraph_line_height(size):
            head, rest, _fits = plan(size, emblem)
            if emblem and img is not None:
                er = img.get_rect(topright=(body.right - pad, y))
                pygame.draw.circle(surf, self.palette.emblem_bg, er.center, esize // 2 + self.px(4))
                surf.blit(img, er)
                y = p.paragraph(surf, " ".join(head), pygame.Rect(body.x + pad, y, narrow, 0), size, pal.ink,
                                max_lines=len(head), more=True)
                if rest:
                    y = max(y, er.bottom + self.px(2))
            left = (text_bottom - y) // p.paragraph_line_height(size)
            if rest and left > 0:
                p.paragraph(surf, " ".join(rest), pygame.Rect(body.x + pad, y, full_w, 0), size, pal.ink,
                            max_lines=left, more=True)  # cut: "Read all" shows it whole
            p.texts.append(text)  # shown (if cut, with an ellipsis): recorded whole
        self.tools_y = text_bottom if extra else None
        if extra:
            p.text(surf, extra, (body.x + pad, text_bottom + (extra_h - p.line_height(14, "bold")) // 2), 14,
                   pal.accent, "bold")
        if src_lines:
            sy = bottom - src_h + self.px(8)
            pygame.draw.line(surf, self.palette.rule, (body.x + pad, sy - self.px(5)), (body.right - pad, sy - self.px(5)))
            p.paragraph(surf, src_text, pygame.Rect(body.x + pad, sy, full_w, 0), 13, pal.muted, max_lines=2,
                        more=True)
        self.texts = p.texts
        return surf


def risk_label(odds: list[float] | None) -> str:
    """Stated odds as shown before the vote: "Chance: 70% / 30% (risk: medium)"."""
    if not odds:
        return ""
    worst = 1 - max(odds)
    risk = "low" if worst < 0.25 else "medium" if worst < 0.5 else "high"
    pct = " / ".join(f"{round(p * 100)}%" for p in odds)
    return f"{tr('game.odds', odds=pct)} ({tr('game.risk.' + risk)})"
