"""The anonymity engine: every employee figure is a sum of *atoms*, and every atom has >= K people.

An atom is a run of whole, finished weeks of one team: a week with at least K distinct people is an
atom on its own; a smaller week waits and pools with the team's next weeks until the run has K
distinct people (a rolling window, at most MAX_RUN weeks; a run that never gets there is never
shown). Atoms are disjoint, fixed once formed (finished weeks never change, each week's K is locked
at its first answer) and never split. A question covers the atoms lying wholly inside its period;
the others are left out of every figure, totals included, and the answer says so. So any sum or
difference of figures the bot shows is a sum of whole atoms: never about fewer than K people.
docs/ANONYMITY.md explains this to employees.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, DateTime, func, literal_column, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.services.employees.anonymity import anonymity_threshold, locked_thresholds, week_of
from bot.services.kpi.metrics import Metric
from models.pulse import EmployeeAtom, EmployeeWeek

MAX_RUN = 13  # weeks a small team's answers may pool (a quarter) before that run is dropped
DONE_MARK = -1  # team_key of the row saying "this week is counted"
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


@dataclass(frozen=True)
class Atom:
    team_key: int  # 0: no team
    first_week: date
    last_week: date
    tally: Tally
    people: int
    shown: bool  # people >= the K in force (raising K hides atoms, it never re-pools them)
    k: int = 0  # the K it was formed under

    @property
    def end(self) -> date:
        return self.last_week + timedelta(days=6)


@dataclass(frozen=True)
class Pending:
    """A small team's run still short of K people: shown to nobody, "N more needed" to its viewers."""

    team_key: int
    first_week: date
    needed: int


def week_finished(week_start: date, now: datetime) -> bool:
    """Over in every timezone (UTC-12 included): Monday 12:00 UTC after the week."""
    return now >= datetime.combine(week_start + WEEK, time(12), tzinfo=UTC)


def last_finished_week(now: datetime) -> date:
    week = week_of(now.astimezone(UTC).date()) - WEEK
    return week if week_finished(week, now) else week - WEEK


def ensure_counted(session: Session, source: Source, *, first: date, last: date) -> None:
    """Count (once) every finished week of [first, last] that the cache does not hold yet."""
    w = EmployeeWeek.__table__.c  # type: ignore[attr-defined]
    done = set(
        session.execute(
            select(w.week_start).where(
                w.source == source.name, w.team_key == DONE_MARK, w.week_start >= first, w.week_start <= last
            )
        ).scalars()
    )
    week = first
    while week <= last:
        if week not in done:
            _count_week(session, source, week)
        week += WEEK


def cached_tallies(
    session: Session, source: Source, *, first: date, last: date, teams: set[int] | None = None
) -> list[tuple[date, int, Tally]]:
    """(week, team_key, Tally) from the cache, for [first, last] (and only `teams` when given)."""
    w = EmployeeWeek.__table__.c  # type: ignore[attr-defined]
    stmt = select(w.week_start, w.team_key, w.n, w.top, w.total, w.squares, w.people).where(
        w.source == source.name, w.week_start >= first, w.week_start <= last, w.team_key != DONE_MARK
    )
    if teams is not None:
        stmt = stmt.where(w.team_key.in_(sorted(teams)))
    return [(week, team, Tally(*counts)) for week, team, *counts in session.execute(stmt)]


def small_teams(session: Session, source: Source, *, below: int) -> set[int]:
    """Teams with at least one counted week of fewer than `below` people: their weeks may pool."""
    w = EmployeeWeek.__table__.c  # type: ignore[attr-defined]
    stmt = select(w.team_key).where(w.source == source.name, w.team_key >= 0, w.people < below).distinct()
    return set(session.execute(stmt).scalars())


def live_tallies(
    session: Session, source: Source, *, first: date, last: date
) -> list[tuple[date, int, Tally]]:
    """Counted now, for sources whose rows change after the week (a suggestion's status) or that are
    not cached (a bottom box: eNPS): small tables."""
    zero: ColumnElement[Any] = literal_column("0")
    columns = [source.top, source.score, source.bottom]
    stmt = select(
        source.team, source.day, source.person, *[c if c is not None else zero for c in columns]
    ).where(source.day >= _edge(source, first), source.day < _edge(source, last + WEEK), source.present)
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


