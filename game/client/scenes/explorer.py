"""The what-if explorer: history, our game and each branch side by side, turn by turn.

Opened with a finished (or saved) game's export — a lesson from the saved-lessons list, a solo
game's debrief, an exported lesson file — and its scenario. The timeline (`PathsTimeline`) shows
each path's turns (on history's path or not, where it leaves history, where a branch starts) and
its ending; clicking a cell (or `select(lane, turn)`) shows that turn's cards: what each side
chose, what came of it, and what history did, with the quote. "Play from here" starts a solo game
that branches the chosen path at that turn's briefing (bots in the other seats; the solo game's
flow, `app.solo`); branches are the solo games whose `parent` leads back to this game, fetched
from the solo server, and can be renamed and deleted. "How likely?" computes the odds of the
chosen path's decisions on a thread (`OddsJob`) and draws the ending distribution and the
decision that moved it most.
"""

from __future__ import annotations

import threading
from typing import Any

import pygame

from game.explore import comparison, comparison_rows
from server.protocol import BRANCH_NAME_MAX

from ..errand import Errand
from ..errors import HostingError
from ..explorer import ExplorerModel, OddsJob, family
from ..i18n import language, pick, tr, tr_within
from ..widgets.paths_timeline import PathsTimeline
from .base import Scene
from .explorer_detail import ExplorerDetail

LEVELS = ("easy", "normal", "hard", "historical")


