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

from sqlalchemy import ColumnElement, DateTime, func, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.services.employees.anonymity import anonymity_threshold, locked_thresholds, week_of
from bot.services.kpi.metrics import Metric
from models.pulse import EmployeeWeek

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


def week_tallies(
    session: Session, source: Source, *, first: date, last: date
) -> dict[date, dict[int, Tally]]:
    """week -> team_key -> Tally for finished weeks [first, last]; counted once, then read from cache."""
    cached = select(EmployeeWeek).where(
        EmployeeWeek.source == source.name, EmployeeWeek.week_start >= first, EmployeeWeek.week_start <= last
    )
    out: dict[date, dict[int, Tally]] = {}
    for r in session.execute(cached).scalars() if source.cache else []:
        out.setdefault(r.week_start, {})
        if r.team_key != DONE_MARK:
            out[r.week_start][r.team_key] = Tally(r.n, r.top, r.total, r.squares, r.people)
    week = first
    while week <= last:
        if week not in out:
            out[week] = _count_week(session, source, week)
        week += WEEK
    return {w: t for w, t in out.items() if t}


def _count_week(session: Session, source: Source, week: date) -> dict[int, Tally]:
    zero = literal_column("0")
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
        .where(source.day >= _edge(source, week), source.day < _edge(source, week + WEEK))
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


def atoms(session: Session, source: Source, *, now: datetime) -> tuple[list[Atom], list[Pending], int]:
    """Every atom of the source up to the last finished week, the pending runs, and K now."""
    k_now = anonymity_threshold(session)
    start, last = _first_week(session, source), last_finished_week(now)
    if start is None or start > last:
        return [], [], k_now
    tallies = week_tallies(session, source, first=start, last=last)
    locks = locked_thresholds(session, source=source.name, first=start, last=last)
    per_team: dict[int, dict[date, Tally]] = defaultdict(dict)
    for week, teams in tallies.items():
        for team, tally in teams.items():
            per_team[team][week] = tally
    out: list[Atom] = []
    pending: list[Pending] = []
    for team, weeks in per_team.items():
        found, waiting = _team_atoms(session, source, team, weeks, locks, k_now)
        out += found
        pending += [waiting] if waiting else []
    return out, pending, k_now


def _team_atoms(
    session: Session, source: Source, team: int, weeks: dict[date, Tally], locks: dict[date, int], k_now: int
) -> tuple[list[Atom], Pending | None]:
    out: list[Atom] = []
    run: list[date] = []
    for week in sorted(weeks):
        if run and (week - run[0]) >= MAX_RUN * WEEK:
            run = []  # a run that never reached K is dropped, never shown
        run.append(week)
        k_form = max(locks.get(w, k_now) for w in run)
        people = weeks[week].people if len(run) == 1 else _distinct(session, source, team, run[0], week)
        if people >= k_form:
            tally = summed([weeks[w] for w in run])
            out.append(Atom(team, run[0], week, tally, people, shown=people >= max(k_now, k_form)))
            run = []
    if not run:
        return out, None
    k_form = max(locks.get(w, k_now) for w in run)
    people = _distinct(session, source, team, run[0], run[-1])
    return out, Pending(team, run[0], max(1, max(k_form, k_now) - people))


def _distinct(session: Session, source: Source, team: int, first: date, last: date) -> int:
    team_filter = source.team.is_(None) if team == 0 else source.team == team
    stmt = select(func.count(source.person.distinct())).where(
        team_filter, source.day >= _edge(source, first), source.day < _edge(source, last + WEEK)
    )
    return int(session.execute(stmt).scalar_one())
