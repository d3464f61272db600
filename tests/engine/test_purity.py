"""The engine holds only rules: no I/O, no clocks, no global randomness, no file formats."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "game" / "engine"
EXPLORE = ENGINE.parent / "explore"  # the what-if explorer is a pure library too
FORBIDDEN = {
    "asyncio", "websockets", "msgpack", "pygame", "time", "random", "yaml", "jsonschema", "os", "pathlib",
    "io", "socket", "sqlite3", "threading",
}  # fmt: skip


def impurities(source: str) -> list[str]:
    """What in ``source`` breaks the engine's purity: forbidden imports and calls of ``open``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in FORBIDDEN]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in FORBIDDEN:
                found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "open") or (isinstance(func, ast.Attribute) and func.attr == "open"):
                found.append(f"open(...) on line {node.lineno}")
    return found


@pytest.mark.parametrize("path", sorted([*ENGINE.glob("*.py"), *EXPLORE.glob("*.py")]),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_engine_module_is_pure(path):
    assert impurities(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source", [
    "import random", "import os.path", "from pathlib import Path", "from time import monotonic",
    "import yaml as y", "def f(p):\n    return open(p).read()", "def f(p):\n    return p.open()",
])  # fmt: skip
def test_the_check_catches_each_kind_of_impurity(source):
    assert impurities(source)


def test_the_check_lets_pure_code_through():
    assert impurities("import hashlib\nfrom .rules import apply\nfrom typing import Any\n") == []
