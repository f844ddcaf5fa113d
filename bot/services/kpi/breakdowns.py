"""The SQL behind every KPI answer: conditional counts per time window and group, done in the database.

One statement per question: a UNION ALL of one aggregate per time window (the previous period, the
period, or each week/month of it). Window edges are exact local midnights computed in Python (DST
and half-hour zones included). The metric (bot/services/kpi/metrics.py) names the table, the score
column and the predicates; two sources, both read by range, so the work follows the period, never
the store size:
- the metric's hourly tallies (kpi_hour for NPS and CSAT, kept exact by triggers) for whole UTC
  hours, when the question has no channel/reason/agent filter and is grouped by nothing, team,
  week or month;
- the metric's table through its covering index (verbatim: (scale, received_at, score, ...))
  otherwise, and for the sub-hour edges of half-hour timezones.
Each branch returns one row per group with conditional counts (no per-row sort), folded here.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnClause, ColumnElement, Select, func, literal_column, null, select, union_all
from sqlmodel import Session

from bot.clock import local_midnight
from bot.services.kpi.metrics import Counts, Headline, Metric, Tally
from bot.services.kpi.period_words import TimeUnit

__all__ = ["Counts", "Metric", "Tally", "TimeUnit", "Window", "tallies", "time_windows", "window"]

MAX_VARIANTS = 16
_PARALLEL = "max_parallel_workers_per_gather"
_ZERO: ColumnClause[Any] = literal_column("0")


@dataclass(frozen=True, slots=True)
class Window:
    """Local dates [start, end] and their exact UTC edges [lo, hi)."""

    start: date
    end: date
    lo: datetime
    hi: datetime


def window(start: date, end: date, tz: ZoneInfo) -> Window:
    return Window(start, end, local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz))


def time_windows(start: date, end: date, unit: TimeUnit, tz: ZoneInfo) -> list[Window]:
    """The calendar weeks (Monday first) or months that meet [start, end], clipped to it."""
    out: list[Window] = []
    cursor = start
    while cursor <= end:
        if unit == "week":
            nxt = cursor - timedelta(days=cursor.weekday()) + timedelta(days=7)
        else:
            nxt = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = min(nxt - timedelta(days=1), end)
        out.append(window(cursor, last, tz))
        cursor = nxt
    return out


def column_for(metric: Metric, dimension: str) -> ColumnElement:
    return metric.table.c[metric.dimensions[dimension].column]


def text_filter(column: ColumnElement, value: str) -> ColumnElement[bool]:
    """Case-insensitive equality. SQLite's lower() only folds ASCII, so the stored value's
    lower() is compared with every ASCII-lowered spelling of the non-ASCII letters' cases."""
    return func.lower(column).in_(sorted(lower_variants(value)))


def lower_variants(value: str) -> set[str]:
    value = value.strip()
    wide = [i for i, ch in enumerate(value) if not ch.isascii() and ch.lower() != ch.upper()][:4]
    variants = {value.lower()}
    for cases in itertools.product((str.lower, str.upper), repeat=len(wide)):
        chars = list(value)
        for i, case in zip(wide, cases, strict=True):
            chars[i] = case(chars[i])
        variants.add("".join(c.lower() if c.isascii() else c for c in chars))
    return set(itertools.islice(sorted(variants), MAX_VARIANTS))


def _aggregates(metric: Metric) -> list[ColumnElement]:
    """count(*) FILTER (WHERE ...) on both databases: one pass, no sort, no per-score groups.
    Scores are range-checked at ingest (records.py), so they are not re-checked per row here.
    Columns: n, top, bottom, total, squares, people (see Tally)."""
    c, kind = metric.table.c, metric.headline
    if metric.score_column is None:  # a count, with its done split
        done = metric.done and func.count().filter(c[metric.done[0]].in_(metric.done[1]))
        return [func.count(), done if done is not None else _ZERO, _ZERO, _ZERO, _ZERO, _people(metric)]
    score, scale = c[metric.score_column], metric.scale
    assert scale is not None
    return [
        func.count(score),
        func.count().filter(score >= scale.top_min),
        func.count().filter(score <= scale.bottom_max) if kind is Headline.NPS else _ZERO,
        func.coalesce(func.sum(score), 0) if kind is not Headline.NPS else _ZERO,
        func.coalesce(func.sum(score * score), 0) if kind is Headline.MEAN else _ZERO,
        _people(metric),
    ]


def _people(metric: Metric) -> ColumnElement:
    if metric.person_column is None:
        return _ZERO
    return func.count(func.distinct(metric.table.c[metric.person_column]))


