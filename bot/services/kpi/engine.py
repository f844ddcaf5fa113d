"""/nps and /csat answers: one exact number (or table, or trend) counted by the database.

`compute_kpi` never loads verbatims: it asks kpi_breakdown for conditional counts per time window and
group (a few hundred rows at most) and folds them with the shared kpi_math arithmetic. Visibility is
applied here too: a question about a team the asker may not see is refused, never answered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import NotAllowed
from bot.services.kpi.breakdowns import (
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
from bot.services.kpi.period_words import MONTH_NAMES
from bot.services.kpi.periods import Period
from bot.services.people.roles import resolve_team, team_names

if TYPE_CHECKING:
    from bot.services.kpi.questions import KpiQuery

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
    delta: float | None  # by week/month: vs the row before; None for groups
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


@dataclass(frozen=True)
class _Ask:
    """One question, resolved: who it covers and the text filters."""

    query: KpiQuery
    tz: ZoneInfo
    teams: set[int] | None  # None: every team
    text: dict[str, str]  # channel/reason/agent -> value
    scope: tuple[str, ...]

    def answer(self, now: Tally, before: Tally, **extra: object) -> KpiAnswer:
        q = self.query
        return KpiAnswer(
            metric=q.metric,
            period=q.period,
            previous_period=q.period.previous(),
            timezone=self.tz.key,
            scope=self.scope,
            counts=counts_from(q.metric, now),
            previous_counts=counts_from(q.metric, before),
            **extra,
        )  # type: ignore[arg-type]

    def windows(self, *periods: Period) -> list[Window]:
        return [window(p.start, p.end, self.tz) for p in periods]


def compute_kpi(
    session: Session, query: KpiQuery, *, tz: ZoneInfo, team_ids: Collection[int] | None
) -> KpiAnswer:
    """The answer to one parsed question, restricted to `team_ids` (None: every team, for admins)."""
    names = team_names(session)
    teams, scope = _scope(names, query, None if team_ids is None else set(team_ids))
    text = {f: getattr(query, f) for f in ("channel", "reason", "agent") if getattr(query, f)}
    ask = _Ask(query, tz, teams, text, scope + tuple(f"{f} {v}" for f, v in text.items()))
    if query.trend or query.breakdown in TIME_BREAKDOWNS:
        return _by_time(session, ask)
    previous = ask.windows(query.period.previous())
    if query.breakdown is None:
        counted = tallies(
            session,
            metric=query.metric,
            windows=[*previous, *ask.windows(query.period)],
            teams=teams,
            text=text,
        )
        before, now = per_window(counted, 2)
        return ask.answer(now, before)
    # By group: the period split by group, the previous period as a total only (splitting it too
    # would more than double the rows read, for a per-group change nobody asked for).
    (before,) = per_window(tallies(session, metric=query.metric, windows=previous, teams=teams, text=text), 1)
    counted = tallies(
        session,
        metric=query.metric,
        windows=ask.windows(query.period),
        group=query.breakdown,
        teams=teams,
        text=text,
    )
    (now,) = per_window(counted, 1)
    rows = _group_rows(query.metric, counted, query.breakdown, names)
    return ask.answer(now, before, breakdown=query.breakdown, rows=tuple(rows))


def _scope(
    names: dict[int, str], query: KpiQuery, visible: set[int] | None
) -> tuple[set[int] | None, tuple[str, ...]]:
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
    label = (
        f"team {shown[0]}"
        if len(shown) == 1
        else (f"teams {', '.join(shown)}" if len(shown) <= 3 else f"your {len(shown)} teams")
    )
    return visible, (label,)


def _group_rows(
    metric: Metric, counted: Mapping[tuple[int, object], Tally], group: str, names: dict[int, str]
) -> list[BreakdownRow]:
    """One row per group of the period, highest value first."""
    rows = []
    for spelling, tally in per_group(counted, 0, fold_case=True).values():
        label = names.get(spelling, "?") if group == "team" and isinstance(spelling, int) else spelling
        rows.append(
            _row(metric, str(label) if label is not None else NO_VALUE.get(group, "(not set)"), tally)
        )
    return sorted(rows, key=_by_value)


def _by_value(row: BreakdownRow) -> tuple:
    """Highest value first; too-small groups last, largest first."""
    if row.too_small:
        return (1, -row.n, row.label)
    return (0, -(row.value or 0.0), row.label)


def _row(
    metric: Metric, label: str, tally: Tally, previous: Tally | None = None, start: date | None = None
) -> BreakdownRow:
    """A row; `previous` (the row before, by week/month) gives its change."""
    counts = counts_from(metric, tally)
    if counts.n < MIN_GROUP_SIZE:
        return BreakdownRow(label, counts.n, None, None, None, True, start)
    old = counts_from(metric, previous) if previous is not None else None
    delta = None
    if old is not None and old.n >= MIN_GROUP_SIZE and counts.value is not None and old.value is not None:
        delta = counts.value - old.value
    return BreakdownRow(label, counts.n, counts.value, counts.margin, delta, False, start)


def _by_time(session: Session, ask: _Ask) -> KpiAnswer:
    """Trend points or week/month rows: one window per calendar unit of the period, in the asker's tz."""
    query = ask.query
    unit: TimeUnit = query.breakdown if query.breakdown in TIME_BREAKDOWNS else (query.trend_unit or "week")
    buckets = time_windows(query.period.start, query.period.end, unit, ask.tz)
    windows = [*ask.windows(query.period.previous()), *buckets]
    counted = tallies(session, metric=query.metric, windows=windows, teams=ask.teams, text=ask.text)
    before, *per_bucket = per_window(counted, len(windows))
    now = sum(per_bucket, Tally())
    if query.trend:
        points = tuple(_point(query.metric, unit, w, t) for w, t in zip(buckets, per_bucket, strict=True))
        return ask.answer(now, before, trend_unit=unit, points=points)
    rows = [
        _row(query.metric, bucket_label(unit, w), t, p, w.start)
        for w, t, p in zip(buckets, per_bucket, [Tally(), *per_bucket[:-1]], strict=True)
    ]
    return ask.answer(now, before, breakdown=unit, rows=tuple(rows))


def _point(metric: Metric, unit: TimeUnit, w: Window, tally: Tally) -> TrendPoint:
    counts = counts_from(metric, tally)
    if counts.n < MIN_GROUP_SIZE:
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
