"""Solo games on the in-process server (``LocalServer``, no port): for every built-in scenario,
bots in every seat but one and a scripted player in that one, played to the end. The bots think
in the LocalServer's process pool and vote through the same Master path as on the network."""

from __future__ import annotations

import time
from typing import Any

import pytest

from game.bots.bot import LEVELS
from game.client.transport import InProcessTransport, LocalServer
from game.scenarios import builtin_scenario, builtin_scenario_ids
from game.wire import apply_patch

from .rules import votable

GAME_SECONDS = 300  # a whole solo game, bots thinking on a loaded 2-core machine included


class Scripted:
    """One in-process connection that keeps its seat's view (as sent: texts as references)."""

    def __init__(self, local: LocalServer, hello: dict[str, Any]) -> None:
        self.t = InProcessTransport(local, hello)
        self.view: dict[str, Any] | None = None
        self.state_id: int | None = None
        self.replies: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []

    def pump(self) -> None:
        for msg in self.t.poll():
            kind = msg.get("type")
            if kind == "view":
                self.view, self.state_id = msg["view"], msg["state_id"]
                self.members = msg["session"]["members"]
            elif kind == "update":
                assert self.view is not None and msg["base"] == self.state_id
                self.view, self.state_id = apply_patch(self.view, msg["patch"]), msg["state_id"]
            elif kind == "lobby":
                self.members = msg["members"]
            if msg.get("re") is not None:
                self.replies.append(msg)

    def reply_or_error(self, kind: str, deadline: float) -> dict[str, Any]:
        """The reply ``kind`` or an error, whichever comes (bounded by ``deadline``)."""
        while time.monotonic() < deadline:
            self.pump()
            for r in self.replies:
                if r["type"] in (kind, "error"):
                    self.replies.remove(r)
                    return r
            time.sleep(0.005)
        raise AssertionError(f"no {kind} in time")

    def reply(self, kind: str, deadline: float) -> dict[str, Any]:
        while time.monotonic() < deadline:
            self.pump()
            for r in self.replies:
                if r["type"] in (kind, "error"):
                    self.replies.remove(r)
                    assert r["type"] == kind, r
                    return r
            time.sleep(0.005)
        raise AssertionError(f"no {kind} in time")


@pytest.mark.parametrize("scenario_id", builtin_scenario_ids())
def test_a_solo_game_of_every_scenario_is_played_to_the_end_with_bots_in_every_other_seat(scenario_id: str) -> None:
    scenario = builtin_scenario(scenario_id)
    mine, *others = scenario.team_ids
    levels = [lv for lv in LEVELS if lv != "hard"]  # hard bots take seconds a move on a loaded machine
    bots = {team: levels[i % len(levels)] for i, team in enumerate(others)}
    deadline = time.monotonic() + GAME_SECONDS
    with LocalServer() as local:
        host = Scripted(local, {"type": "create_session", "scenario": scenario_id, "timer": None, "solo": True,
                                "bots": bots, "lang": "en"})
        code = host.reply("session_created", deadline)["code"]
        player = Scripted(local, {"type": "join", "code": code, "name": "Gracz"})
        player.reply("joined", deadline)
        player.t.send("pick_team", team=mine)
        player.reply("ack", deadline)
        host.t.send("start")
        host.reply("ack", deadline)
        voted_in: set[int] = set()
        advanced: set[int | None] = set()
        turns = 0
        while time.monotonic() < deadline:
            host.pump()
            player.pump()
            if host.view is None or player.view is None:
                continue
            phase = host.view["phase"]
            if phase == "ended":
                break
            if phase == "deliberation" and player.view["phase"] == "deliberation" \
                    and player.view["turn"] not in voted_in:
                voted_in.add(player.view["turn"])
                turns += 1
                for card, options in votable(player.view, mine):
                    if options:
                        player.t.send("vote", card=card, option=options[-1])
                        if player.reply_or_error("ack", deadline).get("code") == "decision/wrong_phase":
                            break  # the vote closed meanwhile (the view read was a frame old): on to the next
            elif phase in ("outcome", "briefing") and host.state_id not in advanced:
                advanced.add(host.state_id)
                host.t.send("advance")
                got = host.reply_or_error("ack", deadline)  # the phase may have moved on by itself meanwhile
                assert got["type"] == "ack" or got.get("code") == "decision/wrong_phase", got
            time.sleep(0.005)
        assert host.view is not None and host.view["phase"] == "ended", "the solo game did not end in time"
        assert turns >= 1
        log = local.driver.master.sessions[code].state.log
        bot_votes = {(d.team, d.player) for d in log if type(d).__name__ == "Vote" and d.player.startswith("b")}
        assert {team for team, _ in bot_votes} <= set(others)
        # every bot that had anything to decide voted (an untimed vote closes only when all have)
        assert bot_votes, log
        assert sorted(m["team"] for m in host.members if m.get("bot")) == sorted(others)
        # ... and the game never waited for a default: no bot team defaulted on any card
        for record in host.view["timeline"]:
            for card in record["cards"]:
                assert not set(card["defaulted"]) & set(others), (scenario_id, record["turn"], card)
        for c in (host, player):
            c.t.close()
