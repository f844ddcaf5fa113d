"""`/kpi pulse ...` and mentions through HTTP: the same engine, the same roles, nothing below K."""

from __future__ import annotations

from bot.db import session_scope
from bot.services.people import roles as people
from tests.conftest import wait_for
from tests.services.employees.conftest import answer


def _store(h, now) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_team

    care = make_team(h.deps.factory, name="Care", now=now).id
    paris = make_team(h.deps.factory, name="Paris", channel="C0PARIS", now=now).id
    answer(h.deps.factory, care, [f"c{i}" for i in range(6)], 6, 4)
    answer(h.deps.factory, paris, ["p1", "p2"], 6, 1)
    with session_scope(h.deps.factory) as session:
        people.grant_role(session, "U0AGENT", role="admin", now=now)


def test_kpi_pulse_by_team_answers_privately_through_the_engine(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.slash_command("/kpi", "pulse last week by team")
    reply = wait_for(lambda: harness.standin.responses)[-1].payload
    assert reply["response_type"] == "ephemeral"
    lines = reply["text"].splitlines()
    assert lines[0].startswith("*Pulse 4.00/5*") and "6 answers" in lines[0]  # Paris left out of the total
    care = next(x for x in lines if x.startswith("Care"))
    paris = next(x for x in lines if x.startswith("Paris"))
    assert "4.00/5" in care and paris.split()[-1] == "hidden" and "3 more people needed" in paris


def test_a_mention_about_pulse_for_a_small_team_is_hidden(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    harness.sender.app_mention("how is pulse this week for Paris?")
    note = wait_for(lambda: harness.standin.ephemerals("C0SUPPORT"))[-1]
    assert "fewer than 5 answers" in note["text"] and "1.0" not in note["text"]
