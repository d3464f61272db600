"""The debrief's path against history: each of the player's choices is marked as in history, different,
or "source silent" where the text does not say what was chosen — checked against the scenario's own
marks, on a solo game played through the screens."""

from __future__ import annotations

import pytest

from game.client.i18n import tr
from game.scenarios import builtin_scenario

from .helpers import scene_name
from .test_solo import play_to_the_end, solo_app, start_from_setup


def vote_to_cover_every_mark(app, sc, wanted: list[str]) -> None:
    """Vote on each of the player's open cards this turn: a source-silent option where one is open, else
    the verdict `wanted` still lacks (history's option for "match", another for "differ")."""
    scene = app.scenes.top
    for i, card in enumerate(app.session.view.get("cards") or []):
        if app.session.team not in (card.get("teams") or []) or scene.team_voted(card):
            continue
        if f"card_{i}" in scene.actions:
            scene.press(f"card_{i}")
        options = sc.cards[card["id"]].options
        open_ids = [a[len("vote_"):] for a, b in scene.actions.items() if a.startswith("vote_") and b.is_enabled]
        by_mark = {"silent": [o for o in open_ids if options[o].source_silent],
                   "match": [o for o in open_ids if options[o].historical],
                   "differ": [o for o in open_ids if not options[o].historical and not options[o].source_silent]}
        pick = (by_mark["silent"] or next((by_mark[w] for w in wanted if by_mark[w]), None) or open_ids)[0]
        assert scene.press(f"vote_{pick}")


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_the_debrief_marks_each_choice_as_history_different_or_source_silent(tmp_path, lang):
    scenario, team = "brest-1918", "central"
    sc = builtin_scenario(scenario)
    app = solo_app(tmp_path / "solo.sqlite3", lang=lang)
    try:
        start_from_setup(app, scenario, team, "historical")
        wanted = ["match", "differ"]

        def vote(app) -> None:
            vote_to_cover_every_mark(app, sc, wanted)
            wanted.reverse()

        play_to_the_end(app, len(sc.turns) + 2, vote=vote)
        assert scene_name(app) == "DebriefScene"
        debrief = app.scenes.top
        rows = [r for r in debrief.path_rows(debrief.path_body().width) if r[0] == "choice" and r[2]]

        expected = []   # the scenario's own marks, in the order the timeline lists the choices
        for record in app.session.view["timeline"]:
            for c in record["cards"]:
                for option in (c.get("choices") or {}).values():
                    o = sc.cards[c["card"]].options[option]
                    expected.append("match" if o.historical else "silent" if o.source_silent else "differ")
        assert [r[3] for r in rows] == expected
        assert {"match", "differ", "silent"} <= set(expected), expected   # the game covered all three marks
        silent_marks = {r[2] for r in rows if r[3] == "silent"}
        assert silent_marks == {f"– {tr('outcome.source_silent')}"}   # shown in the player's language
    finally:
        app.shutdown()
