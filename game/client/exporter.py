"""Writing the host's lesson export (the server's `export` reply) as the teacher's report.

The reply arrives on the network thread's queue; `App` hands its `data` to `save_export`,
which writes, on a short-lived thread so the render loop never waits on the disk, into
`<documents>/Crossroads/`: `<code>-<YYYY-MM-DD-HHMM>.html` (the report, game.report),
`.csv` (every vote) and `.json` (the export as the server sent it). It calls back with the
report's path, or the JSON's when the report cannot be built (an unknown scenario file), or
the error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from platformdirs import user_documents_dir

from game.report import ReportError, render_json, write_report

FOLDER = "Crossroads"


def export_stem(code: str | None, when: datetime | None = None) -> tuple[Path, str]:
    """(`<documents>/Crossroads`, `<code>-<YYYY-MM-DD-HHMM>`), with `-2`, `-3`… if that name is taken."""
    when = when or datetime.now()
    folder = Path(user_documents_dir()) / FOLDER
    base = stem = f"{code or 'lesson'}-{when:%Y-%m-%d-%H%M}"
    n = 2
    while any((folder / f"{stem}.{ext}").exists() for ext in ("json", "html", "csv")):
        stem = f"{base}-{n}"
        n += 1
    return folder, stem


def scenario_for(scenario_id: str, files: Sequence[str]) -> Any:
    """The compiled scenario the lesson was played with: built in, or one of the server's files (None)."""
    from game.scenarios import builtin_scenario, builtin_scenario_ids, load_scenario

    if scenario_id in builtin_scenario_ids():
        return builtin_scenario(scenario_id)
    for path in files:
        try:
            sc = load_scenario(path)
        except Exception:  # a broken extra file: look at the next one
            continue
        if sc.id == scenario_id:
            return sc
    return None


def write_export(data: Any, code: str | None, when: datetime | None = None,
                 scenario_files: Sequence[str] = ()) -> Path:
    """Write the report (HTML, CSV) and the JSON; returns the HTML's path (the JSON's if no report)."""
    folder, stem = export_stem(code, when)
    session = data.get("session") if isinstance(data, dict) else None
    scenario = scenario_for(session.get("scenario", ""), scenario_files) if isinstance(session, dict) else None
    if scenario is not None:
        try:
            return write_report(folder, stem, data, scenario)["html"]
        except ReportError:
            pass  # the JSON is written first: keep it
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.json"
    if not path.exists():
        tmp = folder / f"{stem}.json.part"
        tmp.write_text(render_json(data), encoding="utf-8")
        tmp.replace(path)
    return path


def save_export(data: Any, code: str | None, done: Callable[[Path | None, str | None], None],
                scenario_files: Sequence[str] = ()) -> threading.Thread:
    """`write_export` on a background thread; `done(path, None)` or `done(None, error)` when finished."""

    def work() -> None:
        try:
            path = write_export(data, code, scenario_files=scenario_files)
        except (OSError, TypeError, ValueError) as e:
            done(None, str(e) or type(e).__name__)
        else:
            done(path, None)

    t = threading.Thread(target=work, name="crossroads-export", daemon=True)
    t.start()
    return t
