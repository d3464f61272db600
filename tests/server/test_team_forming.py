"""Automatic team forming (``formation: auto``): every team gets a student before any gets two,
and a small class is spread over both ends of the scenario's cast. Real websocket clients."""

from __future__ import annotations

from collections import Counter

from .conftest import Client, ServerThread

# brest-1918's teams, in scenario order: three Soviet factions, then the two foreign powers
SOVIET = {"lenin", "trotsky", "bukharin"}
FOREIGN = {"central", "entente"}


async def _teams_of_class(server: ServerThread, students: int, **config) -> list[str]:
    host = await Client.open(server.url)
    code = (await host.ok("create_session", scenario="brest-1918", formation="auto", timer=None, **config))["code"]
    teams, clients = [], [host]
    for i in range(students):
        clients.append(c := await Client.open(server.url))
        teams.append((await c.ok("join", code=code, name=f"Uczeń {i}"))["team"])
    for c in clients:
        await c.close()
    return teams


async def test_three_students_on_five_teams_take_three_teams_on_both_sides(server: ServerThread) -> None:
    teams = await _teams_of_class(server, 3)
    assert len(set(teams)) == 3, teams                  # nobody doubles up while a team is empty
    assert set(teams) & FOREIGN, teams                  # not all Soviet (the classroom test's complaint)
    assert set(teams) & SOVIET, teams


async def test_seven_students_on_five_teams_fill_every_team_before_doubling(server: ServerThread) -> None:
    teams = await _teams_of_class(server, 7)
    counts = Counter(teams)
    assert set(counts) == SOVIET | FOREIGN, counts       # every team has a student
    assert sorted(counts.values()) == [1, 1, 1, 2, 2], counts
    # the first five students already covered all five teams
    assert len(set(teams[:5])) == 5, teams


async def test_a_subset_of_teams_is_filled_the_same_way(server: ServerThread) -> None:
    teams = await _teams_of_class(server, 3, teams=["lenin", "trotsky", "central"])
    assert sorted(teams) == ["central", "lenin", "trotsky"], teams
