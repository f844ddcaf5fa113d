"""Every KPI answer (/nps, /csat, /kpi <metric>): one exact number, table or trend, counted by the database.

`compute_kpi` never loads rows: it asks breakdowns.py for conditional counts per time window and
group (a few hundred rows at most) and folds them with the metric's arithmetic (metrics.py). Two
rules live here so that no adapter can forget them:
- visibility: a question about a team the asker may not see is refused, never answered;
- the metric's minimum group size: a headline, breakdown row or trend point standing on fewer
  distinct people than `metric.group_floor()` is hidden (no number, not even n), and when some rows
  are hidden, the smallest shown ones are hidden too until the hidden ones together reach the
  floor, so the total minus the shown rows cannot give a small group away.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import InvalidInput, NotAllowed
from bot.services.employees.round_figures import round_answer
from bot.services.kpi.anonymous import anonymous_answer
from bot.services.kpi.answers import (
    MIN_GROUP_SIZE,
    NO_TEAM,
    SMALL_SAMPLE,
    UNSET,
    BreakdownRow,
    KpiAnswer,
    TrendPoint,
)
from bot.services.kpi.breakdowns import (
    TimeUnit,
    Window,
    per_group,
    per_window,
    tallies,
    time_windows,
    window,
)
from bot.services.kpi.metrics import Metric, Tally, get_metric
from bot.services.kpi.period_words import MONTH_NAMES
from bot.services.kpi.periods import Period
from bot.services.people.roles import resolve_team, team_names

if TYPE_CHECKING:
    from bot.services.kpi.questions import KpiQuery

__all__ = ["SMALL_SAMPLE", "MIN_GROUP_SIZE", "BreakdownRow", "KpiAnswer", "TrendPoint", "compute_kpi"]

TIME_BREAKDOWNS = ("week", "month")
NO_VALUE = {"team": NO_TEAM}
FILTERS = ("channel", "reason", "agent")


@dataclass(frozen=True)
class _Ask:
    """One question, resolved: the metric, who it covers and the text filters."""

    query: KpiQuery
    metric: Metric
    tz: ZoneInfo
    teams: set[int] | None  # None: every team
    text: dict[str, str]  # channel/reason/agent -> value
    scope: tuple[str, ...]

    @property
    def exact_people(self) -> bool:
        """Distinct people do not add up across groups: count the headline's on its own."""
        return self.metric.person_column is not None

    def answer(self, now: Tally, before: Tally, **extra: Any) -> KpiAnswer:
        q, m = self.query, self.metric
        hidden, previous_hidden = m.hides(now), m.hides(before)
        return KpiAnswer(
            metric=m,
            period=q.period,
            previous_period=q.period.previous(),
            timezone=self.tz.key,
            scope=self.scope,
            counts=m.counts(Tally() if hidden else now),
            previous_counts=m.counts(Tally() if previous_hidden else before),
            hidden=hidden,
            previous_hidden=previous_hidden,
            min_people=m.group_floor(),
            min_group_size=m.min_sample,
            **extra,
        )

    def windows(self, *periods: Period) -> list[Window]:
        return [window(p.start, p.end, self.tz) for p in periods]

    def count(self, session: Session, windows: Sequence[Window], group: str | None = None) -> dict:
        return tallies(
            session, metric=self.metric, windows=windows, group=group, teams=self.teams, text=self.text
        )


def compute_kpi(
    session: Session,
    query: KpiQuery,
    *,
    tz: ZoneInfo,
    team_ids: Collection[int] | None,
    now: datetime | None = None,
) -> KpiAnswer:
    """The answer to one parsed question, restricted to `team_ids` (None: every team, for admins).
    Metrics about people (a person column) go through the anonymity rules, which need `now`."""
    metric = get_metric(query.metric)
    _check_dimensions(metric, query)
    names = team_names(session)
    teams, scope = _scope(names, metric, query, None if team_ids is None else set(team_ids))
    text = {f: getattr(query, f) for f in FILTERS if getattr(query, f)}
    ask = _Ask(query, metric, tz, teams, text, scope + tuple(f"{f} {v}" for f, v in text.items()))
    if metric.round_column is not None:  # survey figures: whole closed rounds (employees/round_figures.py)
        return round_answer(session, ask, names, now=now)
    if metric.person_column is not None:
        if now is None:
            raise ValueError(f"{metric.key}: answering about people needs `now` (whole finished weeks)")
        return anonymous_answer(session, ask, names, now=now)
    if query.trend or query.breakdown in TIME_BREAKDOWNS:
        return _by_time(session, ask)
    previous = ask.windows(query.period.previous())
    if query.breakdown is None:
        before, current = per_window(ask.count(session, [*previous, *ask.windows(query.period)]), 2)
        return ask.answer(current, before)
    # By group: the period split by group, the previous period as a total only (splitting it too
    # would more than double the rows read, for a per-group change nobody asked for).
    heads = [*previous, *(ask.windows(query.period) if ask.exact_people else [])]
    before, *total = per_window(ask.count(session, heads), len(heads))
    counted = ask.count(session, ask.windows(query.period), group=query.breakdown)
    (current,) = per_window(counted, 1)
    rows = _group_rows(metric, counted, query.breakdown, names)
    return ask.answer(total[0] if total else current, before, breakdown=query.breakdown, rows=tuple(rows))


