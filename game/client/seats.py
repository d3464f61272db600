"""Seats this computer holds in lessons, so a lesson can be resumed after a restart or days later.

A seat is what the server's reply gave us: the join code, our role and the token
that proves the seat is ours (the host token for the teacher, a resume token for
a student). The book lives beside the settings (``seats.json``) and is readable
by its owner only, since a token is as good as the seat.
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

MAX_SEATS = 30



@dataclass
class SavedSeat:
    code: str
    role: str  # "host" | "player"
    token: str
    address: str
    name: str | None = None
    title: dict[str, str] = field(default_factory=dict)  # the scenario's title {pl, en}
    saved_at: str = ""  # ISO local time, for the list a teacher picks from
    # how far the lesson got, as this computer last saw it: "" (not known), "lobby", "playing", "ended"
    stage: str = ""
    turn: int = 0
    turn_count: int = 0


class SeatBook:
    """The saved seats, newest first. With ``path=None`` it only lives in memory (tests)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.seats: list[SavedSeat] = self._load()

    @classmethod
    def default(cls) -> SeatBook:
        return cls(Settings.path().parent / "seats.json")

    def _load(self) -> list[SavedSeat]:
        if self.path is None:
            return []
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            known = set(SavedSeat.__dataclass_fields__)
            return [SavedSeat(**{k: v for k, v in row.items() if k in known}) for row in rows if isinstance(row, dict)]
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
                json.dump([asdict(s) for s in self.seats], f, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)

    def remember(self, seat: SavedSeat) -> None:
        seat.code = normalize_code(seat.code)
        seat.saved_at = seat.saved_at or datetime.now().isoformat(timespec="minutes")
        self.seats = [seat] + [s for s in self.seats if (s.code, s.role) != (seat.code, seat.role)]
        del self.seats[MAX_SEATS:]
        self._save()

    def progress(self, code: str, role: str, stage: str, turn: int = 0, turn_count: int = 0) -> bool:
        """Note how far a saved lesson got (written only when it changed). True if it changed."""
        seat = self.find(code, role)
        if seat is None or (seat.stage, seat.turn, seat.turn_count) == (stage, turn, turn_count):
            return False
        seat.stage, seat.turn, seat.turn_count = stage, turn, turn_count
        seat.saved_at = datetime.now().isoformat(timespec="minutes")
        self._save()
        return True

    def forget(self, code: str, role: str) -> None:
        code = normalize_code(code)
        self.seats = [s for s in self.seats if (s.code, s.role) != (code, role)]
        self._save()

    def find(self, code: str, role: str) -> SavedSeat | None:
        code = normalize_code(code)
        return next((s for s in self.seats if (s.code, s.role) == (code, role)), None)

    def hosted(self) -> list[SavedSeat]:
        return [s for s in self.seats if s.role == "host"]
