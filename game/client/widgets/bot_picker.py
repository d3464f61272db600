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


def bot_label(level: str | None) -> str:
    """"Bot · Hard": how a bot member is shown (whatever display name the server chose)."""
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
        gap = sc.px(4)
        bot = team_bot(members)
        left_w = (rect.width - gap) * 11 // 20
        left = pygame.Rect(rect.x, rect.y, left_w, rect.height)
        right = pygame.Rect(left.right + gap, rect.y, rect.width - left_w - gap, rect.height)
        if bot is None:
            level = self.levels.get(team, DEFAULT_LEVEL)
            sc.button(f"bot_add_{team}", tr("bot.add"), left, "#small_button",
                      tooltip=tr("bot.add_tip", level=level_name(level)))
            sc.button(f"bot_level_{team}", level_name(level) + " ▸", right, "#small_button",
                      tooltip=tr("bot.level_tip"))
        else:
            sc.button(f"bot_set_{team}", bot_label(bot.get("bot")) + " ▸", left, "#chip_chosen",
                      tooltip=tr("bot.level_tip"))
            sc.button(f"bot_remove_{team}", tr("bot.remove"), right, "#small_button")

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
