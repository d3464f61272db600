"""Bots in the seats of a class session, on the real websocket server (127.0.0.1): they play a
whole game beside students, are refused exactly as a person is, yield their team to a student,
vote again after a restart mid-vote, and think without holding up the server's event loop."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from game.wire import SessionStatus
from server.bots import think

from .conftest import Client, ServerThread
from .harness import Harness
from .rules import votable
from .test_protocol_schema import CheckedClient

SCENARIO = "brest-1918"
TEAMS = ("lenin", "trotsky", "bukharin", "central", "entente")


def _bots(server: ServerThread, code: str) -> dict[str, tuple[str, str | None]]:
    """team -> (bot player, level) of the session's bots, as the server holds them."""
    def read() -> dict[str, tuple[str, str | None]]:
        s = server.master.sessions[code]
        return {m.team: (m.player, m.bot) for m in s.members.values() if m.bot is not None and m.team}
    return server.call(read)


def _bot_votes(server: ServerThread, code: str) -> list[dict[str, Any]]:
    log = server.call(lambda: [d.to_wire() for d in server.master.sessions[code].state.log])
    return [d for d in log if d["type"] == "vote" and d["player"].startswith("b")]


async def _vote(students: list[Client]) -> None:
    """Each student votes the first open option of every card its team decides now."""
    for c in students:
        team = c.session["you"]["team"]
        for card, options in votable(c.view, team):
            if options:
                reply = await c.request("vote", card=card, option=options[0])
                assert reply["type"] == "ack" or reply["code"] == "decision/wrong_phase", reply


async def _deliberation(host: Client, students: list[Client]) -> None:
    for c in (host, *students):
        await c.wait_for(lambda c: c.view["phase"] == "deliberation")


async def test_two_students_and_bots_in_the_other_teams_play_brest_to_the_end(server: ServerThread) -> None:
    host = await CheckedClient.open(server.url)  # every message it gets, bot members included, fits the schema
    code = (await host.ok("create_session", scenario=SCENARIO, formation="auto", timer=None))["code"]
    students = [await Client.open(server.url) for _ in range(2)]
    for i, c in enumerate(students):
        await c.ok("join", code=code, name=f"Uczeń {i}")
    await host.ok("start", fill_bots="easy")
    student_teams = {c.session["you"]["team"] for c in students}
    bots = _bots(server, code)
    assert len(student_teams) == 2 and set(bots) == set(TEAMS) - student_teams, (student_teams, bots)
    await host.wait_for(lambda c: sum(1 for m in c.members if m.get("bot")) == 3)  # the lobby push shows them
    assert all(m["online"] for m in host.members if m.get("bot"))
    turns = 0
    for _ in range(40):  # bounded: brest has 8 turns of three phases
        phase = host.view["phase"]
        if phase == "ended":
            break
        if phase == "deliberation":
            turns += 1
            for c in students:
                await c.wait_for(lambda c, t=host.view["turn"]: c.view["turn"] == t
                                 and c.view["phase"] in ("deliberation", "outcome", "ended"))
            await _vote(students)
            # untimed and never forced: the vote closes only once every student and every bot voted
            await host.wait_for(lambda c: c.view["phase"] != "deliberation", 60)
            continue
        before = host.state_id
        await host.ok("advance")  # outcome -> briefing (or ended), briefing -> deliberation
        await host.wait_for(lambda c, b=before: c.state_id != b)
    assert host.view["phase"] == "ended" and turns >= 4, (host.view["phase"], turns)
    votes = _bot_votes(server, code)
    for team, (player, _level) in bots.items():
        assert any(v["player"] == player and v["team"] == team for v in votes), (team, votes)
    # no vote closed without a team (bots' teams included) that could choose: nothing defaulted for a bot team
    for record in host.view["timeline"]:
        for card in record["cards"]:
            assert not set(card["defaulted"]) & set(bots), (record["turn"], card["card"], card["defaulted"])
    assert not host.invalid, host.invalid[:3]
    assert host.seen["lobby"] and host.seen["update"]
    for c in (host, *students):
        await c.close()


