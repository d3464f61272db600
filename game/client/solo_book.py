"""The solo games this computer holds, so that one can be continued after a restart or days later.

Solo games live in their own SQLite database (`solo_db_path()`, in the user's data directory),
apart from the teacher's lessons, and their seats in their own book (``solo.json`` beside the
settings), readable by its owner only: each entry holds the game's host token and the player's
resume token, which are as good as the game.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from game.wire import normalize_code

from .settings import Settings

MAX_GAMES = 30
ROLE = "solo"   # what a solo game's entry answers to `role` (the saved-lesson errands ask for it)


def solo_db_path() -> Path:
    """``<user data dir>/crossroads-1917/solo.sqlite3`` (platformdirs); ``CROSSROADS_DATA_DIR`` moves it."""
    base = os.environ.get("CROSSROADS_DATA_DIR")
    if not base:
        from platformdirs import user_data_dir

        base = user_data_dir("crossroads-1917", appauthor=False)
    return Path(base) / "solo.sqlite3"


@dataclass
class SavedSolo:
    """One solo game: its join code, both tokens, what it is (scenario, side, bots) and how far it got."""

    code: str
    host_token: str
    player_token: str = ""
    scenario: str = ""
    title: dict[str, str] = field(default_factory=dict)      # the scenario's title {pl, en}
    team: str = ""
    team_name: dict[str, str] = field(default_factory=dict)  # the player's side {pl, en}
    level: str = ""
    timer: int | None = None
    saved_at: str = ""   # ISO local time of the last change
    stage: str = ""      # "" (not known), "lobby", "playing", "ended", "ended_early"
    turn: int = 0
    turn_count: int = 0
    # a what-if branch (the explorer): the game it branched from, how many of its decisions it shares, its name
    parent: str = ""
    branched_at: int | None = None
    name: str = ""

    role = ROLE

    @property
    def token(self) -> str:
        """The game's host token (what deleting it from the database takes)."""
        return self.host_token


class SoloBook:
    """The saved solo games, newest first. With ``path=None`` it only lives in memory."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.games: list[SavedSolo] = self._load()

    @classmethod
    def default(cls) -> SoloBook:
        return cls(Settings.path().parent / "solo.json")

    def _load(self) -> list[SavedSolo]:
        if self.path is None:
            return []
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            known = set(SavedSolo.__dataclass_fields__)
            return [SavedSolo(**{k: v for k, v in row.items() if k in known}) for row in rows
                    if isinstance(row, dict) and row.get("code") and row.get("host_token")]
        except (OSError, ValueError, TypeError):
            return []

    def _save(self) -> None:
        if self.path is None:
            return
        with contextlib.suppress(OSError):  # a read-only profile must not break the game
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump([asdict(g) for g in self.games], f, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)

    def remember(self, game: SavedSolo) -> None:
        """Add or replace `game` (by its code), at the top of the list."""
        game.code = normalize_code(game.code)
        game.saved_at = game.saved_at or datetime.now().isoformat(timespec="minutes")
        self.games = [game] + [g for g in self.games if g.code != game.code]
        del self.games[MAX_GAMES:]
        self._save()

    def update(self, code: str, **fields: object) -> bool:
        """Change fields of a saved game (written only when something changed). True if it changed."""
        game = self.find(code)
        if game is None or all(getattr(game, k) == v for k, v in fields.items()):
            return False
        for k, v in fields.items():
            setattr(game, k, v)
        game.saved_at = datetime.now().isoformat(timespec="minutes")
        self._save()
        return True

    def find(self, code: str) -> SavedSolo | None:
        code = normalize_code(code)
        return next((g for g in self.games if g.code == code), None)

    def forget(self, code: str, role: str = ROLE) -> None:
        """Drop a game from the list (`role` is there for the saved-lesson errands, which pass it)."""
        code = normalize_code(code)
        self.games = [g for g in self.games if g.code != code]
        self._save()

    def unfinished(self) -> list[SavedSolo]:
        """The games that can still be played on, newest first."""
        return [g for g in self.games if g.stage not in ("ended", "ended_early")]
