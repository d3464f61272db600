"""A full class session over real websockets: its report holds every decision and every vote."""

from __future__ import annotations

import csv
import io
import itertools
import json
from html.parser import HTMLParser

from game.report import CSV_COLUMNS, build_report, render_csv, render_html, write_report
from game.scenarios import builtin_scenario

from .conftest import ServerThread
from .play import NAMES, SCENARIO, play_class


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(p.parts)


async def test_the_report_of_a_played_lesson_has_every_decision_and_vote(server: ServerThread, tmp_path) -> None:
    played = await play_class(server)
    export = played.export
    assert export is not None
    scenario = builtin_scenario(SCENARIO)
    assert export["session"]["scenario_digest"] == scenario.digest
    votes_logged = [e for e in export["log"] if e["type"] == "vote"]
    assert len(votes_logged) == sum(len(v) for v in played.sent.values())  # every vote sent is in the log
    assert all(isinstance(e["at"], float) for e in export["log"])
    assert [e["seq"] for e in export["log"]] == list(range(1, len(export["log"]) + 1))

    report = build_report(export, scenario)
    assert report.verified and report.digest_matches and report.lang == "pl"
    assert len(report.turns) == scenario.turn_count

    # the CSV: one row per student per decision, exactly what each client sent
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert tuple(rows[0]) == CSV_COLUMNS
    got = {(int(r["turn"]), r["card"], r["team"], r["player"]): r for r in rows}
    assert set(got) == set(played.sent)
    timeline = {(t["turn"], c["card"]): c for t in played.host.view["timeline"] for c in t["cards"]}
    for key, options in played.sent.items():
        row = got[key]
        turn, card, team, player = key
        assert row["name"] == played.names[player]
        assert row["option"] == options[-1]
        assert int(row["changes_of_mind"]) == sum(1 for a, b in itertools.pairwise(options) if a != b)
        assert float(row["seconds_to_vote"]) >= 0
        team_choice = timeline[(turn, card)]["team_choices"][team]
        assert row["team_choice"] == (team_choice or "")
        assert row["became_team_choice"] == ("yes" if options[-1] == team_choice else "no")

    # every team decision of the session (the host's timeline) is in the report
    for (turn, card_id), entry in timeline.items():
        card = next(c for c in report.turns[turn - 1].cards if c.card == card_id)
        assert card.choices == entry["choices"]
        for d in card.teams:
            assert d.choice == entry["team_choices"][d.team]
    # who did not vote, by name
    for turn, player in played.silent:
        team = next(s.session["you"]["team"] for s in played.students if s.session["you"]["player"] == player)
        for card in report.turns[turn - 1].cards:
            for d in card.teams:
                if d.team == team:
                    assert player in [p for p, _n, _o in d.missing]

    # who lost the connection during a vote, per turn
    for turn in report.turns:
        for card in turn.cards:
            for d in card.teams:
                for player, _name in d.away:
                    assert (turn.turn, player) in played.away
    dropped = next(iter(played.away))
    assert any(dropped[1] in [p for p, _ in d.away] for c in report.turns[dropped[0] - 1].cards for d in c.teams)
    assert export["presence"] and all(e["at"] >= export["session"]["created_at"] for e in export["presence"])

    # the HTML: names, every decision's option text, the quotes, the learning figure apart
    html = render_html(report)
    text = _text(html)
    for name in NAMES:
        assert name in text
    for t in report.turns:
        for c in t.cards:
            assert report.text(c.title) in text
            for option in c.choices.values():
                assert report.option_text(c.card, option) in text
            for q in c.history_sources:
                assert q["quote"] in text
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "<svg" in html and "@media print" in html

    # write_report: the three files, the JSON as the server sent it
    paths = write_report(tmp_path, "lesson", export, scenario)
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["data"] == export
    assert paths["csv"].read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read the Polish letters
    assert "Łucja Żółć" in paths["html"].read_text(encoding="utf-8")
    for c in [played.host, *played.students]:
        await c.close()
