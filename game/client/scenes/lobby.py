"""The lobby: the join code huge for the back of the classroom, teams and members, team forming.

On the teacher's computer it also shows the address to type (``http://ADDRESS:PORT``, which the
game's own Join accepts too) and, while no player is selected, the QR code of that address with the
join code in it: *Enlarge* shows it screen-high, for a class without a projector to scan."""

from __future__ import annotations

import pygame

from game.wire import Role

from .. import textlog
from ..hosting import lan_address
from ..i18n import pick, tr
from ..widgets.bot_picker import BotPicker, humans
from ..widgets.qr_view import QrCode
from .base import Scene
from .common import join_address
from .players import CAPTAIN_MARK, PlayerAdmin


class LobbyScene(PlayerAdmin, Scene):
    routed = True
    kind = "lobby"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.selected: str | None = None     # host: the player being moved
        self.bots = BotPicker(self)           # host: each team's "+ Bot" / level / "Remove bot"
        self.lan = lan_address() if app.session and app.session.role == Role.HOST else ""
        self.qr = QrCode()
        self.qr_rect: pygame.Rect | None = None   # the small QR code's place (host, nobody selected)

    def teams(self) -> list[dict]:
        sess = self.app.session
        info = sess.scenario_info if sess else {}
        playing = sess.config.get("teams") if sess else None
        return [t for t in info.get("teams", []) if not playing or t["id"] in playing]

    def build(self) -> None:
        sess = self.app.session
        if sess is None:
            return
        w, h = self.app.size
        role = sess.role
        if role == Role.HOST:
            self.drop_stale_selection()
        if self.dialog:
            self.build_dialog()
            return
        teams = self.teams()
        left_w = self.left_w = min(self.px(430), int(w * 0.36))  # a narrow screen leaves the teams more room
        self.cols_rect = pygame.Rect(left_w + self.px(40), self.px(84), w - left_w - self.px(60), h - self.px(200))
        cols = len(teams) + 1
        per_row = min(cols, 3)
        rows = -(-cols // per_row)
        cw = (self.cols_rect.width - self.px(12) * (per_row - 1)) // per_row
        ch = (self.cols_rect.height - self.px(12) * (rows - 1)) // rows
        self.columns: list[tuple[str, pygame.Rect]] = []
        members = sess.members_by_team()
        formation = sess.config.get("formation", "free")
        for i, team in enumerate([*teams, {"id": "", "name": tr("lobby.unassigned")}]):
            r = pygame.Rect(self.cols_rect.x + (i % per_row) * (cw + self.px(12)),
                            self.cols_rect.y + (i // per_row) * (ch + self.px(12)), cw, ch)
            self.columns.append((team["id"], r))
            bh = self.px(30)
            if role == Role.HOST:
                picker = self.px(36) if team["id"] else 0   # the team's bot controls at the column's foot
                chips = pygame.Rect(r.x + self.px(8), r.y + self.px(76), r.width - self.px(16),
                                    r.height - self.px(76) - self.px(8) - picker)
                self.build_chips(team["id"] or "_none", humans(members.get(team["id"], [])), team["id"], chips)
                if picker:
                    self.bots.build(team["id"], pygame.Rect(chips.x, chips.bottom + self.px(6), chips.width,
                                                            self.px(28)), members.get(team["id"], []))
                if self.selected and team["id"] != self._team_of(self.selected):
                    mw = min(r.width // 2, self.px(130))  # beside the player count, so chips keep the column
                    self.button(f"move_{team['id'] or '_none'}", tr("lobby.move"),
                                (r.right - mw - self.px(8), r.y + self.px(44), mw, self.px(28)), "#small_button")
            elif role == Role.PLAYER and formation == "free" and team["id"] and team["id"] != sess.team:
                self.button(f"pick_{team['id']}", tr("lobby.pick"),
                            (r.x + self.px(8), r.bottom - bh - self.px(8), r.width - self.px(16), bh), "#small_button")
        if role == Role.HOST:
            self.tools_rect = pygame.Rect(self.px(24), h - self.px(96) - self.px(20) - self.px(160), left_w - self.px(30),
                                          self.px(160))
            self.build_player_tools(pygame.Rect(self.tools_rect.x + self.px(12), self.tools_rect.y + self.px(40),
                                                self.tools_rect.width - self.px(24), 0), horizontal=False)
            self.qr_rect = None
            if self.member(self.selected) is None and self.qr.set(join_address(sess, self.lan), sess.code):
                # nobody selected: the tools' place shows the QR code, its caption and Enlarge beside it
                t = self.tools_rect
                self.qr_rect = pygame.Rect(t.x, t.y, t.height, t.height)
                bx = self.qr_rect.right + self.px(10)
                self.button("qr", tr("lobby.qr_enlarge"), (bx, t.bottom - self.px(34), t.right - bx, self.px(34)),
                            "#small_button")
            x0, x1 = self.cols_rect.x, w - self.px(20)
            gap = self.px(10)
            start_w = min(self.px(300), int((x1 - x0) * 0.4))
            rest = (x1 - x0 - start_w - 2 * gap) // 2
            y = h - self.px(96)
            self.button("auto", tr("lobby.auto"), (x0, y, rest, self.px(50)), "#small_button")
            self.button("projector", tr("lobby.projector"), (x0 + rest + gap, y, rest, self.px(50)), "#small_button")
            self.button("start", tr("lobby.start"), (x1 - start_w, y - self.px(4), start_w, self.px(58)),
                        "#big_button", enabled=bool(members) or bool(sess.config.get("one_screen")))
        self.button("leave", tr("common.back"), (self.px(24), h - self.px(96), self.px(160), self.px(46)))

    def _team_of(self, player: str) -> str:
        for team, ms in self.app.session.members_by_team().items():
            if any(m["player"] == player for m in ms):
                return team
        return ""

    def on_session_change(self) -> None:
        self.resume()

    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        pal = self.app.palette
        if sess is None:
            return
        title = pick(sess.scenario_info.get("title")) or tr("lobby.title")
        self.draw_header(surface, tr("lobby.title"), title)
        # the code, huge
        # the code as large as the column allows: below it the address, the hint and (host) the player's tools
        below = self.px(16 + 34 + 48 + 96) + (self.px(180) if sess.role == Role.HOST else self.px(90))
        box_h = max(self.px(130), min(self.px(260), surface.get_height() - self.px(84) - below))
        box = pygame.Rect(self.px(24), self.px(84), self.left_w - self.px(30), box_h)
        pygame.draw.rect(surface, pal.panel, box, border_radius=self.px(12))
        pygame.draw.rect(surface, pal.accent, box, self.px(3), border_radius=self.px(12))
        self.painter.text(surface, tr("lobby.code"), (box.centerx, box.y + self.px(14)), 22, pal.muted, "bold",
                          anchor="midtop")
        code = sess.code or "…"
        size = 104
        while size > 30 and (self.app.fonts.get(self.px(size), "bold").size(code)[0] > box.width - self.px(24)
                             or self.app.fonts.get(self.px(size), "bold").get_ascent() > box.height - self.px(56)):
            size -= 4
        self.painter.text(surface, code, (box.centerx, box.centery + self.px(14)), size, pal.ink, "bold",
                          anchor="center")
        y = box.bottom + self.px(16)
        if self.lan:   # the address for a browser, which the game's own Join takes as well
            address = tr("lobby.address", address=f"http://{join_address(sess, self.lan)}")
            size = next((s for s in range(20, 12, -1)
                         if self.app.fonts.get(self.px(s), "bold").size(address)[0] <= box.width), 13)
            self.painter.text(surface, address, (box.x, y), size, pal.ink, "bold")
            y += self.px(34)
        if sess.role == Role.HOST:
            self.painter.fitting_paragraph(surface, tr("lobby.click_to_move"), pygame.Rect(box.x, y, box.width, 0),
                                           15, pal.muted, max_lines=4, min_size=11,
                                           height=self.tools_rect.y - y - self.px(4))
            if self.qr_rect is not None:
                self.qr.draw(surface, self.qr_rect, pal)
                cx = self.qr_rect.right + self.px(10)
                self.painter.fitting_paragraph(surface, tr("lobby.qr_caption"),
                                               pygame.Rect(cx, self.qr_rect.y, self.tools_rect.right - cx, 0), 15,
                                               pal.ink, max_lines=5, min_size=11,
                                               height=self.qr_rect.height - self.px(40))
            m = self.member(self.selected)
            if m is not None:
                r = self.tools_rect
                pygame.draw.rect(surface, pal.panel, r, border_radius=self.px(10))
                pygame.draw.rect(surface, pal.border, r, self.px(2), border_radius=self.px(10))
                self.painter.text(surface, self.member_label(m), (r.x + self.px(12), r.y + self.px(10)), 17, pal.ink,
                                  "bold")
        elif sess.role == Role.PLAYER:
            you = f"{sess.name or ''} ({tr('lobby.you')})"
            self.painter.text(surface, you, (box.x, y), 20, pal.ink, "bold")
            team_name = sess.team_name(sess.team, pick) if sess.team else tr("lobby.unassigned")
            self.painter.text(surface, team_name, (box.x, y + self.px(30)), 18, pal.accent, "bold")
            self.painter.paragraph(surface, tr("lobby.waiting"), pygame.Rect(box.x, y + self.px(70), box.width, 100),
                                   17, pal.muted)
        # team columns
        members = sess.members_by_team()
        names = {t["id"]: t for t in self.teams()}
        for team_id, r in self.columns:
            pygame.draw.rect(surface, pal.panel, r, border_radius=self.px(10))
            pygame.draw.rect(surface, pal.border if team_id else pal.muted, r, self.px(2), border_radius=self.px(10))
            t = names.get(team_id)
            name = pick(t["name"]) if t else tr("lobby.unassigned")
            self.painter.fitting_paragraph(surface, name, pygame.Rect(r.x + self.px(10), r.y + self.px(4),
                                                                      r.width - self.px(20), 0), 15, pal.accent,
                                           "bold", max_lines=3, min_size=10, height=self.px(46))
            ms = members.get(team_id, [])
            self.painter.text(surface, tr("lobby.members", n=len(ms)), (r.x + self.px(10), r.y + self.px(50)), 13,
                              pal.muted)
            if sess.role != Role.HOST or self.dialog:   # the host's names are buttons, hidden under a dialog
                captain = sess.captain(team_id)
                for k, m in enumerate(ms[:7]):
                    mine = m["player"] == sess.player
                    label = m["name"] + (f" ({tr('lobby.you')})" if mine else "")
                    if captain and m["player"] == captain:
                        label = f"{CAPTAIN_MARK} {label}"
                    colour = pal.ink if m.get("online", True) else pal.muted
                    self.painter.text(surface, label, (r.x + self.px(14), r.y + self.px(76) + k * self.px(26)), 16,
                                      colour, "bold" if mine else "regular")
        self.draw_status(surface)
        if self.dialog and self.dialog[0] == "qr":
            self.draw_qr_dialog(surface)
        else:
            self.draw_dialog(surface)

    # -- the QR code, screen-high ----------------------------------------------------------
    def build_dialog(self) -> None:
        if self.dialog and self.dialog[0] == "qr":
            w, h = self.app.size
            close = self.button("qr_close", tr("lobby.qr_close"), (w - self.px(200), h - self.px(70), self.px(176),
                                                                   self.px(46)))
            self.focus_index = self.focusables.index(close)
            close.select()
            return
        super().build_dialog()

    def draw_qr_dialog(self, surface: pygame.Surface) -> None:
        """The QR code as large as the screen allows, the address and the join code beside or under it."""
        pal = self.app.palette
        sess = self.app.session
        w, h = surface.get_size()
        surface.fill(pal.bg)
        textlog.cover(surface, surface.get_rect())
        title = tr("lobby.qr_title")
        self.draw_header(surface, title, "", reserve=self.px(24))
        top, bottom = self.px(80), h - self.px(84)
        side = min(bottom - top, int(w * 0.55))
        drawn = self.qr.draw(surface, pygame.Rect(self.px(24), top, side, side), pal)
        x = drawn.right + self.px(30)
        width = w - x - self.px(24)
        address = f"http://{join_address(sess, self.lan)}"
        size = next((s for s in range(44, 15, -2) if self.app.fonts.get(self.px(s), "bold").size(address)[0] <= width),
                    16)
        y = top + self.px(10)
        self.painter.text(surface, tr("lobby.code"), (x, y), 24, pal.muted, "bold")
        y += self.painter.line_height(24, "bold")
        code = sess.code or "…"
        csize = next((s for s in range(120, 30, -6) if self.app.fonts.get(self.px(s), "bold").size(code)[0] <= width),
                     30)
        self.painter.text(surface, code, (x, y), csize, pal.ink, "bold")
        y += self.painter.line_height(csize, "bold") + self.px(16)
        y = self.painter.paragraph(surface, tr("lobby.qr_note", code=code), pygame.Rect(x, y, width, 0), 20,
                                   pal.ink) + self.px(8)
        self.painter.text(surface, address, (x, y), size, pal.accent, "bold")

    def process_event(self, event: pygame.event.Event) -> bool:
        return self.admin_event(event) or super().process_event(event)

    def on_action(self, action: str) -> None:
        sess = self.app.session
        if self.admin_action(action) or self.bots.handle(action):
            return
        if action == "leave":
            self.open_dialog("leave", "")   # Back asks first: leaving drops the lesson on this screen
        elif action == "start":
            fill = sess.fill_bots if sess is not None else None   # host setup: bots in the teams left empty
            self.app.send("start", **({"fill_bots": fill} if fill else {}))
        elif action == "projector":
            self.app.router.show_projector(True)
        elif action == "qr":
            self.open_dialog("qr", "")
        elif action == "qr_close":
            self.close_dialog()
            self.resume()
        elif action == "auto":
            self._auto_form()

        elif action.startswith("sel_"):
            p = action[4:]
            self.selected = None if self.selected == p else p
            self.resume()
        elif action.startswith("move_") and self.selected:
            team = action[5:]
            self.app.send("move_player", player=self.selected, team=None if team == "_none" else team)
            self.selected = None
            self.resume()
        elif action.startswith("pick_") and sess is not None:
            self.app.send("pick_team", team=action[5:])

    def _auto_form(self) -> None:
        """Spread the players without a team over the smallest teams, equal ones in the server's spread
        order (both halves of the cast alternately: not every Soviet faction before the foreign powers)."""
        from server.seating import spread_order

        sess = self.app.session
        teams = spread_order([t["id"] for t in self.teams()])
        if not teams or sess is None:
            return
        members = sess.members_by_team()
        counts = {t: len(humans(members.get(t, []))) for t in teams}   # a team held by a bot alone is empty
        for m in members.get("", []):
            team = min(teams, key=lambda t: counts[t])
            counts[team] += 1
            self.app.send("move_player", player=m["player"], team=team)

    def back(self) -> None:
        """Esc: close a dialog or drop the selection; else ask whether to leave (as Back does)."""
        if self.admin_back():
            return
        self.open_dialog("leave", "")
