"""The web client's tests: real HTTP and WebSocket requests to a real server on 127.0.0.1, and
Debian's chromium driven by Playwright (skipped, saying why, when /usr/bin/chromium is missing)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.conftest import ServerThread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[ServerThread]:
    srv = ServerThread(tmp_path / "web.sqlite3").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for a test module (never a downloaded browser: Debian's)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium; .ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def http_base(srv: ServerThread) -> str:
    assert srv.server is not None
    return f"http://127.0.0.1:{srv.server.port}/"
