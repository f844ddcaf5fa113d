"""The atoms of big teams, summed in the store (one GROUP BY, no Python loop per team-week).

A team whose every counted week has at least K distinct people (cells.py: not a "small team") has one
atom per finished week, each shown: its cached `employee_week` row. A figure sums the shown atoms lying
wholly inside its weeks, so for those teams it is the SUM of their cached rows over the weeks, grouped
by week (totals, the weeks before, trends) or by team. Small teams (the set cells.split_atoms
returns) are excluded here and summed from their atoms, as before; the result equals summing every
atom in Python (tests/services/employees/test_week_sums.py checks it on random data).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from bot.services.employees.sources import Tally
from bot.services.employees.week_counts import DONE_MARK
from models.pulse import EmployeeWeek


@dataclass(frozen=True)
class Part:
    """A sum of shown atoms: its counts and the weeks it covers (first, last: Mondays)."""

    key: int | date  # the team, or the week
    tally: Tally
    first: date
    last: date


def big_sums(
    session: Session, source: str, *, first: date, last: date, small: set[int],
    teams: Collection[int] | None, by_team: bool,
) -> list[Part]:  # fmt: skip
    """Cached weeks in [first, last] of the teams not in `small` (and in `teams` when given), summed
    per week, or per team when by_team."""
    w = EmployeeWeek.__table__.c  # type: ignore[attr-defined]
    key = w.team_key if by_team else w.week_start
    stmt = (
        select(
            key,
            func.sum(w.n),
            func.sum(w.top),
            func.sum(w.total),
            func.sum(w.squares),
            func.min(w.week_start),
            func.max(w.week_start),
        )  # fmt: skip
        .where(w.source == source, w.week_start >= first, w.week_start <= last, w.team_key != DONE_MARK)
        .group_by(key)
    )
    if small:
        stmt = stmt.where(w.team_key.not_in(sorted(small)))
    if teams is not None:
        stmt = stmt.where(w.team_key.in_(sorted(teams)))
    return [
        Part(k, Tally(int(n), int(top), int(total), int(squares)), lo, hi)
        for k, n, top, total, squares, lo, hi in session.execute(stmt)
    ]
