"""Employee answers written straight into the store, for the engine and attack tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.db import session_scope
from models.pulse import PulseAnswer
from tests.factories import make_team

MONDAY = date(2026, 9, 28)  # w0; at the tests' `now` (Mon 23 Nov 09:00 UTC) w0..w6 (9-15 Nov) are finished


def week(i: int) -> date:
    return MONDAY + timedelta(weeks=i)


@pytest.fixture
def teams(factory, now):  # type: ignore[no-untyped-def]
    return {
        name: make_team(factory, name=name, channel=f"C0{name.upper()}", now=now).id
        for name in ("Alpha", "Beta", "Gamma", "Delta")
    }


def answer(factory, team_id: int | None, people: list[str], w: int, score: int, day: int = 1) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Each of `people` answers `score` on day `day` (0 = Monday) of week `w`; returns the truth rows."""
    d = week(w) + timedelta(days=day)
    with session_scope(factory) as session:
        for p in people:
            session.add(PulseAnswer(person_key=p, team_id=team_id, day=d, score=score))
    return [(team_id, d, p, score) for p in people]
