"""Regenerate docs/screenshots/explorer-{pl,en}.png (the timeline with two branches) and
odds-{pl,en}.png (the odds panel), headless (SDL's dummy driver), at 1280x720 and, with
``--small``, 1024x600 too (saved as explorer-<lang>-1024.png, odds-<lang>-1024.png), with
``--large``, 1920x1080 too (explorer-<lang>-1920.png, odds-<lang>-1920.png).

    .venv/bin/python tools/explorer_shots.py [--small] [--large] [--out DIR]

A finished brest-1918 lesson (players voting, seeded) is opened as an exported file; two branches
are played from it through the explorer's "play from this turn" on an in-process solo server
(the second a branch of the first), then the explorer is drawn and saved.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ["CROSSROADS_CONFIG_DIR"] = tempfile.mkdtemp(prefix="crossroads-shots-")

import pygame  # noqa: E402

from game.client.app import App  # noqa: E402
from game.client.i18n import tr_within  # noqa: E402
from game.client.scenes.explorer import ExplorerScene, open_explorer  # noqa: E402
from game.client.scenes.menu import MenuScene  # noqa: E402
from game.client.settings import Settings  # noqa: E402
from game.client.solo_book import SoloBook  # noqa: E402
from game.client.transport import InProcessFactory, LocalServer  # noqa: E402
from game.scenarios import builtin_scenario  # noqa: E402
from game.wire import Phase  # noqa: E402
from server.protocol import BRANCH_NAME_MAX  # noqa: E402
from tests.client.helpers import pump, scene_name  # noqa: E402
from tests.client.test_solo import TURN_SECONDS, vote_own_cards  # noqa: E402
from tests.explore.conftest import class_game  # noqa: E402


def lesson_export() -> dict:
    sc = builtin_scenario("brest-1918")
    state = class_game(sc, 23)  # a lesson whose decisions leave three endings open to chance
    return {"session": {"code": "K7QXPM", "scenario": sc.id, "seed": state.seed, "scenario_digest": sc.digest,
                        "config": {"lang": "pl"}, "status": "ended"},
            "log": [d.to_wire() for d in state.log]}


def explorer(app: App, export: dict) -> ExplorerScene:
    assert open_explorer(app, export) is None
    scene = app.scenes.top
    assert isinstance(scene, ExplorerScene)
    pump([app], lambda: not scene.errands, 15, "the branches")
    return scene


def branch(app: App, scene: ExplorerScene, lane: str, turn: int, team: str, turns: int) -> str:
    """Play a branch from `lane`'s `turn` as `team` for `turns` turns; returns its code."""
    while scene.team != team:
        scene.press("team")
    scene.select(lane, turn)
    scene.press("play")
    for n in range(turns):
        pump([app], lambda: scene_name(app) == "GameScene" and app.session.phase == Phase.DELIBERATION, 30, "a vote")
        vote_own_cards(app)
        pump([app], lambda: scene_name(app) == "OutcomeScene", TURN_SECONDS, "the outcome")
        if n < turns - 1:
            pump([app], lambda: app.solo.can_advance() and "advance" in app.scenes.top.actions, 5, "Continue")
            app.scenes.top.press("advance")
            pump([app], lambda: scene_name(app) != "OutcomeScene", TURN_SECONDS, "the next turn")
    code = app.session.code
    app.leave_to_menu()
    app.step()
    return code


def shoot(app: App, path: Path) -> None:
    for _ in range(3):
        app.scenes.top.dirty = True
        app.step()
    pygame.image.save(app.screen, str(path))
    print(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="also 1024x600")
    parser.add_argument("--large", action="store_true", help="also 1920x1080")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pygame.init()
    pygame.display.set_mode((1, 1))
    work = Path(tempfile.mkdtemp(prefix="crossroads-explorer-"))
    export = lesson_export()
    sizes = [(1280, 720)] + ([(1024, 600)] if args.small else []) + ([(1920, 1080)] if args.large else [])
    book = work / "solo.json"
    made: list[str] = []
    for lang in ("pl", "en"):
        for size in sizes:
            factory = InProcessFactory(LocalServer(db=str(work / "solo.sqlite3")))  # the same database each time
            app = App(Settings(language=lang), size=size, headless=True, save_settings=False, solo_factory=factory)
            app.solo.book = SoloBook(book)
            app.scenes.push(MenuScene(app))
            app.step()
            scene = explorer(app, export)
            if not made:  # two branches, once: the second grows from the first
                first = branch(app, scene, "game", 3, "lenin", 2)
                scene = explorer(app, export)
                second = branch(app, scene, first, 4, "central", 2)
                made = [first, second]
                scene = explorer(app, export)
            # named in this shot's language: the first renamed by the player, the second as "play from
            # here" names it (renamed on the solo server, as the player would)
            central = scene.scenario.teams["central"].name[lang]
            names = {made[0]: "Armia od razu" if lang == "pl" else "An army at once",
                     made[1]: tr_within("explorer.branch_name", BRANCH_NAME_MAX, "team", turn=4, team=central)}
            for code, name in names.items():
                if scene.model.lane(code).label != name:
                    scene.select(code, 4)
                    scene.press("rename")
                    scene.name_entry.set_text(name)
                    scene.press("rename_save")
                    pump([app], lambda scene=scene: not scene.errands, 10, "the rename")
            scene = explorer(app, export)
            assert [scene.model.lane(code).label for code in made] == list(names.values())
            suffix = "" if size == (1280, 720) else f"-{size[0]}"
            scene.select(made[0], 4)
            shoot(app, out / f"explorer-{lang}{suffix}.png")
            scene.odds_draws, scene.odds_alt_draws = 2000, 60
            scene.select("game", 1)
            scene.press("odds")
            job = scene.current_odds()
            pump([app], lambda job=job: job is not None and job.done, 120, "the odds")
            shoot(app, out / f"odds-{lang}{suffix}.png")
            app.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
