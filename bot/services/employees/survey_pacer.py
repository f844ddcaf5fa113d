"""One pacer for survey DMs: a token bucket at Slack's rate that Retry-After pauses, in one thread.

Slack limits chat.postMessage per workspace (and per channel, irrelevant for one DM per person).
The pacer hands out one send slot at a time at `rate` per second, up to `burst` after a quiet
spell, which is how Slack's limiter refills: a pause ordered by a 429's Retry-After lets the
bucket refill, so the lost second is caught up right after it instead of being lost for good.

A call Slack turned away (a 429, a 5xx) took no room in Slack's window: `refund` gives its slot
back, so retries do not eat into the rate that real sends may use. The bucket never holds more
than `burst`, so the pacer never sends faster than the limit Slack (and the stand-in) enforce.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Pacer:
    rate: float  # sends per second
    burst: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = field(default=-1.0, init=False)
    _updated: float = field(default=0.0, init=False)
    _paused_until: float = field(default=0.0, init=False)
    waited: float = field(default=0.0, init=False)  # seconds spent waiting (for the figures)

    def acquire(self) -> None:
        """Block until one send is allowed."""
        self.take(1)

    def take(self, most: int) -> int:
        """Block until at least one send is allowed, then take as many as are free, up to `most`.

        At the steady rate that is one at a time; right after a pause (Retry-After) the bucket
        has refilled, and the sender catches up with several slots claimed in one go."""
        while True:
            now = self.clock()
            if now < self._paused_until:
                self._wait(self._paused_until - now)
                continue
            self._refill(now)
            if self._tokens >= 1.0:
                taken = max(1, min(most, int(self._tokens)))
                self._tokens -= taken
                return taken
            self._wait((1.0 - self._tokens) / self.rate)

    def refund(self, slots: int = 1) -> None:
        """Slots not used up (Slack refused the call before counting it, or it was never made): back."""
        if self._tokens >= 0:
            self._tokens = min(self.burst, self._tokens + slots)

    def pause(self, seconds: float) -> None:
        """Slack said Retry-After: nothing is sent before it has passed."""
        self._paused_until = max(self._paused_until, self.clock() + max(0.0, seconds))

    def _refill(self, now: float) -> None:
        if self._tokens < 0:
            self._tokens, self._updated = self.burst, now  # like Slack's limiter after a quiet spell
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def _wait(self, seconds: float) -> None:
        self.waited += seconds
        self.sleep(seconds)