async def test_a_bot_is_refused_exactly_as_a_person_is(server: ServerThread) -> None:
    """Another team's card, another team's name, a paused game, a turn that moved on: the bot's vote
    (sent through the server's own request path as its player) gets the person's error code."""
    host = await Client.open(server.url)
    code = (await host.ok("create_session", scenario=SCENARIO, formation="host", timer=None,
                          bots={"entente": "easy"}))["code"]
    person = await Client.open(server.url)
    player = (await person.ok("join", code=code, name="Ania"))["player"]
    await host.ok("move_player", player=player, team="central")
    await host.ok("add_bot", team="central", level="easy")  # a bot beside the student in the same team
    await person.wait_for(lambda c: c.view["seat"] == "team:central")
    await host.ok("start")
    await _deliberation(host, [person])
    bot = _bots(server, code)["central"][0]

    def as_bot(**fields: Any) -> dict[str, Any]:
        return server.call(lambda: server.master.act_as(code, bot, {"v": 1, "type": "vote", "id": 7, **fields})[0])

    cases = [
        {"card": "entente_stance", "option": "offer_recognition"},  # a card only the Entente decides
        {"card": "armistice", "option": "keep_fighting", "team": "entente"},  # naming another team
        {"card": "armistice", "option": "no_such_option"},
    ]
    for fields in cases:
        person_reply = await person.request("vote", **fields)
        bot_reply = as_bot(**fields)
        assert person_reply["type"] == bot_reply["type"] == "error", (fields, person_reply, bot_reply)
        assert bot_reply["code"] == person_reply["code"], (fields, person_reply, bot_reply)
    await host.ok("pause")
    fields = {"card": "armistice", "option": "keep_fighting"}
    assert (await person.request("vote", **fields))["code"] == "session/paused"
    assert as_bot(**fields)["code"] == "session/paused"
    await host.ok("unpause")
    await host.ok("force_resolve")
    await host.wait_for(lambda c: c.view["phase"] == "outcome")
    assert (await person.request("vote", **fields))["code"] == "decision/wrong_phase"
    assert as_bot(**fields)["code"] == "decision/wrong_phase"
    for c in (host, person):
        await c.close()


async def test_bots_yield_their_team_to_students_and_count_as_empty_in_team_forming(server: ServerThread) -> None:
    host = await Client.open(server.url)
    code = (await host.ok("create_session", scenario=SCENARIO, formation="auto", timer=None,
                          bots={t: "normal" for t in TEAMS}))["code"]
    assert set(_bots(server, code)) == set(TEAMS)
    students = [await Client.open(server.url) for _ in range(3)]
    teams = [(await c.ok("join", code=code, name=f"Uczeń {i}"))["team"] for i, c in enumerate(students)]
    assert len(set(teams)) == 3, teams  # a team held by a bot counts as empty: nobody doubled up
    bots = _bots(server, code)
    assert set(bots) == set(TEAMS) - set(teams), (bots, teams)  # each student's team lost its bot
    await host.wait_for(lambda c: {m["team"] for m in c.members if m.get("bot")} == set(bots))
    # moving a student into a bot's team: that bot leaves too
    target = sorted(bots)[0]
    player = students[0].session["you"]["player"]
    await host.ok("move_player", player=player, team=target)
    assert target not in _bots(server, code)
    # a bot cannot be moved, and removing a missing bot says so
    other_bot = next(iter(_bots(server, code).values()))[0]
    assert (await host.request("move_player", player=other_bot, team=teams[1]))["code"] == "bot/not_movable"
    assert (await host.request("remove_bot", team=target))["code"] == "bot/none"
    assert (await host.request("add_bot", team="no_such_team", level="easy"))["code"] == "team/unknown"
    assert (await host.request("add_bot", team=target, level="genius"))["code"] == "msg/bad_field"
    # with bots_yield off, the bot stays beside the student
    keep = await Client.open(server.url)
    code2 = (await keep.ok("create_session", scenario=SCENARIO, formation="auto", timer=None, bots_yield=False,
                           bots={t: "easy" for t in TEAMS}))["code"]
    joiner = await Client.open(server.url)
    team = (await joiner.ok("join", code=code2, name="Ola"))["team"]
    assert set(_bots(server, code2)) == set(TEAMS) and team in TEAMS
    fresh = await Client.open(server.url)
    bad = await fresh.request("create_session", scenario=SCENARIO, teams=["lenin"], bots={"central": "easy"})
    assert (bad["code"], bad["field"]) == ("msg/bad_field", "bots")
    for c in (host, *students, keep, joiner, fresh):
        await c.close()


