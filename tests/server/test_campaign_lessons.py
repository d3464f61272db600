"""Campaign lessons on a real server: the next lesson starts where the last one ended, survives a
restart with its carried start, and wrong requests are refused by name."""

from __future__ import annotations

from pathlib import Path

from game.campaign import builtin_campaign
from game.scenarios import builtin_scenario

from .conftest import Client, ServerThread
from .rules import votable

CAMPAIGN = "rozdroza-1917-1922"


async def _play_brest_without_a_red_army(server: ServerThread) -> tuple[Client, str]:
    """Lesson 2 of the campaign (brest-1918, from history's state) played to its end on one screen:
    the teacher enters each team's choice — the first open option, but never the Red Army."""
    host = await Client.open(server.url)
    reply = await host.ok("create_session", scenario="brest-1918", campaign=CAMPAIGN, campaign_step=1, timer=None,
                          one_screen=True)
    assert reply["session"]["config"]["campaign"]["step"] == 1
    before = host.view["state_id"]
    await host.ok("start")
    # the ack comes before the update of turn 1's vote (protocol.md §2): until that update is read the
    # view still shows the lobby's briefing, and an ``advance`` sent on it is refused (decision/wrong_phase)
    await host.wait_for(lambda c: c.view["state_id"] != before)
    for _ in range(60):  # bounded: 9 turns of briefing, vote and outcome
        await host.wait_for(lambda c: c.view["phase"] in ("briefing", "deliberation", "outcome", "ended"))
        phase = host.view["phase"]
        if phase == "ended":
            break
        if phase == "deliberation":
            for team in host.session["config"]["teams"]:
                for card, options in votable(host.view, team):
                    pick = [o for o in options if o != "found_red_army"]
                    if pick:
                        await host.ok("team_choice", team=team, card=card, option=pick[0])
            await host.ok("force_resolve")
            await host.wait_for(lambda c: c.view["phase"] != "deliberation")
        else:
            state_id = host.view["state_id"]
            await host.ok("advance")
            await host.wait_for(lambda c, s=state_id: c.view["state_id"] != s)
    assert host.view["phase"] == "ended" and host.view["ending"]["early"] is False
    assert "red_army" not in host.view["flags"]
    return host, reply["host_token"]


async def test_the_next_lesson_carries_the_last_ones_end_and_keeps_it_over_a_restart(tmp_path: Path) -> None:
    server = ServerThread(tmp_path / "c.sqlite3").start()
    try:
        host, token = await _play_brest_without_a_red_army(server)
        teacher = await Client.open(server.url)
        reply = await teacher.ok("create_session", scenario="civil-war", campaign=CAMPAIGN, campaign_from=token,
                                 timer=None)
        camp = reply["session"]["config"]["campaign"]
        assert camp["step"] == 2 and camp["from"] is not None
        assert [p["scenario"] for p in camp["path"]] == ["brest-1918"]
        civil = builtin_scenario("civil-war")
        assert teacher.view["tracks"]["red_army"] < civil.tracks["red_army"].start
        assert any("Red Army" in note["en"] for note in teacher.view["carried"])
        student = await Client.open(server.url)
        await student.ok("join", code=reply["code"], name="Ola")
        assert student.view["carried"] == teacher.view["carried"]  # every seat reads what carried
        code, second_token, carried = reply["code"], reply["host_token"], teacher.view["tracks"]["red_army"]
        for c in (host, teacher, student):
            await c.close()
    finally:
        server.stop()
    again = ServerThread(tmp_path / "c.sqlite3").start()  # the next week: the laptop restarted
    try:
        teacher = await Client.open(again.url)
        await teacher.ok("resume", token=second_token)
        assert teacher.session["code"] == code and teacher.view["tracks"]["red_army"] == carried
        await teacher.close()
    finally:
        again.stop()


async def test_a_later_step_without_a_previous_lesson_starts_from_history(server: ServerThread) -> None:
    host = await Client.open(server.url)
    campaign = builtin_campaign(CAMPAIGN)
    last = len(campaign.steps) - 1
    reply = await host.ok("create_session", scenario=campaign.steps[last].scenario, campaign=CAMPAIGN,
                          campaign_step=last)
    assert reply["session"]["config"]["campaign"]["start"] is None  # history's state is the scenario's own
    assert "carried" not in host.view
    await host.close()


async def test_wrong_campaign_requests_are_refused_by_code(server: ServerThread) -> None:
    host = await Client.open(server.url)
    unknown = await host.request("create_session", scenario="brest-1918", campaign="no-such-campaign")
    assert unknown["code"] == "campaign/unknown"
    wrong = await host.request("create_session", scenario="genoa-rapallo", campaign=CAMPAIGN, campaign_step=0)
    assert wrong["code"] == "campaign/wrong_step"
    lone = await host.request("create_session", scenario="brest-1918", campaign_step=1)
    assert lone["code"] == "campaign/unknown"
    first = await Client.open(server.url)
    made = await first.ok("create_session", scenario="october-1917", campaign=CAMPAIGN)
    early = await host.request("create_session", scenario="brest-1918", campaign=CAMPAIGN,
                               campaign_from=made["host_token"])
    assert early["code"] == "campaign/not_finished"
    forged = await host.request("create_session", scenario="brest-1918", campaign=CAMPAIGN, campaign_from="x" * 40)
    assert forged["code"] == "auth/bad_token"
    ok = await host.ok("create_session", scenario="brest-1918")  # nothing was left half-made
    assert "campaign" not in ok["session"]["config"]
    await host.close()
    await first.close()
