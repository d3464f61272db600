"""The player's settings, persisted as JSON in the platform's user config directory."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from platformdirs import user_config_dir

from game.wire import DEFAULT_PORT

SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)
OLD_DEFAULT_ADDRESS = f"127.0.0.1:{DEFAULT_PORT}"


@dataclass
class Settings:
    language: str = "pl"
    scale: float = 1.0
    colourblind: bool = False
    fullscreen: bool = False
    sound: bool = False
    last_address: str = ""   # the last lesson joined (a student's own computer is no server: no default)
    last_name: str = ""
    teacher_name: str = ""   # the name the teacher's lessons are announced with on the LAN (may stay empty)

    @classmethod
    def path(cls) -> Path:
        base = os.environ.get("CROSSROADS_CONFIG_DIR") or user_config_dir("crossroads-1917", appauthor=False)
        return Path(base) / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        """The saved settings, or the defaults when there are none or they are unreadable."""
        try:
            data = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        s = cls(**{k: v for k, v in data.items() if k in known})
        if s.language not in ("pl", "en"):
            s.language = "pl"
        s.scale = min(SCALES, key=lambda v: abs(v - float(s.scale)))
        if s.last_address == OLD_DEFAULT_ADDRESS:  # saved by older clients that prefilled it for everyone
            s.last_address = ""
        return s

    def save(self) -> None:
        p = self.path()
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        except OSError:
            pass  # a read-only profile must not stop the lesson
