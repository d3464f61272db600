"""The in-process transport: the same messages as the wire, in the same bytes, with no port."""

from __future__ import annotations

import socket
import time

import msgpack
import pytest

import server.protocol
from game.client.errors import ClientError, FrameUnreadable, HostingError
from game.client.transport import InProcessFactory, InProcessTransport, LocalServer
from game.client.transport.base import read_frame
from game.wire import FrameReader

SCENARIO = "brest-1918"


_unread: dict[int, list[dict]] = {}


@pytest.fixture(autouse=True)
def _fresh_backlog():
    _unread.clear()
    yield
    _unread.clear()


def receive(transport: InProcessTransport, kind: str, timeout: float = 5.0) -> dict:
    """The first message of type `kind` not yet taken, polling until it arrives (the server runs on
    its own thread); the messages polled meanwhile stay for the next call."""
    backlog = _unread.setdefault(id(transport), [])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        backlog.extend(transport.poll())
        for i, msg in enumerate(backlog):
            if msg.get("type") == kind:
                return backlog.pop(i)
        time.sleep(0.005)
    raise AssertionError(f"no {kind!r} within {timeout} s")


def until(transport: InProcessTransport, status: str, timeout: float = 5.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    seen: list[dict] = _unread.pop(id(transport), [])
    while time.monotonic() < deadline:
        seen.extend(transport.poll())
        if transport.status == status:
            return seen
        time.sleep(0.005)
    raise AssertionError(f"status {transport.status!r}, not {status!r}: {seen}")


def create(local: LocalServer) -> tuple[InProcessTransport, str]:
    host = InProcessTransport(local, {"type": "create_session", "scenario": SCENARIO, "lang": "en"})
    return host, receive(host, "session_created")["code"]


def test_a_lesson_in_process_opens_no_socket(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the in-process transport opened a socket")

    monkeypatch.setattr(socket.socket, "bind", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    with LocalServer() as local:
        host, code = create(local)
        ania = InProcessTransport(local, {"type": "join", "code": code, "name": "Ania"})
        joined = receive(ania, "joined")
        assert joined["name"] == "Ania" and ania.resume_token   # the seat's token, learnt from the reply
        view = receive(ania, "view")["view"]
        assert view["turn"] == 1 and view["phase"] == "briefing"
        rid = host.send("start")
        assert isinstance(rid, int) and host.send("start") == rid + 1   # request ids count up


def test_server_messages_arrive_as_the_wire_encodes_them(monkeypatch):
    encoded: list[bytes] = []
    real = server.protocol.encode

    def spy(message, zdict=None):
        frame = real(message, zdict)
        encoded.append(frame)
        return frame

    monkeypatch.setattr(server.protocol, "encode", spy)
    with LocalServer() as local:
        _, code = create(local)
        ania = InProcessTransport(local, {"type": "join", "code": code, "name": "Ania"})
        view = receive(ania, "view")
        # what the transport delivered came through server.protocol.encode: large messages in a
        # compressed envelope, the first view with the session's dictionary, as a websocket client reads them
        assert any(msgpack.unpackb(frame).get("type") == "z" for frame in encoded)
        reader = FrameReader()
        decoded = [read_frame(reader, frame) for frame in encoded]
        assert any(m.get("type") == "view" and m["view"] == view["view"] for m in decoded)
        assert reader.zdict


def test_a_kicked_player_stays_out_and_a_stopped_server_leaves_everyone_offline():
    local = LocalServer().start()
    host, code = create(local)
    ania = InProcessTransport(local, {"type": "join", "code": code, "name": "Ania"})
    bartek = InProcessTransport(local, {"type": "join", "code": code, "name": "Bartek"})
    player = receive(ania, "joined")["player"]
    receive(bartek, "joined")
    host.send("kick", player=player)
    seen = until(ania, "offline")
    assert {"type": "closing", "reason": "kicked"}.items() <= next(m for m in seen if m.get("type") == "closing").items()
    assert not any(m.get("status") == "reconnecting" for m in seen)   # no second try with a revoked token
    local.stop()
    seen = until(bartek, "offline")
    assert any(m.get("type") == "closing" for m in seen)
    assert InProcessTransport(local, {"type": "watch", "code": code}).poll()[-1]["status"] == "offline"


def test_the_factory_hosts_once_and_reports_failure_as_a_client_error(tmp_path):
    factory = InProcessFactory()
    try:
        assert factory.host() == factory.host() == LocalServer.address
        t = factory("anything typed on the join screen", {"type": "create_session", "scenario": SCENARIO})
        assert receive(t, "session_created")["code"]
    finally:
        factory.stop()
    (tmp_path / "not-a-db").mkdir()
    with pytest.raises(HostingError) as err:
        LocalServer(str(tmp_path / "not-a-db")).start()
    assert isinstance(err.value, ClientError)


def test_an_unreadable_frame_is_a_client_error():
    with pytest.raises(FrameUnreadable) as err:
        read_frame(FrameReader(), b"\xc1 not msgpack")
    assert isinstance(err.value, ClientError)
