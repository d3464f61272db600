"""``crossroads serve`` / ``python -m server``: run the classroom server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from game.wire import DEFAULT_PORT


def default_db_path() -> Path:
    """``<user data dir>/crossroads-1917/crossroads.sqlite3`` (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("crossroads-1917")) / "crossroads.sqlite3"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--host --port --db --no-announce`` to ``parser``."""
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all, 0.0.0.0)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT}; 0: any free)")
    parser.add_argument("--db", default=None, help=f"SQLite file for saved sessions (default {default_db_path()})")
    parser.add_argument("--no-announce", action="store_true", help="do not announce the server on the LAN (mDNS)")
    parser.add_argument("--scenario", action="append", default=[], metavar="FILE",
                        help="also offer this scenario file (repeatable), e.g. one a teacher wrote")
    parser.add_argument("--log-level", default="INFO", help=argparse.SUPPRESS)


def run_serve(args: argparse.Namespace) -> int:
    """Run the server with parsed arguments until SIGINT/SIGTERM; returns the exit status."""
    logging.basicConfig(level=getattr(args, "log_level", "INFO"), format="%(asctime)s %(levelname)s %(message)s")
    # websockets logs every connection opening and closing at INFO: 3,000 lines per class change, no use
    # to a teacher. Its warnings and errors still show.
    logging.getLogger("websockets").setLevel(max(logging.WARNING, logging.getLogger().level))
    return serve(args.host, args.port, args.db, announce=not getattr(args, "no_announce", False),
                 scenario_files=getattr(args, "scenario", []))


def serve(
    host: str = "0.0.0.0",
    port: int = DEFAULT_PORT,
    db: str | Path | None = None,
    *,
    announce: bool = True,
    scenario_files: list[str] | None = None,
) -> int:
    """Run the server (blocking) until SIGINT/SIGTERM."""
    from server.app import run, scenario_loader

    path = str(db) if db is not None else str(default_db_path())
    try:
        loader = scenario_loader(scenario_files or [])
    except Exception as exc:
        print(f"crossroads: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(run(host, port, path, announce=announce, scenarios=loader))
    except OSError as exc:
        print(f"crossroads: cannot serve on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description="Crossroads 1917-1922 classroom server")
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))
