"""Hypothesis-generated malformed frames never crash the server or change a session."""

from __future__ import annotations

from typing import Any

import msgpack
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.sync.client import connect

from game.wire import FrameReader, unpack_server_frame
from server.protocol import REQUESTS

from .conftest import ServerThread

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.floats() | st.text(max_size=40)
    | st.binary(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def bad_field_message(draw: st.DrawFn) -> dict[str, Any]:
    """A known request type with one field of the wrong type or out of range."""
    kind = draw(st.sampled_from(sorted(k for k, spec in REQUESTS.items() if spec)))
    spec = REQUESTS[kind]
    name = draw(st.sampled_from(sorted(spec)))
    value = draw(junk)
    try:
        spec[name].check(name, value)
    except Exception:
        pass
    else:
        value = object  # accepted by chance: replace by something msgpack will refuse below
    msg = {"v": 1, "type": kind, "id": draw(st.integers(0, 1000)), name: value}
    return msg


def _encode(msg: Any) -> bytes:
    try:
        return msgpack.packb(msg)
    except Exception:
        return b"\xc1"  # never-used msgpack byte


frames = st.one_of(
    st.binary(max_size=200),
    junk.map(_encode),
    bad_field_message().map(_encode),
    st.fixed_dictionaries({"v": junk, "type": st.text(max_size=20), "id": junk}).map(_encode),
    st.fixed_dictionaries({"v": st.just(1), "type": st.sampled_from(sorted(REQUESTS)), "id": junk}).map(_encode),
    st.text(max_size=50),
)


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    srv = ServerThread(tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3").start()
    with connect(srv.url) as host:
        host.send(msgpack.packb({"v": 1, "type": "create_session", "id": 1, "scenario": "mini", "timer": None}))
        code = unpack_server_frame(host.recv(5))["code"]
        host.send(msgpack.packb({"v": 1, "type": "start", "id": 2}))
        with connect(srv.url) as player:
            player.send(msgpack.packb({"v": 1, "type": "join", "id": 1, "code": code, "name": "fuzz"}))
            token = unpack_server_frame(player.recv(5))["resume_token"]
    yield srv, code, token  # the host has left: nobody collects pushes unread
    srv.stop()


def _snapshot(srv: ServerThread, code: str) -> tuple[Any, ...]:
    def read() -> tuple[Any, ...]:
        s = srv.master.sessions[code]
        return (s.state.digest(), tuple((m.player, m.name, m.team) for m in s.members.values()), s.timer, s.seq)

    return srv.call(read)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=frames, as_player=st.booleans())
def test_malformed_frames_never_crash_the_server_or_change_a_session(fuzz_server, frame, as_player) -> None:
    srv, code, token = fuzz_server
    before = _snapshot(srv, code)
    with connect(srv.url, max_size=2**22) as ws:
        frames = FrameReader()
        if as_player:
            ws.send(msgpack.packb({"v": 1, "type": "resume", "id": 0, "token": token}))
            while frames.read(ws.recv(5)).get("type") != "view":
                pass
        try:
            ws.send(frame)
            reply = frames.read(ws.recv(5))
            while reply["type"] in ("lobby", "timer", "update"):  # pushes about others
                reply = frames.read(ws.recv(5))
            assert reply["type"] in ("error", "pong"), reply
        except Exception as exc:  # a garbage frame is answered and closed with 1003
            from websockets.exceptions import ConnectionClosed

            assert isinstance(exc, ConnectionClosed), exc
            assert exc.rcvd is not None and exc.rcvd.code in (1003, 1009)
    assert _snapshot(srv, code) == before
    with connect(srv.url) as ws:
        ws.send(msgpack.packb({"v": 1, "type": "ping", "id": 9}))
        assert unpack_server_frame(ws.recv(5))["type"] == "pong"


def _reply_on(ws: Any, frames: FrameReader) -> dict[str, Any]:
    reply = frames.read(ws.recv(5))
    while reply["type"] in ("lobby", "timer", "update"):  # pushes about others
        reply = frames.read(ws.recv(5))
    return reply


not_one = st.one_of(st.booleans(), st.floats(), st.integers(-(2**63), 2**64 - 1).filter(lambda n: n != 1), st.text(max_size=5),
                    st.none(), st.lists(st.integers(0, 9), max_size=2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(version=not_one, kind=st.sampled_from(sorted(REQUESTS)))
def test_any_version_but_the_integer_1_is_refused_and_the_connection_stays(fuzz_server, version, kind) -> None:
    srv, code, _token = fuzz_server
    before = _snapshot(srv, code)
    with connect(srv.url) as ws:
        frames = FrameReader()
        ws.send(msgpack.packb({"v": version, "type": kind, "id": 4}))
        reply = _reply_on(ws, frames)
        assert (reply["type"], reply["code"], reply["re"]) == ("error", "msg/bad_version", 4), (version, reply)
        ws.send(msgpack.packb({"v": 1, "type": "ping", "id": 5}))
        assert _reply_on(ws, frames)["type"] == "pong"
    assert _snapshot(srv, code) == before


keys = st.one_of(st.integers(-(2**63), 2**64 - 1), st.booleans(), st.none(), st.binary(max_size=4), st.floats(),
                 st.lists(st.integers(0, 9), min_size=1, max_size=2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=keys, kind=st.sampled_from(sorted(REQUESTS)), as_player=st.booleans())
def test_a_map_key_that_is_not_a_string_gets_bad_field_and_the_connection_stays(fuzz_server, key, kind,
                                                                                  as_player) -> None:
    srv, code, token = fuzz_server
    before = _snapshot(srv, code)
    with connect(srv.url) as ws:
        frames = FrameReader()
        if as_player:
            ws.send(msgpack.packb({"v": 1, "type": "resume", "id": 0, "token": token}))
            while frames.read(ws.recv(5)).get("type") != "view":
                pass
        # msgpack-python cannot pack a list key: write the map by hand (fixmap of 4 entries)
        body = b"".join(msgpack.packb(k) + msgpack.packb(v) for k, v in (("v", 1), ("type", kind), ("id", 7)))
        ws.send(b"\x84" + body + msgpack.packb(key) + msgpack.packb("x"))
        reply = _reply_on(ws, frames)
        assert (reply["type"], reply["code"], reply["re"]) == ("error", "msg/bad_field", 7), (key, reply)
        ws.send(msgpack.packb({"v": 1, "type": "ping", "id": 8}))
        assert _reply_on(ws, frames)["type"] == "pong"
    assert _snapshot(srv, code) == before
