"""Time is explicit: services take `now`; adapters get it from a Clock. Stored times are UTC, tz-aware."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """For tests and demos: a clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        """Move on by `timedelta(**delta)` (a survey round's half-way, its close)."""
        from datetime import timedelta

        self._at = self._at + timedelta(**delta)


def ensure_utc(value: datetime, *, naive: tzinfo = UTC) -> datetime:
    """The one UTC conversion: `value` as an aware UTC datetime. A naive value is read in `naive`'s
    timezone: UTC by default (SQLite hands stored UTC values back naive), a file's timezone on import."""
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=naive)
        if naive is UTC:
            return value
    return value.astimezone(UTC)


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The UTC instant `day` starts in `tz` (a local day may last 23 or 25 hours)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
