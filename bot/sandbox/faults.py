"""Fault injection and rate limiting for the stand-in: 429s, 500s, latency, Slack's tiers."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.traffic import ErrorRate, TokenBucket

# Per-minute limits of the tiers Symmetry meets (see /work/shared/SLACK.md), applied when the
# stand-in runs with enforce_rate_limits=True. chat.postMessage is limited per channel instead.
TIER_PER_MINUTE: dict[str, int] = {
    "users.list": 20,
    "team.info": 20,
    "conversations.open": 50,
    "conversations.info": 50,
    "chat.update": 50,
    "chat.delete": 50,
    "users.info": 100,
    "chat.postEphemeral": 100,
    "views.open": 100,
    "views.push": 100,
    "views.update": 100,
    "views.publish": 100,
    "files.getUploadURLExternal": 100,
    "files.completeUploadExternal": 100,
}
POST_MESSAGE_PER_CHANNEL_PER_SECOND = 1


@dataclass
class InjectedFailure:
    status: int
    retry_after: int
    remaining: int


class _SlidingWindow:
    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.hits: deque[float] = deque()

    def retry_after(self, now: float) -> int | None:
        """None and count the hit when allowed; otherwise whole seconds until a slot frees."""
        while self.hits and now - self.hits[0] >= self.window:
            self.hits.popleft()
        if len(self.hits) >= self.limit:
            return max(1, math.ceil(self.hits[0] + self.window - now))
        self.hits.append(now)
        return None


class Faults:
    def __init__(self, clock: Callable[[], float], *, enforce_rate_limits: bool = False) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.enforce_rate_limits = enforce_rate_limits
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._failures: dict[str, deque[InjectedFailure]] = {}
            self._latency: dict[str, float] = {}
            self._limits: dict[str, int] = dict(TIER_PER_MINUTE) if self.enforce_rate_limits else {}
            self._windows: dict[tuple[str, str], _SlidingWindow] = {}
            self._buckets: dict[str, TokenBucket] = {}
            self._error_rates: dict[str, ErrorRate] = {}

    def fail_next(self, method: str, *, status: int = 429, times: int = 1, retry_after: int = 1) -> None:
        with self._lock:
            queue = self._failures.setdefault(method, deque())
            queue.append(InjectedFailure(status=status, retry_after=retry_after, remaining=times))

    def error_rate(self, method: str, rate: ErrorRate | None) -> None:
        with self._lock:
            if rate is None:
                self._error_rates.pop(method, None)
            else:
                self._error_rates[method] = rate

    def take_failure(self, method: str) -> InjectedFailure | None:
        with self._lock:
            queue = self._failures.get(method)
            if not queue:
                drawn = self._error_rates.get(method)
                status = drawn.draw() if drawn else None
                return None if status is None else InjectedFailure(status, drawn.retry_after, 0)  # type: ignore[union-attr]
            failure = queue[0]
            failure.remaining -= 1
            if failure.remaining <= 0:
                queue.popleft()
            return failure

    def set_latency(self, method: str, seconds: float) -> None:
        with self._lock:
            self._latency[method] = seconds

    def latency(self, method: str) -> float:
        with self._lock:
            return self._latency.get(method, 0.0)

    def rate_limit(self, method: str, *, per_minute: int) -> None:
        with self._lock:
            self._limits[method] = per_minute
            self._windows.pop((method, ""), None)

    def sustained_rate(self, method: str, *, per_second: float, burst: float) -> None:
        """A workspace-wide limit for `method`: `per_second` sustained, `burst` at once."""
        with self._lock:
            self._buckets[method] = TokenBucket(rate=per_second, burst=max(1.0, burst))

    def retry_after(self, method: str, *, channel: str | None = None) -> int | None:
        """Seconds to wait when this call is over its limit, else None (and the call is counted)."""
        with self._lock:
            now = self._clock()
            if (bucket := self._buckets.get(method)) is not None and (wait := bucket.retry_after(now)):
                return wait
            if method == "chat.postMessage" and self.enforce_rate_limits and channel:
                window = self._windows.setdefault(
                    (method, channel), _SlidingWindow(POST_MESSAGE_PER_CHANNEL_PER_SECOND, 1.0)
                )
                if (wait := window.retry_after(now)) is not None:
                    return wait
            if method not in self._limits:
                return None
            window = self._windows.setdefault((method, ""), _SlidingWindow(self._limits[method], 60.0))
            return window.retry_after(now)
