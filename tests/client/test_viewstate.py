"""game.wire.apply_patch applies the server's update patches exactly as server/diff.py makes them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.wire import PatchError, apply_patch
from server.diff import make_patch

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
    max_leaves=12,
)
views = st.dictionaries(st.text(max_size=3), json_values, max_size=4)


@given(views, views)
def test_patch_of_server_diff_turns_old_view_into_new(old, new):
    assert apply_patch(old, make_patch(old, new)) == new


def test_patch_sets_and_deletes_and_keeps_none():
    view = {"phase": "briefing", "ending": None, "cards": [{"decided": {}}], "gone": 1}
    patch = [[["phase"], "deliberation"], [["cards", 0, "decided", "lenin"], True], [["gone"]]]
    out = apply_patch(view, patch)
    assert out == {"phase": "deliberation", "ending": None, "cards": [{"decided": {"lenin": True}}]}
    assert view["phase"] == "briefing"  # the input is not modified


def test_patch_with_missing_path_raises_patch_error():
    with pytest.raises(PatchError):
        apply_patch({"a": {}}, [[["a", "b", "c"], 1]])


def test_session_expands_text_references_after_each_patch():
    from game.client.session import ClientSession

    sess = ClientSession("player")
    wire = {"phase": "briefing", "title": "§0", "texts": {"§0": {"pl": "Rozejm", "en": "Armistice"}}}
    sess.handle({"type": "view", "state_id": 1, "view": wire})
    assert sess.view["title"] == {"pl": "Rozejm", "en": "Armistice"} and "texts" not in sess.view
    sess.handle({"type": "update", "state_id": 2, "base": 1, "events": [],
                 "patch": [[["texts", "§1"], {"pl": "Pokój", "en": "Peace"}], [["title"], "§1"]]})
    assert sess.view["title"] == {"pl": "Pokój", "en": "Peace"}
    assert sess.state_id == 2