def _check_dimensions(metric: Metric, query: KpiQuery) -> None:
    asked = [f for f in ("team", *FILTERS) if getattr(query, f)]
    asked += [query.breakdown] if query.breakdown and query.breakdown not in TIME_BREAKDOWNS else []
    if missing := [d for d in asked if d not in metric.dimensions]:
        can = ", ".join(d.replace("_", " ") for d in metric.dimensions) or "nothing but time"
        raise InvalidInput(
            f"{metric.label} has no {missing[0].replace('_', ' ')}.",
            hints=[f"{metric.label} can be split or filtered by {can}."],
        )


def _scope(
    names: dict[int, str], metric: Metric, query: KpiQuery, visible: set[int] | None
) -> tuple[set[int] | None, tuple[str, ...]]:
    """The team filter and how to describe it; refuses teams the asker may not see."""
    if query.team:
        team_id = resolve_team(names, query.team, visible=visible)
        return {team_id}, (f"team {names[team_id]}",)
    if visible is None:
        return None, ("all teams",)
    if metric.team_column is None:
        raise NotAllowed(f"{metric.label} is counted for the whole company: only admins can see it.")
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


def hidden_cells(metric: Metric, cells: Sequence[Tally]) -> list[bool]:
    """Which rows or points to hide: those under the metric's minimum group size, then the
    smallest shown ones until the hidden ones together stand on at least that many people."""
    hide = [metric.hides(t) for t in cells]
    if not any(hide):
        return hide
    floor = metric.group_floor()
    together = sum(metric.people(t) for t, h in zip(cells, hide, strict=True) if h)
    for people, i in sorted((metric.people(t), i) for i, t in enumerate(cells) if t.n and not hide[i]):
        if together >= floor:
            break
        hide[i], together = True, together + people
    return hide


def _group_rows(
    metric: Metric, counted: Mapping[tuple[int, object], Tally], group: str, names: dict[int, str]
) -> list[BreakdownRow]:
    """One row per group of the period, highest value first."""
    groups = list(per_group(counted, 0, fold_case=True).values())
    rows = []
    for (spelling, tally), hidden in zip(groups, hidden_cells(metric, [t for _, t in groups]), strict=True):
        label = names.get(spelling, "?") if group == "team" and isinstance(spelling, int) else spelling
        text = str(label) if label is not None else NO_VALUE.get(group, UNSET)
        rows.append(_row(metric, text, tally, hidden=hidden))
    return sorted(rows, key=_by_value)


def _by_value(row: BreakdownRow) -> tuple:
    """Highest value first; too-small groups next, largest first; hidden groups last, by name."""
    if row.hidden:
        return (2, 0, row.label)
    if row.too_small:
        return (1, -(row.n or 0), row.label)
    return (0, -(row.value or 0.0), row.label)


def _row(
    metric: Metric,
    label: str,
    tally: Tally,
    previous: BreakdownRow | None = None,
    start: date | None = None,
    *,
    hidden: bool,
) -> BreakdownRow:
    """A row; `previous` (the row before, by week/month) gives its change."""
    if hidden:
        return BreakdownRow(label, None, None, None, None, False, start, hidden=True)
    counts = metric.counts(tally)
    if counts.n < metric.min_sample:
        return BreakdownRow(label, counts.n, None, None, None, True, start)
    delta = None
    if previous is not None and previous.value is not None and counts.value is not None:
        delta = counts.value - previous.value
    interval = getattr(counts, "interval", None)
    return BreakdownRow(label, counts.n, counts.value, counts.margin, delta, False, start, interval=interval)


def _by_time(session: Session, ask: _Ask) -> KpiAnswer:
    """Trend points or week/month rows: one window per calendar unit of the period, in the asker's tz."""
    query, metric = ask.query, ask.metric
    by_time = cast("TimeUnit", query.breakdown) if query.breakdown in TIME_BREAKDOWNS else None
    unit = by_time or query.trend_unit or "week"
    assert unit != "round", "round questions go to employees/round_figures.py"
    buckets = time_windows(query.period.start, query.period.end, unit, ask.tz)
    whole = ask.windows(query.period) if ask.exact_people else []
    windows = [*ask.windows(query.period.previous()), *buckets, *whole]
    before, *per_bucket = per_window(ask.count(session, windows), len(windows))
    now = per_bucket.pop() if whole else sum(per_bucket, Tally())
    hidden = hidden_cells(metric, per_bucket)
    if query.trend:
        points = tuple(_point(metric, unit, *cell) for cell in zip(buckets, per_bucket, hidden, strict=True))
        return ask.answer(now, before, trend_unit=unit, points=points)
    rows: list[BreakdownRow] = []
    for w, tally, hide in zip(buckets, per_bucket, hidden, strict=True):
        rows.append(
            _row(metric, bucket_label(unit, w), tally, rows[-1] if rows else None, w.start, hidden=hide)
        )
    return ask.answer(now, before, breakdown=unit, rows=tuple(rows))


def _point(metric: Metric, unit: TimeUnit, w: Window, tally: Tally, hidden: bool) -> TrendPoint:
    label = bucket_label(unit, w)
    if hidden:
        return TrendPoint(label, w.start, w.end, None, None, None, False, hidden=True)
    counts = metric.counts(tally)
    if counts.n < metric.min_sample:
        return TrendPoint(label, w.start, w.end, counts.n, None, None, True)
    interval = getattr(counts, "interval", None)
    return TrendPoint(label, w.start, w.end, counts.n, counts.value, counts.margin, False, interval=interval)


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
