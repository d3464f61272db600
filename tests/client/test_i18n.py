"""Every UI string exists in both languages, and the shipped font draws every Polish letter."""

from __future__ import annotations

import re

import pygame

from game.client import i18n
from game.client.style import FONT_BOLD, FONT_REGULAR, FONT_SERIF_BOLD


def test_both_languages_have_the_same_keys():
    assert i18n.keys("pl") == i18n.keys("en")


def test_placeholders_match_between_languages():
    for key in i18n.keys("en"):
        i18n.set_language("en")
        en = set(re.findall(r"{(\w+)}", i18n.tr(key)))
        i18n.set_language("pl")
        pl = set(re.findall(r"{(\w+)}", i18n.tr(key)))
        assert en == pl, key


def test_language_switches_at_run_time():
    i18n.set_language("en")
    assert i18n.tr("menu.host") == "Host a lesson"
    assert i18n.pick({"pl": "Rozejm", "en": "Armistice"}) == "Armistice"
    i18n.set_language("pl")
    assert i18n.tr("menu.host") == "Poprowadź lekcję"
    assert i18n.pick({"pl": "Rozejm", "en": "Armistice"}) == "Rozejm"


def test_shipped_fonts_have_every_polish_letter():
    pygame.font.init()
    for path in (FONT_REGULAR, FONT_BOLD, FONT_SERIF_BOLD):
        font = pygame.font.Font(str(path), 20)
        metrics = font.metrics("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„”–…●✓✗▲▼")
        assert all(m is not None for m in metrics), path


def test_a_default_branch_name_always_fits_the_protocols_limit_and_keeps_from_turn_n_as():
    """"From turn N as <team>" for every built-in team, every turn, both languages (and a team name of
    200 characters): never over the protocol's limit for a branch name; when it had to be shortened, the
    team part ends with "…" and is the start of the team's name; a short one stays as it was."""
    from game.scenarios import builtin_scenario, builtin_scenario_ids
    from server.protocol import BRANCH_NAME_MAX

    prefixes = {"pl": "Od tury {turn} jako ", "en": "From turn {turn} as "}
    shortened = 0
    try:
        for lang, prefix in prefixes.items():
            i18n.set_language(lang)
            teams = [t.name[lang] for sid in builtin_scenario_ids() for t in builtin_scenario(sid).teams.values()]
            for team in [*teams, "Ż" * 200, "Frakcja " * 25]:
                for turn in (1, 9, 31):
                    name = i18n.tr_within("explorer.branch_name", BRANCH_NAME_MAX, "team", turn=turn, team=team)
                    head = prefix.format(turn=turn)
                    assert len(name) <= BRANCH_NAME_MAX and name.startswith(head), name
                    if len(head + team) <= BRANCH_NAME_MAX:
                        assert name == head + team
                    else:
                        shortened += 1
                        kept = name[len(head):]
                        assert kept.endswith("…") and team.startswith(kept[:-1]) and len(kept) > 1, name
                        assert not kept[:-1].endswith((" ", ",", "(")), name
        assert shortened >= 2 * 2 * 2   # civil-war's Kolchak at turn 9 and 31, in both languages, at least
        i18n.set_language("en")
        assert i18n.tr_within("explorer.branch_name", BRANCH_NAME_MAX, "team", turn=9,
                              team="Whites: east and Petrograd (Kolchak, Yudenich)") == \
            "From turn 9 as Whites: east and Petrograd (Kolchak…"
    finally:
        i18n.set_language("pl")
