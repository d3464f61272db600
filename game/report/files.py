"""Writing a report to a folder, and reading what it needs from the project's files.

The only I/O of ``game.report``: ``write_report(folder, stem, export, scenario)`` writes
``<stem>.html``, ``<stem>.csv`` and ``<stem>.json`` (each via a temporary file, so a reader
never sees half a report) and returns their paths. ``guide_for(scenario_id)`` and
``region_names()`` read the teacher's guide (docs/history/<id>.md, for the discussion
questions) and the map's region names, when this checkout has them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from game.engine import Scenario

from .html import render_html
from .model import build_report
from .questions import Questions, guide_questions
from .tables import render_csv, render_json

ROOT = Path(__file__).resolve().parents[2]  # the checkout: docs/ and assets/ beside game/


def guide_for(scenario_id: str, lang: str) -> Questions:
    """The questions of docs/history/<id>.md in ``lang``; empty (naming the file) if it is missing."""
    rel = f"docs/history/{scenario_id}.md"
    try:
        text = (ROOT / rel).read_text(encoding="utf-8")
    except OSError:
        return Questions(source=rel)
    return guide_questions(text, lang, rel)


def region_names() -> dict[str, dict[str, str]]:
    """Region id -> {pl, en} from assets/map/regions.yaml ({} if it cannot be read)."""
    try:
        data = yaml.safe_load((ROOT / "assets" / "map" / "regions.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    rows = data.get("regions") if isinstance(data, dict) else None
    return {str(r["id"]): {"pl": str(r.get("pl", r["id"])), "en": str(r.get("en", r["id"]))}
            for r in rows or [] if isinstance(r, dict) and "id" in r}


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding=encoding)
    tmp.replace(path)


def write_report(folder: str | Path, stem: str, export: dict[str, Any], scenario: Scenario,
                 lang: str | None = None) -> dict[str, Path]:
    """Write the HTML report, the votes CSV and the JSON export; returns {"html", "csv", "json"} paths.

    Raises ``ReportError`` if the export does not replay against ``scenario`` (the JSON is
    written first, so the raw export is never lost) and ``OSError`` if the folder is not writable.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {kind: folder / f"{stem}.{kind}" for kind in ("json", "html", "csv")}
    _write(paths["json"], render_json(export))
    lang = lang or (export.get("session", {}).get("config") or {}).get("lang") or "pl"
    report = build_report(export, scenario, lang, questions=guide_for(scenario.id, lang), region_names=region_names())
    _write(paths["html"], render_html(report))
    _write(paths["csv"], render_csv(report), encoding="utf-8-sig")
    return paths


def write_comparison(folder: str | Path, stem: str, data: dict[str, Any], rows: list[list[str]]) -> dict[str, Path]:
    """The what-if comparison on its own: ``<stem>.json`` (``game.explore.compare.comparison``) and
    ``<stem>.csv`` (``comparison_rows``: one row per path, turn, card and decider). Returns the paths."""
    import csv
    import io
    import json

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"json": folder / f"{stem}.json", "csv": folder / f"{stem}.csv"}
    _write(paths["json"], json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    _write(paths["csv"], out.getvalue(), encoding="utf-8-sig")
    return paths
