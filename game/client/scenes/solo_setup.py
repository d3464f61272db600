"""The solo setup: the scenario (title, years, what it is about), the side to play (each team with
its public aim), the bots' level (what each level does), the vote clock (untimed by default) →
a solo game against bots, with no network (`App.solo`, game.client.solo)."""

from __future__ import annotations

from typing import Any

import pygame

from game.wire import Phase

from ..errors import HostingError
from ..i18n import pick, tr
from ..solo import DEFAULT_LEVEL, LEVELS, SoloOptions
from .base import Scene
from .host_setup import TIMERS, available_campaigns, available_scenarios


def scenario_years(sc: Any) -> str:
    """"1917–1918": the years of the scenario's first and last turn."""
    dates = [str(t.date) for t in getattr(sc, "turns", ()) if getattr(t, "date", None)]
    if not dates:
        return ""
    first, last = dates[0][:4], dates[-1][:4]
    return first if first == last else f"{first}–{last}"


def one_line(summary: str) -> str:
    """The scenario's summary in one sentence: without a leading sentence of dates
    ("December 1917 – November 1918."), which the years already say."""
    sentences = [s.strip() for s in summary.replace("\n", " ").split(". ") if s.strip()]
    if len(sentences) > 1 and any(ch.isdigit() for ch in sentences[0]) and len(sentences[0]) < 48:
        sentences = sentences[1:]
    first = sentences[0] if sentences else ""
    return first if first.endswith((".", "?", "!")) else first + "."


