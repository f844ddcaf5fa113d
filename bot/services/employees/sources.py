"""What an employee figure is made of: its source (read from the metric's declaration), the tallies
added up, and which weeks are over. Shared by the weekly counts (week_counts.py), the atoms
(cells.py) and the figures (figures.py, week_sums.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, DateTime, true

from bot.services.employees.anonymity import week_of
from bot.services.kpi.metrics import Metric

WEEK = timedelta(weeks=1)


@dataclass(frozen=True)
class Source:
    """What an employee metric counts, read from its declaration in the metric registry: rows with a
    team, a local day, a person key, maybe a score (or a "done" status for counts)."""

    name: str
    team: ColumnElement
    day: ColumnElement
    person: ColumnElement
    score: ColumnElement | None
    top: ColumnElement[bool] | None  # top box (score >= top_min) or done (status in done values)
    cache: bool  # rows of a finished week never change (pulse, stories): count the week once
    bottom: ColumnElement[bool] | None = None  # bottom box (NPS-style headlines: eNPS), never cached

    @property
    def present(self) -> ColumnElement[bool]:
        """Rows that count: those with a score (a survey answer may skip a question), or all."""
        return self.score.is_not(None) if self.score is not None else true()

    @property
    def timestamped(self) -> bool:
        """A timestamp day column (declared metrics may have one) rather than a date."""
        kind = self.day.type
        return isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime)

    def edge(self, day: date) -> date | datetime:
        """A day as the column compares it: a date, or UTC midnight for a timestamp column."""
        return datetime.combine(day, time(0), tzinfo=UTC) if self.timestamped else day


def source_for(metric: Metric) -> Source:
    c = metric.table.c
    assert metric.person_column and metric.team_column, f"{metric.key}: not an employee metric"
    score = c[metric.score_column] if metric.score_column else None
    top = score >= metric.scale.top_min if score is not None and metric.scale else None
    if metric.done is not None:
        top = c[metric.done[0]].in_(metric.done[1])
    bottom = (
        score <= metric.scale.bottom_max
        if score is not None and metric.scale and metric.headline == "nps"
        else None
    )
    return Source(metric.key, c[metric.team_column], c[metric.time_column], c[metric.person_column], score,
                  top, cache=metric.done is None and bottom is None, bottom=bottom)  # fmt: skip


@dataclass(frozen=True)
class Tally:
    n: int = 0
    top: int = 0
    total: int = 0
    squares: int = 0
    people: int = 0
    bottom: int = 0  # NPS-style headlines only


SUMMED = ("n", "top", "total", "squares", "bottom")


def summed(tallies: list[Tally]) -> Tally:
    """Counts add up (distinct people do not: callers count them)."""
    return Tally(**{f: sum(getattr(t, f) for t in tallies) for f in SUMMED})


def week_finished(week_start: date, now: datetime) -> bool:
    """Over in every timezone (UTC-12 included): Monday 12:00 UTC after the week."""
    return now >= datetime.combine(week_start + WEEK, time(12), tzinfo=UTC)


def last_finished_week(now: datetime) -> date:
    week = week_of(now.astimezone(UTC).date()) - WEEK
    return week if week_finished(week, now) else week - WEEK
