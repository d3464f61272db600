"""Client frame-time and idle-CPU benchmark (bounded: about 15 seconds).

    .venv/bin/python bench/client.py [--frames 300] [--idle 5]

Starts the real server as a subprocess on an ephemeral port with a temporary
database (or, with --in-process, as a LocalServer on a thread of this process), joins a host and a student (headless client `App`s, 1280x720) to a
brest-1918 lesson, then:

* frame time: the student's game screen is stepped and fully redrawn every
  frame (the mouse moves over the map) while the host closes the vote, the
  turn resolves (outcome scene, map animation) and the next turn opens — each
  `App.step()` is timed, including network processing and scene rebuilds;
* idle CPU: the student's game screen runs its normal loop (`clock.tick(30)`,
  drawing only when something changed) with no input, and the process CPU
  time is divided by the wall time.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ["CROSSROADS_CONFIG_DIR"] = tempfile.mkdtemp(prefix="crossroads-bench-")

import pygame  # noqa: E402

from game.client.app import FPS, App  # noqa: E402
from game.client.scenes.menu import MenuScene  # noqa: E402
from game.client.settings import Settings  # noqa: E402
from game.client.transport import (  # noqa: E402
    InProcessFactory,
    LocalServer,
    TransportFactory,
    WebSocketFactory,
)
from game.wire import Role  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pump(apps, until, timeout=10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for a in apps:
            a.step()
        if until():
            return
        time.sleep(0.005)
    raise SystemExit(f"bench: timed out setting up the lesson: {[(a.session.status, list(a.session.errors)) for a in apps if a.session]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="client frame time and idle CPU")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle measurement")
    parser.add_argument("--in-process", action="store_true",
                        help="the server as an in-process LocalServer (its CPU then counts in the idle figure)")
    args = parser.parse_args(argv)

    db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    server: subprocess.Popen | None = None
    local: LocalServer | None = None
    if args.in_process:
        local = LocalServer(str(db)).start()
        factory: TransportFactory = InProcessFactory(local)
        address = local.address
    else:
        port = free_port()
        address = f"127.0.0.1:{port}"
        factory = WebSocketFactory()
        server = subprocess.Popen([sys.executable, "-m", "server", "--host", "127.0.0.1", "--port", str(port),
                                   "--db", str(db), "--no-announce"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while server is not None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        pygame.init()
        pygame.display.set_mode((1, 1))
        host = App(Settings(language="pl"), headless=True, save_settings=False, transport_factory=factory)
        student = App(Settings(language="pl"), headless=True, save_settings=False, transport_factory=factory)
        for a in (host, student):
            a.scenes.push(MenuScene(a))
        apps = [host, student]
        host.connect(Role.HOST, address, {"type": "create_session", "scenario": "brest-1918", "lang": "pl",
                                          "teams": None, "timer": 180, "formation": "free", "one_screen": False})
        pump(apps, lambda: host.session.code is not None)
        student.connect(Role.PLAYER, address, {"type": "join", "code": host.session.code, "name": "Ania"})
        pump(apps, lambda: type(student.scenes.top).__name__ == "LobbyScene")
        student.send("pick_team", team="lenin")
        pump(apps, lambda: student.session.team == "lenin")
        host.send("start")
        pump(apps, lambda: type(student.scenes.top).__name__ == "GameScene")
        assert student.size == (1280, 720)

        # -- frame time while a turn resolves ------------------------------------------
        times: list[float] = []
        phases: set[str] = set()
        for i in range(args.frames):
            if i == args.frames // 4:
                host.send("force_resolve")
            if i == args.frames // 2:
                host.send("advance")
            host.step()
            x = 40 + (i * 7) % 500
            ev = pygame.event.Event(pygame.MOUSEMOTION, pos=(x, 250), rel=(7, 0), buttons=(0, 0, 0))
            student.scenes.top.dirty = True
            t0 = time.perf_counter()
            student.step([ev])
            times.append(time.perf_counter() - t0)
            phases.add(type(student.scenes.top).__name__)
            time.sleep(0.002)
        times.sort()
        median = statistics.median(times) * 1000
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
        print(f"frame time at 1280x720 over {len(times)} frames while a turn resolves "
              f"({' → '.join(sorted(phases))}):")
        print(f"  median {median:.2f} ms   p99 {p99:.2f} ms   max {times[-1] * 1000:.2f} ms")

        # -- idle CPU ------------------------------------------------------------------
        pump(apps, lambda: type(student.scenes.top).__name__ == "GameScene")
        for _ in range(10):
            student.loop_once()
        cpu0, wall0 = time.process_time(), time.monotonic()
        drawn = 0
        while time.monotonic() - wall0 < args.idle:
            drawn += student.loop_once()  # what App.run() does each iteration
        cpu = (time.process_time() - cpu0) / (time.monotonic() - wall0) * 100
        print(f"idle game screen: {cpu:.1f}% of one core over {args.idle:.0f} s ({drawn} redraws, "
              f"at most {FPS} frames a second, napping on the event queue when idle)")
        for a in apps:
            a.shutdown()
    finally:
        if local is not None:
            local.stop()
        if server is not None:
            server.terminate()
            try:
                server.wait(5)
            except subprocess.TimeoutExpired:
                server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
