"""A period: a local date range with its label, and the period just before it (for comparisons)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.services.kpi.period_words import Unit, fmt_day, fmt_range, shift, unit_name


@dataclass(frozen=True)
class Period:
    start: date  # inclusive, local date
    end: date  # inclusive, local date
    label: str  # "last week (Mon 16 Nov – Sun 22 Nov 2026)"
    unit: Unit | None = None  # set when the period is `count` calendar units (the last one maybe partial)
    count: int = 1

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"Period starts after it ends: {self.start} > {self.end}")

    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: the previous calendar unit(s), or the same number of days."""
        end = self.start - timedelta(days=1)
        if self.unit is None:
            start = end - timedelta(days=self.days() - 1)
            name = "previous day" if self.days() == 1 else f"previous {self.days()} days"
            return Period(start, end, f"{name} ({fmt_range(start, end)})")
        if self.count == 1 and self.end < shift(self.start, self.unit, 1) - timedelta(days=1):
            # "so far" (1-23 Nov): the same number of days just before (9-31 Oct), as "previous period" means in BI
            return Period(self.start, self.end, self.label).previous()
        start = shift(self.start, self.unit, -self.count)
        if self.unit == "day" and self.count == 1:
            return Period(start, end, fmt_day(start), "day")
        label = f"{unit_name(self.unit, start, self.count)} ({fmt_range(start, end)})"
        return Period(start, end, label, self.unit, self.count)
