"""Big teams' atoms are summed in the store (week_sums.py): on random data, every figure must equal the
Python reference, which sums every atom (big and small teams alike) the way the engine used to."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from bot.services.employees.cells import atoms
from bot.services.employees.figures import answer_atoms, whole_weeks
from bot.services.employees.metrics import PULSE
from bot.services.employees.sources import source_for, summed
from tests.services.employees.conftest import answer, week

WEEK = timedelta(weeks=1)


def _fill(factory, teams: dict[str, int], rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Two big teams (5-9 people every day), two small ones (0-6 people one day a week: runs pool, some
    are left out, some wait), and answers without a team."""
    plan = {teams["Alpha"]: (5, 9, 5), teams["Beta"]: (5, 9, 5), teams["Gamma"]: (0, 6, 1),
            teams["Delta"]: (0, 4, 1), None: (3, 8, 2)}  # fmt: skip
    for team, (lo, hi, days) in plan.items():
        crowd = [f"{team}-{i}" for i in range(12)]
        for w in range(-8, 7):
            for day in rng.sample(range(5), days):
                people = rng.sample(crowd, rng.randint(lo, hi))
                if people:
                    answer(factory, team, people, w, rng.randint(1, 5), day=day)


def _reference(session, *, start: date, end: date, teams, now, by_team: bool, buckets):  # type: ignore[no-untyped-def]
    """The figures summed from every atom in Python: (total, previous, rows, buckets, left_out)."""
    first, last, _ = whole_weeks(start, end, now=now)
    span = last - first + WEEK
    found, pending, _ = atoms(session, source_for(PULSE), now=now, since=first - span)
    visible = [a for a in found if teams is None or a.team_key in teams]
    inside = lambda lo, hi: [a for a in visible if a.shown and a.first_week >= lo and a.last_week <= hi]  # noqa: E731
    fig = lambda shown: summed([a.tally for a in shown]) if shown else None  # noqa: E731
    touching = [a for a in visible if a.last_week >= first and a.first_week <= last]
    waiting = [p for p in pending if (teams is None or p.team_key in teams) and p.first_week <= last]
    rows = {}
    if by_team:
        needed = {p.team_key for p in pending if teams is None or p.team_key in teams}
        for t in {a.team_key for a in touching} | needed:
            rows[t] = fig([a for a in inside(first, last) if a.team_key == t])
    cells = []
    for b_start, b_end in buckets:
        b_first = b_start if b_start.weekday() == 0 else b_start - timedelta(days=b_start.weekday()) + WEEK
        b_last = b_end + timedelta(days=1) - timedelta(days=(b_end + timedelta(days=1)).weekday()) - WEEK
        cells.append(
            fig([a for a in inside(first, last) if a.first_week >= b_first and a.last_week <= b_last])
        )
    left_out = len(touching) - len(inside(first, last)) + len(waiting)
    return fig(inside(first, last)), fig(inside(first - span, first - WEEK)), rows, cells, left_out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_sums_equal_the_python_reference_on_random_data(factory, session, teams, now, seed) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    _fill(factory, teams, rng)
    names = {v: k for k, v in teams.items()}
    ids = list(teams.values())
    seen = set()
    for _ in range(12):
        start = week(rng.randint(-8, 6)) + timedelta(days=rng.choice((0, 0, 2)))
        end = start + timedelta(days=rng.randint(6, 40))
        chosen = rng.choice([None, None, rng.sample(ids, rng.randint(1, 3)), []])
        by_team = rng.random() < 0.5
        buckets = [(d, d + timedelta(days=6)) for d in (start + i * WEEK for i in range(6))]
        got = answer_atoms(session, metric=PULSE, start=start, end=end, teams=chosen, names=names, now=now,
                           by_team=by_team, buckets=buckets)  # fmt: skip
        total, previous, rows, cells, left_out = _reference(
            session, start=start, end=end, teams=chosen, now=now, by_team=by_team, buckets=buckets
        )
        as_tally = lambda f: f.tally if f.shown else None  # noqa: E731
        assert (as_tally(got.total), as_tally(got.previous), got.left_out) == (total, previous, left_out)
        assert [as_tally(f) for f in got.buckets] == cells
        expected_rows = {names.get(t, "(no team)") if t else "(no team)": v for t, v in rows.items()}
        assert {f.label: as_tally(f) for f in got.rows} == expected_rows
        seen |= {("shown", got.total.shown), ("left out", got.left_out > 0), ("rows", bool(got.rows))}
    assert {("shown", True), ("left out", True), ("rows", True)} <= seen  # the data exercised both paths