class SoloSetupScene(Scene):
    gui_ticks = False

    def __init__(self, app, scenario: str | None = None, team: str | None = None, level: str | None = None,
                 timer: int | None = None) -> None:
        super().__init__(app)
        self.scenarios = available_scenarios(list(app.lessons.scenario_files))
        ids = [sid for sid, _ in self.scenarios]
        self.scenario_index = ids.index(scenario) if scenario in ids else 0
        self.campaigns = available_campaigns()
        self.campaign: str | None = None   # a campaign's lesson instead of a single scenario
        self.campaign_step = 0
        self.team = team
        self.level = level if level in LEVELS else DEFAULT_LEVEL
        self.timers: list[int | None] = list(TIMERS)
        if timer is not None and timer not in self.timers:
            self.timers = sorted([t for t in self.timers if t is not None] + [timer])
            self.timers.insert(0, None)
        self.timer_index = self.timers.index(timer)
        self._check_team()

    @property
    def follows_session(self) -> bool:
        """The game's screen takes over once the solo game has started (not for its lobby)."""
        sess = self.app.session
        return bool(sess is not None and sess.solo and (sess.started or sess.phase == Phase.ENDED))

    @property
    def scenario(self) -> Any:
        """The scenario to play (a campaign's: its chosen lesson's)."""
        if self.campaign is not None:
            from game.scenarios import builtin_scenario

            return builtin_scenario(dict(self.campaigns)[self.campaign].steps[self.campaign_step].scenario)
        return self.scenarios[self.scenario_index][1] if self.scenarios else None

    def _check_team(self) -> None:
        sc = self.scenario
        teams = list(sc.team_ids) if sc is not None else []
        if self.team not in teams:
            self.team = teams[0] if teams else None

    # -- layout ------------------------------------------------------------------------
    def build(self) -> None:
        w, h = self.app.size
        m = self.px(40)
        top, bottom = self.px(88), h - self.px(100)
        list_w = min(self.px(580), int((w - 3 * m) * 0.46))
        self._build_scenarios(m, top, list_w, bottom)
        x = m + list_w + m
        vw = w - x - m
        sc = self.scenario
        teams = list(sc.teams.values()) if sc is not None else []
        lh, gap = self.px(26), self.px(12)
        para = self.painter.paragraph_line_height(14)

        def fit(rows: int) -> tuple[int, int, int, int] | None:
            """(button height, gap between rows, lines of the aim, lines of the level's note) with which
            the settings fit above the buttons, the roomiest first; None if they do not."""
            for bh, row_gap, aim_lines, note_lines in ((40, 6, 3, 2), (38, 6, 2, 2), (36, 5, 2, 1), (33, 4, 2, 1),
                                                       (30, 4, 2, 1)):
                bh, row_gap = self.px(bh), self.px(row_gap)
                need = (3 * lh + rows * (bh + row_gap) + aim_lines * para + 2 * bh + note_lines * para + 3 * gap
                        + self.px(8))
                if need <= bottom - top:
                    return bh, row_gap, aim_lines, note_lines
            return None

        # the sides' names whole in one column if it fits (closing up the rows), else two columns
        cols = 1 if fit(len(teams)) is not None else 2
        rows = max(1, -(-len(teams) // cols))
        bh, row_gap, aim_lines, note_lines = fit(rows) or (self.px(30), self.px(4), 1, 1)
        y = top
        self.headings: list[tuple[str, tuple[int, int]]] = []
        self.headings.append((tr("solo.side"), (x, y)))
        y += lh
        cw = (vw - self.px(10) * (cols - 1)) // cols
        for k, team in enumerate(teams):
            chosen = team.id == self.team
            self.button(f"team_{team.id}", ("● " if chosen else "") + pick(team.name),
                        (x + (k % cols) * (cw + self.px(10)), y + (k // cols) * (bh + row_gap), cw, bh),
                        "#chosen_button" if chosen else None, tooltip=pick(team.aim))
        y += rows * (bh + row_gap)
        self.aim_rect = pygame.Rect(x, y + self.px(2), vw, aim_lines * para)
        y = self.aim_rect.bottom + gap
        self.headings.append((tr("solo.level"), (x, y)))
        y += lh
        self._choices(y, x, vw, bh, [(f"level_{lv}", tr(f"solo.level.{lv}"), lv == self.level,
                                      tr(f"solo.level.{lv}.note")) for lv in LEVELS])
        y += bh
        self.note_rect = pygame.Rect(x, y + self.px(4), vw, note_lines * para)
        y = self.note_rect.bottom + gap
        self.headings.append((tr("solo.timer"), (x, y)))
        y += lh
        sb = min(self.px(64), vw // 4)
        self.button("timer_down", "−", (x, y, sb, bh), tooltip=tr("host.timer_down"), enabled=self.timer_index > 0)
        self.timer_rect = pygame.Rect(x + sb, y, min(vw - 2 * sb, self.px(220)), bh)
        self.button("timer_up", "+", (self.timer_rect.right, y, sb, bh), tooltip=tr("host.timer_up"),
                    enabled=self.timer_index < len(self.timers) - 1)
        self.timer_note = (self.timer_rect.right + sb + self.px(12), y + bh // 2)
        self.timer_note_w = x + vw - self.timer_note[0]
        self.button("back", tr("common.back"), (m, h - self.px(84), self.px(180), self.px(54)))
        start_w = min(self.px(360), (w - 2 * m) // 3)
        self.button("start", tr("solo.start"), (w - m - start_w, h - self.px(84), start_w, self.px(54)),
                    "#big_button", enabled=sc is not None and self.team is not None)
        self.focus_index = self.focusables.index(self.actions["start"]) - 1 if sc is not None else -1
        self.move_focus(1)

    def _build_scenarios(self, x: int, top: int, width: int, bottom: int) -> None:
        """One button per scenario (the chosen one marked); its years and what it is about under it."""
        self.list_rect = pygame.Rect(x, top, width, bottom - top)
        self.scenario_rows: list[tuple[pygame.Rect, str, str]] = []
        if not self.scenarios:
            return
        head = self.px(26)
        row_h = min(self.px(170), (bottom - top - head) // (len(self.scenarios) + len(self.campaigns)))
        bh = min(self.px(42), max(self.px(30), row_h // 3))
        for i, (sid, sc) in enumerate(self.scenarios):
            ry = top + head + i * row_h
            chosen = i == self.scenario_index and self.campaign is None
            self.button(f"scenario_{sid}", ("● " if chosen else "") + pick(sc.title), (x, ry, width, bh),
                        "#chosen_button" if chosen else None, tooltip=pick(sc.summary))
            about = pygame.Rect(x + self.px(6), ry + bh + self.px(4), width - self.px(12), row_h - bh - self.px(12))
            self.scenario_rows.append((about, scenario_years(sc), one_line(pick(sc.summary))))
        for j, (cid, camp) in enumerate(self.campaigns):
            ry = top + head + (len(self.scenarios) + j) * row_h
            chosen = self.campaign == cid
            self.button(f"campaign_{cid}", ("● " if chosen else "") + pick(camp.title), (x, ry, width, bh),
                        "#chosen_button" if chosen else None, tooltip=pick(camp.summary))
            about = pygame.Rect(x + self.px(6), ry + bh + self.px(4), width - self.px(12), row_h - bh - self.px(12))
            if chosen:  # the lesson to play: a − / + stepper beside it
                sb, sh = self.px(40), min(self.px(32), about.height)
                self.button("campaign_down", "−", (about.right - 2 * sb, about.y, sb, sh),
                            tooltip=tr("host.campaign_down"), enabled=self.campaign_step > 0)
                self.button("campaign_up", "+", (about.right - sb, about.y, sb, sh),
                            tooltip=tr("host.campaign_up"), enabled=self.campaign_step < len(camp.steps) - 1)
                about = pygame.Rect(about.x, about.y, about.width - 2 * sb - self.px(8), about.height)
                text = tr("host.campaign_lesson", n=self.campaign_step + 1, m=len(camp.steps),
                          title=pick(self.scenario.title))
                self.scenario_rows.append((about, "", text))
            else:
                self.scenario_rows.append((about, "", one_line(pick(camp.summary))))

    def _choices(self, y: int, x: int, width: int, bh: int, choices: list[tuple[str, str, bool, str]]) -> None:
        bold, plain = self.app.fonts.get(self.px(17), "bold"), self.app.fonts.get(self.px(18))  # the theme's
        need = [(bold.size("● " + text) if chosen else plain.size(text))[0] + self.px(30)
                for _, text, chosen, _ in choices]
        room = width - self.px(8) * (len(choices) - 1)
        for j, (action, text, chosen, tip) in enumerate(choices):
            cw = room * need[j] // sum(need)
            self.button(action, ("● " if chosen else "") + text, (x, y, cw, bh), "#chosen_button" if chosen else None,
                        tooltip=tip)
            x += cw + self.px(8)

    # -- drawing -----------------------------------------------------------------------
    def _timer_text(self) -> str:
        t = self.timers[self.timer_index]
        if t is None:
            return tr("common.untimed")
        n = f"{t / 60:g}".replace(".", "," if self.app.settings.language == "pl" else ".")
        return tr("common.minutes", n=n)

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        self.draw_header(surface, tr("solo.title"), tr("app.title"))
        self.painter.text(surface, tr("host.scenario"), self.list_rect.topleft, 17, pal.accent, "bold")
        para = self.painter.paragraph_line_height(14)
        for i, (rect, years, about) in enumerate(self.scenario_rows):
            chosen = (i == self.scenario_index and self.campaign is None) if i < len(self.scenarios) else (
                self.campaign == self.campaigns[i - len(self.scenarios)][0])
            x, y, width = rect.x, rect.y, rect.width
            if years:
                r = self.painter.text(surface, years, (x, y), 14, pal.accent if chosen else pal.muted, "bold")
                if rect.bottom - (y + self.painter.line_height(14, "bold")) >= para:
                    y += self.painter.line_height(14, "bold")   # what it is about, under the years
                else:  # a small window: one line per row, the years first (under them is the next button)
                    x, width = r.right + self.px(10), rect.right - r.right - self.px(10)
            lines = max(1, (rect.bottom - y) // para)
            self.painter.paragraph(surface, about, pygame.Rect(x, y, width, 0), 14,
                                   pal.ink if chosen else pal.muted, max_lines=lines, more=True)
        for text, pos in self.headings:
            self.painter.text(surface, text, pos, 16, pal.accent, "bold")
        sc = self.scenario
        team = sc.teams.get(self.team) if sc is not None and self.team else None
        if team is not None:
            lines = max(1, self.aim_rect.height // para)
            self.painter.paragraph(surface, f"{tr('solo.aim')}: {pick(team.aim)}", self.aim_rect, 14, pal.ink,
                                   max_lines=lines, more=True)
        self.painter.paragraph(surface, tr(f"solo.level.{self.level}.note"), self.note_rect, 14, pal.ink,
                               max_lines=max(1, self.note_rect.height // para), more=True)
        r = self.timer_rect
        pygame.draw.rect(surface, pal.panel, r)
        self.painter.text(surface, self._timer_text(), r.center, 17, pal.ink, "bold", anchor="center")
        if self.timer_index == 0 and self.timer_note_w > self.px(120):
            top = self.timer_note[1] - para
            below = self.actions["back"].rect.top - self.px(8)   # a narrow column: a third line if it has room
            self.painter.paragraph(surface, tr("solo.untimed_note"),
                                   pygame.Rect(self.timer_note[0], top, self.timer_note_w, 0),
                                   13, pal.muted, max_lines=max(2, min(3, (below - top) // para)), more=True)
        if self.message:
            start = self.actions["start"].rect
            self.painter.text(surface, self.message, (start.right, start.top - self.px(6)), 17, pal.accent, "bold",
                              anchor="bottomright")

    # -- input -------------------------------------------------------------------------
    def options(self) -> SoloOptions:
        """The solo game chosen on this screen."""
        return SoloOptions(scenario=self.scenario.id, team=self.team or "", level=self.level,
                           timer=self.timers[self.timer_index], lang=self.app.settings.language,
                           name=self.app.settings.last_name, campaign=self.campaign,
                           campaign_step=self.campaign_step if self.campaign is not None else None)

    def on_action(self, action: str) -> None:
        if action == "back":
            self.app.scenes.pop()
            return
        if action.startswith("scenario_"):
            ids = [sid for sid, _ in self.scenarios]
            self.scenario_index = ids.index(action[9:])
            self.campaign = None
            self._check_team()
        elif action.startswith("campaign_") and action[9:] in dict(self.campaigns):
            self.campaign, self.campaign_step = action[9:], 0
            self._check_team()
        elif action in ("campaign_down", "campaign_up") and self.campaign is not None:
            steps = len(dict(self.campaigns)[self.campaign].steps)
            self.campaign_step = max(0, min(steps - 1, self.campaign_step + (1 if action == "campaign_up" else -1)))
            self._check_team()
        elif action.startswith("team_"):
            self.team = action[5:]
        elif action.startswith("level_"):
            self.level = action[6:]
        elif action in ("timer_down", "timer_up"):
            step = 1 if action == "timer_up" else -1
            self.timer_index = max(0, min(len(self.timers) - 1, self.timer_index + step))
        elif action == "start":
            self.message = tr("solo.starting")
            try:
                self.app.solo.start(self.options())
            except HostingError as e:
                self.message = tr("host.server_failed", error=str(e))
            self.dirty = True
            return
        focus = self.focus_index
        self.resume()
        if 0 <= focus < len(self.focusables):
            self.focus_index = focus - 1 if focus > 0 else -1
            self.move_focus(1)
