"""server/web/wire.js against the Python reference: the same patches give the same views, the same
misfits are refused (game/wire/patch.py), and text references expand alike (game/textpool.py)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from game.textpool import expand_view
from game.wire import PatchError, apply_patch
from tests.web.conftest import http_base
from tests.web.host import SyncClient

CASES: list[tuple[Any, Any]] = [
    ({"a": 1, "l": [1]}, [[["a"]], [["b"], 2], [["l", 1], 5]]),
    ({"a": {}}, [[["a", "b", "c"], 1]]),
    ({"l": [1, 2, 3]}, [[["l", 1]]]),
    ({"l": [1, 2, 3]}, [[["l", 3]]]),
    ({"l": [1, 2, 3]}, [[["l", 4], 9]]),
    ({"l": [1, 2, 3]}, [[["l", -1], 9]]),
    ({"l": [[1], [2]]}, [[["l", 1, 0], None], [["l", 2], []]]),
    ({"a": 1}, [[[], {"b": 2}]]),
    ({"a": 1}, [[[]]]),
    ({"a": 1}, [[["a", "x"], 1]]),
    ({"a": 1}, [["a", 1]]),
    ({"a": 1}, [[["a"], 1, 2]]),
    ({"a": 1}, {"not": "a list"}),
    ({"a": {"b": 1}}, [[["a", "b"]], [["a", "b"]]]),
    # (not here: an integer key into a map, which Python keeps apart from the string "0" and JS
    # cannot; the server's maps have string keys only, and msgpack from it never mixes them)
    ({"l": ["a"]}, [[["l", "0"], "b"]]),
]


def python(doc: Any, patch: Any) -> Any:
    try:
        return {"ok": apply_patch(doc, patch)}
    except PatchError:
        return {"error": True}


@pytest.fixture
def page(web_server, browser):
    context = browser.new_context()
    p = context.new_page()
    p.goto(http_base(web_server))
    p.wait_for_function("() => window.Wire && window.MessagePack")
    yield p
    context.close()


JS_APPLY = """([doc, patch]) => {
  try { return {ok: Wire.applyPatch(structuredClone(doc), patch)}; }
  catch (e) { if (e instanceof Wire.PatchError) return {error: true}; throw e; }
}"""


def test_patch_cases_match_the_python_reference(page) -> None:
    for doc, patch in CASES:
        assert page.evaluate(JS_APPLY, [doc, patch]) == python(copy.deepcopy(doc), patch), (doc, patch)


def test_a_whole_game_of_updates_gives_the_same_views(web_server, page) -> None:
    """Every update the host received in a game of brest-1918, applied in the browser in order."""
    host = SyncClient(web_server.url)
    host.ok("create_session", scenario="brest-1918", timer=None, briefing=None, formation="auto")
    first = copy.deepcopy(host.wire)
    patches = []
    original = host._handle

    def record(msg: dict[str, Any]) -> None:
        if msg["type"] == "update":
            patches.append(msg["patch"])
        original(msg)

    host._handle = record  # type: ignore[method-assign]
    host.ok("start")
    while host.view["phase"] != "ended":
        kind = "force_resolve" if host.view["phase"] == "deliberation" else "advance"
        host.ok(kind)
        if host.view["phase"] == "outcome" and not host.view["revealed"]:
            host.ok("reveal", card=host.view["timeline"][-1]["cards"][0]["card"])
        host.pump(0.05)
    assert len(patches) > 10
    result = page.evaluate("""([doc, patches]) => {
      for (const p of patches) doc = Wire.applyPatch(doc, p);
      return {wire: doc, view: Wire.expandView(doc)};
    }""", [first, patches])
    assert result["wire"] == host.wire
    assert result["view"] == expand_view(host.wire)
    host.close()
