"""Small teams' open runs are kept (`employee_run`) so a question does not read their answers again:
week after week, and across a change of K, every figure must equal the one computed without them
(the runs dropped, then rolled back), and, while K is unchanged, the one computed from nothing cached."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import delete, func, select

from bot.services.employees.anonymity import set_anonymity_threshold
from bot.services.employees.figures import answer_atoms
from bot.services.employees.metrics import PULSE
from models.pulse import EmployeeAtom, EmployeeRun, EmployeeWeek
from tests.services.employees.conftest import answer, week


def _fill(factory, teams: dict[str, int], rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Alpha is big; Beta, Gamma and Delta have 1-4 people a week (runs pool, close, wait, drop)."""
    plan = {teams["Alpha"]: (5, 8), teams["Beta"]: (0, 3), teams["Gamma"]: (1, 4), teams["Delta"]: (0, 2)}
    for team, (lo, hi) in plan.items():
        crowd = [f"{team}-{i}" for i in range(9)]
        for w in range(-16, 7):
            people = rng.sample(crowd, rng.randint(lo, hi))
            if people:
                answer(factory, team, people, w, rng.randint(1, 5), day=rng.randint(0, 4))


def _figures(session, names, now):  # type: ignore[no-untyped-def]
    got = answer_atoms(session, metric=PULSE, start=week(-16), end=week(7), teams=None, names=names, now=now,
                       by_team=True)  # fmt: skip
    rows = [(r.label, r.shown, r.tally, r.needed, r.first, r.last) for r in got.rows]
    return got.total, got.left_out, rows


def _without(session, names, now, tables):  # type: ignore[no-untyped-def]
    with session.begin_nested() as dropped:
        for table in tables:
            session.execute(delete(table))
        figures = _figures(session, names, now)
        dropped.rollback()
    return figures


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_runs_give_the_figures_of_a_fresh_count_week_after_week(factory, session, teams, seed) -> None:  # type: ignore[no-untyped-def]
    _fill(factory, teams, random.Random(seed))
    names = {v: k for k, v in teams.items()}
    for i in range(-12, 7):
        now = datetime.combine(week(i + 1), time(13), tzinfo=UTC)  # week i has just finished
        if i == 0:
            set_anonymity_threshold(session, 4)  # K changes: runs are walked again under it
        if i == 3:
            set_anonymity_threshold(session, 5)
        kept = _figures(session, names, now)
        again = _figures(session, names, now)  # read from the kept runs, no answers read
        # without the kept runs (the walk from the last atom, as before they were kept): the same
        assert _without(session, names, now, [EmployeeRun]) == kept == again, f"week {i}"
        if i < 0:  # K never changed yet: the same as counting everything afresh
            assert _without(session, names, now, [EmployeeRun, EmployeeAtom, EmployeeWeek]) == kept
    assert session.execute(select(func.count()).select_from(EmployeeRun)).scalar_one() > 0
