"""The host's bot controls for one team (the lobby's team columns, the host panel's "Players and
teams" rows): "+ Bot" with the level it will have (click the level to change it), or, once the
team has a bot, its level (click to change it: the server replaces the level) and "Remove bot".

The bot itself is a session member with `bot: <level>` (docs/protocol.md); the host's requests
are `add_bot {team, level}` and `remove_bot {team}`.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.bots.bot import LEVELS

from ..i18n import tr

DEFAULT_LEVEL = "normal"
_PREFIXES = ("bot_add_", "bot_level_", "bot_set_", "bot_remove_")


def level_name(level: str | None) -> str:
    return tr(f"solo.level.{level}") if level in LEVELS else str(level or "")


def bot_label(level: str | None, player: str | None = None) -> str:
    """"Bot 2 · Hard": how a bot member is shown, in this client's language (whatever display name
    the server chose): its number is its player id's (`b2`), so each bot of a session has its own,
    the same after a reconnect or a restart; "Bot · Hard" for an id without one."""
    number = (player or "")[1:]
    if (player or "").startswith("b") and number.isdigit():
        return tr("bot.name_numbered", n=int(number), level=level_name(level))
    return tr("bot.name", level=level_name(level))


def next_level(level: str | None) -> str:
    return LEVELS[(LEVELS.index(level) + 1) % len(LEVELS)] if level in LEVELS else DEFAULT_LEVEL


def team_bot(members: list[dict]) -> dict | None:
    """The team's bot member (a team has at most one), or None."""
    return next((m for m in members if m.get("bot")), None)


def humans(members: list[dict]) -> list[dict]:
    """The team's members that are students."""
    return [m for m in members if not m.get("bot")]


class BotPicker:
    """Builds a team's bot buttons into a `Scene` and handles their actions (`bot_…`)."""

    def __init__(self, scene: Any) -> None:
        self.scene = scene
        self.levels: dict[str, str] = {}   # per team: the level "+ Bot" adds (chosen before adding)

    def build(self, team: str, rect: pygame.Rect, members: list[dict]) -> None:
        """The buttons for `team` (whose members are `members`) side by side across `rect`."""
        sc = self.scene
        bot = team_bot(members)
        if bot is None:
            level = self.levels.get(team, DEFAULT_LEVEL)
            items = [(f"bot_add_{team}", tr("bot.add"), "#small_button", tr("bot.add_tip", level=level_name(level))),
                     (f"bot_level_{team}", level_name(level) + " ▸", "#small_button", tr("bot.level_tip"))]
        else:
            items = [(f"bot_set_{team}", bot_label(bot.get("bot"), bot.get("player")) + " ▸", "#chip_chosen",
                      tr("bot.level_tip")),
                     (f"bot_remove_{team}", tr("bot.remove"), "#small_button", tr("bot.remove_tip"))]
        # widths in proportion to the labels (the theme's fonts: 14 px, chips 13 px bold)
        fonts = {"#small_button": sc.app.fonts.get(sc.px(14)), "#chip_chosen": sc.app.fonts.get(sc.px(13), "bold")}
        need = [fonts[oid].size(text)[0] + sc.px(24) for _, text, oid, _ in items]
        gap = sc.px(4)
        x = rect.x
        for i, (action, text, oid, tip) in enumerate(items):
            w = rect.right - x if i == len(items) - 1 else (rect.width - gap) * need[i] // sum(need)
            sc.button(action, text, pygame.Rect(x, rect.y, w, rect.height), oid, tooltip=tip)
            x += w + gap

    def handle(self, action: str) -> bool:
        """Do a `bot_…` action (send the host's request, or change the level to add); False for others."""
        prefix = next((p for p in _PREFIXES if action.startswith(p)), None)
        if prefix is None:
            return False
        team = action[len(prefix):]
        app = self.scene.app
        if prefix == "bot_add_":
            app.send("add_bot", team=team, level=self.levels.get(team, DEFAULT_LEVEL))
        elif prefix == "bot_level_":
            self.levels[team] = next_level(self.levels.get(team, DEFAULT_LEVEL))
        elif prefix == "bot_set_":
            bot = team_bot(app.session.members_by_team().get(team, [])) if app.session else None
            level = next_level(bot.get("bot") if bot else None)
            self.levels[team] = level
            app.send("add_bot", team=team, level=level)
        else:
            app.send("remove_bot", team=team)
        self.scene.resume()
        return True
