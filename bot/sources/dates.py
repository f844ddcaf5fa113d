"""Which date format a column is written in, decided on the whole file: day/month order is known as soon
as one value has a first part above 12; when none has, the order is ambiguous and must be given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

_DATES = (
    "%d/%m/%Y", "%m/%d/%Y", "%d/%m/%y", "%m/%d/%y", "%Y/%m/%d",
    "%d-%m-%Y", "%m-%d-%Y", "%d.%m.%Y", "%d.%m.%y",
    "%d-%b-%y", "%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%Y%m%d",
)  # fmt: skip
_TIMES = ("", " %H:%M", " %H:%M:%S", "T%H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
SAMPLE = 300
MAX_DISTINCT = 200_000


@dataclass(frozen=True)
class DateGuess:
    fmt: str | None  # a strptime format; None: ISO 8601 (or nothing to decide)
    fits: int  # distinct values it reads
    total: int  # distinct values seen
    ambiguous: tuple[str, ...] = ()  # formats that read every value equally well (day/month order unknown)


def guess_date_format(values: Iterable[object]) -> DateGuess:
    distinct = _distinct(values)
    if not distinct:
        return DateGuess(None, 0, 0)
    iso = _fits(distinct, None)
    if iso == len(distinct):
        return DateGuess(None, iso, len(distinct))
    sample = distinct[:SAMPLE]
    candidates = [d + t for d in _DATES for t in _TIMES if _fits(sample, d + t) * 2 >= len(sample)]
    scored = sorted(((_fits(distinct, c), c) for c in candidates), key=lambda x: -x[0])
    if not scored or scored[0][0] <= iso:
        return DateGuess(None, iso, len(distinct))
    best = scored[0][0]
    tied = tuple(c for n, c in scored if n == best)
    differ = len(tied) > 1 and not _same_reading(distinct, tied)
    return DateGuess(tied[0], best, len(distinct), tied if differ else ())


def _same_reading(values: list[str], formats: tuple[str, ...]) -> bool:
    """Formats that tie but read every value as the same date ("%b" and "%B" on "1 May 2021") are one."""
    for value in values:
        readings = set()
        for fmt in formats:
            try:
                readings.add(datetime.strptime(value, fmt))
            except ValueError:
                readings.add(None)  # type: ignore[arg-type]
        if len(readings) > 1:
            return False
    return True


def fits(values: Iterable[object], fmt: str | None) -> tuple[int, int]:
    distinct = _distinct(values)
    return _fits(distinct, fmt), len(distinct)


def _distinct(values: Iterable[object]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if isinstance(value, str) and value.strip():
            seen[value.strip()] = None
            if len(seen) >= MAX_DISTINCT:
                break
    return list(seen)


def _fits(values: list[str], fmt: str | None) -> int:
    count = 0
    for value in values:
        try:
            if fmt is None:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            else:
                datetime.strptime(value, fmt)
        except ValueError:
            continue
        count += 1
    return count
