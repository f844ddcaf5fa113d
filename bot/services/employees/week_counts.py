"""Counting employee answers by (week, team), once per finished week, into `employee_week`.

Finished weeks never change (answers are dated to the local day, and a week is over everywhere on
Monday 12:00 UTC), so each is counted once and cached: a figure then reads O(teams x weeks) cached
rows, never the answers. The weeks not counted yet are counted together, in one GROUP BY over
their days (a year after a bulk load as well as the week that just ended); the `employee-weeks` job
does it when a week ends, so no question waits for it (jobs/employee_weeks.py).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, cast, func, insert, literal, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.services.employees.anonymity import week_of
from bot.services.employees.sources import WEEK, Source, Tally
from models.pulse import EmployeeWeek

DONE_MARK = -1  # team_key of the row saying "this week is counted"
_W = EmployeeWeek.__table__.c  # type: ignore[attr-defined]


def first_week(session: Session, source: Source) -> date | None:
    first = session.execute(select(func.min(source.day))).scalar()
    if isinstance(first, datetime):  # a timestamp column (declared metrics may have one): its UTC day
        first = first.astimezone(UTC).date()
    return week_of(first) if first else None


def ensure_counted(session: Session, source: Source, *, first: date, last: date) -> int:
    """Count every finished week of [first, last] that the cache does not hold yet; how many."""
    done = set(
        session.execute(
            select(_W.week_start).where(
                _W.source == source.name,
                _W.team_key == DONE_MARK,
                _W.week_start >= first,
                _W.week_start <= last,
            )
        ).scalars()
    )
    missing, week = [], first
    while week <= last:
        if week not in done:
            missing.append(week)
        week += WEEK
    if missing:
        counted = _count_weeks(session, source, missing[0], missing[-1] + WEEK)
        _store(session, source, missing, counted)
    return len(missing)


def _week_expr(session: Session, source: Source) -> ColumnElement | None:
    """The Monday of a row's day, in SQL (None: count week by week)."""
    dialect = session.get_bind().dialect.name
    if source.timestamped:
        return None
    if dialect == "sqlite":
        return func.date(source.day, literal("weekday 0"), literal("-6 days"))
    if dialect == "postgresql":
        return cast(func.date_trunc("week", source.day), Date)
    return None


def _tally_columns(source: Source) -> list[ColumnElement]:
    zero: ColumnElement[Any] = literal_column("0")
    return [
        func.count(),
        func.count().filter(source.top) if source.top is not None else zero,
        func.coalesce(func.sum(source.score), 0) if source.score is not None else zero,
        func.coalesce(func.sum(source.score * source.score), 0) if source.score is not None else zero,
        func.count(source.person.distinct()),
        func.count().filter(source.bottom) if source.bottom is not None else zero,
    ]


def _count_weeks(session: Session, source: Source, start: date, end: date) -> dict[date, dict[int, Tally]]:
    """week -> team_key -> Tally for the rows of [start, end) (Mondays): one GROUP BY."""
    week = _week_expr(session, source)
    if week is None:
        out, day = {}, start
        while day < end:
            stmt = (
                select(source.team, *_tally_columns(source))
                .where(source.day >= source.edge(day), source.day < source.edge(day + WEEK), source.present)
                .group_by(source.team)
            )
            out[day] = {int(t or 0): Tally(*(int(x) for x in rest)) for t, *rest in session.execute(stmt)}
            day += WEEK
        return out
    stmt = (
        select(week, source.team, *_tally_columns(source))
        .where(source.day >= source.edge(start), source.day < source.edge(end), source.present)
        .group_by(week, source.team)
    )
    counted: dict[date, dict[int, Tally]] = defaultdict(dict)
    for w, t, *rest in session.execute(stmt):
        monday = date.fromisoformat(w) if isinstance(w, str) else w
        counted[monday][int(t or 0)] = Tally(*(int(x) for x in rest))
    return counted


def _store(
    session: Session, source: Source, weeks: list[date], counted: dict[date, dict[int, Tally]]
) -> None:
    def rows(week: date) -> list[dict]:
        tallies = counted.get(week, {})
        return [
            {"source": source.name, "week_start": week, "team_key": k, "n": v.n, "top": v.top,
             "total": v.total, "squares": v.squares, "people": v.people}
            for k, v in tallies.items()
        ] + [{"source": source.name, "week_start": week, "team_key": DONE_MARK, "n": 0, "top": 0, "total": 0,
              "squares": 0, "people": 0}]  # fmt: skip

    try:
        with session.begin_nested():
            session.execute(insert(EmployeeWeek), [r for w in weeks for r in rows(w)])
    except IntegrityError:  # another process counted some of these finished weeks: the same numbers
        for w in weeks:
            try:
                with session.begin_nested():
                    session.execute(insert(EmployeeWeek), rows(w))
            except IntegrityError:
                pass


def cached_tallies(
    session: Session, source: Source, *, first: date, last: date, teams: set[int] | None = None
) -> list[tuple[date, int, Tally]]:
    """(week, team_key, Tally) from the cache, for [first, last] (and only `teams` when given)."""
    stmt = select(_W.week_start, _W.team_key, _W.n, _W.top, _W.total, _W.squares, _W.people).where(
        _W.source == source.name, _W.week_start >= first, _W.week_start <= last, _W.team_key != DONE_MARK
    )
    if teams is not None:
        stmt = stmt.where(_W.team_key.in_(sorted(teams)))
    return [(week, team, Tally(*counts)) for week, team, *counts in session.execute(stmt)]


def small_teams(session: Session, source: Source, *, below: int) -> set[int]:
    """Teams with at least one counted week of fewer than `below` people: their weeks may pool
    (an index on (source, people) reads only those weeks)."""
    stmt = select(_W.team_key).where(_W.source == source.name, _W.people < below).distinct()
    return {t for t in session.execute(stmt).scalars() if t != DONE_MARK}  # the marks have 0 people


def live_tallies(
    session: Session, source: Source, *, first: date, last: date
) -> list[tuple[date, int, Tally]]:
    """Counted now, for sources whose rows change after the week (a suggestion's status) or that are
    not cached (a bottom box: eNPS): small tables."""
    zero: ColumnElement[Any] = literal_column("0")
    columns = [source.top, source.score, source.bottom]
    stmt = select(
        source.team, source.day, source.person, *[c if c is not None else zero for c in columns]
    ).where(source.day >= source.edge(first), source.day < source.edge(last + WEEK), source.present)
    counts: dict[tuple[date, int], list] = defaultdict(lambda: [0, 0, 0, 0, 0, set()])
    for team, day, person, is_top, score, is_bottom in session.execute(stmt):
        day = day.astimezone(UTC).date() if isinstance(day, datetime) else day
        cell, value = counts[(week_of(day), int(team or 0))], int(score or 0)
        cell[0], cell[1], cell[4] = cell[0] + 1, cell[1] + int(bool(is_top)), cell[4] + int(bool(is_bottom))
        cell[2], cell[3] = cell[2] + value, cell[3] + value * value
        cell[5].add(person)
    return [
        (week, team, Tally(n, t, total, squares, len(p), bottom))
        for (week, team), (n, t, total, squares, bottom, p) in counts.items()
    ]
