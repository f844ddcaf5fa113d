"""/nps and /csat answers: one exact number (or table, or trend) counted by the database.

`compute_kpi` never loads verbatims: it asks kpi_breakdown for conditional counts per time window and
group (a few hundred rows at most) and folds them with the shared kpi_math arithmetic. Visibility is
applied here too: a question about a team the asker may not see is refused, never answered.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import NotAllowed
from bot.services.kpi_breakdown import (
    Counts,
    Metric,
    Tally,
    TimeUnit,
    Window,
    counts_from,
    per_group,
    per_window,
    tallies,
    time_windows,
    window,
)
from bot.services.people import resolve_team, team_names
from bot.services.period_words import MONTH_NAMES
from bot.services.periods import Period

if TYPE_CHECKING:
    from bot.services.kpi_query import KpiQuery

SMALL_SAMPLE = 30  # below this the answer says the sample is small
MIN_GROUP_SIZE = 10  # a breakdown row or trend point below this shows n only, no number
TIME_BREAKDOWNS = ("week", "month")
NO_VALUE = {"team": "(no team)"}


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    label: str
    n: int
    value: float | None  # None when too small: never shown as a number
    margin: float | None
    delta: float | None  # vs the same group in the previous period (by week/month: vs the row before)
    too_small: bool
    start: date | None = None  # by week/month only


@dataclass(frozen=True, slots=True)
class TrendPoint:
    label: str
    start: date
    end: date
    n: int
    value: float | None  # None when empty or too small
    margin: float | None
    too_small: bool


@dataclass(frozen=True)
class KpiAnswer:
    metric: Metric
    period: Period
    previous_period: Period
    timezone: str
    scope: tuple[str, ...]  # ("team Support FR", "channel email")
    counts: Counts
    previous_counts: Counts
    breakdown: str | None = None
    rows: tuple[BreakdownRow, ...] = ()
    trend_unit: TimeUnit | None = None
    points: tuple[TrendPoint, ...] = ()
    min_group_size: int = MIN_GROUP_SIZE

    @property
    def n(self) -> int:
        return self.counts.n

    @property
    def value(self) -> float | None:
        return self.counts.value

    @property
    def margin(self) -> float | None:
        return self.counts.margin

    @property
    def mean(self) -> float | None:
        return getattr(self.counts, "mean", None)

    @property
    def previous_n(self) -> int:
        return self.previous_counts.n

    @property
    def previous_value(self) -> float | None:
        return self.previous_counts.value

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def small_sample(self) -> bool:
        return self.n < SMALL_SAMPLE


def compute_kpi(session: Session, query: KpiQuery, *, tz: ZoneInfo, team_ids: Collection[int] | None) -> KpiAnswer:
    """The answer to one parsed question, restricted to `team_ids` (None: every team, for admins)."""
    names = team_names(session)
    teams, scope = _scope(names, query, None if team_ids is None else set(team_ids))
    text = {f: getattr(query, f) for f in ("channel", "reason", "agent") if getattr(query, f)}
    scope += tuple(f"{f} {v}" for f, v in text.items())
    previous = query.period.previous()
    base = {"metric": query.metric, "period": query.period, "previous_period": previous,
            "timezone": tz.key, "scope": scope}
    metric: Metric = query.metric
    where = {"teams": teams, "text": text}
    if query.trend or query.breakdown in TIME_BREAKDOWNS:
        return _by_time(session, query, tz=tz, where=where, base=base)
    windows = [window(previous.start, previous.end, tz), window(query.period.start, query.period.end, tz)]
    counted = tallies(session, metric=metric, windows=windows, group=query.breakdown, **where)
    before, now = per_window(counted, 2)
    answer = KpiAnswer(counts=counts_from(metric, now), previous_counts=counts_from(metric, before), **base)
    if query.breakdown is None:
        return answer
    rows = _group_rows(metric, counted, query.breakdown, names)
    return _with(answer, breakdown=query.breakdown, rows=tuple(rows))


def _scope(names: dict[int, str], query: KpiQuery, visible: set[int] | None) -> tuple[set[int] | None, tuple[str, ...]]:
    """The team filter and how to describe it; refuses teams the asker may not see."""
    if query.team:
        team_id = resolve_team(names, query.team, visible=visible)
        return {team_id}, (f"team {names[team_id]}",)
    if visible is None:
        return None, ("all teams",)
    if not visible:
        raise NotAllowed(
            "You're not in a team yet, so I have no numbers to show you.",
            hints=["An admin can add you to your team: symmetry people assign <your Slack id> <team>."],
        )
    shown = sorted(names.get(i, "?") for i in visible)
    label = f"team {shown[0]}" if len(shown) == 1 else (
        f"teams {', '.join(shown)}" if len(shown) <= 3 else f"your {len(shown)} teams")
    return visible, (label,)


def _group_rows(metric: Metric, counted, group: str, names: dict[int, str]) -> list[BreakdownRow]:  # type: ignore[no-untyped-def]
    current = per_group(counted, 1, fold_case=True)
    before = per_group(counted, 0, fold_case=True)
    rows = []
    for key, (spelling, tally) in current.items():
        label = names.get(spelling, "?") if group == "team" and spelling is not None else spelling  # type: ignore[arg-type]
        old = before.get(key, (None, Tally()))[1]
        rows.append(_row(metric, label if label is not None else NO_VALUE.get(group, "(not set)"), tally, old))
    return sorted(rows, key=lambda r: (r.too_small, -(r.value or 0.0) if not r.too_small else -r.n, r.label))


def _row(metric: Metric, label: str, tally: Tally, previous: Tally, start: date | None = None) -> BreakdownRow:
    counts, old = counts_from(metric, tally), counts_from(metric, previous)
    if counts.n < MIN_GROUP_SIZE:
        return BreakdownRow(label, counts.n, None, None, None, True, start)
    delta = None
    if old.n >= MIN_GROUP_SIZE and counts.value is not None and old.value is not None:
        delta = counts.value - old.value
    return BreakdownRow(label, counts.n, counts.value, counts.margin, delta, False, start)


def _by_time(session: Session, query: KpiQuery, *, tz: ZoneInfo, where, base: dict) -> KpiAnswer:  # type: ignore[no-untyped-def]
    """Trend points or week/month rows: one window per calendar unit of the period, in `tz`."""
    metric: Metric = query.metric
    unit: TimeUnit = query.breakdown if query.breakdown in TIME_BREAKDOWNS else (query.trend_unit or "week")
    previous: Period = base["previous_period"]
    buckets = time_windows(query.period.start, query.period.end, unit, tz)
    windows = [window(previous.start, previous.end, tz), *buckets]
    totals = per_window(tallies(session, metric=metric, windows=windows, **where), len(windows))
    answer = KpiAnswer(counts=counts_from(metric, sum(totals[1:], Tally())),
                       previous_counts=counts_from(metric, totals[0]), **base)
    if query.trend:
        points = tuple(_point(metric, unit, w, h) for w, h in zip(buckets, totals[1:], strict=True))
        return _with(answer, trend_unit=unit, points=points)
    rows = [_row(metric, bucket_label(unit, w), h, p, w.start)
            for w, h, p in zip(buckets, totals[1:], [Tally(), *totals[1:-1]], strict=True)]
    return _with(answer, breakdown=unit, rows=tuple(rows))


def _point(metric: Metric, unit: TimeUnit, w: Window, tally: Tally) -> TrendPoint:
    counts = counts_from(metric, tally)
    small = counts.n < MIN_GROUP_SIZE
    if small:
        return TrendPoint(bucket_label(unit, w), w.start, w.end, counts.n, None, None, True)
    return TrendPoint(bucket_label(unit, w), w.start, w.end, counts.n, counts.value, counts.margin, False)


def bucket_label(unit: TimeUnit, w: Window) -> str:
    """'16–22 Nov 2026', '30 Nov – 6 Dec 2026', 'Nov 2026' (a whole month), '1–23 Nov 2026'."""
    s, e = w.start, w.end
    if unit == "month" and s.day == 1 and (e + timedelta(days=1)).day == 1:
        return f"{_mon(s)} {s.year}"
    if s == e:
        return f"{s.day} {_mon(s)} {s.year}"
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.day}–{e.day} {_mon(e)} {e.year}"
    first = f"{s.day} {_mon(s)}" + ("" if s.year == e.year else f" {s.year}")
    return f"{first} – {e.day} {_mon(e)} {e.year}"


def _mon(day: date) -> str:
    return MONTH_NAMES[day.month - 1][:3]


def _with(answer: KpiAnswer, **changes: object) -> KpiAnswer:
    return replace(answer, **changes)  # type: ignore[arg-type]
