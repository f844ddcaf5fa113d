"""Employee figures (pulse, stories, suggestions) for a period, a set of teams, by team or by week.

Everything here is read from atoms (cells.py): a figure is the sum of the visible, shown atoms lying
wholly inside the period's whole finished weeks. What falls outside or below K is left out, the
answer says how many groups were left out, and never how many answers they hold.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.errors import InvalidInput
from bot.services.employees.anonymity import week_of
from bot.services.employees.cells import SOURCES, WEEK, Atom, atoms, last_finished_week

NO_TEAM = "(no team)"


@dataclass(frozen=True)
class Figure:
    label: str
    n: int
    total: int
    shown: bool
    needed: int | None = None  # people still needed before a small team's run can be shown
    first: date | None = None  # weeks covered (for rows made of pooled weeks)
    last: date | None = None

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.shown and self.n else None


@dataclass(frozen=True)
class EmployeeAnswer:
    source: str
    first_week: date
    last_week: date  # a Monday: the answer covers [first_week, last_week + 6 days]
    k: int
    total: Figure
    rows: tuple[Figure, ...] = ()  # by team
    points: tuple[Figure, ...] = ()  # by week (trend)
    left_out: int = 0  # groups (team runs) left out: outside the whole weeks, or below K
    moved: str | None = None  # why the weeks differ from the period asked

    @property
    def end(self) -> date:
        return self.last_week + timedelta(days=6)


def whole_weeks(start: date, end: date, *, now: datetime) -> tuple[date, date, str | None]:
    """The whole, finished weeks inside [start, end]; the last finished week when there are none."""
    first = start if start.weekday() == 0 else week_of(start) + WEEK
    last = min(week_of(end + timedelta(days=1)) - WEEK, last_finished_week(now))
    if first <= last:
        moved = None if (first, last + timedelta(days=6)) == (start, end) else "whole finished weeks only"
        return first, last, moved
    done = last_finished_week(now)
    return done, done, "no whole finished week in that period: showing the last finished week"


def answer_employee(
    session: Session,
    *,
    source: str,
    start: date,
    end: date,
    teams: Collection[int] | None,
    names: dict[int, str],
    now: datetime,
    by_team: bool = False,
    by_week: bool = False,
) -> EmployeeAnswer:
    """`teams` None: every team (admins and the terminal)."""
    if source not in SOURCES:
        raise InvalidInput(f"Unknown employee metric {source!r}.")
    first, last, moved = whole_weeks(start, end, now=now)
    found, pending, k = atoms(session, SOURCES[source], now=now)
    visible = [a for a in found if teams is None or a.team_key in teams]
    inside = [a for a in visible if a.first_week >= first and a.last_week <= last]
    touching = [a for a in visible if a.last_week >= first and a.first_week <= last]
    shown = [a for a in inside if a.shown]
    left_out = len(touching) - len(shown)
    total = _sum("total", shown)
    rows: tuple[Figure, ...] = ()
    if by_team:
        needed = {p.team_key: p.needed for p in pending if teams is None or p.team_key in teams}
        team_keys = sorted({a.team_key for a in touching} | set(needed), key=lambda t: _label(t, names))
        rows = tuple(
            _sum(_label(t, names), [a for a in shown if a.team_key == t], needed.get(t)) for t in team_keys
        )
    points: tuple[Figure, ...] = ()
    if by_week:
        weeks = [first + i * WEEK for i in range((last - first) // WEEK + 1)]
        points = tuple(
            _sum(w.isoformat(), [a for a in shown if a.first_week == a.last_week == w], first=w)
            for w in weeks
        )
    return EmployeeAnswer(source, first, last, k, total, rows, points, left_out, moved)


def _label(team_key: int, names: dict[int, str]) -> str:
    return names.get(team_key, "?") if team_key else NO_TEAM


def _sum(label: str, shown: list[Atom], needed: int | None = None, first: date | None = None) -> Figure:
    if not shown:
        return Figure(label, 0, 0, False, needed, first, first)
    return Figure(
        label,
        sum(a.n for a in shown),
        sum(a.total for a in shown),
        True,
        needed,
        min(a.first_week for a in shown),
        max(a.last_week for a in shown),
    )
