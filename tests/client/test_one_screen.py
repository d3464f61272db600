"""One-screen mode: the class has one computer; the teacher enters each team's choice on the host panel."""

from __future__ import annotations

from .helpers import lan_server, make_app, pump, scene_name, texts


def test_host_enters_each_teams_choice_and_resolves(tmp_path):
    host = make_app("en", transport_factory=lan_server(tmp_path / "db.sqlite3"))
    try:
        host.scenes.top.press("host")
        setup = host.scenes.top
        setup.press("scenario_brest-1918")
        setup.press("one_screen")
        assert setup.options()["one_screen"] is True
        setup.press("start")
        pump([host], lambda: scene_name(host) == "LobbyScene")
        assert host.scenes.top.press("start")  # no students needed
        pump([host], lambda: scene_name(host) == "HostPanelScene" and host.session.phase == "deliberation")
        panel = host.scenes.top
        assert panel.press("choose_lenin_sign_at_once")
        assert panel.press("choose_central_keep_fighting")
        pump([host], lambda: ((host.session.view.get("teams_private") or {}).get("central", {})
                              .get("direct", {}).get("armistice")) == "keep_fighting", what="the entered choice")
        assert host.scenes.top.press("force")
        pump([host], lambda: scene_name(host) == "OutcomeScene", what="the outcome")
        shown = "\n".join(texts(host))
        assert "Reject the armistice and seize as much land as possible right away." in shown
        assert "ALTERNATIVE HISTORY" not in shown  # said once the teacher reveals history (issue #11, 10)
        assert host.scenes.top.press("reveal_armistice")
        pump([host], lambda: "ALTERNATIVE HISTORY" in "\n".join(texts(host)), what="the revealed tag")
    finally:
        host.shutdown()
