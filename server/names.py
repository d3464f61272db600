"""Join codes, tokens and display names.

>>> normalise_name("  Ania\\t\\u0000 Kowalska  ")
'Ania Kowalska'
>>> distinct_name("Ania", ["ania", "Ania (2)"])
'Ania (3)'
"""

from __future__ import annotations

import base64
import hashlib
import random
import secrets
import unicodedata
from collections.abc import Iterable

#: No 0/O, 1/I/L: easy to read aloud and to type from a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NAME_MAX = 24  # a player's (or bot's) display name
TEACHER_NAME_MAX = 60  # the teacher's name, announced with the lesson (``create_session``: str[≤60] on the wire)
BRANCH_NAME_MAX = 60  # a what-if branch's name (``branch`` / ``rename_branch``: str[≤60] on the wire)


class Randomness:
    """Where seeds, join codes and tokens come from, injected like the clock.

    The default draws from the operating system (``secrets``); a test passes a seeded
    ``random.Random`` to get the same codes, seeds and tokens every run.
    """

    def __init__(self, source: random.Random | None = None) -> None:
        self.source = source if source is not None else secrets.SystemRandom()

    def seed(self) -> int:
        """A game seed (62 bits)."""
        return self.source.getrandbits(62)

    def join_code(self, taken: Iterable[str] = ()) -> str:
        """A fresh 6-character code (31**6, about 887 million) not in ``taken``."""
        taken = set(taken)
        while True:
            code = "".join(self.source.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in taken:
                return code

    def token(self) -> str:
        """A secret for a seat (host or player): 32 random bytes, URL-safe."""
        return base64.urlsafe_b64encode(self.source.randbytes(32)).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """Tokens are stored hashed, so a copied database does not hand out seats."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_name(raw: str, limit: int = NAME_MAX) -> str:
    """Strip control and format characters, collapse whitespace, cut to ``limit`` characters (24)."""
    kept = []
    for ch in unicodedata.normalize("NFC", raw):
        cat = unicodedata.category(ch)
        if ch.isspace() or cat == "Zs":
            kept.append(" ")
        elif cat[0] != "C":
            kept.append(ch)
    name = " ".join("".join(kept).split())
    return name[:limit].strip()


def distinct_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... so that no two members share one
    (compared case-insensitively)."""
    used = {t.casefold() for t in taken}
    if name.casefold() not in used:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: NAME_MAX - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in used:
            return candidate
        n += 1
