"""A dropped connection shows a banner and comes back by itself with the seat's resume token."""

from __future__ import annotations

from .helpers import address_of, lan_server, make_app, pump, scene_name, texts


def test_student_reconnects_after_drop_and_keeps_seat(tmp_path):
    host, ania = make_app(transport_factory=lan_server(tmp_path / "db.sqlite3")), make_app()
    apps = [host, ania]
    try:
        host.scenes.top.press("host")
        host.scenes.top.press("start")
        pump(apps, lambda: scene_name(host) == "LobbyScene")
        ania.scenes.top.press("join")
        ania.scenes.top.set_fields(address=address_of(host), code=host.session.code, name="Ania")
        ania.scenes.top.press("join")
        pump(apps, lambda: scene_name(ania) == "LobbyScene" and ania.session.status == "connected")
        player = ania.session.player
        assert ania.transport.resume_token

        # the wifi drops: abort the socket under the client
        net = ania.transport
        net._loop.call_soon_threadsafe(lambda: net._ws.transport.abort())
        pump(apps, lambda: ania.session.status == "reconnecting", what="the reconnecting state")
        assert "Utracono połączenie — łączę ponownie…" in texts(ania)
        pump(apps, lambda: ania.session.status == "connected" and ania.session.view is not None,
             what="the automatic reconnect")
        pump(apps, lambda: "Utracono połączenie — łączę ponownie…" not in texts(ania))
        assert ania.session.player == player           # the same seat, not a new member
        # the teacher's list (lobby changes reach it in batches of up to half a second) shows her back
        members = lambda: [m for ms in host.session.members_by_team().values() for m in ms]  # noqa: E731
        pump(apps, lambda: any(m["name"] == "Ania" and m.get("online") for m in members()), what="Ania back")
        assert [m["name"] for m in members()] == ["Ania"]
    finally:
        for a in apps:
            a.shutdown()
