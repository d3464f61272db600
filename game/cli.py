"""The `crossroads` command: the main menu by default, plus subcommands.

    crossroads [--lang pl|en] [--scale S] [--fullscreen] [--join ADDRESS]
                                    open the game (main menu)
    crossroads solo [--scenario ID] [--team ID] [--lang pl|en] [--level LEVEL] [--timer SECONDS]
                                    play alone against bots (the solo setup screen, these preselected)
    crossroads explore FILE [--lang pl|en]
                                    the what-if explorer of an exported lesson (its .json file)
    crossroads serve                run a headless classroom server
    crossroads validate [PATH...]   check scenario files (file:line: what is wrong)
    crossroads simulate SCENARIO    play random games headless and print statistics
    crossroads balance [--write]    the balance tables of docs/balance.md (random games, fixed seeds)
    crossroads schema               print the scenario JSON Schema
    crossroads check-sources [PATH...]
                                    check every citation against the source text
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _scenario(arg: str):
    from game.scenarios import builtin_scenario, load_scenario

    if Path(arg).exists():
        return load_scenario(arg)
    return builtin_scenario(arg)


def cmd_validate(args: argparse.Namespace) -> int:
    from game.scenarios import builtin_dir, validate_paths

    paths = args.paths or [builtin_dir()]
    problems = validate_paths(paths)
    campaigns: list[Path] = []
    if not args.paths:  # the shipped campaigns too (scenarios/campaigns/*.yaml)
        from game.campaign import check_file as check_campaign
        from game.campaign.load import builtin_dir as campaign_dir

        campaigns = sorted(campaign_dir().glob("*.yaml"))
        for f in campaigns:
            problems.extend(check_campaign(f)[0])
    for p in problems:
        print(p)
    errors = [p for p in problems if p.is_error]
    warnings = len(problems) - len(errors)
    if errors:
        print(f"{len(errors)} problem(s) found" + (f" and {warnings} warning(s)." if warnings else "."), file=sys.stderr)
        return 1
    files = [f for p in map(Path, paths) for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    print(f"OK: {len(files)} scenario file(s)" + (f" and {len(campaigns)} campaign(s)" if campaigns else "")
          + " valid" + (f" ({warnings} warning(s))." if warnings else "."))
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    import random

    from game.bots.simulate import format_summary, simulate
    from game.engine import ScenarioError

    try:
        scenario = _scenario(args.scenario)
    except ScenarioError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return 1
    summary = simulate(scenario, args.games, random.Random(args.seed), args.seed)
    print(format_summary(scenario, summary, args.lang))
    return 0


BALANCE_DOC = Path("docs/balance.md")
BALANCE_NOTES = Path("docs/balance-notes.yaml")


def cmd_balance(args: argparse.Namespace) -> int:
    import yaml

    from game.bots.balance import balance_document, bots_section, measure
    from game.scenarios import builtin_scenario_ids

    ids = args.scenarios or builtin_scenario_ids()
    if args.write and set(ids) != set(builtin_scenario_ids()):
        # the file holds every shipped scenario; writing a few would drop the others' tables
        print("crossroads balance: --write rewrites the whole of docs/balance.md, so it measures every shipped "
              "scenario: leave out the scenario ids (name them without --write to print their tables)", file=sys.stderr)
        return 2
    notes = yaml.safe_load(BALANCE_NOTES.read_text(encoding="utf-8")) if BALANCE_NOTES.exists() else {}
    balances = [measure(_scenario(i), args.games, args.seed) for i in ids]
    command = f"crossroads balance --games {args.games} --seed {args.seed} --write"
    kept = bots_section(BALANCE_DOC.read_text(encoding="utf-8")) if BALANCE_DOC.exists() else None
    text = balance_document(balances, notes or {}, command, kept)  # bench/bots.py's figures stay
    if args.write:
        BALANCE_DOC.write_text(text, encoding="utf-8")
        print(f"wrote {BALANCE_DOC} ({len(balances)} scenario(s), {args.games} games each)")
    else:
        sys.stdout.write(text)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from game.scenarios.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def cmd_check_sources(args: argparse.Namespace) -> int:
    from game.scenarios import builtin_dir
    from game.scenarios.grounding import check_paths, format_report

    report = check_paths(args.paths or [builtin_dir()])
    print(format_report(report, uncited=args.uncited))
    return 0 if report.ok else 1


def cmd_solo(args: argparse.Namespace) -> int:
    """Open the game on the solo setup screen with the scenario, side, level and timer preselected;
    an unknown scenario or side is refused with the ones there are."""
    from game.scenarios import builtin_scenario, builtin_scenario_ids

    if args.scenario is not None and args.scenario not in builtin_scenario_ids():
        print(f"crossroads solo: no scenario {args.scenario!r}; there are: {', '.join(builtin_scenario_ids())}",
              file=sys.stderr)
        return 2
    if args.team is not None:
        sid = args.scenario or builtin_scenario_ids()[0]
        teams = list(builtin_scenario(sid).team_ids)
        if args.team not in teams:
            print(f"crossroads solo: {sid} has no side {args.team!r}; its sides are: {', '.join(teams)}",
                  file=sys.stderr)
            return 2
    if args.timer is not None and not 10 <= args.timer <= 3600:
        print("crossroads solo: --timer takes 10 to 3600 seconds (leave it out for no timer)", file=sys.stderr)
        return 2

    def run() -> int:
        from game.client.solo import run_solo

        return run_solo(scenario=args.scenario, team=args.team, lang=args.lang, level=args.level, timer=args.timer)

    return _open_window(run)


def cmd_explore(args: argparse.Namespace) -> int:
    """Open the game on the what-if explorer of an exported lesson file (the .json beside its report)."""
    if not os.path.isfile(args.file):
        print(f"crossroads explore: no file {args.file!r}", file=sys.stderr)
        return 2

    def run() -> int:
        from game.client.scenes.explorer import run_explorer

        return run_explorer(args.file, args.lang)

    return _open_window(run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crossroads",
        description="Crossroads 1917-1922 / Rozdroża 1917-1922",
        epilog="With no command, `crossroads` opens the game: --lang pl|en, --scale 1..2, --fullscreen, "
        "--join ADDRESS.",
    )
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("paths", nargs="*", help="scenario files or folders (default: the shipped scenarios)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("simulate", help="play random games headless and print statistics")
    p.add_argument("scenario", help="a scenario id (e.g. brest-1918) or a file")
    p.add_argument("--games", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lang", choices=["pl", "en"], default="en")
    p.set_defaults(func=cmd_simulate)
    p = sub.add_parser("balance", help="balance tables from random games with fixed seeds (docs/balance.md)")
    p.add_argument("scenarios", nargs="*", help="scenario ids or files (default: every shipped scenario)")
    p.add_argument("--games", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--write", action="store_true", help=f"write {BALANCE_DOC} (run from the repository's root)")
    p.set_defaults(func=cmd_balance)
    p = sub.add_parser("solo", help="play alone against bots (no network)")
    p.add_argument("--scenario", help="a scenario id (e.g. brest-1918)")
    p.add_argument("--team", help="the side to play (a team id of the scenario, e.g. lenin)")
    p.add_argument("--lang", choices=["pl", "en"])
    p.add_argument("--level", choices=["easy", "normal", "hard", "historical"], default="normal",
                   help="the bots' level (default normal)")
    p.add_argument("--timer", type=int, metavar="SECONDS", help="seconds for each vote (default: no timer)")
    p.set_defaults(func=cmd_solo)
    p = sub.add_parser("explore", help="the what-if explorer of an exported lesson file (.json)")
    p.add_argument("file", help="the lesson's exported .json file")
    p.add_argument("--lang", choices=["pl", "en"])
    p.set_defaults(func=cmd_explore)
    p = sub.add_parser("schema", help="print the scenario JSON Schema")
    p.set_defaults(func=cmd_schema)
    p = sub.add_parser("check-sources", help="check every citation against the source text")
    p.add_argument("paths", nargs="*", help="scenario files or folders (default: the shipped scenarios)")
    p.add_argument("--uncited", action="store_true", help="also list the source sentences no citation touches")
    p.set_defaults(func=cmd_check_sources)
    try:
        from server.cli import add_serve_arguments, run_serve
    except ImportError:  # the server package is optional while it is being built
        pass
    else:
        p = sub.add_parser("serve", help="run a headless classroom server")
        add_serve_arguments(p)
        p.set_defaults(func=run_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner in a teacher's terminal
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    commands = {"validate", "simulate", "balance", "schema", "check-sources", "serve", "solo", "explore"}
    if argv and (argv[0] in commands or argv[0] in ("-h", "--help")):
        args = parser.parse_args(argv)
    else:  # no subcommand: the game window; its own options (--lang, --scale, --join …) go to the client
        args = argparse.Namespace(command=None)
    if args.command is None:
        def run() -> int:
            from game.client.app import run_client

            return run_client(argv)

        return _open_window(run)
    return args.func(args)


def _open_window(run) -> int:
    """Run `run` (which opens the game window), or say clearly that there is no screen to open it on."""
    try:
        import pygame

        import game.client.app  # noqa: F401
    except ImportError:
        print("The game window is not available yet; try `crossroads simulate brest-1918`.")
        return 1
    try:
        if "SDL_VIDEODRIVER" not in os.environ:  # not asked for on purpose (tests ask for "dummy")
            pygame.display.init()
            if pygame.display.get_driver() in ("offscreen", "dummy"):
                # SDL falls back to an invisible window: the game would run where nobody sees it
                raise pygame.error("no display found")
        return run()
    except pygame.error as exc:
        if any(w in str(exc).lower() for w in ("video", "window", "display")):
            print(
                "crossroads: no screen to open the game window on "
                f"({exc}).\nOn a computer without a screen run `crossroads serve` for a classroom server.",
                file=sys.stderr,
            )
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
