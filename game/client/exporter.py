"""Writing the host's lesson export (the server's `export` reply) to the teacher's documents folder.

The reply arrives on the network thread's queue; `App` hands its `data` to
`save_export`, which writes pretty UTF-8 JSON on a short-lived thread and
calls back with the path (or the error), so the render loop never waits on the disk.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from platformdirs import user_documents_dir

FOLDER = "Crossroads"


def export_path(code: str | None, when: datetime | None = None) -> Path:
    """`<documents>/Crossroads/<code>-<YYYY-MM-DD-HHMM>.json` (a free name: `-2`, `-3`… if taken)."""
    when = when or datetime.now()
    folder = Path(user_documents_dir()) / FOLDER
    stem = f"{code or 'lesson'}-{when:%Y-%m-%d-%H%M}"
    path = folder / f"{stem}.json"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.json"
        n += 1
    return path


def write_export(data: Any, code: str | None, when: datetime | None = None) -> Path:
    """Write `{"data": …}` as indented JSON (UTF-8, Polish letters kept); returns the path."""
    path = export_path(code, when)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"data": data}, ensure_ascii=False, indent=2, default=_plain)
    tmp = path.with_suffix(".json.part")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def save_export(data: Any, code: str | None, done: Callable[[Path | None, str | None], None]) -> threading.Thread:
    """`write_export` on a background thread; `done(path, None)` or `done(None, error)` when finished."""

    def work() -> None:
        try:
            path = write_export(data, code)
        except (OSError, TypeError, ValueError) as e:
            done(None, str(e) or type(e).__name__)
        else:
            done(path, None)

    t = threading.Thread(target=work, name="crossroads-export", daemon=True)
    t.start()
    return t


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)
