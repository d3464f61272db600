"""A real server on 127.0.0.1 for the report's tests (the server tests' own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.conftest import ServerThread


@pytest.fixture
def server(tmp_path: Path):
    srv = ServerThread(tmp_path / "test.sqlite3").start()
    yield srv
    srv.stop()
