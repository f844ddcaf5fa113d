"""Employee figures (pulse, stories, suggestions) for a period, a set of teams, by team or by week.

Everything here is read from atoms (cells.py): a figure is the sum of the visible, shown atoms lying
wholly inside the period's whole finished weeks. What falls outside or below K is left out, the
answer says how many groups were left out, and never how many answers they hold.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.services.employees.anonymity import week_of
from bot.services.employees.cells import WEEK, Atom, Tally, atoms, last_finished_week, source_for, summed
from bot.services.kpi.metrics import Metric

NO_TEAM = "(no team)"


@dataclass(frozen=True)
class Figure:
    label: str
    tally: Tally  # the sum of the shown atoms; empty when hidden
    shown: bool
    needed: int | None = None  # people still needed before a small team's run can be shown
    first: date | None = None  # weeks covered (rows made of pooled weeks say so)
    last: date | None = None

    @property
    def n(self) -> int:
        return self.tally.n


@dataclass(frozen=True)
class AtomAnswer:
    first_week: date
    last_week: date  # a Monday: the answer covers [first_week, last_week + 6 days]
    k: int
    total: Figure
    previous: Figure  # the same number of whole weeks just before
    rows: tuple[Figure, ...] = ()  # by team
    buckets: tuple[Figure, ...] = ()  # by week or month (trend)
    left_out: int = 0  # team runs left out: straddling the weeks, or below K
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


def answer_atoms(
    session: Session,
    *,
    metric: Metric,
    start: date,
    end: date,
    teams: Collection[int] | None,
    names: dict[int, str],
    now: datetime,
    by_team: bool = False,
    buckets: Sequence[tuple[date, date]] = (),
) -> AtomAnswer:
    """Figures over whole finished weeks; `teams` None: every team (admins and the terminal)."""
    first, last, moved = whole_weeks(start, end, now=now)
    span = last - first + WEEK
    found, pending, k = atoms(session, source_for(metric), now=now, since=first - span)
    visible = [a for a in found if teams is None or a.team_key in teams]
    touching = [a for a in visible if a.last_week >= first and a.first_week <= last]
    shown = [a for a in _inside(visible, first, last) if a.shown]
    previous = _sum("previous", [a for a in _inside(visible, first - span, first - WEEK) if a.shown])
    rows: tuple[Figure, ...] = ()
    if by_team:
        needed = {p.team_key: p.needed for p in pending if teams is None or p.team_key in teams}
        keys = sorted({a.team_key for a in touching} | set(needed), key=lambda t: _label(t, names))
        by_key: dict[int, list[Atom]] = {}
        for a in shown:
            by_key.setdefault(a.team_key, []).append(a)
        rows = tuple(_sum(_label(t, names), by_key.get(t, []), needed.get(t)) for t in keys)
    figures = []
    for b_start, b_end in buckets:
        b_first = b_start if b_start.weekday() == 0 else week_of(b_start) + WEEK
        b_last = week_of(b_end + timedelta(days=1)) - WEEK
        figures.append(_sum(b_start.isoformat(), _inside(shown, b_first, b_last)))
    waiting = [p for p in pending if (teams is None or p.team_key in teams) and p.first_week <= last]
    left_out = len(touching) - len(shown) + len(waiting)
    return AtomAnswer(first, last, k, _sum("total", shown), previous, rows, tuple(figures), left_out, moved)


def _inside(found: list[Atom], first: date, last: date) -> list[Atom]:
    return [a for a in found if a.first_week >= first and a.last_week <= last]


def _label(team_key: int, names: dict[int, str]) -> str:
    return names.get(team_key, "?") if team_key else NO_TEAM


def _sum(label: str, shown: list[Atom], needed: int | None = None) -> Figure:
    if not shown:
        return Figure(label, Tally(), False, needed)
    tally = summed([a.tally for a in shown])
    return Figure(
        label, tally, True, needed, min(a.first_week for a in shown), max(a.last_week for a in shown)
    )


def shown_comments(
    session: Session, *, metric: Metric, start: date, end: date, teams: Collection[int] | None, now: datetime,
    seed: int = 0,
) -> list[tuple[date, date, str]]:  # fmt: skip
    """(first day, last day, comment) of the shown atoms inside the whole weeks of [start, end],
    shuffled: comments are shown only with a group above K, dated to their block's week(s) (a pooled
    block's comments are not dated finer than the block), never in answer order."""
    from random import Random

    from sqlalchemy import select

    first, last, _ = whole_weeks(start, end, now=now)
    found, _, _ = atoms(session, source_for(metric), now=now, since=first)
    c = metric.table.c
    out: list[tuple[date, date, str]] = []
    for a in _inside([a for a in found if a.shown and (teams is None or a.team_key in teams)], first, last):
        team = c.team_id.is_(None) if a.team_key == 0 else c.team_id == a.team_key
        rows = session.execute(
            select(c.comment).where(team, c.day >= a.first_week, c.day <= a.end, c.comment.is_not(None))
        ).scalars()
        out += [(a.first_week, a.end, text) for text in rows if text]
    Random(seed).shuffle(out)
    return out
