"""The teacher guides in docs/history say how many points each team scores for what; those numbers must be the scenario's.

A retune of a team's scoring changes the YAML, the secret text (``crossroads validate`` checks that one) and the
guide a teacher reads before the lesson. This test keeps the guide in step: every number on a team's scoring line
must be one of that team's term values.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.scenarios import builtin_scenario

GUIDES = Path(__file__).resolve().parents[2] / "docs" / "history"

QUOTED = re.compile(r"„[^”]*”|\"[^\"]*\"|`[^`]*`")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w.,]*\d)")
YEAR = re.compile(r"\b1[89]\d\d\b")


def numbers_on(line: str) -> list[float]:
    """The point values a guide line names: quotes, code and years are not points; "Should know" starts the reading list."""
    scoring = re.split(r"Powinn\w* wiedzieć|Should know", line)[0]
    text = YEAR.sub("", QUOTED.sub("", scoring))
    return [float(n.replace(",", ".")) for n in NUMBER.findall(text)]


def team_values(scenario_id: str, team_id: str) -> set[float]:
    team = builtin_scenario(scenario_id).teams[team_id]
    return {abs(term.points) for term in (*team.scoring, *team.secret_scoring)}


def listed_lines(scenario_id: str) -> list[tuple[str, int, str]]:
    """(team, line number, line) for the guides that list each team as "public — …; secret — …", in team order."""
    scenario = builtin_scenario(scenario_id)
    lines = (GUIDES / f"{scenario_id}.md").read_text(encoding="utf-8").splitlines()
    found = []
    for marker in ("jawnie —", "public —"):
        numbered = [(n, line) for n, line in enumerate(lines, 1) if marker in line]
        assert len(numbered) == len(scenario.team_ids), f"{scenario_id}: {len(numbered)} lines with {marker!r}"
        found += [(team, n, line) for team, (n, line) in zip(scenario.team_ids, numbered, strict=True)]
    return found


def table_lines(scenario_id: str) -> list[tuple[str, int, str]]:
    """(team, line number, row) for the guides whose team table names each team's id in its first cell."""
    scenario = builtin_scenario(scenario_id)
    lines = (GUIDES / f"{scenario_id}.md").read_text(encoding="utf-8").splitlines()
    found = []
    for team in scenario.team_ids:
        rows = [(n, line) for n, line in enumerate(lines, 1) if line.startswith("|") and f"(`{team}`) |" in line]
        assert rows, f"{scenario_id}: no table row for {team}"
        found += [(team, n, row.split("|", 2)[2]) for n, row in rows]
    return found


CASES = [
    *(("brest-1918", *case) for case in listed_lines("brest-1918")),
    *(("civil-war", *case) for case in listed_lines("civil-war")),
    *(("genoa-rapallo", *case) for case in table_lines("genoa-rapallo")),
]


@pytest.mark.parametrize(("scenario_id", "team_id", "line_number", "line"), CASES,
                         ids=[f"{c[0]}:{c[2]}:{c[1]}" for c in CASES])
def test_a_guides_points_are_the_teams_own(scenario_id, team_id, line_number, line):
    values = team_values(scenario_id, team_id)
    named = numbers_on(line)
    assert named, f"docs/history/{scenario_id}.md:{line_number} names no points for {team_id}"
    stray = [n for n in named if n not in values]
    assert not stray, (f"docs/history/{scenario_id}.md:{line_number}: {team_id} scores {sorted(values)}, "
                       f"the guide says {stray}")


def test_a_stale_number_is_caught():
    """The check reads the numbers a retune would leave behind: the Central Powers' line with an old value fails."""
    team, _, line = next(case for case in listed_lines("brest-1918") if case[0] == "central")
    values = team_values("brest-1918", team)
    stale = max(values) + 7
    assert stale in numbers_on(line.replace("(10)", f"({stale:g})"))
    assert 1918 not in numbers_on("w 1918 r. (3)") and numbers_on("w 1918 r. (3)") == [3]
    assert numbers_on("„10 II L. Trocki zerwał rokowania” (3). Powinna wiedzieć: 8") == [3]
