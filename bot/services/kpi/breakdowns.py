"""The SQL behind /nps and /csat: conditional counts per time window and group, done in the database.

One statement per question: a UNION ALL of one aggregate per time window (the previous period, the
period, or each week/month of it). Window edges are exact local midnights computed in Python (DST
and half-hour zones included). Two sources, both read by range, so the work follows the period,
never the store size:
- kpi_hour (hourly tallies per team, kept exact by triggers) for whole UTC hours, when the question
  has no channel/reason/agent filter and is grouped by nothing, team, week or month;
- verbatim through the covering index (scale, received_at, score, ...) otherwise, and for the
  sub-hour edges of half-hour timezones.
Each branch returns one row per group with conditional counts (no per-row sort), folded here.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, literal_column, null, select, union_all
from sqlmodel import Session

from bot.services.kpi.stats import CsatCounts, NpsCounts
from models.kpi_hour import KpiHour
from models.verbatim import Verbatim

Metric = Literal["nps", "csat"]
TimeUnit = Literal["week", "month"]
Counts = NpsCounts | CsatCounts

SCALE_OF: dict[str, str] = {"nps": "nps", "csat": "csat"}  # CSAT is the csat scale; stars are reviews
MAX_VARIANTS = 16
_PARALLEL = "max_parallel_workers_per_gather"

_V = Verbatim.__table__.c  # type: ignore[attr-defined]
_H = KpiHour.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Window:
    """Local dates [start, end] and their exact UTC edges [lo, hi)."""

    start: date
    end: date
    lo: datetime
    hi: datetime


def window(start: date, end: date, tz: ZoneInfo) -> Window:
    return Window(start, end, local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz))


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


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


def column_for(group: str) -> ColumnElement:
    return _V.team_id if group == "team" else _V[group]


def text_filter(column: str, value: str) -> ColumnElement[bool]:
    """Case-insensitive equality. SQLite's lower() only folds ASCII, so the stored value's
    lower() is compared with every ASCII-lowered spelling of the non-ASCII letters' cases."""
    return func.lower(_V[column]).in_(sorted(lower_variants(value)))


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


@dataclass(frozen=True, slots=True)
class Tally:
    """What the database counts for one window and group."""

    n: int = 0  # responses with a score
    top: int = 0  # promoters (9-10) or satisfied (4-5)
    bottom: int = 0  # detractors (0-6), NPS only
    total: int = 0  # sum of scores, CSAT only (for the mean)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.n + other.n, self.top + other.top, self.bottom + other.bottom, self.total + other.total
        )


def _aggregates(metric: Metric) -> list[ColumnElement]:
    """count(*) FILTER (WHERE ...) on both databases: one pass, no sort, no per-score groups.
    Scores are range-checked at ingest (records.py), so they are not re-checked per row here."""
    score = _V.score
    if metric == "nps":
        return [
            func.count(score),
            func.count().filter(score >= 9),
            func.count().filter(score <= 6),
            literal_column("0"),
        ]
    return [
        func.count(score),
        func.count().filter(score >= 4),
        literal_column("0"),
        func.coalesce(func.sum(score), 0),
    ]


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

    Without text filters and grouped by nothing or by team, whole UTC hours come from kpi_hour and
    only the sub-hour edges of a window (half-hour timezones) from verbatim; otherwise verbatim."""
    hourly = not text and group in (None, "team")
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
    for w, g, n, top, bottom, total in result:
        if n:
            out[(int(w), g)] = out.get((int(w), g), Tally()) + Tally(
                int(n), int(top), int(bottom), int(total)
            )
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
    key = column_for(group) if group else null()
    where = [text_filter(column, value) for column, value in text.items()]
    if teams is not None:
        where.append(_V.team_id.in_(sorted(teams)))
    return (
        select(literal_column(str(i)).label("w"), key.label("g"), *_aggregates(metric))
        .where(_V.scale == SCALE_OF[metric], _V.received_at >= lo, _V.received_at < hi, *where)
        .group_by(*([key] if group else []))
    )


def _hourly(
    i: int, metric: Metric, lo: datetime, hi: datetime, group: str | None, teams: Collection[int] | None
) -> Select:
    team = func.nullif(_H.team_key, 0)
    where = [_H.team_key.in_(sorted(teams))] if teams is not None else []
    return (
        select(
            literal_column(str(i)).label("w"),
            (team if group else null()).label("g"),
            func.sum(_H.n),
            func.sum(_H.top),
            func.sum(_H.bottom),
            func.sum(_H.total),
        )
        .where(_H.scale == SCALE_OF[metric], _H.hour >= lo, _H.hour < hi, *where)
        .group_by(*([team] if group else []))
    )


def _floor_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(at: datetime) -> datetime:
    floor = _floor_hour(at)
    return floor if floor == at else floor + timedelta(hours=1)


def counts_from(metric: Metric, tally: Tally) -> Counts:
    """Reuse the shared arithmetic: a tally becomes NpsCounts or CsatCounts."""
    if metric == "nps":
        return NpsCounts(
            promoters=tally.top, passives=tally.n - tally.top - tally.bottom, detractors=tally.bottom
        )
    return CsatCounts(satisfied=tally.top, n=tally.n, total=tally.total)


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
