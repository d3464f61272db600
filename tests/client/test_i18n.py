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
