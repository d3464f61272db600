"""One exception root for the client; every colour defined once, in the theme files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.client import i18n
from game.client.errors import ClientError
from game.client.style import gui_theme, hex_colour, palette, theme_palette

CLIENT = Path(__file__).resolve().parents[2] / "game" / "client"


def test_what_the_client_raises_hangs_from_client_error():
    with pytest.raises(ClientError):
        hex_colour("#12345g")
    with pytest.raises(ClientError):
        i18n.set_language("de")
    with pytest.raises(ValueError):   # and stays what callers caught before
        hex_colour("red")


@pytest.mark.parametrize("colourblind", [False, True])
def test_the_gui_theme_takes_its_colours_from_the_palette(colourblind):
    names = theme_palette(colourblind)
    theme = gui_theme(colourblind, 1.0)
    assert "palette" not in theme
    colours = [v for block in theme.values() for v in (block.get("colours") or {}).values()]
    assert colours and not any(v.startswith("$") for v in colours)
    assert theme["defaults"]["colours"]["normal_bg"] == names["accent"]
    assert palette(colourblind).accent == hex_colour(names["accent"])


def test_the_colour_blind_palette_changes_the_accents_and_the_map_only():
    normal, safe = palette(False), palette(True)
    assert safe.accent != normal.accent and safe.bad != normal.bad
    assert safe.bg == normal.bg and safe.ink == normal.ink and safe.paper == normal.paper
    assert len(safe.controllers) == 8 and not normal.controllers


def test_no_colour_is_written_in_the_client_code():
    """No RGB tuple where something is drawn, filled or rendered, and no "#rrggbb" string."""
    rgb = re.compile(r"\(\s*\d{1,3},\s*\d{1,3},\s*\d{1,3}(,\s*\d{1,3})?\s*\)")
    hexes = re.compile(r"[\"']#[0-9a-fA-F]{6}")
    drawing = ("draw", "fill", "render", "text(", "blit", "colour", "color", "bg", "=")
    offenders = []
    for path in CLIENT.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if hexes.search(line) or (rgb.search(line) and any(w in line for w in drawing)):
                offenders.append(f"{path.relative_to(CLIENT)}:{n}: {line.strip()}")
    assert not offenders, offenders