async def test_bots_added_mid_vote_think_at_once_and_removed_bots_take_their_votes_away(server: ServerThread) -> None:
    host = await Client.open(server.url)
    await host.ok("create_session", scenario=SCENARIO, formation="host", timer=None, auto_resolve=False)
    await host.ok("start")
    await host.wait_for(lambda c: c.view["phase"] == "deliberation")
    reply = await host.ok("add_bot", team="entente", level="easy")
    assert reply["player"].startswith("b")
    await host.wait_for(lambda c: c.view["teams_private"]["entente"]["votes"].get("entente_stance"), 60)
    assert list(host.view["teams_private"]["entente"]["votes"]["entente_stance"]) == [reply["player"]]
    await host.ok("remove_bot", team="entente")
    await host.wait_for(lambda c: not c.view["teams_private"]["entente"]["votes"].get("entente_stance"))
    await host.wait_for(lambda c: not any(m.get("bot") for m in c.members))
    await host.close()


def _bot_names(c: Client) -> dict[str, str]:
    """team -> the name of its bot, as the members `c` was sent list them."""
    return {m["team"]: m["name"] for m in c.members if m.get("bot")}


async def test_bots_in_two_teams_have_names_of_their_own_and_keep_them_after_a_restart(tmp_path: Path) -> None:
    """Two bots of one level in two teams: the roster and the projector tell them apart by name (the
    number of the bot's seat, b1, b2…), over a level change, a reconnect and a restart."""
    server = ServerThread(tmp_path / "names.sqlite3").start()
    try:
        host = await Client.open(server.url)
        made = await host.ok("create_session", scenario=SCENARIO, timer=None,
                             bots={"entente": "hard", "central": "hard"})  # seated in the session's team order
        code, token = made["code"], made["host_token"]
        assert _bot_names(host) == {"central": "Bot 1 · hard", "entente": "Bot 2 · hard"}
        projector = await Client.open(server.url)
        await projector.ok("watch", code=code)
        assert _bot_names(projector) == _bot_names(host)
        await host.ok("add_bot", team="lenin", level="hard")
        await host.ok("add_bot", team="central", level="easy")  # a new level, the same bot
        expected = {"central": "Bot 1 · easy", "entente": "Bot 2 · hard", "lenin": "Bot 3 · hard"}
        for c in (host, projector):
            await c.wait_for(lambda c: _bot_names(c) == expected)
        await host.close()
        host = await Client.open(server.url)  # the teacher's laptop reconnects
        await host.ok("resume", token=token)
        assert _bot_names(host) == expected
        for c in (host, projector):
            await c.close()
    finally:
        server.stop()
    again = ServerThread(tmp_path / "names.sqlite3").start()
    try:
        host = await Client.open(again.url)
        await host.ok("resume", token=token)
        projector = await Client.open(again.url)
        await projector.ok("watch", code=code)
        assert _bot_names(host) == _bot_names(projector) == expected
        await host.ok("remove_bot", team="lenin")
        await host.ok("add_bot", team="trotsky", level="hard")  # a bot seated after the restart: a number of its own
        await host.wait_for(lambda c: "trotsky" in _bot_names(c) and "lenin" not in _bot_names(c))
        names = _bot_names(host)
        assert len(set(names.values())) == len(names) == 3, names
        assert names["central"] == "Bot 1 · easy" and names["entente"] == "Bot 2 · hard"
        for c in (host, projector):
            await c.close()
    finally:
        again.stop()


