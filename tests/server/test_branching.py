"""What-if branches on the real Master: a new solo session sharing a played game's log up to a
turn's briefing (from a session's host token or a game sent whole), branches of branches,
renaming and deleting them, and refusals that create nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.engine import GameState, Phase, Scenario, Start, replay
from game.engine.voting import open_options
from game.explore import prefix_at
from game.scenarios import builtin_scenario
from game.wire.schema import jsonable, validator

from ..explore.conftest import class_game
from .conftest import Client, ServerThread
from .harness import Harness


def _lesson(h: Harness, turns: int) -> tuple[int, str, str]:
    """A brest-1918 lesson with two students, played for ``turns`` resolved turns."""
    host, code, token = h.game("brest-1918", timer=None, teams=["lenin", "central"])
    players = {team: h.join(code, f"Uczeń {team}", team)[0] for team in ("lenin", "central")}
    h.ok(host, "start")
    for turn in range(1, turns + 1):
        s = h.session(code)
        assert s.state.phase is Phase.DELIBERATION and s.state.turn == turn
        for team, conn in players.items():
            for card in s.state.cards:
                options = open_options(s.state, card, team)
                if options:
                    h.ok(conn, "vote", card=card, option=options[-1])
        if h.session(code).state.phase is Phase.DELIBERATION:
            h.ok(host, "force_resolve")
        if turn < turns:
            h.ok(host, "advance")  # the next briefing
            h.ok(host, "advance")  # its vote
    return host, code, token


def _log(h: Harness, code: str) -> list[dict]:
    return [d.to_wire() for d in h.session(code).state.log]


def test_a_branch_shares_the_source_log_up_to_a_briefing_and_starts_there(tmp_path):
    h = Harness(str(tmp_path / "db.sqlite3"))
    _host, code, token = _lesson(h, 3)
    source = h.session(code)
    at = prefix_at(source.scenario, source.seed, source.state.log, 2)
    conn = h.connect()
    reply = h.ok(conn, "branch", token=token, at=at, team="central", level="easy", lang="en", name="Bez pokoju")
    assert reply["type"] == "session_created" and reply["branch_of"] == code and reply["branched_at"] == at
    branch = h.session(reply["code"])
    assert branch.code != code and branch.seed == source.seed and branch.scenario.id == "brest-1918"
    assert branch.state.digest() == replay(source.scenario, source.seed, source.state.log[:at]).digest()
    assert branch.state.turn == 2 and branch.state.phase is Phase.BRIEFING and not branch.started
    assert [d.to_wire() for d in branch.state.log] == _log(h, code)[:at]
    cfg = branch.config
    assert (cfg["parent"], cfg["branched_at"], cfg["branch_name"], cfg["player_team"], cfg["bot_level"]) == \
        (code, at, "Bez pokoju", "central", "easy")
    assert cfg["lang"] == "en" and cfg["teams"] == list(source.scenario.team_ids) and cfg["solo"]
    # a bot of the chosen level in every team but the player's, and nobody else yet
    assert {m.team: m.bot for m in branch.members.values()} == \
        {t: "easy" for t in source.scenario.team_ids if t != "central"}
    # the prefix is in the database: a restarted server restores the branch where it stands
    again = Harness(str(tmp_path / "db.sqlite3"))
    assert again.master.restore() == 2
    assert again.session(reply["code"]).state.digest() == branch.state.digest()
    assert again.session(reply["code"]).config["parent"] == code
    # and it plays on like any session: the host starts, the turn's vote opens
    h.ok(conn, "start")
    assert h.session(reply["code"]).state.phase is Phase.DELIBERATION


def test_a_branch_of_a_branch_names_its_parent_and_shares_the_branch(tmp_path):
    h = Harness()
    _host, code, token = _lesson(h, 2)
    s = h.session(code)
    host1 = h.connect()
    first = h.ok(host1, "branch", token=token, at=prefix_at(s.scenario, s.seed, s.state.log, 2), team="lenin")
    b1 = h.session(first["code"])
    # play the branch's turn 2 on: a student joins the player's side (as the solo client does)
    student, _ = h.join(b1.code, "Ty", "lenin")
    h.ok(host1, "start")
    card = next(c for c in b1.state.cards if open_options(h.session(b1.code).state, c, "lenin"))
    h.ok(student, "vote", card=card, option=open_options(h.session(b1.code).state, card, "lenin")[0])
    h.ok(host1, "force_resolve")
    h.ok(host1, "advance")
    b1 = h.session(b1.code)
    assert b1.state.turn == 3 and b1.state.phase is Phase.BRIEFING
    at = len(b1.state.log)
    second = h.ok(h.connect(), "branch", token=first["host_token"], at=at, team="lenin")
    b2 = h.session(second["code"])
    assert second["branch_of"] == b1.code and b2.config["parent"] == b1.code
    assert [d.to_wire() for d in b2.state.log] == [d.to_wire() for d in b1.state.log]
    assert b2.state.digest() == b1.state.digest()


def test_a_game_sent_whole_branches_like_a_session(tmp_path):
    h = Harness()
    _host, code, _token = _lesson(h, 2)
    s = h.session(code)
    at = prefix_at(s.scenario, s.seed, s.state.log, 2)
    sent = {"scenario": "brest-1918", "seed": s.seed, "log": _log(h, code), "code": code,
            "scenario_digest": s.scenario.digest}
    reply = h.ok(h.connect(), "branch", source=sent, at=at, team="lenin")
    assert reply["branch_of"] == code
    assert h.session(reply["code"]).state.digest() == replay(s.scenario, s.seed, s.state.log[:at]).digest()
    other = {**sent, "scenario_digest": "0" * 64}
    assert h.send(h.connect(), "branch", source=other, at=at, team="lenin")["code"] == "branch/other_version"


def _campaign_lesson() -> tuple[Scenario, Start, GameState, dict[str, Any]]:
    """A brest-1918 campaign lesson carried in with every track at its minimum, three turns played,
    and the game as the explorer sends it whole (`source`, with its carried `start`)."""
    sc = builtin_scenario("brest-1918")
    low = Start(tracks=tuple((t.id, t.min) for t in sc.tracks.values()),
                notes=({"pl": "Wszystko stracone.", "en": "All lost."},))
    lesson = class_game(sc, 5, start=low, end_after=3)
    sent = {"scenario": sc.id, "seed": lesson.seed, "log": [d.to_wire() for d in lesson.log], "code": "K7QXPM",
            "scenario_digest": sc.digest, "start": low.to_wire()}
    return sc, low, lesson, sent


async def test_a_game_sent_with_its_carried_start_branches_from_that_start(tmp_path: Path) -> None:
    sc, low, lesson, sent = _campaign_lesson()
    at = prefix_at(sc, lesson.seed, lesson.log, 3, start=low)
    expected = replay(sc, lesson.seed, lesson.log[:at], low)
    assert expected.tracks != replay(sc, lesson.seed, lesson.log[:at]).tracks  # the start matters here
    server = ServerThread(tmp_path / "b.sqlite3").start()
    try:
        host = await Client.open(server.url)
        reply = await host.ok("branch", source=sent, at=at, team="lenin", level="easy")
        assert reply["type"] == "session_created" and reply["branch_of"] == "K7QXPM"
        assert reply["session"]["config"]["start"] == low.to_wire()
        validator("message").validate(jsonable(reply))  # the published schema knows the config's start
        await host.wait_for(lambda c: c.view is not None)
        assert host.view["turn"] == 3 and host.view["phase"] == "briefing"
        assert host.view["tracks"] == expected.tracks and host.view["carried"] == list(low.notes)
        code, token = reply["code"], reply["host_token"]
        state = server.call(lambda: server.master.sessions[code].state)
        assert state.start == low and state.digest() == expected.digest()
        # a branch of that branch, by its host token, keeps the start too
        other = await Client.open(server.url)
        sub = await other.ok("branch", token=token, at=at, team="central")
        sub_state = server.call(lambda: server.master.sessions[sub["code"]].state)
        assert sub_state.start == low and sub_state.digest() == expected.digest()
        assert sub["session"]["config"]["start"] == low.to_wire() and sub["branch_of"] == code
        # and the branch's saved export replays from it (what the explorer reads back)
        reader = await Client.open(server.url)
        exported = await reader.request("saved_export", token=token)
        assert exported["type"] == "export" and exported["data"]["digest"] == expected.digest()
        for c in (host, other, reader):
            await c.close()
    finally:
        server.stop()
    again = ServerThread(tmp_path / "b.sqlite3").start()  # restored after a restart from its config's start
    try:
        state = again.call(lambda: again.master.sessions[code].state)
        assert state.start == low and state.digest() == expected.digest()
    finally:
        again.stop()


async def test_a_duplicate_of_a_branch_of_a_game_sent_whole_starts_from_its_carried_start(tmp_path: Path) -> None:
    """`duplicate_session` of such a branch (a fresh copy: turn 1, no members, no votes) keeps the
    branch's top-level `start`, in its config and in its game, before and after a restart."""
    sc, low, lesson, sent = _campaign_lesson()
    at = prefix_at(sc, lesson.seed, lesson.log, 3, start=low)
    server = ServerThread(tmp_path / "d.sqlite3").start()
    try:
        player = await Client.open(server.url)
        branch = await player.ok("branch", source=sent, at=at, team="lenin", level="easy")
        token = branch["host_token"]
        teacher = await Client.open(server.url)  # the saved-lessons screen: a fresh connection
        copy = await teacher.ok("duplicate_session", token=token)
        assert copy["type"] == "session_created" and copy["duplicate_of"] == branch["code"]
        assert copy["session"]["config"]["start"] == low.to_wire()
        validator("message").validate(jsonable(copy))
        await teacher.wait_for(lambda c: c.view is not None)  # the copy's view follows the reply
        code = copy["code"]
        seed = server.call(lambda: server.master.sessions[code].seed)
        fresh = replay(sc, seed, (), low)
        assert fresh.tracks != replay(sc, seed, ()).tracks  # the start matters here
        assert teacher.view["turn"] == 1 and teacher.view["phase"] == "briefing"
        assert teacher.view["tracks"] == fresh.tracks and teacher.view["carried"] == list(low.notes)
        state = server.call(lambda: server.master.sessions[code].state)
        assert state.start == low and not state.log
        for c in (player, teacher):
            await c.close()
    finally:
        server.stop()
    again = ServerThread(tmp_path / "d.sqlite3").start()  # the copy is restored from its config's start
    try:
        state = again.call(lambda: again.master.sessions[code].state)
        assert state.start == low and state.digest() == fresh.digest()
        teacher = await Client.open(again.url)  # and the branch is duplicated as well after the restart
        later = await teacher.ok("duplicate_session", token=token)
        assert later["session"]["config"]["start"] == low.to_wire()
        await teacher.wait_for(lambda c: c.view is not None)
        assert teacher.view["tracks"] == replay(sc, again.call(lambda: again.master.sessions[later["code"]].seed),
                                                (), low).tracks
        await teacher.close()
    finally:
        again.stop()


