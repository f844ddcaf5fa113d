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
from bot.services.employees.cells import Atom, Pending, atoms, split_atoms
from bot.services.employees.sources import WEEK, Tally, last_finished_week, source_for, summed
from bot.services.employees.week_sums import Part, big_sums
from bot.services.kpi.answers import NO_TEAM
from bot.services.kpi.metrics import Metric


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
    """Figures over whole finished weeks; `teams` None: every team (admins and the terminal). Small
    teams' atoms are summed here; big teams' (one shown atom per week) in the store (week_sums.py)."""
    first, last, moved = whole_weeks(start, end, now=now)
    span = last - first + WEEK
    source = source_for(metric)
    found, pending, k, small = split_atoms(session, source, now=now, since=first - span, big=False)
    visible = [a for a in found if teams is None or a.team_key in teams]
    touching = [a for a in visible if a.last_week >= first and a.first_week <= last]
    parts = [Part(a.team_key, a.tally, a.first_week, a.last_week) for a in visible if a.shown]
    shown, before = _inside(parts, first, last), _inside(parts, first - span, first - WEEK)
    left_out = len(touching) - len(shown)

    def big(by_team: bool, lo: date) -> list[Part]:
        if small is None:  # every atom is in `found` (a source counted live)
            return []
        return big_sums(session, source.name, first=lo, last=last, small=small, teams=teams, by_team=by_team)

    rows: tuple[Figure, ...] = ()
    if by_team:
        rows = _team_rows(shown + big(True, first), touching, pending, teams, names)
    weeks = big(False, first - span)
    shown += [p for p in weeks if p.first >= first]
    before += [p for p in weeks if p.first < first]
    figures = []
    for b_start, b_end in buckets:
        b_first = b_start if b_start.weekday() == 0 else week_of(b_start) + WEEK
        b_last = week_of(b_end + timedelta(days=1)) - WEEK
        figures.append(_sum(b_start.isoformat(), _inside(shown, b_first, b_last)))
    waiting = [p for p in pending if (teams is None or p.team_key in teams) and p.first_week <= last]
    total, previous = _sum("total", shown), _sum("previous", before)
    return AtomAnswer(first, last, k, total, previous, rows, tuple(figures), left_out + len(waiting), moved)


def _team_rows(
    shown: list[Part], touching: list[Atom], pending: list[Pending], teams: Collection[int] | None,
    names: dict[int, str],
) -> tuple[Figure, ...]:  # fmt: skip
    """One row per team with atoms touching the weeks (or a run waiting for people), shown or not."""
    needed = {p.team_key: p.needed for p in pending if teams is None or p.team_key in teams}
    by_key: dict[int, list[Part]] = {}
    for p in shown:
        by_key.setdefault(int(p.key), []).append(p)  # type: ignore[arg-type]
    keys = sorted({a.team_key for a in touching} | set(needed) | set(by_key), key=lambda t: _label(t, names))
    return tuple(_sum(_label(t, names), by_key.get(t, []), needed.get(t)) for t in keys)


def _inside(found: list[Part], first: date, last: date) -> list[Part]:
    return [p for p in found if p.first >= first and p.last <= last]


def _label(team_key: int, names: dict[int, str]) -> str:
    return names.get(team_key, "?") if team_key else NO_TEAM


def _sum(label: str, shown: list[Part], needed: int | None = None) -> Figure:
    if not shown:
        return Figure(label, Tally(), False, needed)
    tally = summed([p.tally for p in shown])
    return Figure(label, tally, True, needed, min(p.first for p in shown), max(p.last for p in shown))


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
    inside = [a for a in found if a.shown and a.first_week >= first and a.last_week <= last]
    for a in [a for a in inside if teams is None or a.team_key in teams]:
        team = c.team_id.is_(None) if a.team_key == 0 else c.team_id == a.team_key
        rows = session.execute(
            select(c.comment).where(team, c.day >= a.first_week, c.day <= a.end, c.comment.is_not(None))
        ).scalars()
        out += [(a.first_week, a.end, text) for text in rows if text]
    Random(seed).shuffle(out)
    return out
