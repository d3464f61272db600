"""Token buckets keyed by client address, for wrong join codes and tokens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class Throttle:
    """``capacity`` failures at once, refilled at ``rate`` per second, per key.

    Call ``retry_after(key)`` before trying (``0.0``: go ahead) and ``fail(key)``
    after a wrong guess.  Buckets that are full again are forgotten.
    """

    def __init__(self, clock: Callable[[], float], capacity: float = 8, rate: float = 0.5) -> None:
        self.clock = clock
        self.capacity = capacity
        self.rate = rate
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, key: str) -> _Bucket | None:
        bucket = self._buckets.get(key)
        if bucket is None:
            return None
        now = self.clock()
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= self.capacity:
            del self._buckets[key]
            return None
        return bucket

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again (0.0 if it may now)."""
        bucket = self._bucket(key)
        if bucket is None or bucket.tokens >= 1:
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def fail(self, key: str) -> None:
        bucket = self._bucket(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.capacity, self.clock())
        bucket.tokens = max(0.0, bucket.tokens - 1)
        if len(self._buckets) > 10_000:  # bound memory against address spraying
            self._buckets.pop(next(iter(self._buckets)))