async def test_a_sent_start_that_is_not_one_is_refused_by_code(server: ServerThread) -> None:
    sc, _low, lesson, sent = _campaign_lesson()
    at = prefix_at(sc, lesson.seed, lesson.log, 2)
    client = await Client.open(server.url)
    cases = [
        ("army", "msg/bad_field"),                           # not a map
        ([{"army": 0}], "msg/bad_field"),
        (7, "msg/bad_field"),
        ({"tracks": {"army": 99}}, "game/bad_start"),        # outside the track's range
        ({"tracks": {"no_such_track": 1}}, "game/bad_start"),
        ({"control": {"moskwa": "martians"}}, "game/bad_start"),
        ({"flags": ["not_carried"]}, "game/bad_start"),
        ({"tracks": ["army"]}, "game/bad_start"),            # a map, but not a start
    ]
    before = server.call(lambda: set(server.master.sessions))
    for start, code in cases:
        reply = await client.request("branch", source={**sent, "start": start}, at=at, team="lenin")
        assert reply["type"] == "error" and reply["code"] == code, (start, reply)
        if code == "msg/bad_field":
            assert reply["field"] == "source.start"
        else:
            assert reply["message"]
    assert server.call(lambda: set(server.master.sessions)) == before  # nothing was created
    # null (or leaving it out) is the scenario's own start, as before
    made = await client.ok("branch", source={**sent, "start": None}, at=0, team="lenin")
    assert "start" not in made["session"]["config"]
    await client.close()


