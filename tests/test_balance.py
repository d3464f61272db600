"""crossroads balance: the tables of docs/balance.md are measured, reproducible and flag what they should."""

from __future__ import annotations

from game.bots.balance import Balance, OptionStats, format_markdown, measure
from game.scenarios import builtin_scenario


def test_balance_is_reproducible_and_counts_every_game():
    sc = builtin_scenario("brest-1918")
    a, b = measure(sc, 60, seed=3), measure(sc, 60, seed=3)
    assert format_markdown(a) == format_markdown(b)
    assert sum(a.endings.values()) == 60
    assert abs(sum(a.first.values()) - 60) < 1e-6  # ties are shared, so each game hands out one first place
    assert format_markdown(measure(sc, 60, seed=4)) != format_markdown(a)


def test_an_option_far_below_its_best_alternative_is_flagged_and_a_note_justifies_it():
    sc = builtin_scenario("brest-1918")
    bal = Balance(sc, games=100)
    bal.options[("armistice", "lenin", "a")] = OptionStats("armistice", "lenin", "a", False, plays=50, total=50 * 4.0)
    bal.options[("armistice", "lenin", "b")] = OptionStats("armistice", "lenin", "b", True, plays=50, total=50 * 10.0)
    bal.options[("armistice", "lenin", "c")] = OptionStats("armistice", "lenin", "c", False, plays=5, total=0.0)
    flagged = bal.flagged()
    assert [(s.option, best.option) for s, best, _ in flagged] == [("a", "b")]  # c: too few plays to compare
    assert abs(flagged[0][2] - 0.6) < 1e-9
    text = format_markdown(bal, {"armistice.a": "students should feel this mistake"})
    assert "students should feel this mistake" in text and "not justified" not in text
    assert "not justified yet" in format_markdown(bal)


def test_the_bot_figures_section_survives_a_rewrite_of_the_random_tables():
    from game.bots.balance import BOTS_BEGIN, BOTS_END, balance_document, bots_section, with_bots_section

    sc = builtin_scenario("brest-1918")
    plain = balance_document([measure(sc, 20, seed=1)], {}, "crossroads balance --write")
    assert bots_section(plain) is None
    section = f"{BOTS_BEGIN}\n\n## Bots\n\nhard first 55%\n\n{BOTS_END}\n"
    written = with_bots_section(plain, section)
    assert bots_section(written) == section and written.startswith(plain.rstrip("\n"))
    rewritten = balance_document([measure(sc, 20, seed=2)], {}, "crossroads balance --write", bots_section(written))
    assert bots_section(rewritten) == section  # the bench's figures stay when the random tables change
    assert rewritten != written
    newer = section.replace("55%", "60%")
    assert bots_section(with_bots_section(rewritten, newer)) == newer and "55%" not in with_bots_section(rewritten, newer)
