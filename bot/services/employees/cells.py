"""The anonymity engine: every employee figure is a sum of *atoms*, and every atom has >= K people.

An atom is a run of whole, finished weeks of one team: a week with at least K distinct people is an
atom on its own; a smaller week waits and pools with the team's next weeks until the run has K
distinct people (a rolling window, at most MAX_RUN weeks; a run that never gets there is never
shown). Atoms are disjoint, fixed once formed (finished weeks never change, each week's K is locked
at its first answer) and never split. A question covers the atoms lying wholly inside its period;
the others are left out of every figure, totals included, and the answer says so. So any sum or
difference of figures the bot shows is a sum of whole atoms: never about fewer than K people.
docs/ANONYMITY.md explains this to employees.

What is read: the weekly tallies (week_counts.py), the small teams' atoms formed earlier
(`employee_atom`) and their open runs (`employee_run`): a small team's answers are read (to count
distinct people across weeks) only when a week it has not walked yet is counted, or K changed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.services.employees.anonymity import anonymity_threshold, locked_thresholds, week_of
from bot.services.employees.sources import WEEK, Source, Tally, last_finished_week, source_for, summed
from bot.services.employees.week_counts import (
    cached_tallies,
    ensure_counted,
    first_week,
    live_tallies,
    small_teams,
)
from models.pulse import EmployeeAtom, EmployeeRun

MAX_RUN = 13  # weeks a small team's answers may pool (a quarter) before that run is dropped


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


@dataclass(frozen=True)
class OpenRun:
    """A small team's run after its walk: [first_week, last_week], `people` distinct, must reach k."""

    team_key: int
    first_week: date
    last_week: date
    people: int
    k: int

    def pending(self, k_now: int) -> Pending:
        return Pending(self.team_key, self.first_week, max(1, max(self.k, k_now) - self.people))


def prepare(session: Session, *, now: datetime) -> int:
    """Count the finished weeks not counted yet of every cached employee metric (survey figures go by
    rounds: round_figures.py), and form the small
    teams' atoms and runs over them: the `employee-weeks` job's call (and a bulk load's), so the next
    question reads only what is cached. How many weeks were counted (0: nothing to do, one query)."""
    from bot.services.kpi.metrics import all_metrics

    counted, last = 0, last_finished_week(now)
    for metric in all_metrics():
        by_weeks = metric.person_column and metric.team_column and metric.round_column is None  # not rounds
        source = source_for(metric) if by_weeks else None
        start = first_week(session, source) if source is not None and source.cache else None
        if source is None or start is None or start > last:
            continue
        weeks = ensure_counted(session, source, first=start, last=last)
        if weeks:
            split_atoms(session, source, now=now, since=last, big=False)
        counted += weeks
    return counted


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
    start, last = first_week(session, source), last_finished_week(now)
    if start is None or start > last:
        return [], [], k_now, None
    locks = locked_thresholds(session, source=source.name, first=start, last=last)
    k_max = max([k_now, *locks.values()])
    lo = max(start, week_of(since)) if since else start
    runs: dict[int, tuple[OpenRun, int]] = {}
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
            runs = _open_runs(session, source, small)
    per_team: dict[int, dict[date, Tally]] = defaultdict(dict)
    for week, team, tally in cells:
        if team not in small or week >= frontier[team]:
            per_team[team][week] = tally
    out = [a for a in stored if a.last_week >= lo]
    pending: list[Pending] = []
    walk = set()
    for team in small & set(per_team):
        run, walked_under = runs.get(team, (None, 0))
        weeks = per_team[team]  # the counted weeks since the team's last atom
        if run and (run.first_week, run.last_week, walked_under) == (min(weeks), max(weeks), k_now):
            pending.append(run.pending(k_now))  # no week counted since its walk: its people as they were
        else:
            walk.add(team)
    small_cells = {(t, w) for t in walk for w, v in per_team[t].items() if v.people < k_max}
    sets = _people_by_week(session, source, small_cells, min((frontier[t] for t in walk), default=start))
    for team, weeks in per_team.items():
        if team not in small:
            out += [Atom(team, w, w, t, t.people, True, k_now) for w, t in weeks.items() if w >= lo]
            continue
        if team not in walk:
            continue
        found, open_run = _team_atoms(team, weeks, sets.get(team, {}), locks, k_now)
        if source.cache:
            _store(session, source, found, team, open_run, k_now)
        out += [a for a in found if a.last_week >= lo]
        pending += [open_run.pending(k_now)] if open_run else []
    return out, pending, k_now, (small if source.cache and not big else None)


