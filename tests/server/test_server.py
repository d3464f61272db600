"""Real WebSocket clients against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
from pathlib import Path

import msgpack

from game.engine import view_for
from game.scenarios import builtin_scenario_ids
from server.protocol import MAX_FRAME

from .conftest import Client, ServerThread
from .rules import votable

# The game: brest-1918 with all its teams; the engine's mini fixture until brest ships.
SCENARIO = "brest-1918" if "brest-1918" in builtin_scenario_ids() else "mini"


async def _class(server: ServerThread, students: int, **config) -> tuple[Client, str, list[Client]]:
    host = await Client.open(server.url)
    reply = await host.ok("create_session", scenario=SCENARIO, formation="auto", **config)
    code = reply["code"]
    clients = [await Client.open(server.url) for _ in range(students)]
    replies = await asyncio.gather(*(c.ok("join", code=code, name=f"Uczeń {i}") for i, c in enumerate(clients)))
    for c, r in zip(clients, replies, strict=True):
        c.resume_token = r["resume_token"]  # type: ignore[attr-defined]
    return host, code, clients


async def _vote_all(clients: list[Client]) -> None:
    async def vote(c: Client) -> None:
        team = c.session["you"]["team"]
        for card, options in votable(c.view, team):
            if options:
                reply = await c.request("vote", card=card, option=options[hash(c) % len(options)])
                assert reply["type"] == "ack" or reply["code"] == "decision/wrong_phase", reply

    await asyncio.gather(*(vote(c) for c in clients))


async def test_a_host_and_thirty_students_play_the_scenario_to_the_end(server: ServerThread) -> None:
    host, code, students = await _class(server, 30, timer=None)
    projector = await Client.open(server.url)
    await projector.ok("watch", code=code)
    teams = host.session["config"]["teams"]
    await host.ok("start")
    turns = 0
    while True:
        for c in [host, projector, *students]:
            await c.wait_for(lambda c: c.view["phase"] in ("deliberation", "ended"))
        if host.view["phase"] == "ended":
            break
        turns += 1
        await _vote_all(students)
        if server.call(lambda: server.master.sessions[code].state.phase) == "deliberation":
            await host.ok("force_resolve")  # a team had nothing it could pick
        for c in [host, projector, *students]:
            await c.wait_for(lambda c: c.view["phase"] == "outcome")
        await host.ok("advance")  # -> next briefing
        await host.wait_for(lambda c: c.view["phase"] in ("briefing", "ended"))
        if host.view["phase"] == "briefing":
            await host.ok("advance")
    assert turns == host.view["turn_count"]
    state = server.call(lambda: server.master.sessions[code].state)
    by_team: dict[str, int] = {}
    for c in students:
        team = c.session["you"]["team"]
        by_team[team] = by_team.get(team, 0) + 1
        assert c.view == view_for(state, f"team:{team}")  # patches rebuilt exactly the seat's view
        assert "teams_private" not in c.view and c.view["seat"] == f"team:{team}"
        for event in c.events:
            assert event.get("team") in (None, team) or event["type"] != "vote_cast", event
    assert set(by_team) == set(teams) and max(by_team.values()) - min(by_team.values()) <= 1
    assert projector.view == view_for(state, "projector") and "team" not in projector.view
    assert not any(e["type"] == "vote_cast" for e in projector.events)
    assert host.view == view_for(state, "host")
    for c in [host, projector, *students]:
        await c.close()


async def test_a_dropped_client_resumes_its_seat_and_votes(server: ServerThread) -> None:
    host, _code, (a, b) = await _class(server, 2, timer=None, auto_resolve=False)
    await host.ok("start")
    await a.wait_for(lambda c: c.view["phase"] == "deliberation")
    team = a.session["you"]["team"]
    card, options = votable(a.view, team)[0]
    await a.ok("vote", card=card, option=options[0])
    player = a.session["you"]["player"]
    await a.close()
    a_token = a.resume_token  # type: ignore[attr-defined]
    again = await Client.open(server.url)
    reply = await again.ok("resume", token=a_token)
    assert (reply["player"], reply["team"]) == (player, team)
    assert again.view["team"]["votes"][card] == {player: options[0]}
    await again.ok("vote", card=card, option=options[-1])
    await again.wait_for(lambda c: c.view["team"]["votes"][card] == {player: options[-1]})
    for c in (host, again, b):
        await c.close()


async def test_wrong_join_codes_are_throttled(server: ServerThread) -> None:
    host = await Client.open(server.url)
    code = (await host.ok("create_session", scenario=SCENARIO))["code"]
    guesser = await Client.open(server.url)
    replies = [await guesser.request("join", code="AAAAAA" if code != "AAAAAA" else "BBBBBB", name="x") for _ in range(9)]
    assert [r["code"] for r in replies[:8]] == ["join/bad_code"] * 8
    assert replies[8]["code"] == "join/throttled" and replies[8]["retry_after"] > 0
    assert (await guesser.request("join", code=code, name="x"))["code"] == "join/throttled"
    await host.close()
    await guesser.close()


async def test_garbage_frames_get_an_error_and_a_proper_close_code(server: ServerThread) -> None:
    c = await Client.open(server.url)
    await c.send_raw(b"\xc1\xff not msgpack")
    await c.reader
    assert c.pushes[-1]["code"] == "frame/not_msgpack" and c.ws.close_code == 1003
    c = await Client.open(server.url)
    await c.send_raw(msgpack.packb([1, 2, 3]))
    await c.reader
    assert c.pushes[-1]["code"] == "frame/not_map" and c.ws.close_code == 1003
    c = await Client.open(server.url)
    await c.send_raw("text frame")
    await c.reader
    assert c.ws.close_code == 1003
    c = await Client.open(server.url)
    await c.send_raw(b"\x00" * (MAX_FRAME + 1))
    await c.reader
    assert c.ws.close_code == 1009
    c = await Client.open(server.url)
    assert (await c.request("ping"))["type"] == "pong"  # and the server is still serving
    await c.close()


def _raw_websocket(port: int) -> socket.socket:
    """A WebSocket client that will never read: a tiny receive buffer, no reader."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert b" 101 " in response
    return sock


