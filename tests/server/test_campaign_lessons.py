"""Campaign lessons on a real server: the next lesson starts where the last one ended, survives a
restart with its carried start, and wrong requests are refused by name."""

from __future__ import annotations

from pathlib import Path

from game.campaign import builtin_campaign
from game.scenarios import builtin_scenario

from .conftest import Client, ServerThread

CAMPAIGN = "rozdroza-1917-1922"


async def _first_lesson_ended_at_the_bell(server: ServerThread) -> tuple[Client, str]:
    host = await Client.open(server.url)
    reply = await host.ok("create_session", scenario="brest-1918", campaign=CAMPAIGN, timer=None)
    assert reply["session"]["config"]["campaign"]["step"] == 0
    await host.ok("start")
    await host.ok("end")  # the bell rings in turn 1: no Red Army was founded in this game
    await host.wait_for(lambda c: c.view["phase"] == "ended")
    return host, reply["host_token"]


async def test_the_next_lesson_carries_the_last_ones_end_and_keeps_it_over_a_restart(tmp_path: Path) -> None:
    server = ServerThread(tmp_path / "c.sqlite3").start()
    try:
        host, token = await _first_lesson_ended_at_the_bell(server)
        teacher = await Client.open(server.url)
        reply = await teacher.ok("create_session", scenario="war-communism-nep", campaign=CAMPAIGN, campaign_from=token,
                                 timer=None)
        camp = reply["session"]["config"]["campaign"]
        assert camp["step"] == 1 and camp["from"] is not None
        assert [(p["scenario"], p["ended_early"]) for p in camp["path"]] == [("brest-1918", True)]
        wcnep = builtin_scenario("war-communism-nep")
        assert teacher.view["tracks"]["grip"] == wcnep.tracks["grip"].start - 1
        assert any("Red Army" in note["en"] for note in teacher.view["carried"])
        student = await Client.open(server.url)
        await student.ok("join", code=reply["code"], name="Ola")
        assert student.view["carried"] == teacher.view["carried"]  # every seat reads what carried
        code, second_token = reply["code"], reply["host_token"]
        for c in (host, teacher, student):
            await c.close()
    finally:
        server.stop()
    again = ServerThread(tmp_path / "c.sqlite3").start()  # the next week: the laptop restarted
    try:
        teacher = await Client.open(again.url)
        await teacher.ok("resume", token=second_token)
        assert teacher.session["code"] == code
        assert teacher.view["tracks"]["grip"] == builtin_scenario("war-communism-nep").tracks["grip"].start - 1
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
    made = await first.ok("create_session", scenario="brest-1918", campaign=CAMPAIGN)
    early = await host.request("create_session", scenario="war-communism-nep", campaign=CAMPAIGN,
                               campaign_from=made["host_token"])
    assert early["code"] == "campaign/not_finished"
    forged = await host.request("create_session", scenario="war-communism-nep", campaign=CAMPAIGN,
                                campaign_from="x" * 40)
    assert forged["code"] == "auth/bad_token"
    ok = await host.ok("create_session", scenario="brest-1918")  # nothing was left half-made
    assert "campaign" not in ok["session"]["config"]
    await host.close()
    await first.close()