def share_width(needs: list[int], room: int) -> list[int]:
    """Widths for a row of buttons that need ``needs`` pixels each, in ``room`` pixels: what is left
    over is shared in proportion to the needs; when they do not all fit, only the widest are made
    narrower (all to one width), so the short labels stay whole.

    >>> share_width([100, 300], 800)
    [200, 600]
    >>> share_width([100, 500, 200], 600)
    [100, 300, 200]
    """
    total = sum(needs)
    if total <= room:
        return [n + (room - total) * n // total for n in needs]
    ordered, cap = sorted(needs), room / len(needs)
    for k, n in enumerate(ordered):   # the narrowest whole, the rest share what is left
        cap = (room - sum(ordered[:k])) / (len(needs) - k)
        if n >= cap:
            break
    return [min(n, int(cap)) for n in needs]


class ExplorerScene(ExplorerDetail, Scene):
    odds_draws = 2000       # tests lower these to keep the suite quick
    odds_alt_draws = 100
    launched = False        # "play from here" started a branch: its game screen takes over once it starts

    @property
    def follows_session(self) -> bool:
        sess = self.app.session
        return bool(self.launched and sess is not None and getattr(sess, "solo", False) and sess.started)

    def __init__(self, app: Any, export: dict[str, Any], scenario: Any) -> None:
        super().__init__(app)
        self.export, self.scenario = export, scenario
        self.branches: list[tuple[Any, dict[str, Any]]] = []
        self.model = self._model()
        self.selected: tuple[str, int] | None = ("game", self.model.game.turns[0].turn) if self.model.game.turns \
            else None
        config = (export.get("session") or {}).get("config") or {}
        teams = list(scenario.team_ids)
        mine = config.get("player_team")
        self.team = mine if mine in teams else teams[0]
        self.level = "normal"
        self.showing_odds = False
        self.odds: dict[str, OddsJob] = {}
        self.errands: list[Errand] = []
        self.deleting: list[Any] = []  # LessonErrands deleting branches
        self.renaming = False
        self.confirm_delete = False
        self.name_entry: Any = None
        self.timeline = PathsTimeline(app.text, app.palette, pygame.Rect((0, 0), (10, 10)), app.scale)
        self.exported: str | None = None
        self._fetch_branches()

    # -- data ----------------------------------------------------------------------------
    def _labels(self) -> dict[str, str]:
        return {"history": tr("explorer.history"), "game": tr("explorer.our_game")}

    def _model(self) -> ExplorerModel:
        return ExplorerModel(self.export, self.scenario, self.branches, self._labels())

    def _solo(self) -> Any:
        return getattr(self.app, "solo", None)

    def _fetch_branches(self) -> None:
        """Ask the solo server for the export of every saved branch of this game (and of its branches)."""
        solo = self._solo()
        if solo is None:
            return
        games = family(list(solo.book.games), self.model.code)
        if not games:
            return
        try:
            address = solo.factory.host()
            for g in games:
                self.errands.append(Errand(solo.factory(address, None), "saved_export", g, token=g.host_token))
        except HostingError as e:
            self.message = tr("host.server_failed", error=str(e))

    def update(self, dt: float) -> None:
        if self.errands and all([e.poll() for e in self.errands]):  # a list: poll every one each frame
            done, self.errands = self.errands, []
            self._errands_done(done)
        for errand in list(self.deleting):
            if errand.poll():
                self.deleting.remove(errand)
                self.message = tr("saved.failed", error=errand.error) if errand.error else \
                    tr("explorer.deleted", code=errand.seat.code)
                self.dirty = True
        for job in self.odds.values():
            if not job.done or job.progress < 1.0:
                self.dirty = True

    def _errands_done(self, done: list[Errand]) -> None:
        fetched = [(e.what, e.reply.get("data")) for e in done if e.kind == "saved_export" and e.reply]
        renamed = [e for e in done if e.kind == "rename_branch"]
        if fetched:
            order = [g.code for g in family(list(self._solo().book.games), self.model.code)]
            keep = {saved.code: (saved, data) for saved, data in self.branches}
            keep.update({saved.code: (saved, data) for saved, data in fetched if isinstance(data, dict)})
            self.branches = [keep[c] for c in order if c in keep]
        for e in renamed:
            if e.error:
                self.message = tr("saved.failed", error=e.error)
            else:
                self._solo().book.update(e.what.code, name=e.reply.get("name", ""))
                for _saved, data in self.branches:
                    if (data.get("session") or {}).get("code") == e.what.code:
                        data["session"].setdefault("config", {})["branch_name"] = e.reply.get("name")
        errors = [e.error for e in done if e.error and e.kind == "saved_export"]
        if errors:
            self.message = tr("saved.failed", error=errors[0])
        self.model = self._model()
        self.rebuild()

    # -- selection -----------------------------------------------------------------------
    def select(self, lane: str, turn: int) -> bool:
        """Choose `lane`'s `turn` (what clicking its cell does); False if that path has no such turn."""
        chosen = self.model.lane(lane)
        if chosen is None or chosen.path.turn(turn) is None:
            return False
        self.selected = (lane, turn)
        self.renaming = self.confirm_delete = False
        self.rebuild()
        return True

    def selected_lane(self) -> Any:
        return self.model.lane(self.selected[0]) if self.selected else None

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = self.timeline.cell_at(event.pos)
            if hit is not None:
                return self.select(*hit)
        return super().process_event(event)

    # -- buttons -------------------------------------------------------------------------
    def build(self) -> None:
        w, h = self.app.size
        y, bh, gap = h - self.px(66), self.px(50), self.px(10)
        x = self.px(20)
        lane = self.selected_lane()
        if self.renaming:
            self.name_entry = self.entry((x, y, w // 2, bh), lane.label if lane else "", tr("explorer.name_hint"))
            self.button("rename_save", tr("explorer.rename_save"), (x + w // 2 + gap, y, self.px(170), bh))
            self.button("rename_cancel", tr("saved.cancel"), (x + w // 2 + 2 * gap + self.px(170), y, self.px(150), bh))
            self.focus_index = self.focusables.index(self.name_entry) - 1
            self.move_focus(1)
            return
        if self.confirm_delete and lane is not None:
            self.button("delete_yes", tr("saved.delete_yes"), (w - self.px(420), y, self.px(200), bh))
            self.button("delete_cancel", tr("saved.cancel"), (w - self.px(210), y, self.px(190), bh))
            self.focus_index = self.focusables.index(self.actions["delete_cancel"]) - 1
            self.move_focus(1)
            return
        names = [("back", tr("common.back")),
                 ("team", tr("explorer.side", team=pick(self.scenario.teams[self.team].name))),
                 ("level", tr("explorer.level", level=tr(f"explorer.level_{self.level}"))),
                 ("play", tr("explorer.play")),
                 ("odds", tr("explorer.turns") if self.showing_odds else tr("explorer.odds"))]
        room = w - 2 * x - gap * (len(names) - 1)
        widths = share_width([max(self.px(100), self.button_width(text)) for _, text in names], room)
        for (action, text), bw in zip(names, widths, strict=True):
            self.button(action, text, (x, y, bw, bh), enabled=action != "play" or self.selected is not None)
            x += bw + gap
        if lane is not None and lane.saved is not None and not self.showing_odds:
            top = self.detail_rect().top
            bw = self.px(150)
            self.button("rename", tr("explorer.rename"), (w - self.px(20) - 2 * bw - gap, top + self.px(6),
                                                          bw, self.px(36)), "#small_button")
            self.button("delete", tr("saved.delete"), (w - self.px(20) - bw, top + self.px(6), bw, self.px(36)),
                        "#small_button")
        self.button("export", tr("explorer.export"), (w - self.px(20) - self.px(170), self.px(72), self.px(170),
                                                      self.px(34)), "#small_button")
        self.move_focus(1)

    def rebuild(self) -> None:
        self.clear()
        self.build()
        self.dirty = True

    def on_action(self, action: str) -> None:
        lane = self.selected_lane()
        if action == "back":
            self.app.scenes.pop()
            return
        if action == "team":
            teams = list(self.scenario.team_ids)
            self.team = teams[(teams.index(self.team) + 1) % len(teams)]
        elif action == "level":
            self.level = LEVELS[(LEVELS.index(self.level) + 1) % len(LEVELS)]
        elif action == "odds":
            self.showing_odds = not self.showing_odds
            if self.showing_odds:
                self.start_odds()
        elif action == "play" and lane is not None and self.selected is not None:
            self.play_from(lane.key, self.selected[1])
            return
        elif action == "rename" and lane is not None and lane.saved is not None:
            self.renaming = True
        elif action == "rename_cancel":
            self.renaming = False
        elif action == "rename_save" and lane is not None and lane.saved is not None:
            self.rename(lane.saved, self.name_entry.get_text() if self.name_entry else "")
            self.renaming = False
        elif action == "delete" and lane is not None and lane.saved is not None:
            self.confirm_delete = True
        elif action == "delete_cancel":
            self.confirm_delete = False
        elif action == "delete_yes" and lane is not None and lane.saved is not None:
            self.delete(lane.saved)
            self.confirm_delete = False
        elif action == "export":
            self.export_comparison()
        self.rebuild()

    def play_from(self, lane_key: str, turn: int) -> None:
        """Start a solo game branching `lane_key`'s path at `turn`'s briefing, as `self.team`."""
        lane = self.model.lane(lane_key)
        solo = self._solo()
        if lane is None or solo is None:
            return
        options = self.model.branch_options(lane, turn, self.team, self.level, language())
        # the default name fits the protocol's limit (the server refuses a longer one): a long team is cut with "…"
        options.branch_name = tr_within("explorer.branch_name", BRANCH_NAME_MAX, "team", turn=turn,
                                        team=pick(self.scenario.teams[self.team].name))
        try:
            solo.start(options)
            self.launched = True
        except HostingError as e:
            self.message = tr("host.server_failed", error=str(e))
            self.rebuild()

    def rename(self, saved: Any, name: str) -> None:
        name = name.strip()
        solo = self._solo()
        if not name or solo is None:
            return
        address = solo.factory.host()
        self.errands.append(Errand(solo.factory(address, None), "rename_branch", saved, token=saved.host_token,
                                   name=name))

    def delete(self, saved: Any) -> None:
        """Delete a branch from the solo server and the list (its own branches stay, under its parent)."""
        solo = self._solo()
        if solo is None:
            return
        try:
            self.deleting.append(solo.delete(saved))
        except HostingError as e:
            self.message = tr("host.server_failed", error=str(e))
            return
        for child in solo.book.games:
            if getattr(child, "parent", "") == saved.code:
                solo.book.update(child.code, parent=saved.parent)  # keep them in this game's tree
        self.branches = [(s, d) for s, d in self.branches if s.code != saved.code]
        self.model = self._model()
        self.selected = ("game", self.selected[1]) if self.selected else None
        if self.selected and self.model.game.turn(self.selected[1]) is None:
            self.selected = None

    # -- odds ----------------------------------------------------------------------------
    def odds_path(self) -> Any:
        lane = self.selected_lane()
        return (lane or self.model.lane("game")).path  # type: ignore[union-attr]

    def start_odds(self) -> OddsJob:
        """Compute (once per path) the odds of the chosen path's decisions, on a thread."""
        path = self.odds_path()
        key = path.code or path.kind
        job = self.odds.get(key)
        if job is None or job.error:
            job = self.odds[key] = OddsJob(self.scenario, path, draws=self.odds_draws,
                                           alt_draws=self.odds_alt_draws)
        return job

    def current_odds(self) -> OddsJob | None:
        path = self.odds_path()
        return self.odds.get(path.code or path.kind)

    # -- export --------------------------------------------------------------------------
    def export_comparison(self) -> None:
        from ..exporter import export_stem

        paths = [lane.path for lane in self.model.lanes]
        job = self.current_odds()
        data = comparison(self.scenario, paths, job.result if job and job.result else None)
        rows = comparison_rows(self.scenario, paths)
        folder, stem = export_stem(f"{self.model.code or 'game'}-whatif")

        def write() -> None:
            from game.report.files import write_comparison

            try:
                self.exported = str(write_comparison(folder, stem, data, rows)["json"])
                self.app.notify(tr("explorer.exported", path=self.exported), 15)
            except OSError as exc:
                self.app.notify(tr("export.failed", error=str(exc)), 15, error=True)

        threading.Thread(target=write, name="whatif-export", daemon=True).start()

    # -- drawing -------------------------------------------------------------------------
    def widgets(self) -> list[Any]:
        return [self.timeline]

    def grid_rect(self) -> pygame.Rect:
        w, h = self.app.size
        top = self.px(112)
        height = min(self.timeline.height_for(len(self.model.lanes)) + self.px(6), (h - top) // 2)
        return pygame.Rect(self.px(20), top, w - self.px(40), height)

    def detail_rect(self) -> pygame.Rect:
        w, h = self.app.size
        g = self.grid_rect()
        top = g.bottom + self.px(26)
        return pygame.Rect(self.px(20), top, w - self.px(40), h - top - self.px(78))

    def draw_scene(self, surface: pygame.Surface) -> None:
        pal, p = self.app.palette, self.painter
        self.draw_header(surface, tr("explorer.title"), pick(self.scenario.title))
        w = surface.get_width()
        sub = tr("explorer.subtitle", code=self.model.code or "—")
        if self.errands:
            sub += " · " + tr("explorer.loading")
        p.text(surface, sub, (self.px(20), self.px(78)), 15, pal.muted)
        self.timeline.rect = self.grid_rect()
        self.timeline.palette = pal
        turns = [{"turn": t.number, "date": t.date} for t in self.scenario.turns]
        self.timeline.draw(surface, self.model.lanes, turns, self.selected, self._ending_cell,
                           {"path": tr("explorer.path"), "ending": tr("explorer.ending")})
        legend_y = self.timeline.rect.bottom + self.px(4)
        self._legend(surface, legend_y)
        if self.showing_odds:
            self._draw_odds(surface, self.detail_rect())
        else:
            self._draw_turn(surface, self.detail_rect())
        if self.message:
            p.text(surface, self.message, (w // 2, self.app.size[1] - self.px(72)), 14, pal.accent, "bold",
                   anchor="midbottom")

    def _legend(self, surface: pygame.Surface, y: int) -> None:
        pal, p = self.app.palette, self.painter
        x = self.px(24)
        for colour, text, hollow in ((pal.good, tr("explorer.legend_history"), False),
                                     (pal.bad, tr("explorer.legend_off"), False),
                                     (pal.good, tr("explorer.legend_shared"), True)):
            pygame.draw.circle(surface, colour, (x + self.px(6), y + self.px(9)), self.px(6),
                               max(2, self.px(2)) if hollow else 0)
            r = p.text(surface, text, (x + self.px(16), y + self.px(1)), 13, pal.muted)
            x = r.right + self.px(18)
        pygame.draw.circle(surface, pal.ink, (x + self.px(6), y + self.px(9)), self.px(9), max(2, self.px(2)))
        r = p.text(surface, tr("explorer.legend_leaves"), (x + self.px(20), y + self.px(1)), 13, pal.muted)
        x = r.right + self.px(18)
        d = self.px(6)
        cx, cy = x + d, y + self.px(9)
        pygame.draw.polygon(surface, pal.accent, [(cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)])
        p.text(surface, tr("explorer.legend_branch"), (x + self.px(18), y + self.px(1)), 13, pal.muted)

    def _ending_cell(self, ending: str | None, early: bool) -> tuple[str, bool | None]:
        e = self.scenario.endings.get(ending) if ending is not None else None
        return self._ending_short(ending, early), (e.historical if e is not None else None)

    def _ending_short(self, ending: str | None, early: bool) -> str:
        """The ending's title without its "Alternative history:" label (the dot beside it says so)."""
        if ending is None:
            return tr("explorer.ended_early") if early else "…"
        e = self.scenario.endings.get(ending)
        if e is None:
            return ending
        title = pick(e.title)
        head, sep, rest = title.partition(": ")
        return rest[:1].upper() + rest[1:] if sep and not e.historical and len(head) < 30 else title

    def _name(self, decider: str) -> str:
        sc = self.scenario
        if decider in sc.teams:
            return pick(sc.teams[decider].name)
        if decider in sc.blocs:
            return pick(sc.blocs[decider].name)
        return decider

    def close(self) -> None:
        for job in self.odds.values():
            job.cancel()
        super().close()


def open_explorer(app: Any, export: dict[str, Any] | None) -> str | None:
    """Push the explorer for `export` (a lesson's or a solo game's export); the reason if it cannot."""
    from ..exporter import scenario_for

    session = (export or {}).get("session") if isinstance(export, dict) else None
    if not isinstance(session, dict) or not isinstance((export or {}).get("log"), list):
        return tr("explorer.not_a_game")
    scenario = scenario_for(str(session.get("scenario", "")), app.lessons.scenario_files)
    if scenario is None:
        return tr("replay.no_scenario", id=session.get("scenario", "?"))
    digest = session.get("scenario_digest")
    if digest and digest != scenario.digest:
        return tr("explorer.other_version", id=scenario.id)
    try:
        app.scenes.push(ExplorerScene(app, export, scenario))  # type: ignore[arg-type]
    except Exception as exc:  # a log that does not replay on this scenario: say so, stay where we are
        return tr("saved.failed", error=str(exc))
    return None


def run_explorer(path: str, lang: str | None = None) -> int:
    """`crossroads explore FILE`: the game window on the explorer of an exported lesson file (JSON)."""
    import json
    import os
    import sys

    from ..app import App
    from ..scenes.menu import MenuScene
    from ..settings import Settings

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        print(f"crossroads explore: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
    settings = Settings.load()
    if lang:
        settings.language = lang
    app = App(settings)
    app.scenes.push(MenuScene(app))
    why = open_explorer(app, data.get("data", data) if isinstance(data, dict) else None)
    if why is not None:
        print(f"crossroads explore: {why}", file=sys.stderr)
        app.shutdown()
        return 2
    app.run()
    return 0