def tallies(
    session: Session,
    *,
    metric: Metric,
    windows: Sequence[Window],
    group: str | None = None,
    teams: Collection[int] | None = None,
    text: Mapping[str, str] | None = None,
) -> dict[tuple[int, object], Tally]:
    """(window index, group value) -> Tally, counted by the database in one statement.

    Without text filters and grouped by nothing or by team, whole UTC hours come from the metric's
    hourly tallies (if it has some) and only the sub-hour edges of a window (half-hour timezones)
    from its table; otherwise its table."""
    hourly = metric.tally is not None and not text and group in (None, "team")
    branches = []
    for i, w in enumerate(windows):
        edges = [(w.lo, w.hi)]
        if hourly and (first := _ceil_hour(w.lo)) < (last := _floor_hour(w.hi)):
            branches.append(_hourly(i, metric, first, last, group, teams))
            edges = [(w.lo, first), (last, w.hi)]
        branches += [_raw(i, metric, lo, hi, group, teams, text or {}) for lo, hi in edges if lo < hi]
    stmt = branches[0] if len(branches) == 1 else union_all(*branches)
    with _serial(session, enabled=hourly):
        result = session.execute(stmt).all()
    out: dict[tuple[int, object], Tally] = {}
    for w, g, *counted in result:
        if counted[0]:
            out[(int(w), g)] = out.get((int(w), g), Tally()) + Tally(*(int(x) for x in counted))
    return out


@contextmanager
def _serial(session: Session, *, enabled: bool) -> Iterator[None]:
    """Postgres plans the hourly branches in parallel by default, and starting the workers costs
    more than the few thousand tally rows they read: run those without workers."""
    if not enabled or session.get_bind().dialect.name != "postgresql":
        yield
        return
    before = session.execute(
        select(func.current_setting(_PARALLEL), func.set_config(_PARALLEL, "0", True))
    ).scalar()
    try:
        yield
    finally:
        session.execute(select(func.set_config(_PARALLEL, before, True)))


def _raw(
    i: int,
    metric: Metric,
    lo: datetime,
    hi: datetime,
    group: str | None,
    teams: Collection[int] | None,
    text: Mapping[str, str],
) -> Select:
    c = metric.table.c
    key = column_for(metric, group) if group else null()
    where = [text_filter(column_for(metric, dim), value) for dim, value in text.items()]
    if teams is not None:
        where.append(_team_column(metric).in_(sorted(teams)))
    at = c[metric.time_column]
    return (
        select(literal_column(str(i)).label("w"), key.label("g"), *_aggregates(metric))
        .where(*(c[k] == v for k, v in metric.where.items()), at >= lo, at < hi, *where)
        .group_by(*([key] if group else []))
    )


def _team_column(metric: Metric) -> ColumnElement:
    if metric.team_column is None:
        raise ValueError(f"{metric.key} has no team dimension")
    return metric.table.c[metric.team_column]


def _hourly(
    i: int, metric: Metric, lo: datetime, hi: datetime, group: str | None, teams: Collection[int] | None
) -> Select:
    assert metric.tally is not None
    h = metric.tally.table.c
    team = func.nullif(h.team_key, 0)
    where = [h.team_key.in_(sorted(teams))] if teams is not None else []
    return (
        select(
            literal_column(str(i)).label("w"),
            (team if group else null()).label("g"),
            func.sum(h.n),
            func.sum(h.top),
            func.sum(h.bottom),
            func.sum(h.total),
            _ZERO,
            _ZERO,
        )
        .where(h.scale == metric.tally.key, h.hour >= lo, h.hour < hi, *where)
        .group_by(*([team] if group else []))
    )


def _floor_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(at: datetime) -> datetime:
    floor = _floor_hour(at)
    return floor if floor == at else floor + timedelta(hours=1)


def counts_from(metric: Metric, tally: Tally) -> Counts:
    return metric.counts(tally)


def per_window(tallies_: Mapping[tuple[int, object], Tally], count: int) -> list[Tally]:
    """Tallies summed over groups, one per window index."""
    out = [Tally() for _ in range(count)]
    for (w, _g), tally in tallies_.items():
        out[w] = out[w] + tally
    return out


def per_group(
    tallies_: Mapping[tuple[int, object], Tally],
    window_index: int,
    *,
    fold_case: bool,
) -> dict[object, tuple[object, Tally]]:
    """Group key -> (most frequent spelling, tally) for one window. Text values that differ
    only by case ("Email", "email") are one group."""
    merged: dict[object, Tally] = defaultdict(Tally)
    spellings: dict[object, Counter[object]] = defaultdict(Counter)
    for (w, g), tally in tallies_.items():
        if w != window_index:
            continue
        key = g.casefold() if fold_case and isinstance(g, str) else g
        merged[key] = merged[key] + tally
        spellings[key][g] += tally.n
    return {k: (spellings[k].most_common(1)[0][0], tally) for k, tally in merged.items()}
