"""Scenes without a server: menu, settings (live language, scale, palette), keyboard and mouse."""

from __future__ import annotations

import pygame
import pygame_gui

from game.client.names import suggest_name
from game.client.settings import Settings
from game.client.widgets.card_view import format_date, risk_label

from .helpers import make_app, scene_name, texts


def key(k: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)


def test_menu_offers_every_entry_and_solo_opens_its_setup():
    app = make_app("en")
    shown = texts(app)
    for label in ("Host a lesson", "Join a game", "Play solo", "Settings", "Quit"):
        assert label in shown
    app.scenes.top.press("solo")
    assert type(app.scenes.top).__name__ == "SoloSetupScene" and "Your side" in texts(app)


def test_keyboard_tab_and_enter_open_join_and_esc_returns():
    app = make_app("en")
    app.step([key(pygame.K_TAB)])          # focus moves from "Host" to "Join"
    app.step([key(pygame.K_RETURN)])
    assert scene_name(app) == "JoinScene"
    app.step([key(pygame.K_ESCAPE)])
    assert scene_name(app) == "MenuScene"


def test_mouse_click_on_a_button_opens_its_scene():
    app = make_app("en")
    button = app.scenes.top.actions["settings"]
    pos = button.rect.center
    app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))])
    app.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)])
    app.step([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)])
    pressed = [e for e in pygame.event.get(pygame_gui.UI_BUTTON_PRESSED) if e.ui_element is button]
    assert pressed
    app.step(pressed)
    assert scene_name(app) == "SettingsScene"


def test_settings_switch_language_live_and_persist(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSROADS_CONFIG_DIR", str(tmp_path))
    app = make_app("pl")
    app.save_settings = True
    app.scenes.top.press("settings")
    assert "Ustawienia" in texts(app)
    app.scenes.top.press("lang_en")
    assert "Settings" in texts(app)
    app.scenes.top.press("back")
    assert "Host a lesson" in texts(app)      # the menu below follows without a restart
    assert Settings.load().language == "en"


def test_settings_scale_and_colourblind_palette_rebuild_the_ui():
    app = make_app("en", size=(2560, 1440))
    app.scenes.top.press("settings")
    small = app.scenes.top.actions["back"].rect.height
    app.scenes.top.press("scale_2.0")
    assert app.scale == 2.0
    assert app.scenes.top.actions["back"].rect.height == 2 * small
    app.scenes.top.press("cb_on")
    assert app.palette.controllers  # Okabe–Ito colours for the map
    assert app.settings.sound is False  # sound is off by default


def test_ui_scale_is_capped_by_a_small_window():
    app = make_app("en")                      # 1280x720
    app.settings.scale = 2.0
    assert 1.0 <= app.scale < 1.2             # the layouts stay whole; a bigger window gets more


def test_long_polish_text_wraps_inside_its_width_at_every_scale():
    app = make_app("pl")
    text = "Przyjąć rozejm i zacząć rozmowy, ale nie spieszyć się z podpisem — Konstantynopolitańczykowianeczka"
    for scale in (1.0, 1.5, 2.0):
        size = round(16 * scale)
        width = round(300 * scale)
        lines = app.text.wrap(text, size, width)
        assert len(lines) > 1
        assert all(app.fonts.get(size).size(line)[0] <= width for line in lines)


def test_suggested_names_are_two_friendly_words():
    for lang in ("pl", "en"):
        name = suggest_name(lang)
        assert len(name.split()) == 2 and len(name) <= 24


def test_card_helpers_format_dates_and_odds():
    assert format_date("1918-03-03") == "3 III 1918"
    assert format_date("1918-01") == "I 1918"
    assert "70%" in risk_label([0.7, 0.3])


def test_f2_switches_language_anywhere():
    app = make_app("pl")
    app.scenes.top.press("join")
    assert "Dołącz do gry" in texts(app)
    app.step([key(pygame.K_F2)])
    assert "Join a game" in texts(app)
    app.step([key(pygame.K_F2)])
    assert "Dołącz do gry" in texts(app)
