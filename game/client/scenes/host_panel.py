"""The teacher's panel: clock controls, the card, participation per team, players moved between teams
by clicks, and one-screen mode (enter each team's choice).

The panel is projector-safe (a laptop is often mirrored to the classroom screen): the historical
option's ★ and the card's history stay hidden until the card is revealed, or until the teacher
opens "my notes" (a toggle, key N)."""

from __future__ import annotations

import pygame

from game.wire import Phase

from ..i18n import pick, tr
from ..widgets.bot_picker import BotPicker, humans
from ..widgets.card_view import CardView
from ..widgets.map_view import MapView
from .base import distinct_labels, fit_text
from .common import cards, decider_name, make_map, map_view_name, phase_text, sync_map, timer_text
from .live import LiveScene
from .players import PlayerAdmin


class HostPanelScene(PlayerAdmin, LiveScene):
    routed = True
    kind = "game"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.map: MapView | None = None
        self.card_index = 0
        self.players_mode = False
        self.selected: str | None = None
        self.confirm_end = False
        self.notes = False  # "my notes": the ★ and the history before they are revealed
        self.bots = BotPicker(self)  # players mode: each team's "+ Bot" / level / "Remove bot"

    def build(self) -> None:
        sess = self.app.session
        view = sess.view or {}
        w, h = self.app.size
        self.drop_stale_selection()
        if self.dialog:
            self.build_dialog()
            return
        top = self.px(74)
        left_w = int(w * 0.36)
        map_rect = pygame.Rect(self.px(12), top, left_w, int((h - top) * 0.47))
        cs = cards(view)
        self.card_index = min(self.card_index, max(0, len(cs) - 1))
        card = cs[self.card_index] if cs else None
        name = map_view_name(card)
        if self.map is None or self.map.rect != map_rect or self.map.view_name != name:
            self.map = make_map(self.app, map_rect, card, self.app.session)
        sync_map(self.map, sess, card, self.app.settings.colourblind)
        self.part_rect = pygame.Rect(self.px(12), map_rect.bottom + self.px(10), left_w,
                                     h - map_rect.bottom - self.px(100))
        rx = map_rect.right + self.px(16)
        self.card_rect = pygame.Rect(rx, top, w - rx - self.px(12), int((h - top) * 0.42))
        self.card_view = CardView(self.app.text, self.app.palette, self.card_rect.size, self.app.scale)
        self.opt_rect = pygame.Rect(rx, self.card_rect.bottom + self.px(8), self.card_rect.width,
                                    h - self.card_rect.bottom - self.px(100))
        # controls along the bottom
        phase = view.get("phase")
        controls = [
            ("pause", tr("panel.unpause") if sess.paused else tr("panel.pause"), phase in (Phase.BRIEFING, Phase.DELIBERATION)),
            ("extend", tr("panel.extend"), phase in (Phase.BRIEFING, Phase.DELIBERATION) and sess.time_left() is not None),
            ("force", tr("panel.force"), phase == Phase.DELIBERATION),
            ("advance", tr("panel.advance"), phase in (Phase.BRIEFING, Phase.OUTCOME)),
            ("end", tr("panel.confirm_end_short") if self.confirm_end else tr("panel.end"), phase != Phase.ENDED),
            ("export", tr("report.button"), True),
            ("projector", tr("panel.projector_key"), True),
        ]
        bw = (w - self.px(24) - self.px(8) * (len(controls) - 1)) // len(controls)
        for i, (action, text, on) in enumerate(controls):
            self.button(action, text, (self.px(12) + i * (bw + self.px(8)), h - self.px(78), bw, self.px(50)),
                        "#chosen_button" if action == "end" and self.confirm_end else "#control_button", enabled=on,
                        tooltip=tr("panel.confirm_end") if action == "end" and self.confirm_end else None)
        self.button("players", tr("panel.players"), (self.part_rect.right - self.px(220), self.part_rect.y,
                                                      self.px(220), self.px(32)),
                    "#chosen_button" if self.players_mode else "#small_button")
        if card is not None and not self.players_mode and not (sess.config.get("one_screen")
                                                               and phase == Phase.DELIBERATION):
            self.button("notes", tr("panel.notes_hide") if self.notes else tr("panel.notes_show"),
                        (self.opt_rect.right - self.px(210), self.opt_rect.y, self.px(210), self.px(30)),
                        "#chosen_button" if self.notes else "#small_button")
        if self.players_mode:
            self._build_players()
            tools = pygame.Rect(self.opt_rect.x, self.opt_rect.bottom - self.px(40), self.opt_rect.width, 0)
            self.build_player_tools(tools, horizontal=True)
        if card is not None and sess.config.get("one_screen") and phase == Phase.DELIBERATION:
            self._build_one_screen(card)
        if len(cs) > 1:  # left of the clock, however wide its text ("No time limit")
            clock = self.app.fonts.get(self.px(24), "bold").size(timer_text(sess))[0] + self.px(24 + 20 + 10 + 24)
            self.tabs_reserve = max(self.px(200), clock)
            for i in range(len(cs)):
                self.button(f"card_{i}", str(i + 1), (w - self.px(46) * (len(cs) - i) - self.tabs_reserve, self.px(16),
                                                      self.px(40), self.px(34)),
                            "#chosen_button" if i == self.card_index else "#small_button")

    def _teams(self) -> list[dict]:
        sess = self.app.session
        playing = sess.config.get("teams")
        return [t for t in sess.scenario_info.get("teams", []) if not playing or t["id"] in playing]

    def _players_rows(self) -> list[tuple[dict, pygame.Rect]]:
        """Players mode: one row per team (and one for players in no team) down the right column,
        under the hint and above the rename/captain/remove buttons."""
        top = self.card_rect.y + self.px(78)
        bottom = self.opt_rect.bottom - self.px(48)
        teams = [*self._teams(), {"id": "", "name": tr("lobby.unassigned")}]
        row_h = max(self.px(32), (bottom - top) // len(teams))
        return [(team, pygame.Rect(self.card_rect.x, top + i * row_h, self.card_rect.width, row_h - self.px(6)))
                for i, team in enumerate(teams)]

    def _build_players(self) -> None:
        members = self.app.session.members_by_team()
        name_w, arrow_w = self.px(170), self.px(40)
        for team, row in self._players_rows():
            if self.selected and team["id"] != self._team_of(self.selected):
                self.button(f"move_{team['id'] or '_none'}", "→", (row.right - self.px(36), row.y, self.px(36),
                                                                   self.px(26)), "#small_button")
            picker = self.px(250) if team["id"] else 0   # the team's bot controls at the row's end
            chips = pygame.Rect(row.x + name_w, row.y, row.width - name_w - arrow_w - picker, row.height)
            self.build_chips(team["id"] or "_none", humans(members.get(team["id"], [])), team["id"], chips)
            if picker:
                self.bots.build(team["id"], pygame.Rect(chips.right + self.px(4), row.y, picker - self.px(8),
                                                        min(row.height, self.px(26))), members.get(team["id"], []))

    def _team_of(self, player: str) -> str:
        for team, ms in self.app.session.members_by_team().items():
            if any(m["player"] == player for m in ms):
                return team
        return ""

    def _build_one_screen(self, card: dict) -> None:
        sess = self.app.session
        private = (sess.view or {}).get("teams_private") or {}
        r = self.opt_rect
        y = r.y + self.px(4)
        bh = self.px(34)
        for team in card.get("teams") or []:
            if team not in private:
                continue
            blocs = {team} | {b["id"] for b in sess.scenario_info.get("blocs", []) if team in b.get("teams", [])}
            opts = [o for o in card.get("options", []) if blocs & set(o.get("for") or [])]
            chosen = (private[team].get("direct") or {}).get(card["id"])
            lw = self.px(170)
            bw = (r.width - lw - self.px(6) * len(opts)) // max(1, len(opts))
            labels = distinct_labels([pick(o.get("text")) for o in opts], self.app.fonts.get(self.px(14)),
                                     bw - self.px(20))
            for i, o in enumerate(opts):
                self.button(f"choose_{team}_{o['id']}", labels[i], (r.x + lw + i * (bw + self.px(6)), y, bw, bh),
                            "#chosen_button" if chosen == o["id"] else "#small_button",
                            tooltip=f"{i + 1}. {pick(o.get('text'))}")
            y += bh + self.px(6)
        self.one_screen_bottom = y

    def widgets(self) -> list:
        return [w for w in (self.map, getattr(self, "card_view", None)) if w is not None]

    def draw_scene(self, surface: pygame.Surface) -> None:
        sess = self.app.session
        view = sess.view or {}
        title = f"{tr('panel.title')} · {pick(view.get('turn_label'))} · " \
                f"{tr('game.turn', turn=view.get('turn', 1), count=view.get('turn_count', 1))}"
        tabs = len(cards(view))
        self.draw_header(surface, title, "", reserve=self.px(46) * tabs + getattr(self, "tabs_reserve", self.px(200))
                         + self.px(12) if tabs > 1 else None)
        self.draw_timer(surface, timer_text(sess), 24)
        self.map.draw(surface)
        cs = cards(view)
        card = cs[self.card_index] if cs else None
        if card is not None:
            extra = f"{phase_text(view.get('phase'))} · {tr('lobby.code')}: {sess.code}"
            if not self.players_mode:
                surface.blit(self.card_view.surface(card, extra), self.card_rect)
            if self.players_mode:
                pass  # the right column is the class list
            elif sess.config.get("one_screen") and view.get("phase") == Phase.DELIBERATION:
                self._draw_one_screen_labels(surface, card)
            else:
                self._draw_options(surface, card)
        if self.players_mode:
            self._draw_player_info(surface)
        self._draw_participation(surface, view)
        self.draw_status(surface)
        self.draw_dialog(surface)

    def _draw_player_info(self, surface: pygame.Surface) -> None:
        """Players mode: how it works, who is selected, and each team's name beside its row of players."""
        pal = self.app.palette
        r = self.card_rect
        y = self.painter.paragraph(surface, tr("players.hint"), pygame.Rect(r.x, r.y, r.width, 0), 15, pal.muted,
                                   max_lines=2) + self.px(6)
        m = self.member(self.selected)
        if m is not None:
            team = self.team_of(m["player"])
            where = self.app.session.team_name(team, pick) if team else tr("lobby.unassigned")
            self.painter.paragraph(surface, tr("players.selected", name=f"{self.member_label(m, team)} · {where}"),
                                   pygame.Rect(r.x, y, r.width, 0), 17, pal.ink, "bold", max_lines=1)
        members = self.app.session.members_by_team()
        for team, row in self._players_rows():
            pygame.draw.line(surface, pal.track, (row.x, row.y - self.px(3)), (row.right, row.y - self.px(3)))
            n = len(members.get(team["id"], []))
            self.painter.fitting_paragraph(surface, f"{pick(team['name'])} ({n})",
                                           pygame.Rect(row.x, row.y + self.px(2), self.px(160), 0), 13, pal.ink,
                                           "bold", max_lines=max(1, row.height // self.px(13)), min_size=10,
                                           height=row.height - self.px(2))

    def shows_history(self, card: dict) -> bool:
        """The ★ and the history of ``card`` are shown: once revealed to the class, or in "my notes"."""
        return self.notes or card.get("id") in ((self.app.session.view or {}).get("revealed") or [])

    def _draw_options(self, surface: pygame.Surface, card: dict) -> None:
        pal = self.app.palette
        sess = self.app.session
        r = self.opt_rect
        history = self.shows_history(card)
        if not history:
            self.painter.paragraph(surface, tr("panel.notes_hidden"),
                                   pygame.Rect(r.x, r.y + self.px(6), r.width - self.px(220), 0), 12, pal.muted,
                                   max_lines=2)
        y = r.y + self.px(36)
        for i, o in enumerate(card.get("options", [])):
            who = ", ".join(decider_name(sess, d) for d in o.get("for", []))
            hist = " ★" if history and o.get("historical") else ""
            line = f"{i + 1}. {pick(o.get('text'))}{hist}  ({who})"
            y = self.painter.paragraph(surface, line, pygame.Rect(r.x, y, r.width, 0), 14,
                                       pal.ink, max_lines=2) + self.px(4)
            if y > r.bottom:
                return
        story = card.get("history") or {}
        if history and story.get("text"):
            self.painter.paragraph(surface, f"★ {tr('outcome.in_history')}: {pick(story.get('text'))}",
                                   pygame.Rect(r.x, y + self.px(4), r.width, 0), 13, pal.muted,
                                   max_lines=max(1, (r.bottom - y) // self.painter.line_height(13) - 1))

    def _draw_one_screen_labels(self, surface: pygame.Surface, card: dict) -> None:
        pal = self.app.palette
        sess = self.app.session
        y = self.opt_rect.y + self.px(4)
        for team in card.get("teams") or []:
            if team not in ((sess.view or {}).get("teams_private") or {}):
                continue
            name = decider_name(sess, team)
            lines = self.app.text.wrap(name, self.px(14), self.px(160), "bold")
            self.painter.text(surface, lines[0], (self.opt_rect.x, y + self.px(8)), 14, pal.ink, "bold")
            y += self.px(40)

    def _draw_participation(self, surface: pygame.Surface, view: dict) -> None:
        pal = self.app.palette
        sess = self.app.session
        r = self.part_rect
        self.painter.text(surface, tr("panel.participation"), (r.x, r.y + self.px(4)), 17, pal.accent, "bold")
        members = sess.members_by_team()
        private = view.get("teams_private") or {}
        cs = cards(view)
        y = r.y + self.px(42)
        lh = self.painter.line_height(13, "bold")
        teams = self._teams()
        bar_h = self.px(7)
        # rows close up on a small screen so that every team stays in view
        gap = max(self.px(2), min(self.px(8), (r.bottom - y) // max(1, len(teams)) - lh - self.px(1) - bar_h))
        for team in teams:
            tid = team["id"]
            ms = members.get(tid, [])
            votes = 0
            for c in cs:
                votes = max(votes, len(((private.get(tid) or {}).get("votes") or {}).get(c["id"], {})))
            decides = any(tid in (c.get("teams") or []) for c in cs)
            progress = (sess.view or {}).get("progress") or {}
            decided = any(((progress.get(c["id"]) or {}).get(tid) or {}).get("decided") for c in cs)
            status = (tr("game.decided") if decided else tr("game.deciding")) if decides else "—"
            if ms or sess.config.get("one_screen"):
                counts = [f"{tr('game.voted', n=votes, m=len(ms))} · {status}",
                          f"{votes}/{len(ms)}{' ✓' if decided else ''}"]   # (shorter, for a long team name)
            else:
                counts = [tr("votes.nobody")]   # not "0 of 0 voted": the card's default decides for it
            name = pick(team["name"])
            count, size = counts[-1], 11
            for count in counts:  # the team's whole name at the largest size beside the longest count that fits
                room = r.width - self.app.fonts.get(self.px(12)).size(count)[0] - self.px(8)
                fits = [sz for sz in range(13, 10, -1) if self.app.fonts.get(self.px(sz), "bold").size(name)[0] <= room]
                if fits:
                    size = fits[0]
                    break
            cr = self.painter.text(surface, count, (r.right, y), 12, pal.good if decided else pal.muted,
                                   anchor="topright")
            shown = fit_text(name, self.app.fonts.get(self.px(size), "bold"), cr.left - r.x - self.px(8))
            self.painter.text(surface, shown, (r.x, y + (self.px(13) - self.px(size)) // 2), size, pal.ink, "bold",
                              full=name)
            bar = pygame.Rect(r.x, y + lh + self.px(1), r.width, bar_h)
            pygame.draw.rect(surface, pal.track, bar, border_radius=self.px(3))
            if ms:
                fill = bar.copy()
                fill.width = round(bar.width * min(1, votes / len(ms)))
                pygame.draw.rect(surface, pal.good, fill, border_radius=self.px(3))
            y = bar.bottom + gap
            if y > r.bottom - lh:
                break

    def process_event(self, event: pygame.event.Event) -> bool:
        if self.admin_event(event):
            return True
        if not self.dialog and self.map_event(event):
            return True
        return super().process_event(event)

    def on_key(self, event: pygame.event.Event) -> bool:
        if not self.dialog and event.key == pygame.K_n:
            self.press("notes")
            return True
        if not self.dialog and self.map is not None and self.map.handle_key(event):
            self.dirty = True
            return True
        return super().on_key(event)

    def on_action(self, action: str) -> None:
        sess = self.app.session
        if self.admin_action(action) or self.bots.handle(action):
            return
        if action != "end":
            self.confirm_end = False
        if action == "pause":
            self.app.send("unpause" if sess.paused else "pause")
        elif action == "extend":
            self.app.send("extend", seconds=60)
        elif action == "force":
            self.app.send("force_resolve")
        elif action == "advance":
            self.app.send("advance")
        elif action == "end":
            if self.confirm_end:
                self.app.send("end")
                self.confirm_end = False
            else:
                self.confirm_end = True
                self.app.notify(tr("panel.confirm_end"), 8)  # the question in full, under the header
        elif action == "notes":
            self.notes = not self.notes
        elif action == "projector":
            self.app.router.show_projector(True)
            return
        elif action == "export":
            self.app.lessons.request_export()
        elif action == "players":
            self.players_mode = not self.players_mode
            self.selected = None
        elif action.startswith("sel_"):
            p = action[4:]
            self.selected = None if self.selected == p else p
        elif action.startswith("move_") and self.selected:
            team = action[5:]
            self.app.send("move_player", player=self.selected, team=None if team == "_none" else team)
            self.selected = None
        elif action.startswith("choose_"):
            card = cards(sess.view)[self.card_index]
            rest = action[len("choose_"):]
            team = next(t for t in (card.get("teams") or []) if rest.startswith(t + "_"))
            self.app.send("team_choice", team=team, card=card["id"], option=rest[len(team) + 1:])
        elif action.startswith("card_"):
            self.card_index = int(action[5:])
        self.resume()

    def back(self) -> None:
        self.confirm_end = False
        if self.admin_back():
            return
        self.resume()
