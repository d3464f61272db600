"""Host setup: scenario, language, teams, timer, team formation, one-screen mode → open the lobby."""

from __future__ import annotations

from typing import Any

import pygame

from ..i18n import pick, tr
from .base import Scene

TIMERS = (None, 120, 180, 240, 300)
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


class HostSetupScene(Scene):
    follows_session = True

    def __init__(self, app) -> None:
        super().__init__(app)
        self.scenarios = available_scenarios(app.scenario_files)
        self.scenario_index = 0
        self.lang = app.settings.language
        self.timer_index = 2
        self.formation = "free"
        self.one_screen = False
        self.teams: dict[str, bool] = {}
        self._reset_teams()

    def _reset_teams(self) -> None:
        sc = self.scenario
        self.teams = {t: True for t in (sc.team_ids if sc is not None else ())}

    @property
    def scenario(self) -> Any:
        return self.scenarios[self.scenario_index][1] if self.scenarios else None

    def build(self) -> None:
        x, y = self.px(60), self.px(96)
        lw, bh, gap = self.px(300), self.px(44), self.px(58)
        w = self.app.size[0]
        vw = w - x - lw - self.px(60)
        sc = self.scenario
        h = self.app.size[1]
        team_rows = -(-len(sc.teams) // 2) if sc is not None else 1
        need = 4 * gap + team_rows * (bh + self.px(8)) + self.px(10) + bh
        avail = h - self.px(110) - y
        if need > avail:  # a small screen: rows close up rather than run under the buttons
            f = max(0.6, avail / need)
            gap, bh = int(gap * f), int(bh * f)
        rows: list[tuple[str, list[tuple[str, str, bool]]]] = [
            ("host.scenario", [("scenario", pick(sc.title) if sc else tr("host.no_scenarios"), True)]),
            ("host.language", [("lang_pl", tr("lang.pl"), self.lang == "pl"),
                               ("lang_en", tr("lang.en"), self.lang == "en")]),
            ("host.timer", [("timer", self._timer_text(), True)]),
            ("host.formation", [(f"form_{f}", tr(f"host.formation.{f}"), self.formation == f)
                                for f in FORMATIONS]),
        ]
        for i, (key, choices) in enumerate(rows):
            ry = y + i * gap
            self.label(tr(key), (x, ry, lw, bh))
            cw = vw if len(choices) == 1 else (vw - self.px(10) * (len(choices) - 1)) // len(choices)
            for j, (action, text, chosen) in enumerate(choices):
                self.button(action, ("● " if chosen and len(choices) > 1 else "") + text,
                            (x + lw + j * (cw + self.px(10)), ry, cw, bh),
                            "#chosen_button" if chosen and len(choices) > 1 else None)
        ry = y + len(rows) * gap
        self.label(tr("host.teams"), (x, ry, lw, bh))
        if sc is not None:
            teams = list(sc.teams.values()) if isinstance(sc.teams, dict) else list(sc.teams)
            cols = 2
            cw = (vw - self.px(10)) // cols
            for k, team in enumerate(teams):
                on = self.teams.get(team.id, True)
                self.button(f"team_{team.id}", ("☑ " if on else "☐ ") + pick(team.name),
                            (x + lw + (k % cols) * (cw + self.px(10)), ry + (k // cols) * (bh + self.px(8)), cw, bh),
                            "#chosen_button" if on else None)
            ry += (-(-len(teams) // cols)) * (bh + self.px(8)) + self.px(10)
        else:
            ry += gap
        self.button("one_screen", ("☑ " if self.one_screen else "☐ ") + tr("host.one_screen"),
                    (x, ry, lw + vw, bh), "#chosen_button" if self.one_screen else None)
        self.button("back", tr("common.back"), (x, h - self.px(90), self.px(200), self.px(54)))
        saved = len(self.app.seats.hosted())
        if saved:
            self.button("saved", tr("host.saved", n=saved), (x + self.px(220), h - self.px(90), self.px(360),
                                                            self.px(54)))
        self.button("start", tr("host.start"), (w - self.px(60) - self.px(360), h - self.px(90), self.px(360),
                                                 self.px(54)), "#big_button", enabled=sc is not None)
        self.summary_rect = pygame.Rect(x, ry + bh + self.px(14), lw + vw, h - self.px(110) - (ry + bh + self.px(14)))

    def _timer_text(self) -> str:
        t = TIMERS[self.timer_index]
        return tr("common.untimed") if t is None else tr("common.minutes", n=f"{t / 60:g}")

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        self.draw_header(surface, tr("host.title"), tr("app.title"))
        sc = self.scenario
        if sc is not None and self.summary_rect.height > self.px(30):
            self.painter.paragraph(surface, pick(sc.summary), self.summary_rect, 16, pal.muted,
                                   max_lines=max(1, self.summary_rect.height // self.painter.line_height(16)))
        if self.message:
            self.painter.text(surface, self.message, (self.px(60), surface.get_height() - self.px(120)), 17,
                              pal.accent, "bold")
        self.draw_status(surface)

    def options(self) -> dict:
        """The `create_session` fields chosen on this screen."""
        sc = self.scenario
        return {
            "scenario": sc.id if sc is not None else None,
            "lang": self.lang,
            "teams": [t for t, on in self.teams.items() if on],
            "timer": TIMERS[self.timer_index],
            "formation": self.formation,
            "one_screen": self.one_screen,
        }

    def on_action(self, action: str) -> None:
        if action == "back":
            self.app.disconnect()
            self.app.scenes.pop()
            return
        if action == "scenario" and self.scenarios:
            self.scenario_index = (self.scenario_index + 1) % len(self.scenarios)
            self._reset_teams()
        elif action.startswith("lang_"):
            self.lang = action[5:]
            self.app.settings.language = self.lang
            self.app.apply_settings(language_only=True)
            return
        elif action == "timer":
            self.timer_index = (self.timer_index + 1) % len(TIMERS)
        elif action.startswith("form_"):
            self.formation = action[5:]
        elif action.startswith("team_"):
            tid = action[5:]
            if sum(self.teams.values()) > 1 or not self.teams.get(tid):
                self.teams[tid] = not self.teams.get(tid, True)
        elif action == "one_screen":
            self.one_screen = not self.one_screen
        elif action == "saved":
            from .saved import SavedLessonsScene

            self.app.scenes.push(SavedLessonsScene(self.app))
            return
        elif action == "start":
            self.message = tr("host.starting")
            try:
                self.app.host_lesson(self.options(), scenario_files=self.app.scenario_files, **self.app.host_overrides)
            except RuntimeError as e:
                self.message = tr("host.server_failed", error=str(e))
                return
        focus = self.focus_index
        self.resume()
        if 0 <= focus < len(self.focusables):
            self.focus_index = focus - 1 if focus > 0 else -1
            self.move_focus(1)
