"""The employee side of `symmetry demo` plays through the stand-in and shows what people received."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db import session_scope
from bot.demo.employees import MANAGERS, STORIES, play_employee_side
from models.pulse import PulseAnswer
from tests.factories import make_team


def test_the_demo_plays_pulse_a_story_a_vote_and_a_suggestion_reply(harness, now) -> None:  # type: ignore[no-untyped-def]
    make_team(harness.deps.factory, name="Care", now=now)
    lines: list[str] = []
    play_employee_side(harness, "Care", lines.append)
    out = "\n".join(lines)
    with session_scope(harness.deps.factory) as session:
        assert session.execute(select(func.count()).select_from(PulseAnswer)).scalar_one() == 5
    assert "👏 Best failure · 1" in out and "Suggestion #1 · anonymous" in out
    assert "Your managers about your suggestion #1" in out and "Your last 8 weeks" in out
    assert harness.standin.messages(STORIES) and harness.standin.messages(MANAGERS)