def test_stale_answers_are_dropped_and_a_paused_refusal_is_thought_again() -> None:
    """Sans-I/O (the jobs run here, synchronously): an answer for a turn that moved on, or from a
    job superseded by a new level, changes nothing; one refused while paused is thought again on
    unpause."""
    h = Harness()
    host, code, _token = h.game(SCENARIO, formation="host", timer=None, auto_resolve=False,
                                bots={"entente": "easy"})
    h.ok(host, "start")
    s = h.session(code)
    [job] = h.master.bots.take_jobs()
    assert job.view["seat"] == "team:entente" and "teams_private" not in job.view  # its seat's view only
    assert job.seed != s.seed
    h.ok(host, "force_resolve")  # the turn moves on while it thinks
    seq, dropped = s.seq, h.master.bots.dropped
    h.master.bot_answered(think(job))
    assert (s.seq, h.master.bots.dropped) == (seq, dropped + 1)
    h.ok(host, "advance")
    h.ok(host, "advance")  # turn 2's vote opens: a new job
    assert s.state.phase == "deliberation"
    [old] = h.master.bots.take_jobs()
    h.ok(host, "add_bot", team="entente", level="normal")  # a new level: the old job no longer counts
    [new] = h.master.bots.take_jobs()
    assert (new.level, new.player) == ("normal", old.player) and new.ticket != old.ticket
    seq = s.seq
    h.master.bot_answered(think(old))
    assert s.seq == seq
    h.ok(host, "pause")
    refused = h.master.bots.refused
    h.master.bot_answered(think(new))  # answered while paused: refused, as a person's vote would be
    assert s.seq == seq and h.master.bots.refused > refused
    assert not h.master.bots.take_jobs()  # paused: nobody thinks
    h.ok(host, "unpause")
    [again] = h.master.bots.take_jobs()
    h.master.bot_answered(think(again))
    assert s.seq > seq and any(getattr(d, "player", None) == new.player for d in s.state.log[-3:])


def _prepare_mid_vote(db: Path) -> tuple[str, str, dict[str, str]]:
    """A session left mid-vote in ``db`` by a server that never got its bots' answers (as a server
    killed while they thought): a student voted, four bots did not. Returns (code, host token,
    student's resume token... as {player: token})."""
    h = Harness(db=str(db))
    host, code, token = h.game(SCENARIO, formation="host", timer=None,
                               bots={t: "easy" for t in TEAMS if t != "central"})
    conn, joined = h.join(code, "Ania")
    h.ok(host, "move_player", player=joined["player"], team="central")
    h.ok(host, "start")
    s = h.session(code)
    assert s.state.phase == "deliberation"
    assert h.master.bots.has_jobs()  # the jobs were made; no shell ever ran them
    h.ok(conn, "vote", card="armistice", option="keep_fighting")
    h.store.close()
    return code, token, {joined["player"]: joined["resume_token"]}


async def test_after_a_restart_mid_vote_the_bots_think_again_and_vote(tmp_path: Path) -> None:
    db = tmp_path / "restart.sqlite3"
    code, host_token, _students = _prepare_mid_vote(db)
    server = ServerThread(db).start()
    try:
        host = await Client.open(server.url)
        await host.ok("resume", token=host_token)
        # untimed, not forced: the vote can close only by every member voting, the bots included
        await host.wait_for(lambda c: c.view["phase"] == "outcome", 60)
        votes = _bot_votes(server, code)
        assert {v["team"] for v in votes} == {"lenin", "trotsky", "bukharin", "entente"}, votes
        log = server.call(lambda: [d.to_wire() for d in server.master.sessions[code].state.log])
        assert {"type": "vote", "team": "central", "player": "p1", "card": "armistice",
                "option": "keep_fighting"} in log  # the student's acknowledged vote survived too
        await host.close()
    finally:
        server.stop()


