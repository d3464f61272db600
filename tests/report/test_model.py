"""The report's rules on a whole brest-1918 game played on the server's Master (no sockets)."""

from __future__ import annotations

import copy

import pytest

from game.report import Questions, ReportError, build_report, guide_questions, render_html
from game.report.files import guide_for
from game.scenarios import builtin_scenario

SCENARIO = "brest-1918"


def test_the_learning_figure_counts_only_cards_history_speaks_to(export) -> None:
    sc = builtin_scenario(SCENARIO)
    report = build_report(export, sc)
    counted = {row.team: (row.matched, row.counted, row.silent) for row in report.learning}
    expected = {t: [0, 0, 0] for t in counted}
    for turn in report.turns:
        for card in turn.cards:
            sc_card = sc.cards[card.card]
            for d in card.teams:
                if d.choice is None or card.off_turn:
                    continue
                history = [o for o in sc_card.options.values() if o.historical and d.decider in o.deciders]
                if not history:
                    expected[d.team][2] += 1  # the source is silent for this side: not history
                else:
                    expected[d.team][1] += 1
                    expected[d.team][0] += int(sc_card.options[d.choice].historical)
    assert counted == {t: tuple(v) for t, v in expected.items()}
    assert any(v[2] for v in expected.values()), "brest-1918 has cards whose source is silent for some side"
    # and it is not the score: the two are reported apart
    html = render_html(report)
    assert html.index('id="learning"') > html.index('id="scores"')


def test_an_english_report_glosses_the_quotes_and_a_polish_one_does_not(export) -> None:
    sc = builtin_scenario(SCENARIO)
    quote = next(q for t in build_report(export, sc).turns for c in t.cards for q in c.history_sources if q.get("en"))
    english = render_html(build_report(export, sc, "en"))
    polish = render_html(build_report(export, sc, "pl"))
    assert quote["quote"] in english and quote["en"] in english
    assert quote["quote"] in polish and quote["en"] not in polish
    assert '<html lang="en">' in english and "Lesson report" in english
    assert '<html lang="pl">' in polish and "Raport z lekcji" in polish


def test_the_questions_come_from_the_guide_and_say_so_or_say_where_they_are(export) -> None:
    sc = builtin_scenario(SCENARIO)
    found = guide_for(SCENARIO, "pl")
    assert found.origin == "guide" and len(found.items) == 3 and found.source == "docs/history/brest-1918.md"
    html = render_html(build_report(export, sc, "pl", questions=found))
    assert found.items[0] in html and "Trzy pytania na omówienie" in html
    missing = render_html(build_report(export, sc, "pl", questions=Questions(source="docs/history/brest-1918.md")))
    assert "Scenariusz nie ma pytań w danych" in missing and "docs/history/brest-1918.md" in missing
    assert guide_questions("# no questions here\n", "en").items == ()


def test_a_report_refuses_another_scenario_or_a_log_that_does_not_replay(export) -> None:
    with pytest.raises(ReportError) as wrong:
        build_report(export, builtin_scenario("genoa-rapallo"))
    assert wrong.value.code == "report/wrong_scenario"
    tampered = copy.deepcopy(export)
    vote = next(e for e in tampered["log"] if e["type"] == "vote")
    vote["option"] = "no_such_option"
    with pytest.raises(ReportError) as bad:
        build_report(tampered, builtin_scenario(SCENARIO))
    assert bad.value.code == "report/bad_log"
    with pytest.raises(ReportError) as not_export:
        build_report({"hello": 1}, builtin_scenario(SCENARIO))
    assert not_export.value.code == "report/bad_export"


def test_a_changed_scenario_or_a_different_game_is_flagged(export) -> None:
    sc = builtin_scenario(SCENARIO)
    other = copy.deepcopy(export)
    other["session"]["scenario_digest"] = "0" * 64  # played with another version of the file
    other["digest"] = "f" * 64
    report = build_report(other, sc)
    assert not report.digest_matches and not report.verified
    html = render_html(report)
    assert "innej wersji scenariusza" in html and "nie dało stanu" in html
    assert build_report(export, sc).verified
