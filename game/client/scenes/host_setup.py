"""Host setup: scenario (a list, each with its summary, then the campaigns: a lesson − / + stepper),
language, the vote clock (− / +), team formation, the teams, one-screen mode → open the lobby."""

from __future__ import annotations

from typing import Any

import pygame

from server.protocol import TEACHER_NAME_MAX

from ..errors import HostingError
from ..i18n import pick, tr
from ..widgets.bot_picker import LEVELS, level_name
from .base import Scene

TIMERS = (None, 60, 90, 120, 180, 240, 300, 420, 600)  # seconds per vote; None: the teacher closes it
DEFAULT_TIMER = 180
FORMATIONS = ("free", "auto", "host")


def available_scenarios(extra_files: list[str] | None = None) -> list[tuple[str, Any]]:
    """(id, Scenario) for every built-in scenario that loads, then those of `extra_files`."""
    try:
        from game.scenarios import builtin_scenario, builtin_scenario_ids, load_scenario
    except ImportError:
        return []
    out = []
    for sid in builtin_scenario_ids():
        try:
            out.append((sid, builtin_scenario(sid)))
        except Exception:  # a broken scenario must not hide the others
            continue
    for path in extra_files or []:
        try:
            sc = load_scenario(path)
        except Exception:
            continue
        if sc.id not in {sid for sid, _ in out}:
            out.append((sc.id, sc))
    return out


def available_campaigns() -> list[tuple[str, Any]]:
    """(id, Campaign) for every shipped campaign that loads."""
    try:
        from game.campaign import builtin_campaign, builtin_campaign_ids
    except ImportError:
        return []
    out = []
    for cid in builtin_campaign_ids():
        try:
            out.append((cid, builtin_campaign(cid)))
        except Exception:  # a broken campaign must not hide the scenarios
            continue
    return out