def _open_runs(session: Session, source: Source, small: set[int]) -> dict[int, tuple[OpenRun, int]]:
    """team -> (its open run as last walked, the K in force then)."""
    r = EmployeeRun.__table__.c  # type: ignore[attr-defined]
    stmt = select(r.team_key, r.first_week, r.last_week, r.people, r.k, r.k_now).where(
        r.source == source.name, r.team_key.in_(sorted(small))
    )
    return {
        t: (OpenRun(t, first, last, people, k), k_now)
        for t, first, last, people, k, k_now in session.execute(stmt)
    }


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


def _store(
    session: Session, source: Source, found: list[Atom], team: int, open_run: OpenRun | None, k_now: int
) -> None:
    """The atoms formed by a walk, and the team's open run as walked (replacing the one before)."""
    rows = [EmployeeAtom(source=source.name, team_key=a.team_key, first_week=a.first_week, last_week=a.last_week,
                         n=a.tally.n, top=a.tally.top, total=a.tally.total, squares=a.tally.squares,
                         people=a.people, k=a.k) for a in found]  # fmt: skip
    if rows:
        try:
            with session.begin_nested():
                session.add_all(rows)
        except IntegrityError:
            pass  # formed by another process at the same time: the same atoms
    r = EmployeeRun.__table__.c  # type: ignore[attr-defined]
    try:
        with session.begin_nested():
            session.execute(delete(EmployeeRun).where(r.source == source.name, r.team_key == team))
            if open_run is not None:
                session.add(EmployeeRun(source=source.name, team_key=team, first_week=open_run.first_week,
                                        last_week=open_run.last_week, people=open_run.people, k=open_run.k,
                                        k_now=k_now))  # fmt: skip
    except IntegrityError:
        pass  # walked by another process at the same time: the same run


def _team_atoms(
    team: int, weeks: dict[date, Tally], people_of: dict[date, set[str]], locks: dict[date, int], k_now: int
) -> tuple[list[Atom], OpenRun | None]:
    """Walk the team's finished weeks in order: each run closes into an atom once >= K people."""
    out: list[Atom] = []
    run: list[date] = []
    for week in sorted(weeks):
        if run and (week - run[0]) >= MAX_RUN * WEEK:  # a run that never reached K: dropped, never shown
            out.append(Atom(team, run[0], run[-1], summed([weeks[w] for w in run]), 0, False, k_now))
            run = []
        run.append(week)
        k_form = max(locks.get(w, k_now) for w in run)
        # a week of K people closes any run on its own (its people are a lower bound of the run's)
        people = (
            weeks[week].people if weeks[week].people >= k_form or len(run) == 1 else _distinct(people_of, run)
        )
        if people >= k_form:
            tally = weeks[week] if len(run) == 1 else summed([weeks[w] for w in run])
            out.append(Atom(team, run[0], week, tally, people, people >= max(k_now, k_form), k_form))
            run = []
    if not run:
        return out, None
    k_form = max(locks.get(w, k_now) for w in run)
    people = _distinct(people_of, run) if len(run) > 1 else weeks[run[0]].people
    return out, OpenRun(team, run[0], run[-1], people, k_form)


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
        .where(which, source.day >= source.edge(start), source.present)
        .distinct()
    )
    out: dict[int, dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
    for team, day, person in session.execute(stmt):
        day = day.astimezone(UTC).date() if isinstance(day, datetime) else day
        if (int(team or 0), week_of(day)) in cells:
            out[int(team or 0)][week_of(day)].add(person)
    return out