def _p99(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


async def test_hard_bots_thinking_do_not_hold_up_the_event_loop(server: ServerThread) -> None:
    """While hard bots think for one session, the server's loop wakes a 10 ms sleeper on time and
    answers another session's pings at once: p99 lag under 100 ms (or, on a machine loaded by
    other work, under 3× the p99 of the same sleeper measured just before with no bot thinking).
    A bot thinking on the loop would hold it for its whole decision (up to a second or more)."""
    loop = server.loop
    lags: list[float] = []
    stop = asyncio.Event()

    async def sleeper() -> None:  # runs on the server's loop
        while not stop.is_set():
            began = loop.time()
            await asyncio.sleep(0.010)
            lags.append(loop.time() - began - 0.010)

    host = await Client.open(server.url)
    code = (await host.ok("create_session", scenario=SCENARIO, timer=None, solo=True,
                          bots={t: "hard" for t in TEAMS}))["code"]
    other = await Client.open(server.url)
    await other.ok("create_session", scenario=SCENARIO, timer=None)
    watching = asyncio.run_coroutine_threadsafe(sleeper(), loop)
    for _ in range(100):  # the control: the same sleeper and pings, nobody thinking
        assert (await other.request("ping"))["type"] == "pong"
        await asyncio.sleep(0.02)
    idle_lags = list(lags)
    began = time.perf_counter()
    await host.ok("start")
    pings: list[float] = []
    thinking_seen = False
    while host.view["phase"] == "deliberation" or host.view["phase"] == "briefing" or not pings:
        sent = time.perf_counter()
        assert (await other.request("ping"))["type"] == "pong"
        pings.append(time.perf_counter() - sent)
        thinking_seen = thinking_seen or server.call(lambda: any(
            server.master.bots.is_thinking(code, p) for p in ("b1", "b2", "b3", "b4", "b5")))
        await asyncio.sleep(0.02)
        if time.perf_counter() - began > 90:
            raise AssertionError("the hard bots did not vote in 90 s")
        if host.view["phase"] not in ("briefing", "deliberation"):
            break
    thought = time.perf_counter() - began
    stop.set()
    watching.result(5)
    busy_lags = lags[len(idle_lags):]
    print(f"\nhard bots thought {thought:.2f} s; loop lag while thinking: median {statistics.median(busy_lags)*1e3:.1f} ms, "
          f"p99 {_p99(busy_lags)*1e3:.1f} ms, max {max(busy_lags)*1e3:.1f} ms over {len(busy_lags)} sleeps; "
          f"ping round trip median {statistics.median(pings)*1e3:.1f} ms, p99 {_p99(pings)*1e3:.1f} ms "
          f"over {len(pings)} pings (nobody thinking: lag median {statistics.median(idle_lags)*1e3:.1f} ms, "
          f"p99 {_p99(idle_lags)*1e3:.1f} ms)")
    assert thinking_seen and len(_bot_votes(server, code)) >= 5  # they did think, and voted
    assert len(busy_lags) >= 20 and len(pings) >= 10, (len(busy_lags), len(pings))
    bound = max(0.100, 3 * _p99(idle_lags))
    assert _p99(busy_lags) < bound, (bound, busy_lags)
    assert _p99(pings) < bound, (bound, pings)
    info = server.call(lambda: server.master.sessions[code].status)
    assert info == SessionStatus.OPEN
    for c in (host, other):
        await c.close()
