"""Job `employee-weeks`: finished weeks are counted (and small teams' atoms formed) by the job, once,
so the first question afterwards reads cached tallies and never the answers."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import event

from bot.clock import FixedClock
from bot.entry.deps import Deps
from bot.sandbox.harness import sandbox_settings
from bot.services.employees.figures import answer_atoms
from bot.services.employees.metrics import PULSE
from jobs import JOBS
from jobs.employee_weeks import tick
from tests.factories import make_team
from tests.services.employees.conftest import answer, week


def _deps(factory, now: datetime, **settings) -> Deps:  # type: ignore[no-untyped-def]
    return Deps(settings=sandbox_settings("sqlite://", "http://127.0.0.1:9", **settings), factory=factory,
                clock=FixedClock(now))  # fmt: skip


def _answers_read(engine, ask) -> list[str]:  # type: ignore[no-untyped-def]
    """The statements `ask()` sends that read pulse answers (other than their first day)."""
    seen: list[str] = []

    def spy(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        if "pulse_answer" in statement and "min(" not in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", spy)
    try:
        ask()
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    return seen


def test_the_job_is_scheduled_with_a_stable_id() -> None:
    assert "employee-weeks" in [job.id for job in JOBS]


def test_finished_weeks_are_counted_once_and_questions_then_read_no_answer(
    factory, engine, session, now
) -> None:  # type: ignore[no-untyped-def]
    teams = {
        name: make_team(factory, name=name, channel=f"C0{name.upper()}", now=now).id
        for name in ("Alpha", "Beta")
    }
    for w in range(0, 5):
        answer(factory, teams["Alpha"], [f"a{i}" for i in range(6)], w, 4)
        answer(factory, teams["Beta"], [f"b{w}{i}" for i in range(2)], w, 2)  # small: weeks 0-2 pool
    monday = datetime.combine(week(5), time(13), tzinfo=UTC)  # weeks 0-4 are over
    assert tick(deps=_deps(factory, monday, SYMMETRY_EMPLOYEE_FEATURES=False)) == "off"
    assert tick(deps=_deps(factory, monday)) == "counted 5 week(s)"
    assert tick(deps=_deps(factory, monday)) == "nothing to count"

    def ask():  # type: ignore[no-untyped-def]
        return answer_atoms(session, metric=PULSE, start=week(0), end=week(5), teams=None,
                            names={v: k for k, v in teams.items()}, now=monday, by_team=True)  # fmt: skip

    assert _answers_read(engine, ask) == []
    found = ask()
    assert found.total.n == 6 * 5 + 2 * 3 and [r.label for r in found.rows if r.shown] == ["Alpha", "Beta"]
    assert found.left_out == 1  # Beta's weeks 3-4: 4 people so far, waiting
    answer(factory, teams["Alpha"], [f"a{i}" for i in range(6)], 5, 3)
    later = datetime.combine(week(6), time(13), tzinfo=UTC)
    assert tick(deps=_deps(factory, later)) == "counted 1 week(s)"
