"""The client's exporter: the report and its CSV and JSON side by side, or the JSON alone when the
report cannot be built; never overwriting an earlier export."""

from __future__ import annotations

import copy
import json
from datetime import datetime

from game.client import exporter

WHEN = datetime(2026, 12, 1, 9, 45)


def test_the_report_csv_and_json_are_written_side_by_side_and_never_overwritten(export, tmp_path, monkeypatch):
    monkeypatch.setattr(exporter, "user_documents_dir", lambda: str(tmp_path))
    first = exporter.write_export(export, "ABC234", WHEN)
    assert first == tmp_path / "Crossroads" / "ABC234-2026-12-01-0945.html"
    assert {p.name for p in first.parent.iterdir()} == {f"ABC234-2026-12-01-0945.{e}" for e in ("html", "csv", "json")}
    again = exporter.write_export(export, "ABC234", WHEN)  # the same minute: a new name, the first kept
    assert again.name == "ABC234-2026-12-01-0945-2.html"
    assert json.loads(first.with_suffix(".json").read_text(encoding="utf-8"))["data"] == export


def test_an_export_of_a_scenario_this_computer_lacks_is_kept_as_json(export, tmp_path, monkeypatch):
    monkeypatch.setattr(exporter, "user_documents_dir", lambda: str(tmp_path))
    other = copy.deepcopy(export)
    other["session"]["scenario"] = "a-scenario-file-on-another-laptop"
    path = exporter.write_export(other, "ABC234", WHEN)
    assert path.suffix == ".json" and [p.name for p in path.parent.iterdir()] == [path.name]
    assert json.loads(path.read_text(encoding="utf-8"))["data"] == other
    broken = copy.deepcopy(export)
    broken["log"][3]["type"] = "no_such_decision"  # a report cannot be built: the JSON is still written
    path = exporter.write_export(broken, "XYZ567", WHEN)
    assert path.suffix == ".json" and json.loads(path.read_text(encoding="utf-8"))["data"] == broken
