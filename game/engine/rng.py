"""A small seeded generator whose whole state is one integer kept in the game state.

SplitMix64 (Steele, Lea & Flood 2014): one 64-bit add and a mix per draw, good
statistical quality for game dice, and trivially serialisable — the state is
an ``int`` inside ``GameState``, never a global, so replays draw the same.
"""

from __future__ import annotations

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def seed_state(seed: int) -> int:
    """The generator state for a session seed (any int)."""
    return (seed * GOLDEN + 0x632BE59BD9B4E019) & MASK64


def next_u64(state: int) -> tuple[int, int]:
    """Return ``(new_state, value)`` with value uniform in [0, 2**64)."""
    state = (state + GOLDEN) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def draw_index(state: int, weights: tuple[int, ...]) -> tuple[int, int]:
    """Pick an index with probability proportional to integer ``weights``; returns (new_state, index).

    >>> draw_index(seed_state(1), (1, 0))[1]
    0
    """
    total = sum(weights)
    state, value = next_u64(state)
    point = value % total
    for i, w in enumerate(weights):
        if point < w:
            return state, i
        point -= w
    return state, len(weights) - 1  # unreachable: point < total
