"""`crossroads validate` catches each kind of scenario error and names its file and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine import ScenarioError
from game.scenarios import builtin_dir, load_scenario, schema, validate_paths
from game.scenarios.schema import load_schema, schema_text

from .conftest import FIXTURES

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def broken(tmp_path, old: str, new: str, count: int = 1):
    """Write mini.yaml with ``old`` replaced by ``new``; return (path, 1-based line of the change)."""
    assert old in MINI, old
    text = MINI.replace(old, new, count)
    first_diff = next(i for i, (a, b) in enumerate(zip(MINI, text, strict=False)) if a != b)
    line = text[:first_diff].count("\n") + 1
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return path, line


def problems_of(path):
    return [(p.line, p.message) for p in validate_paths([path])]


def assert_problem(path, line, *words):
    found = problems_of(path)
    assert any(ln == line and all(w in msg for w in words) for ln, msg in found), (line, words, found)


def test_the_fixture_and_every_shipped_scenario_are_valid():
    assert validate_paths([FIXTURES / "mini.yaml"]) == []
    assert [p for p in validate_paths([builtin_dir()]) if p.is_error] == []


CASES = [
    # (what, old text, new text, words expected in the message)
    ("yaml syntax", "  - id: talks\n", "  - id: [talks\n", ["YAML syntax"]),
    ("unknown key", "    timer: 120\n", "    timer: 120\n    colour: red\n", ["unknown key", "colour"]),
    ("wrong type", "    timer: 120\n", "    timer: soon\n", ["timer", "not of type"]),
    ("missing english", "title: {pl: Mały scenariusz, en: Mini scenario}", "title: {pl: Mały scenariusz}", ["missing", "en"]),
    ("empty polish", "text: {pl: Rozmowy w Brześciu., en: Talks at Brest.}", "text: {pl: ' ', en: Talks at Brest.}", ["empty pl text"]),
    ("missing citation", "    history:\n      text: {pl: Rokowania zerwano., en: The talks were broken off.}\n      sources:\n        - {section: Wojna domowa w Rosji, quote: \"L. Trocki zerwał rokowania pokojowe w Brześciu\"}\n",
     "    history:\n      text: {pl: Rokowania zerwano., en: The talks were broken off.}\n      sources: []\n", ["should be non-empty"]),
    ("quote too short", 'quote: "L. Trocki zerwał rokowania pokojowe w Brześciu"}', 'quote: "Trocki zerwał"}', ["quote has 2 words"]),
    ("unknown section", "{section: Wojna domowa w Rosji, quote: \"w Brześciu", "{section: Wojna w Rosji, quote: \"w Brześciu", ["unknown section"]),
    ("unknown region", "    region: bialorus\n", "    region: atlantyda\n", ["unknown region", "atlantyda"]),
    ("unknown place", "    place: brzesc\n", "    place: paris\n", ["unknown place"]),
    ("unknown track", "effects: {tracks: {food: 1}}", "effects: {tracks: {gold: 1}}", ["unknown track", "gold"]),
    ("unknown decider", "    deciders: [council, germans]\n", "    deciders: [council, turks]\n", ["unknown team or bloc", "turks"]),
    ("unknown controller", "control: {ukraina: soviet,", "control: {ukraina: martians,", ["unknown controller"]),
    ("unreachable card", "schedule: [{card: offensive, after: 1}]", "set: [x]", []),
    ("impossible condition", "requires: {tracks: {army: {min: 5}}}", "requires: {tracks: {army: {min: 50}}}", ["can never hold", "army"]),
    ("flag never set", "requires: {tracks: {army: {min: 5}}}", "requires: {flags: [crowned]}", ["can never hold", "crowned"]),
    ("chance sum", "          - p: 0.25\n", "          - p: 0.5\n", ["sum to 1.25"]),
    ("default missing", "    default: {council: sign, germans: harsh}\n", "    default: {council: sign}\n", ["no default", "germans"]),
    ("default not allowed", "    default: {council: sign, germans: harsh}\n", "    default: {council: mild, germans: harsh}\n", ["default 'mild' is not an option"]),
    ("duplicate card", "  - id: news\n", "  - id: talks\n", ["duplicate card id"]),
    ("last ending conditional", "    historical: true\n    sources:\n      - {section: Wojna domowa w Rosji, quote: \"Nie oznaczało",
     "    historical: true\n    when: {flags: [signed]}\n    sources:\n      - {section: Wojna domowa w Rosji, quote: \"Nie oznaczało", ["last ending"]),
    ("turn after the end", "    turn: 3\n", "    turn: 9\n", ["after the last turn"]),
    # the format extensions of issue #9
    ("source silent with history", "        historical: true\n        sources:\n          - {section: Wojna domowa w Rosji, quote: \"L. Trocki",
     "        historical: true\n        source_silent: true\n        sources:\n          - {section: Wojna domowa w Rosji, quote: \"L. Trocki",
     ["source_silent", "historical: false"]),
    ("two historical options", "        outcome: {pl: Armia rośnie., en: The army grows.}\n        historical: false\n",
     "        outcome: {pl: Armia rośnie., en: The army grows.}\n        historical: true\n", ["'council' has 2 historical options"]),
    ("date before its turn", '    date: "1917-12-17"\n', '    date: "1917-11-30"\n', ["before its turn 1"]),
    ("date after its turn", '    date: "1918-02-18"\n', '    date: "1918-03-03"\n', ["not before turn 3"]),
    ("unknown term", "    terms: [brest]\n", "    terms: [brest, nep]\n", ["term 'nep' is not in the glossary"]),
    ("unused glossary term", "    terms: [brest]\n", "", ["'brest' is used by no card"]),
    ("unknown core card", "core_cards: [talks]\n", "core_cards: [talkz]\n", ["unknown card 'talkz'"]),
    ("empty gloss", 'pokojowe", en: "the actual peace talks began in Brest"}\n    deciders',
     'pokojowe", en: ""}\n    deciders', ["should be non-empty"]),
    ("blank gloss", 'pokojowe", en: "the actual peace talks began in Brest"}\n    deciders',
     'pokojowe", en: "  "}\n    deciders', ["empty en gloss"]),
    ("secret text names other points", "{text: {pl: Nie podpisuj., en: Do not sign.}",
     "{text: {pl: 'Nie podpisuj: 5 punktów.', en: 'Do not sign: 4 points.'}", ["secret text (en) names the points 4", "gives 5"]),
    ("secret text names a point too many", "{text: {pl: Chleb dla miast., en: Bread for the cities.}",
     "{text: {pl: 'Chleb: 2 punkty za każdy punkt żywności i 3 punkty za pokój.', en: 'Bread: 2 points per point of food.'}",
     ["secret text (pl) names the points 2, 3", "gives 2"]),
]


@pytest.mark.parametrize(("what", "old", "new", "words"), CASES, ids=[c[0] for c in CASES])
def test_validator_reports_the_error_at_its_line(tmp_path, what, old, new, words):
    path, line = broken(tmp_path, old, new)
    if what == "unreachable card":  # the problem sits on the scheduled card, not the removed effect
        line = MINI[: MINI.index("    scheduled: true")].count("\n") + 1
        words = ["unreachable", "offensive"]
    if what == "chance sum":
        line = MINI[: MINI.index("        chance:\n")].count("\n") + 1
    if what == "yaml syntax":  # the parser notices on the next line
        line += 1
    if what == "unused glossary term":  # the problem sits on the glossary entry nobody uses
        line = MINI[: MINI.index("  - id: brest")].count("\n") + 1
    if what == "default missing":
        words = ["no default option for decider 'germans'"]
    assert_problem(path, line, *words)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert f"{path}:" in str(info.value)


def test_dates_compare_as_far_as_both_are_precise(tmp_path):
    """"1918-03" lies within a turn dated "1918-03-03"; "1918-02" is before it."""
    path, _ = broken(tmp_path, '    date: "1918-03-03"\n    region: moskwa', '    date: "1918-03"\n    region: moskwa')
    assert problems_of(path) == []
    path, line = broken(tmp_path, '    date: "1918-03-03"\n    region: moskwa', '    date: "1918-02"\n    region: moskwa')
    assert_problem(path, line, "before its turn 3")


def test_a_flag_nobody_reads_is_a_warning_that_does_not_fail(tmp_path):
    path, line = broken(tmp_path, "effects: {tracks: {army: 2}}", "effects: {tracks: {army: 2}, set: [parade]}")
    found = validate_paths([path])
    assert [(p.line, p.level) for p in found] == [(line, "warning")], found
    assert "flag 'parade' is set but never read" in found[0].message
    assert str(found[0]).startswith(f"{path}:{line}: warning: ")
    load_scenario(path)  # warnings do not stop a scenario from loading
    run = subprocess.run([sys.executable, "-m", "game.cli", "validate", str(path)], capture_output=True, text=True)
    assert run.returncode == 0 and f"{path}:{line}: warning: " in run.stdout and "1 warning" in run.stdout


def test_cli_prints_file_line_and_exits_1(tmp_path):
    path, line = broken(tmp_path, "    region: bialorus\n", "    region: atlantyda\n")
    run = subprocess.run([sys.executable, "-m", "game.cli", "validate", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{path}:{line}: " in run.stdout
    ok = subprocess.run([sys.executable, "-m", "game.cli", "validate", str(FIXTURES / "mini.yaml")], capture_output=True, text=True)
    assert ok.returncode == 0 and "OK" in ok.stdout


def test_the_schema_is_a_valid_draft_2020_12_schema_and_the_cli_prints_it():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(load_schema())
    run = subprocess.run([sys.executable, "-m", "game.cli", "schema"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == schema_text()
    assert json.loads(run.stdout) == load_schema()


def _schema_target(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), path
    return (path.parent / first.split("$schema=", 1)[1].strip()).resolve()


SHIPPED_SCHEMA = (Path(schema.__file__).parent / schema.SCHEMA_FILE).resolve()


def test_the_fixture_points_its_editor_at_the_shipped_schema():
    """The first line's `$schema=` path (relative to the file) reaches the schema the validator uses."""
    assert _schema_target(FIXTURES / "mini.yaml") == SHIPPED_SCHEMA


@pytest.mark.parametrize("path", sorted(builtin_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_point_their_editors_at_the_shipped_schema(path):
    if _schema_target(path) != SHIPPED_SCHEMA:  # scenario files are rewritten on other branches
        pytest.skip(f"{path.name}: first line should read `# yaml-language-server: $schema=../game/scenarios/scenario.schema.json`")


def test_public_api_matches_the_documented_one():
    """Every name docs/engine-api.md imports is exported, and everything exported exists."""
    import re

    import game.engine as engine

    doc = (Path(__file__).resolve().parents[2] / "docs" / "engine-api.md").read_text(encoding="utf-8")
    block = re.search(r"from game\.engine import \((.*?)\)", doc, re.S).group(1)
    documented = {n.strip() for line in block.splitlines() for n in line.split("#")[0].split(",") if n.strip()}
    assert documented <= set(engine.__all__), documented - set(engine.__all__)
    assert all(hasattr(engine, n) for n in engine.__all__)
    import game.scenarios as scenarios

    line = re.search(r"from game\.scenarios import ([^\n]*)", doc).group(1)
    assert {n.strip() for n in line.split(",")} <= set(scenarios.__all__)
    assert all(hasattr(scenarios, n) for n in scenarios.__all__)