def test_bad_branches_are_refused_and_create_nothing(tmp_path):
    h = Harness()
    _host, code, token = _lesson(h, 2)
    s = h.session(code)
    before = set(h.master.sessions)
    at = prefix_at(s.scenario, s.seed, s.state.log, 2)
    cases = [
        ({"token": token, "at": at + 1, "team": "lenin"}, "branch/bad_point"),  # inside turn 2's vote
        ({"token": token, "at": len(s.state.log) + 5, "team": "lenin"}, "msg/bad_field"),
        ({"token": token, "at": at, "team": "nobody"}, "msg/bad_field"),
        ({"at": at, "team": "lenin"}, "msg/bad_field"),  # neither token nor source
        ({"token": "x" * 20, "at": 0, "team": "lenin"}, "auth/bad_token"),
        ({"source": {"scenario": "brest-1918", "seed": 1, "log": [{"type": "resolve"}]}, "at": 1, "team": "lenin"},
         "decision/wrong_phase"),  # a log that does not replay: the engine's own refusal
    ]
    for fields, expected in cases:
        reply = h.send(h.connect(), "branch", **fields)
        assert reply["type"] == "error" and reply["code"] == expected, (fields, reply)
    assert set(h.master.sessions) == before
    assert len(h.store.load_sessions(include_ended=True)) == len(before)


def test_branches_are_renamed_and_deleted_by_their_host_token(tmp_path):
    h = Harness(str(tmp_path / "db.sqlite3"))
    _host, code, token = _lesson(h, 1)
    made = h.ok(h.connect(), "branch", token=token, at=0, team="lenin")
    sub = h.ok(h.connect(), "branch", token=made["host_token"], at=0, team="central")
    renamed = h.ok(h.connect(), "rename_branch", token=made["host_token"], name="  Pokój od razu  ")
    assert renamed == {"type": "renamed", "re": renamed["re"], "code": made["code"], "name": "Pokój od razu"}
    assert h.session(made["code"]).config["branch_name"] == "Pokój od razu"
    assert h.store.load_session(made["code"]).record.config["branch_name"] == "Pokój od razu"
    assert h.send(h.connect(), "rename_branch", token=token, name="x")["code"] == "branch/not_a_branch"
    # deleting a branch (delete_session, as any saved session) leaves the source and its own branch
    assert h.ok(h.connect(), "delete_session", token=made["host_token"])["code"] == made["code"]
    assert made["code"] not in h.master.sessions and h.store.load_session(made["code"]) is None
    assert code in h.master.sessions and h.session(sub["code"]).config["parent"] == made["code"]
