"""`/kpi participation last round` through real HTTP: a manager sees "n of N answered" for their team."""

from __future__ import annotations

from datetime import date

from bot.db import session_scope
from bot.services.people import roles as people
from tests.conftest import wait_for
from tests.factories import make_team
from tests.services.employees.test_round_questions import add_round


def test_a_manager_asks_participation_last_round_and_sees_n_of_n(harness, now) -> None:  # type: ignore[no-untyped-def]
    paris = make_team(harness.deps.factory, name="Paris", channel="C0PARIS", now=now).id
    lyon = make_team(harness.deps.factory, name="Lyon", channel="C0LYON", now=now).id
    add_round(harness.deps.factory, paris, 1, [10] * 5, invited=18, day=date(2026, 11, 9))
    add_round(harness.deps.factory, paris, 2, [9] * 12, invited=18, day=date(2026, 11, 16))
    add_round(harness.deps.factory, lyon, 1, [9] * 9, invited=9, day=date(2026, 11, 16))
    with session_scope(harness.deps.factory) as session:
        people.grant_role(session, "U0MANAGER", role="manager", now=now)
        people.manage_team(session, "U0MANAGER", team="Paris", now=now)
    harness.sender.slash_command("/kpi", "participation last round", user_id="U0MANAGER")
    reply = wait_for(lambda: [r for r in harness.standin.responses if r.user_id == "U0MANAGER"])[-1].payload
    assert reply["response_type"] == "ephemeral"
    assert "Participation 66.7%* (12 of 18 answered)" in reply["text"]
    assert "last round (opened Mon 16 Nov 2026)" in reply["text"] and "team Paris" in reply["text"]
    assert "vs the round before" in reply["text"]  # 5 of 18 the week before
    assert "Lyon" not in reply["text"]  # not a team this manager sees


def test_kpi_help_lists_the_round_questions(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.sender.slash_command("/kpi", "help")
    reply = wait_for(lambda: [r for r in harness.standin.responses if r.user_id == "U0AGENT"])[-1].payload
    assert "`/kpi participation last round`" in reply["text"] and "trend 8 rounds" in reply["text"]
    assert "Which metric" not in reply["text"]  # help, not a question it failed to read
