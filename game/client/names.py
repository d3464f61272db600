"""Friendly two-word display names ("suggest a name")."""

from __future__ import annotations

import random

_WORDS = {
    "pl": (
        ("Dzielny", "Bystry", "Cichy", "Wesoły", "Mądry", "Szybki", "Odważny", "Zwinny", "Spokojny", "Pogodny"),
        ("Żuraw", "Jeż", "Bóbr", "Sokół", "Łoś", "Wilk", "Borsuk", "Dzięcioł", "Niedźwiedź", "Żubr"),
    ),
    "en": (
        ("Brave", "Clever", "Quiet", "Cheerful", "Wise", "Swift", "Bold", "Nimble", "Calm", "Sunny"),
        ("Crane", "Hedgehog", "Beaver", "Falcon", "Elk", "Wolf", "Badger", "Woodpecker", "Bear", "Bison"),
    ),
}


def suggest_name(lang: str, rng: random.Random | None = None) -> str:
    """A two-word name such as "Bystry Sokół" / "Swift Falcon" (at most 24 characters)."""
    rng = rng or random.Random()
    first, second = _WORDS.get(lang, _WORDS["en"])
    return f"{rng.choice(first)} {rng.choice(second)}"
