"""The host's per-player controls, shared by the lobby and the in-game "Players and teams" panel.

Click (or Tab to and Enter) a player to select them; then:

* **Rename** opens a small dialog with a text field (Enter saves, Esc cancels) → `rename`;
* **Make captain** names them their team's captain (pressed again: no captain) → `set_captain`;
* **Remove** asks for a confirmation first → `kick` (the student's client returns to its menu).

While a dialog is open the scene shows only the dialog's elements (it is modal for mouse and keyboard).
"""

from __future__ import annotations

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryLine

from ..i18n import pick, tr

CAPTAIN_MARK = "★"


class PlayerAdmin:
    """Mixin for a `Scene` with `self.selected` (the player id the host clicked) or None."""

    selected: str | None
    dialog: tuple[str, str] | None = None      # ("rename" | "kick", player id), or ("leave", "") asking to leave
    rename_entry: UITextEntryLine | None = None

    @property
    def chip_pages(self) -> dict[str, int]:
        """Per team: the first player shown on its page of chips (``<key>:next``: where "+N" goes)."""
        return self.__dict__.setdefault("_chip_pages", {})

    # -- queries -------------------------------------------------------------------------
    def member(self, player: str | None) -> dict | None:
        if not player:
            return None
        for ms in self.app.session.members_by_team().values():
            for m in ms:
                if m["player"] == player:
                    return m
        return None

    def team_of(self, player: str) -> str:
        for team, ms in self.app.session.members_by_team().items():
            if any(m["player"] == player for m in ms):
                return team
        return ""

    def is_captain(self, player: str, team: str | None = None) -> bool:
        team = team if team is not None else self.team_of(player)
        return bool(team) and self.app.session.captain(team) == player

    def member_label(self, m: dict, team: str | None = None) -> str:
        """A player's name with the captain's mark."""
        return f"{CAPTAIN_MARK} {m['name']}" if self.is_captain(m["player"], team) else m["name"]

    # -- building ------------------------------------------------------------------------
    def build_chips(self, key: str, members: list[dict], team: str, rect: pygame.Rect) -> None:
        """Every member of a team as a chip (``sel_<player>``), flowing in lines across ``rect``.

        When they do not all fit, the chips that fit are one page and a last chip ``+N``
        (``more_<key>``) shows the next page, so every student of a big class stays reachable.
        """
        pages = self.chip_pages
        start = pages.get(key, 0)
        if start >= len(members):
            start = pages[key] = 0
        h, gap, pad = self.px(26), self.px(4), self.px(26)  # a button keeps 20 px of padding (base.button)
        regular, bold = self.app.fonts.get(self.px(13), "regular"), self.app.fonts.get(self.px(13), "bold")

        def width(text: str, chosen: bool = False, cap: int = rect.width) -> int:
            return min(cap, (bold if chosen else regular).size(text)[0] + pad)

        def flow(items: list[int]) -> list[pygame.Rect]:
            out, x, y = [], rect.x, rect.y
            for w in items:
                if x + w > rect.right and x > rect.x:
                    x, y = rect.x, y + h + gap
                if y + h > rect.bottom:
                    break
                out.append(pygame.Rect(x, y, w, h))
                x += w + gap
            return out

        shown = members[start:]
        labels = [(self.member_label(m, team), m["player"] == self.selected) for m in shown]
        places = flow([width(t, c) for t, c in labels])
        paged = start > 0 or len(places) < len(shown)  # some do not fit, or this is a later page
        if paged:
            # a page shows at least one member beside the "+N" chip, so paging always moves on
            more_w = width("+99")
            items = [width(t, c, rect.width - more_w - gap) for t, c in labels]
            k = min(len(shown), len(flow(items))) + 1  # members, and the chip
            while k > 2:
                if len(flow([*items[:k - 1], more_w])) == k:
                    break
                k -= 1
            places = flow([*items[:k - 1], more_w])
            if len(places) < 2:
                return  # not even one line: nothing sensible to show
        count = len(places) - 1 if paged else len(places)
        for m, (text, chosen), r in zip(shown[:count], labels[:count], places, strict=False):
            self.button(f"sel_{m['player']}", text, r, "#chip_chosen" if chosen else "#chip_button")
        if paged:
            nxt = start + count
            pages[f"{key}:next"] = nxt if nxt < len(members) else 0
            self.button(f"more_{key}", f"+{len(members) - count}", places[count], "#chip_button",
                        tooltip=tr("players.more"))

    def chip_action(self, action: str) -> bool:
        """``more_<key>``: the next page of a crowded team's chips."""
        if not action.startswith("more_"):
            return False
        pages = self.chip_pages
        key = action[5:]
        pages[key] = pages.get(f"{key}:next", 0)
        self.resume()
        return True

    def drop_stale_selection(self) -> None:
        """A player who left (kicked) can no longer be selected or edited."""
        if self.selected and self.member(self.selected) is None:
            self.selected = None
        if self.dialog and self.dialog[1] and self.member(self.dialog[1]) is None:  # (a dialog about a player)
            self.close_dialog()

    def build_player_tools(self, rect: pygame.Rect, horizontal: bool) -> pygame.Rect | None:
        """Rename / captain / remove buttons for the selected player inside `rect`; returns their area."""
        m = self.member(self.selected)
        if m is None:
            return None
        team = self.team_of(m["player"])
        captain = self.is_captain(m["player"], team)
        items = [
            ("p_rename", tr("players.rename"), True),
            ("p_captain", tr("players.uncaptain") if captain else tr("players.captain"), bool(team)),
            ("p_kick", tr("players.kick"), True),
        ]
        gap = self.px(8)
        bh = self.px(34)
        if horizontal:
            bw = (rect.width - gap * (len(items) - 1)) // len(items)
            for i, (action, text, on) in enumerate(items):
                self.button(action, text, (rect.x + i * (bw + gap), rect.y, bw, bh), "#small_button", enabled=on)
            return pygame.Rect(rect.x, rect.y, rect.width, bh)
        for i, (action, text, on) in enumerate(items):
            self.button(action, text, (rect.x, rect.y + i * (bh + gap), rect.width, bh), "#small_button", enabled=on)
        return pygame.Rect(rect.x, rect.y, rect.width, len(items) * (bh + gap) - gap)

    def dialog_rect(self) -> pygame.Rect:
        w, h = self.app.size
        r = pygame.Rect(0, 0, min(w - self.px(40), self.px(560)), self.px(210))
        r.center = (w // 2, h // 2)
        return r

    def build_dialog(self) -> None:
        kind, player = self.dialog
        m = self.member(player) or {"name": player}
        r = self.dialog_rect()
        pad = self.px(20)
        bw, bh = self.px(180), self.px(44)
        y = r.bottom - pad - bh
        if kind == "rename":
            self.rename_entry = self.entry((r.x + pad, r.y + self.px(78), r.width - 2 * pad, self.px(40)), m["name"])
            self.button("p_rename_ok", tr("players.save"), (r.right - pad - bw, y, bw, bh))
            self.button("p_cancel", tr("players.cancel"), (r.right - pad - 2 * bw - self.px(10), y, bw, bh),
                        "#small_button")
            self.focus_index = self.focusables.index(self.rename_entry)
            self.rename_entry.focus()
            self.gui_ticks = True   # the text cursor blinks
        elif kind == "leave":
            self.button("p_leave_ok", tr("lobby.leave_yes"), (r.right - pad - bw, y, bw, bh))
            stay = self.button("p_cancel", tr("lobby.leave_stay"), (r.right - pad - 2 * bw - self.px(10), y, bw, bh),
                               "#small_button")
            self.focus_index = self.focusables.index(stay)
            stay.select()
        else:
            self.button("p_kick_ok", tr("players.kick_yes"), (r.right - pad - bw, y, bw, bh))
            cancel = self.button("p_cancel", tr("players.cancel"), (r.right - pad - 2 * bw - self.px(10), y, bw, bh),
                                 "#small_button")
            self.focus_index = self.focusables.index(cancel)
            cancel.select()

    def draw_dialog(self, surface: pygame.Surface) -> None:
        if not self.dialog:
            return
        pal = self.app.palette
        kind, player = self.dialog
        m = self.member(player) or {"name": player}
        veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        veil.fill((*pal.veil, 140))
        surface.blit(veil, (0, 0))
        r = self.dialog_rect()
        pygame.draw.rect(surface, pal.panel, r, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.accent, r, self.px(3), border_radius=self.px(12))
        pad = self.px(20)
        if kind == "rename":
            self.painter.text(surface, tr("players.rename_title", name=m["name"]), (r.x + pad, r.y + pad), 20,
                              pal.accent, "serif")
        elif kind == "leave":
            host = self.app.session is not None and self.app.session.role == "host"
            self.painter.text(surface, tr("lobby.leave_title"), (r.x + pad, r.y + pad), 20, pal.accent, "serif")
            self.painter.paragraph(surface, tr("lobby.leave_note_host" if host else "lobby.leave_note"),
                                   pygame.Rect(r.x + pad, r.y + self.px(64), r.width - 2 * pad, 0), 15, pal.ink,
                                   max_lines=3)
        else:
            team = self.team_of(player)
            where = f" ({self.app.session.team_name(team, pick)})" if team else ""
            self.painter.text(surface, tr("players.kick_title", name=m["name"] + where), (r.x + pad, r.y + pad), 20,
                              pal.accent, "serif")
            self.painter.paragraph(surface, tr("players.kick_note"),
                                   pygame.Rect(r.x + pad, r.y + self.px(64), r.width - 2 * pad, 0), 15, pal.ink,
                                   max_lines=3)

    # -- input ---------------------------------------------------------------------------
    def open_dialog(self, kind: str, player: str) -> None:
        self.dialog = (kind, player)
        self.resume()

    def close_dialog(self) -> None:
        self.dialog = None
        self.rename_entry = None
        self.gui_ticks = type(self).gui_ticks

    def admin_action(self, action: str) -> bool:
        """Handle the `p_…` and `more_…` actions; True if `action` was one of them."""
        if self.chip_action(action):
            return True
        if action == "p_rename" and self.selected:
            self.open_dialog("rename", self.selected)
        elif action == "p_kick" and self.selected:
            self.open_dialog("kick", self.selected)
        elif action == "p_captain" and self.selected:
            team = self.team_of(self.selected)
            if team:
                self.app.send("set_captain", team=team, player=None if self.is_captain(self.selected, team)
                              else self.selected)
            self.resume()
        elif action == "p_rename_ok" and self.dialog:
            name = (self.rename_entry.get_text() if self.rename_entry else "").strip()
            player = self.dialog[1]
            self.close_dialog()
            if name:
                self.app.send("rename", player=player, name=name)
            self.resume()
        elif action == "p_kick_ok" and self.dialog:
            self.app.send("kick", player=self.dialog[1])
            self.close_dialog()
            self.selected = None
            self.resume()
        elif action == "p_leave_ok":
            self.close_dialog()
            self.app.leave_to_menu()
        elif action == "p_cancel":
            self.close_dialog()
            self.resume()
        else:
            return False
        return True

    def admin_event(self, event: pygame.event.Event) -> bool:
        """Enter in the rename field saves (pygame_gui consumes the key and posts this event)."""
        if (event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and self.dialog and self.dialog[0] == "rename"
                and event.ui_element is self.rename_entry):
            self.press("p_rename_ok")
            return True
        return False

    def admin_back(self) -> bool:
        """Esc: close the dialog, else drop the selection; True if it did either."""
        if self.dialog:
            self.close_dialog()
            self.resume()
            return True
        if self.selected:
            self.selected = None
            self.resume()
            return True
        return False
