"""A whole class playing brest-1918 over real websockets, keeping its own record of every vote."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from tests.server.conftest import Client, ServerThread
from tests.server.rules import votable

SCENARIO = "brest-1918"
# Polish letters in every name: the report must keep them
NAMES = ["Łucja Żółć", "Paweł Gęś", "Zofia Źdźbło", "Michał Ślęzak", "Ania Kąkol", "Jędrek Nowak",
         "Ola Wróbel", "Bartek Dąb", "Kasia Łoś"]


@dataclass
class Played:
    """What the class did, as the clients saw it (not as the server logged it)."""

    host: Client
    code: str
    students: list[Client]
    names: dict[str, str] = field(default_factory=dict)  # player -> name
    sent: dict[tuple[int, str, str, str], list[str]] = field(default_factory=dict)  # (turn, card, team, player)
    silent: set[tuple[int, str]] = field(default_factory=set)  # (turn, player) who did not vote that turn
    away: set[tuple[int, str]] = field(default_factory=set)  # (turn, player) whose connection dropped in its vote
    export: dict[str, Any] | None = None


async def play_class(server: ServerThread) -> Played:
    host = await Client.open(server.url)
    code = (await host.ok("create_session", scenario=SCENARIO, formation="auto", timer=None,
                          auto_resolve=False))["code"]
    students = [await Client.open(server.url) for _ in NAMES]
    replies = [await c.ok("join", code=code, name=n) for c, n in zip(students, NAMES, strict=True)]
    played = Played(host, code, students, {r["player"]: n for r, n in zip(replies, NAMES, strict=True)})
    tokens = [r["resume_token"] for r in replies]
    await host.ok("start")
    while True:
        await host.wait_for(lambda c: c.view["phase"] in ("deliberation", "ended"))
        if host.view["phase"] == "ended":
            break
        turn = host.view["turn"]
        for c in students:
            await c.wait_for(lambda c, turn=turn: c.view["turn"] == turn and c.view["phase"] == "deliberation")
        dropped = None
        if turn == 3:  # a laptop's wifi drops during this vote, after its student voted, and comes back later
            dropped = next(i for i, c in enumerate(students)
                           if (turn + i) % 7 and any(o for _, o in votable(c.view, c.session["you"]["team"])))
            played.away.add((turn, students[dropped].session["you"]["player"]))
        await asyncio.gather(*(_vote(played, turn, i, c) for i, c in enumerate(students)))
        if dropped is not None:
            await students[dropped].close()
            await host.wait_for(lambda c: any(not m["online"] for m in c.members))
        await host.ok("force_resolve")
        if dropped is not None:
            students[dropped] = await Client.open(server.url)
            await students[dropped].ok("resume", token=tokens[dropped])
        await host.wait_for(lambda c: c.view["phase"] == "outcome")
        await host.ok("advance")
        await host.wait_for(lambda c: c.view["phase"] in ("briefing", "ended"))
        if host.view["phase"] == "briefing":
            await host.ok("advance")
    played.export = (await host.ok("export"))["data"]
    return played


async def _vote(played: Played, turn: int, i: int, c: Client) -> None:
    player, team = c.session["you"]["player"], c.session["you"]["team"]
    if (turn + i) % 7 == 0:  # now and then a student does not vote at all this turn
        played.silent.add((turn, player))
        return
    for card, options in votable(c.view, team):
        if not options:
            continue
        picks = [options[(turn + i) % len(options)]]
        if i % 3 == 0 and len(options) > 1:  # a change of mind: first another option, then back
            picks = [options[(turn + i + 1) % len(options)], picks[0]]
        for option in picks:
            reply = await c.request("vote", card=card, option=option)
            assert reply["type"] == "ack", reply
            played.sent.setdefault((turn, card, team, player), []).append(option)