def _masked_frame(payload: bytes) -> bytes:
    assert len(payload) < 126
    mask = os.urandom(4)
    return bytes([0x82, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def test_a_client_that_stops_reading_is_dropped_and_does_not_stall_others(tmp_path) -> None:
    srv = ServerThread(tmp_path / "slow.sqlite3", slow_limit=32 * 1024).start()
    try:
        slow = _raw_websocket(srv.server.port)
        slow.setblocking(False)
        ping = _masked_frame(msgpack.packb({"v": 1, "type": "ping", "id": 1}))
        fast = await Client.open(srv.url)
        sent = 0
        for _ in range(2000):
            try:
                slow.send(ping * 50)
                sent += 50
            except (BlockingIOError, ConnectionError):
                pass
            assert (await fast.request("ping"))["type"] == "pong"
            if srv.call(lambda: srv.server.dropped_slow):
                break
        assert srv.call(lambda: srv.server.dropped_slow) == 1, sent
        assert (await fast.request("ping"))["type"] == "pong"
        await fast.close()
        slow.close()
    finally:
        srv.stop()


async def test_graceful_shutdown_says_closing_and_closes_with_1001(tmp_path) -> None:
    srv = ServerThread(tmp_path / "stop.sqlite3").start()
    host = await Client.open(srv.url)
    await host.ok("create_session", scenario=SCENARIO)
    idle = await Client.open(srv.url)
    await asyncio.to_thread(srv.stop)
    for c in (host, idle):
        await c.reader
        assert c.pushes[-1]["type"] == "closing"
        assert c.ws.close_code == 1001


async def test_a_vote_open_when_the_laptop_lid_closed_is_still_open_after_it_opens(tmp_path: Path) -> None:
    """Suspend stops the monotonic clock but not the wall clock the deadlines are kept in:
    the server notices the gap and moves the deadline instead of closing the vote on wake."""
    import time as _time

    jump = [0.0]
    thread = ServerThread(tmp_path / "lid.sqlite3", clock=lambda: _time.time() + jump[0]).start()
    try:
        host, _code, (a,) = await _class(thread, 1, timer=120, auto_resolve=False)
        await host.ok("start")
        await a.wait_for(lambda c: c.view["phase"] == "deliberation" and c.timer.get("remaining_ms"))
        before = thread.master.sessions[a.session["code"]].timer.deadline
        jump[0] = 600.0  # the lid was closed for ten minutes
        await a.wait_for(lambda c: thread.master.sessions[c.session["code"]].timer.deadline != before, timeout=10)
        s = thread.master.sessions[a.session["code"]]
        assert s.state.phase == "deliberation"  # not resolved with defaults on wake
        assert s.timer.deadline - (_time.time() + jump[0]) > 100  # still about two minutes to vote
        for c in (host, a):  # before the server's thread stops: it answers their close handshakes
            await c.close()
    finally:
        thread.stop()


async def test_a_connection_that_never_takes_a_seat_is_closed_after_the_idle_limit(tmp_path: Path) -> None:
    """Idle sockets that answer pings but never join, watch or resume cannot pile up."""
    srv = ServerThread(tmp_path / "idle.sqlite3", idle_limit=0.5).start()
    try:
        host = await Client.open(srv.url)
        await host.ok("create_session", scenario=SCENARIO)
        idle = await Client.open(srv.url)
        assert (await idle.request("ping"))["type"] == "pong"  # a ping is not a seat
        await asyncio.wait_for(idle.reader, 10)
        assert idle.pushes[-1] == {"v": 1, "type": "closing", "reason": "idle"}
        assert idle.ws.close_code == 1008
        assert (await host.request("ping"))["type"] == "pong"  # the seated connection stays
        assert srv.call(lambda: len(srv.server.conns)) == 1
        await host.close()
    finally:
        srv.stop()


async def test_the_teachers_name_is_kept_whole_up_to_the_protocols_limit(tmp_path: Path) -> None:
    """docs/protocol.md: `create_session`'s `teacher` is str[≤60], the teacher's name shown with the
    lesson in the LAN announcement. A 60-character name (a title, a double surname, diacritics) is
    cleaned like any name but not cut to a player's 24: every seat's config, the announcement and
    the database keep it whole; 61 characters are refused with msg/bad_field."""
    from server.announce import lesson_properties
    from server.names import NAME_MAX
    from server.protocol import TEACHER_NAME_MAX
    from server.store import SqliteStore

    name = "dr hab. Małgorzata Żółkiewska-Brzęczyszczykiewicz (historia)"
    assert len(name) == TEACHER_NAME_MAX > NAME_MAX
    server = ServerThread(tmp_path / "t.sqlite3").start()
    try:
        host = await Client.open(server.url)
        refused = await host.request("create_session", scenario=SCENARIO, teacher=name + "a")
        assert refused["type"] == "error" and refused["code"] == "msg/bad_field" and refused["field"] == "teacher"
        messy = name.replace(" ", "\t\u200b ", 2)[:TEACHER_NAME_MAX - 1] + "\u0007"  # cleaned as a name is
        reply = await host.ok("create_session", scenario=SCENARIO, teacher=name)
        assert host.session["config"]["teacher"] == name
        student = await Client.open(server.url)
        await student.ok("join", code=reply["code"], name="Ania")
        assert student.session["config"]["teacher"] == name
        lesson = server.call(lambda: lesson_properties(server.master.sessions.values()))["l0"]
        assert lesson.split("\x1f")[4] == name
        other = await Client.open(server.url)
        cleaned = await other.ok("create_session", scenario=SCENARIO, teacher=messy)
        assert other.session["config"]["teacher"] == " ".join(messy[:-1].replace("\u200b", "").split())
        for c in (host, student, other):
            await c.close()
    finally:
        server.stop()
    stored = SqliteStore(tmp_path / "t.sqlite3")
    try:
        assert stored.load_session(reply["code"]).record.config["teacher"] == name
        assert stored.load_session(cleaned["code"]).record.config["teacher"] == other.session["config"]["teacher"]
    finally:
        stored.close()
