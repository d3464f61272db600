"""The `crossroads` command as a teacher types it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "engine" / "fixtures" / "mini.yaml"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True, text=True, env=environ,
                          timeout=60)


def test_game_options_go_to_the_game_and_no_screen_is_explained(tmp_path):
    done = run("--lang", "en", CROSSROADS_CONFIG_DIR=str(tmp_path))
    assert done.returncode == 2
    assert "no screen" in done.stderr and "crossroads serve" in done.stderr
    assert "invalid choice" not in done.stderr and "Traceback" not in done.stderr


def test_simulate_prints_endings_and_cards():
    done = run("simulate", str(FIXTURE), "--games", "50", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "mini: 50 games" in done.stdout and "Endings:" in done.stdout and "talks" in done.stdout


def test_help_names_the_commands_and_the_game_options():
    done = run("--help")
    assert done.returncode == 0
    for word in ("validate", "simulate", "schema", "check-sources", "serve", "--lang"):
        assert word in done.stdout


def test_simulate_is_the_same_for_the_same_seed_and_differs_for_another():
    first, again, other = (run("simulate", str(FIXTURE), "--games", "40", "--seed", s) for s in ("5", "5", "6"))
    assert first.returncode == again.returncode == other.returncode == 0
    assert first.stdout == again.stdout and first.stdout != other.stdout
    assert "Core cards" in first.stdout


def test_validate_and_check_sources_exit_0_on_the_shipped_scenarios():
    done = run("validate")
    assert done.returncode == 0 and "OK:" in done.stdout, done.stdout + done.stderr
    done = run("check-sources")
    assert done.returncode == 0 and "0 invalid" in done.stdout, done.stdout


def test_balance_will_not_write_a_few_scenarios_over_the_whole_file(tmp_path):
    """docs/balance.md holds every scenario's tables: writing one scenario's would drop the rest, so it is refused."""
    (tmp_path / "docs").mkdir()
    document = tmp_path / "docs" / "balance.md"
    document.write_text("every scenario's tables\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "game.cli", "balance", "brest-1918", "--games", "5", "--write"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 2
    assert "leave out the scenario ids" in done.stderr and "Traceback" not in done.stderr
    assert document.read_text(encoding="utf-8") == "every scenario's tables\n"
    printed = run("balance", "brest-1918", "--games", "5")
    assert printed.returncode == 0 and "\n## brest-1918" in printed.stdout and "\n## civil-war" not in printed.stdout
