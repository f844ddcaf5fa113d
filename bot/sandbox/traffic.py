"""Sustained-rate limits and random error injection for the stand-in (fan-out tests, benchmarks).

Slack documents chat.postMessage as "about one message per second per channel, short bursts
allowed", plus an unpublished workspace-wide cap. `TokenBucket` models such a limit: `rate` calls
per second sustained, up to `burst` at once after a quiet spell, 429 + Retry-After (whole seconds,
at least 1, as Slack sends it) when empty. `ErrorRate` makes a share of calls fail with 429 or 500
before they do anything, from a seeded generator so a run can be replayed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    rate: float  # calls per second, sustained
    burst: float  # calls allowed at once
    tokens: float = -1.0
    updated: float | None = None

    def retry_after(self, now: float) -> int | None:
        """None (and one token taken) when the call may run; else whole seconds to wait."""
        if self.updated is None:
            self.tokens, self.updated = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - self.tokens) / self.rate))


@dataclass
class ErrorRate:
    share: float  # 0..1 of calls that fail
    statuses: Sequence[int] = (429, 500)
    retry_after: int = 1
    rng: random.Random = field(default_factory=random.Random)

    def draw(self) -> int | None:
        """The HTTP status this call fails with, or None when it goes through."""
        if self.share <= 0 or self.rng.random() >= self.share:
            return None
        return self.rng.choice(list(self.statuses))