def _count_week(session: Session, source: Source, week: date) -> dict[int, Tally]:
    zero: ColumnElement[Any] = literal_column("0")
    stmt = (
        select(
            source.team,
            func.count(),
            func.count().filter(source.top) if source.top is not None else zero,
            func.coalesce(func.sum(source.score), 0) if source.score is not None else zero,
            func.coalesce(func.sum(source.score * source.score), 0) if source.score is not None else zero,
            func.count(source.person.distinct()),
            func.count().filter(source.bottom) if source.bottom is not None else zero,
        )
        .where(source.day >= _edge(source, week), source.day < _edge(source, week + WEEK), source.present)
        .group_by(source.team)
    )
    counted = {int(t or 0): Tally(*(int(x) for x in rest)) for t, *rest in session.execute(stmt).all()}
    if not source.cache:
        return counted
    rows = [
        EmployeeWeek(
            source=source.name,
            week_start=week,
            team_key=k,
            n=v.n,
            top=v.top,
            total=v.total,
            squares=v.squares,
            people=v.people,
        )
        for k, v in counted.items()
    ]
    try:
        with session.begin_nested():
            session.add_all([*rows, EmployeeWeek(source=source.name, week_start=week, team_key=DONE_MARK)])
    except IntegrityError:
        pass  # another process counted the same finished week: same numbers
    return counted


def _edge(source: Source, day: date) -> date | datetime:
    """A day as the column compares it: a date, or UTC midnight for a timestamp column."""
    kind = source.day.type
    timestamp = isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime)
    return datetime.combine(day, time(0), tzinfo=UTC) if timestamp else day


def _first_week(session: Session, source: Source) -> date | None:
    first = session.execute(select(func.min(source.day))).scalar()
    if isinstance(first, datetime):  # a timestamp column (declared metrics may have one): its UTC day
        first = first.astimezone(UTC).date()
    return week_of(first) if first else None


def atoms(
    session: Session, source: Source, *, now: datetime, since: date | None = None
) -> tuple[list[Atom], list[Pending], int]:
    """The atoms ending on or after `since` (all when None) up to the last finished week, the pending
    runs, and K now. Small teams are walked from their first week (their runs depend on it); a team
    whose every week has K people has one atom per week, read only for the weeks asked."""
    found, pending, k_now, _ = split_atoms(session, source, now=now, since=since)
    return found, pending, k_now


def split_atoms(
    session: Session, source: Source, *, now: datetime, since: date | None = None, big: bool = True
) -> tuple[list[Atom], list[Pending], int, set[int] | None]:
    """atoms(), and the small teams. With big=False (cached sources only), the atoms of the teams
    whose every week has K people (one shown atom per cached week) are left to the caller, who sums
    them in SQL (bot/services/employees/week_sums.py); the set returned is then the small teams,
    the only ones whose atoms are in the list. None: every atom is in the list."""
    k_now = anonymity_threshold(session)
    start, last = _first_week(session, source), last_finished_week(now)
    if start is None or start > last:
        return [], [], k_now, None
    locks = locked_thresholds(session, source=source.name, first=start, last=last)
    k_max = max([k_now, *locks.values()])
    lo = max(start, week_of(since)) if since else start
    if not source.cache:
        cells = live_tallies(session, source, first=start, last=last)
        small = {team for _, team, t in cells if t.people < k_max}
        frontier = dict.fromkeys(small, start)
        stored: list[Atom] = []
    else:
        ensure_counted(session, source, first=start, last=last)
        small = small_teams(session, source, below=k_max)
        cells = (
            [c for c in cached_tallies(session, source, first=lo, last=last) if c[1] not in small]
            if big
            else []
        )
        stored, frontier = _stored_atoms(session, source, small, start=start, k_now=k_now)
        if small:
            cells += cached_tallies(session, source, first=min(frontier.values()), last=last, teams=small)
    per_team: dict[int, dict[date, Tally]] = defaultdict(dict)
    for week, team, tally in cells:
        if team not in small or week >= frontier[team]:
            per_team[team][week] = tally
    out = [a for a in stored if a.last_week >= lo]
    pending: list[Pending] = []
    small_cells = {(t, w) for t in small for w, v in per_team[t].items() if v.people < k_max}
    sets = _people_by_week(session, source, small_cells, min(frontier.values(), default=start))
    for team, weeks in per_team.items():
        if team not in small:
            out += [Atom(team, w, w, t, t.people, True, k_now) for w, t in weeks.items() if w >= lo]
            continue
        found, waiting = _team_atoms(team, weeks, sets.get(team, {}), locks, k_now)
        if source.cache:
            _store(session, source, found)
        out += [a for a in found if a.last_week >= lo]
        pending += [waiting] if waiting else []
    return out, pending, k_now, (small if source.cache and not big else None)