class HostSetupScene(Scene):
    follows_session = True
    gui_ticks = True   # the teacher's name field's cursor blinks

    def __init__(self, app) -> None:
        super().__init__(app)
        self.scenarios = available_scenarios(list(app.lessons.scenario_files))
        self.scenario_index = 0
        self.campaigns = available_campaigns()
        self.campaign: str | None = None   # chosen instead of a single scenario: its lesson `campaign_step`
        self.campaign_step = 0
        self.lang = app.settings.language
        self.timer_index = TIMERS.index(DEFAULT_TIMER)
        self.formation = "free"
        self.one_screen = False
        self.fill_bots: str | None = None   # teams nobody joined at `start`: None (card default) or a bot level
        self.teacher = app.settings.teacher_name
        self.teams: dict[str, bool] = {}
        self._reset_teams()

    def _reset_teams(self) -> None:
        sc = self.scenario
        self.teams = {t: True for t in (sc.team_ids if sc is not None else ())}

    @property
    def scenario(self) -> Any:
        """The scenario the lesson will play (a campaign's: its chosen lesson's)."""
        if self.campaign is not None:
            from game.scenarios import builtin_scenario

            return builtin_scenario(dict(self.campaigns)[self.campaign].steps[self.campaign_step].scenario)
        return self.scenarios[self.scenario_index][1] if self.scenarios else None

    def build(self) -> None:
        """Two columns: the scenarios as a list (each with its summary) at the left; language, the
        vote clock (a − / + stepper), team forming, the teams and one-screen mode at the right."""
        w, h = self.app.size
        m = self.px(40)
        top, bottom = self.px(88), h - self.px(100)   # the row of Back / Start below
        list_w = min(self.px(520), int((w - 3 * m) * 0.42))
        name_h = self.px(24) + self.px(40)    # the teacher's name, under the scenarios
        self._build_scenario_list(m, top, list_w, bottom - name_h - self.px(8))
        self.teacher_label = (m, bottom - name_h)
        self.e_teacher = self.entry((m, bottom - self.px(40), list_w, self.px(40)), self.teacher, tr("host.teacher_hint"))
        x = m + list_w + m
        vw = w - x - m
        lh, bh, gap = self.px(24), self.px(42), self.px(10)   # each setting: its label above its buttons
        sc = self.scenario
        teams = list(sc.teams.values()) if sc is not None else []
        def needed(cols: int) -> int:
            return 5 * (lh + bh + gap) + (max(1, -(-len(teams) // cols)) - 1) * (bh + self.px(6)) + bh

        # the teams' names in one column when it fits (nearly), else two
        cols = 1 if needed(1) <= (bottom - top) * 1.05 or vw < self.px(400) else 2
        team_rows = max(1, -(-len(teams) // cols))
        need = needed(cols)
        if need > bottom - top:  # a small screen: rows close up rather than run under the buttons
            f = max(0.6, (bottom - top) / need)
            lh, bh, gap = int(lh * f), int(bh * f), int(gap * f)
        y = top
        self.setting_labels: list[tuple[str, tuple[int, int]]] = []

        def heading(key: str) -> int:
            self.setting_labels.append((tr(key), (x, y)))
            return y + lh

        ry = heading("host.language")
        self._choices(ry, x, vw, bh, [("lang_pl", tr("lang.pl"), self.lang == "pl"),
                                      ("lang_en", tr("lang.en"), self.lang == "en")])
        y = ry + bh + gap
        ry = heading("host.timer")
        sb = min(self.px(64), vw // 4)
        self.button("timer_down", "−", (x, ry, sb, bh), tooltip=tr("host.timer_down"),
                    enabled=self.timer_index > 0)
        self.timer_rect = pygame.Rect(x + sb, ry, min(vw - 2 * sb, self.px(220)), bh)
        self.button("timer_up", "+", (self.timer_rect.right, ry, sb, bh), tooltip=tr("host.timer_up"),
                    enabled=self.timer_index < len(TIMERS) - 1)
        y = ry + bh + gap
        ry = heading("host.formation")
        self._choices(ry, x, vw, bh, [(f"form_{f}", tr(f"host.formation.{f}"), self.formation == f)
                                      for f in FORMATIONS])
        y = ry + bh + gap
        ry = heading("host.empty_teams")
        self._choices(ry, x, vw, bh, [("fill_none", tr("host.empty.default"), self.fill_bots is None)]
                      + [(f"fill_{lv}", level_name(lv), self.fill_bots == lv) for lv in LEVELS])
        y = ry + bh + gap
        ry = heading("host.teams")
        cw = (vw - self.px(10) * (cols - 1)) // cols
        for k, team in enumerate(teams):
            on = self.teams.get(team.id, True)
            self.button(f"team_{team.id}", ("☑ " if on else "☐ ") + pick(team.name),
                        (x + (k % cols) * (cw + self.px(10)), ry + (k // cols) * (bh + self.px(6)), cw, bh),
                        "#chosen_button" if on else None, tooltip=pick(team.name))
        y = ry + team_rows * (bh + self.px(6)) + gap
        self.button("one_screen", ("☑ " if self.one_screen else "☐ ") + tr("host.one_screen"),
                    (x, y, vw, bh), "#chosen_button" if self.one_screen else None, tooltip=tr("host.one_screen"))
        self.button("back", tr("common.back"), (m, h - self.px(84), self.px(180), self.px(54)))
        saved = len(self.app.lessons.seats.hosted())
        start_w = min(self.px(360), (w - 2 * m) // 3)
        if saved:
            self.button("saved", tr("host.saved", n=saved), (m + self.px(200), h - self.px(84),
                                                            w - 2 * m - self.px(220) - start_w, self.px(54)))
        self.button("start", tr("host.start"), (w - m - start_w, h - self.px(84), start_w, self.px(54)),
                    "#big_button", enabled=sc is not None)

    def _choices(self, y: int, x: int, width: int, bh: int, choices: list[tuple[str, str, bool]]) -> None:
        # widths in proportion to the labels (as the chosen one shows them: bold, with its dot)
        bold, plain = self.app.fonts.get(self.px(17), "bold"), self.app.fonts.get(self.px(18))  # the theme's
        need = [(bold.size("● " + text) if chosen else plain.size(text))[0] + self.px(36)
                for _, text, chosen in choices]
        room = width - self.px(10) * (len(choices) - 1)
        for j, (action, text, chosen) in enumerate(choices):
            cw = room * need[j] // sum(need)
            self.button(action, ("● " if chosen else "") + text, (x, y, cw, bh), "#chosen_button" if chosen else None)
            x += cw + self.px(10)

    def _build_scenario_list(self, x: int, top: int, width: int, bottom: int) -> None:
        """One button per scenario (the chosen one marked) with its summary drawn under it."""
        self.list_rect = pygame.Rect(x, top, width, bottom - top)
        self.scenario_rows: list[tuple[pygame.Rect, str]] = []
        if not self.scenarios:
            return
        head = self.px(24)
        row_h = (bottom - top - head) // (len(self.scenarios) + len(self.campaigns))
        bh = min(self.px(42), max(self.px(30), row_h // 3))
        for i, (sid, sc) in enumerate(self.scenarios):
            ry = top + head + i * row_h
            chosen = i == self.scenario_index and self.campaign is None
            self.button(f"scenario_{sid}", ("● " if chosen else "") + pick(sc.title), (x, ry, width, bh),
                        "#chosen_button" if chosen else None, tooltip=pick(sc.title))
            summary = pygame.Rect(x + self.px(6), ry + bh + self.px(4), width - self.px(12),
                                  row_h - bh - self.px(12))
            self.scenario_rows.append((summary, pick(sc.summary)))
        for j, (cid, camp) in enumerate(self.campaigns):
            ry = top + head + (len(self.scenarios) + j) * row_h
            chosen = self.campaign == cid
            self.button(f"campaign_{cid}", ("● " if chosen else "") + pick(camp.title), (x, ry, width, bh),
                        "#chosen_button" if chosen else None, tooltip=pick(camp.summary))
            summary = pygame.Rect(x + self.px(6), ry + bh + self.px(4), width - self.px(12),
                                  row_h - bh - self.px(12))
            if chosen:  # the lesson to start at: a − / + stepper beside its name
                sb = self.px(40)
                sh = min(self.px(32), summary.height)
                self.button("campaign_down", "−", (summary.right - 2 * sb, summary.y, sb, sh),
                            tooltip=tr("host.campaign_down"), enabled=self.campaign_step > 0)
                self.button("campaign_up", "+", (summary.right - sb, summary.y, sb, sh),
                            tooltip=tr("host.campaign_up"), enabled=self.campaign_step < len(camp.steps) - 1)
                summary = pygame.Rect(summary.x, summary.y, summary.width - 2 * sb - self.px(8), summary.height)
                text = tr("host.campaign_lesson", n=self.campaign_step + 1, m=len(camp.steps),
                          title=pick(self.scenario.title))
                if self.campaign_step:
                    text += " " + tr("host.campaign_from_history")
                self.scenario_rows.append((summary, text))
            else:
                self.scenario_rows.append((summary, pick(camp.summary)))

    def _timer_text(self) -> str:
        t = TIMERS[self.timer_index]
        return tr("common.untimed") if t is None else tr("common.minutes", n=f"{t / 60:g}".replace(
            ".", "," if self.app.settings.language == "pl" else "."))

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        self.draw_header(surface, tr("host.title"), tr("app.title"))
        self.painter.text(surface, tr("host.scenario"), self.list_rect.topleft, 17, pal.accent, "bold")
        self.painter.text(surface, tr("host.teacher"), self.teacher_label, 15, pal.accent, "bold")
        for text, pos in self.setting_labels:
            self.painter.text(surface, text, pos, 15, pal.accent, "bold")
        for i, (rect, summary) in enumerate(self.scenario_rows):
            size = 14
            lines = max(1, rect.height // self.painter.paragraph_line_height(size))
            chosen = (i == self.scenario_index and self.campaign is None) if i < len(self.scenarios) else (
                self.campaign == self.campaigns[i - len(self.scenarios)][0])
            self.painter.paragraph(surface, summary, rect, size, pal.ink if chosen else pal.muted, max_lines=lines)
        r = self.timer_rect
        pygame.draw.rect(surface, pal.panel, r)
        self.painter.text(surface, self._timer_text(), r.center, 17, pal.ink, "bold", anchor="center")
        if self.message:
            start = self.actions["start"].rect
            self.painter.text(surface, self.message, (start.right, start.top - self.px(6)), 17, pal.accent, "bold",
                              anchor="bottomright")
        self.draw_status(surface)

    def options(self) -> dict:
        """The `create_session` fields chosen on this screen."""
        sc = self.scenario
        campaign = {} if self.campaign is None else {"campaign": self.campaign, "campaign_step": self.campaign_step}
        return {
            **campaign,
            "scenario": sc.id if sc is not None else None,
            "lang": self.lang,
            "teams": [t for t, on in self.teams.items() if on],
            "timer": TIMERS[self.timer_index],
            "formation": self.formation,
            "one_screen": self.one_screen,
            "teacher": self.teacher_name()[:TEACHER_NAME_MAX] or None,
            "fill_bots": self.fill_bots,   # kept by the client, sent with `start` (game.client.lessons)
        }

    def teacher_name(self) -> str:
        """The teacher's name as typed (announced with the lesson on the LAN; may be empty)."""
        if getattr(self, "e_teacher", None) is not None and self.e_teacher.alive():
            self.teacher = self.e_teacher.get_text()
        return self.teacher.strip()

    def set_teacher(self, name: str) -> None:
        """Type the teacher's name (what the teacher does with the keyboard)."""
        self.e_teacher.set_text(name)

    def clear(self) -> None:
        if getattr(self, "e_teacher", None) is not None and self.e_teacher.alive():
            self.teacher = self.e_teacher.get_text()   # a rebuild keeps what was typed
        super().clear()

    def on_action(self, action: str) -> None:
        if action == "back":
            self.app.disconnect()
            self.app.scenes.pop()
            return
        if action.startswith("scenario_"):
            ids = [sid for sid, _ in self.scenarios]
            self.scenario_index = ids.index(action[9:])
            self.campaign = None
            self._reset_teams()
        elif action.startswith("campaign_") and action[9:] in dict(self.campaigns):
            self.campaign, self.campaign_step = action[9:], 0
            self._reset_teams()
        elif action in ("campaign_down", "campaign_up") and self.campaign is not None:
            steps = len(dict(self.campaigns)[self.campaign].steps)
            self.campaign_step = max(0, min(steps - 1, self.campaign_step + (1 if action == "campaign_up" else -1)))
            self._reset_teams()
        elif action.startswith("lang_"):
            self.lang = action[5:]
            self.app.settings.language = self.lang
            self.app.apply_settings(language_only=True)
            return
        elif action in ("timer_down", "timer_up"):
            step = 1 if action == "timer_up" else -1
            self.timer_index = max(0, min(len(TIMERS) - 1, self.timer_index + step))
        elif action.startswith("form_"):
            self.formation = action[5:]
        elif action.startswith("team_"):
            tid = action[5:]
            if sum(self.teams.values()) > 1 or not self.teams.get(tid):
                self.teams[tid] = not self.teams.get(tid, True)
        elif action.startswith("fill_"):
            self.fill_bots = None if action == "fill_none" else action[5:]
        elif action == "one_screen":
            self.one_screen = not self.one_screen
        elif action == "saved":
            from .saved import SavedLessonsScene

            self.app.scenes.push(SavedLessonsScene(self.app))
            return
        elif action == "start":
            self.app.settings.teacher_name = self.teacher_name()
            if self.app.save_settings:
                self.app.settings.save()
            self.message = tr("host.starting")
            try:
                self.app.lessons.host(self.options())
            except HostingError as e:
                self.message = tr("host.server_failed", error=str(e))
                return
        focus = self.focus_index
        self.resume()
        if 0 <= focus < len(self.focusables):
            self.focus_index = focus - 1 if focus > 0 else -1
            self.move_focus(1)
