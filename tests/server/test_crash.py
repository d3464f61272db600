"""``kill -9`` mid-vote, restart: no acknowledged vote is lost, the clock is restored."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import MINI, Client
from .rules import votable

ROOT = Path(__file__).parents[2]


def _start(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    out = db.with_suffix(f".{time.monotonic_ns()}.out")
    with out.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", "0", "--db", str(db), "--no-announce",
             "--scenario", str(MINI)],
            cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
        )
    for _ in range(300):
        match = re.search(r"ws://[^:]+:(\d+)/", out.read_text())
        if match:
            return proc, f"ws://127.0.0.1:{match.group(1)}/"
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError("the server did not start: " + out.read_text())


async def test_server_killed_mid_vote_loses_no_acknowledged_vote_and_keeps_its_clock(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    proc, url = _start(db)
    try:
        host = await Client.open(url)
        created = await host.ok("create_session", scenario="mini", timer=600, formation="auto", auto_resolve=False)
        students = [await Client.open(url) for _ in range(12)]
        tokens = [(await c.ok("join", code=created["code"], name=f"S{i}"))["resume_token"] for i, c in enumerate(students)]
        await host.ok("start")
        for c in students:
            await c.wait_for(lambda c: c.view["phase"] == "deliberation")
        remaining_before = host.timer["remaining_ms"]

        acked: dict[str, tuple[str, str]] = {}  # player -> (card, option)
        in_flight: dict[str, str] = {}  # player -> the option of the request last sent

        async def keep_voting(c: Client) -> None:
            team = c.session["you"]["team"]
            card, options = votable(c.view, team)[0]
            player = c.session["you"]["player"]
            for i in range(1000):
                option = options[i % len(options)]
                in_flight[player] = option  # may be stored even if its ack never comes back
                try:
                    reply = await c.request("vote", card=card, option=option)
                except Exception:
                    return
                if reply["type"] == "ack":
                    acked[player] = (card, option)

        voters = [asyncio.create_task(keep_voting(c)) for c in students]
        while len(acked) < len(students):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # mid-vote: requests are in flight
        proc.wait(10)
        await asyncio.gather(*voters)
        snapshot = dict(acked)

        proc, url = _start(db)
        for token, player in zip(tokens, [c.session["you"]["player"] for c in students], strict=True):
            c = await Client.open(url)
            reply = await c.ok("resume", token=token)
            await c.wait_for(lambda c: c.view is not None)  # the full view follows the reply
            card, option = snapshot[player]
            # the acknowledged vote, or the one sent after it if the kill came between saving and acking
            assert c.view["team"]["votes"][card][player] in {option, in_flight[player]}
            assert reply["team"] == c.session["you"]["team"]
            await c.close()
        host2 = await Client.open(url)
        await host2.ok("resume", token=created["host_token"])
        await host2.wait_for(lambda c: c.view is not None)
        assert host2.view["phase"] == "deliberation"
        remaining_after = host2.session["timer"]["remaining_ms"]
        assert remaining_after <= remaining_before and remaining_after > remaining_before - 60_000
        await host2.close()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(15)