def _stored_atoms(
    session: Session, source: Source, small: set[int], *, start: date, k_now: int
) -> tuple[list[Atom], dict[int, date]]:
    """The small teams' atoms formed earlier, and for each team the week its next run starts."""
    frontier = dict.fromkeys(small, start)
    if not small:
        return [], frontier
    a = EmployeeAtom.__table__.c  # type: ignore[attr-defined]
    stmt = select(a.team_key, a.first_week, a.last_week, a.n, a.top, a.total, a.squares, a.people, a.k).where(
        a.source == source.name, a.team_key.in_(sorted(small))
    )
    out = []
    for team, first, last, n, top, total, squares, people, k in session.execute(stmt):
        out.append(
            Atom(team, first, last, Tally(n, top, total, squares, people), people, people >= max(k, k_now), k)
        )
        frontier[team] = max(frontier[team], last + WEEK)
    return out, frontier


def _store(session: Session, source: Source, found: list[Atom]) -> None:
    rows = [EmployeeAtom(source=source.name, team_key=a.team_key, first_week=a.first_week, last_week=a.last_week,
                         n=a.tally.n, top=a.tally.top, total=a.tally.total, squares=a.tally.squares,
                         people=a.people, k=a.k) for a in found]  # fmt: skip
    if not rows:
        return
    try:
        with session.begin_nested():
            session.add_all(rows)
    except IntegrityError:
        pass  # formed by another process at the same time: the same atoms


def _team_atoms(
    team: int, weeks: dict[date, Tally], people_of: dict[date, set[str]], locks: dict[date, int], k_now: int
) -> tuple[list[Atom], Pending | None]:
    """Walk the team's finished weeks in order: each run closes into an atom once >= K people."""
    out: list[Atom] = []
    run: list[date] = []
    for week in sorted(weeks):
        if run and (week - run[0]) >= MAX_RUN * WEEK:  # a run that never reached K: dropped, never shown
            out.append(Atom(team, run[0], run[-1], _add([weeks[w] for w in run]), 0, False, k_now))
            run = []
        run.append(week)
        k_form = max(locks.get(w, k_now) for w in run)
        # a week of K people closes any run on its own (its people are a lower bound of the run's)
        people = (
            weeks[week].people if weeks[week].people >= k_form or len(run) == 1 else _distinct(people_of, run)
        )
        if people >= k_form:
            tally = weeks[week] if len(run) == 1 else _add([weeks[w] for w in run])
            out.append(Atom(team, run[0], week, tally, people, people >= max(k_now, k_form), k_form))
            run = []
    if not run:
        return out, None
    k_form = max(locks.get(w, k_now) for w in run)
    people = _distinct(people_of, run) if len(run) > 1 else weeks[run[0]].people
    return out, Pending(team, run[0], max(1, max(k_form, k_now) - people))


def _add(tallies: list[Tally]) -> Tally:
    return summed(tallies)


def _distinct(people_of: dict[date, set[str]], run: list[date]) -> int:
    return len(set().union(*(people_of.get(w, set()) for w in run)))


def _people_by_week(
    session: Session, source: Source, cells: set[tuple[int, date]], start: date
) -> dict[int, dict[date, set[str]]]:
    """team -> week -> person keys, for the (team, week) cells under K since `start` (one query)."""
    teams = {t for t, _ in cells}
    if not teams:
        return {}
    named = sorted(t for t in teams if t)
    parts: list[ColumnElement[bool]] = [source.team.in_(named)] if named else []
    parts += [source.team.is_(None)] if 0 in teams else []
    which = or_(*parts)
    stmt = (
        select(source.team, source.day, source.person)
        .where(which, source.day >= _edge(source, start), source.present)
        .distinct()
    )
    out: dict[int, dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
    for team, day, person in session.execute(stmt):
        day = day.astimezone(UTC).date() if isinstance(day, datetime) else day
        if (int(team or 0), week_of(day)) in cells:
            out[int(team or 0)][week_of(day)].add(person)
    return out
