"""A non-editable install must carry the scenarios, the map and the other assets."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_scenarios_assets_schema_and_source_text(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("crossroads_1917-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"game/scenarios/scenario.schema.json", "game/scenarios/source/rosja-1917-1924.pl.txt", "assets/map/regions.yaml", "game/cli.py", "server/__init__.py"}
    expected |= {f"scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml")}
    expected |= {str(p.relative_to(ROOT)) for p in (ROOT / "assets").rglob("*") if p.is_file() and p.suffix in {".json", ".png", ".ttf", ".yaml"}}
    assert expected <= names, sorted(expected - names)
    assert not any(n.startswith("tests/") for n in names)
