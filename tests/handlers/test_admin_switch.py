"""SYMMETRY_SLACK_ADMINS_ARE_ADMINS=false holds through every entry point that answers KPI questions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db import session_scope
from bot.services.people import roles as people
from tests.conftest import wait_for
from tests.factories import add_verbatims, make_team, record

BOSS = "U0BOSS"  # a Slack workspace admin who is only an agent of Care


def _store(h, now) -> None:  # type: ignore[no-untyped-def]
    make_team(h.deps.factory, name="Care", now=now)
    make_team(h.deps.factory, name="Sales", channel="C0SALES", now=now)
    week = now - timedelta(days=5)
    rows = [record(i, now=week, score=9, team="Care", hours_ago=i) for i in range(6)]
    rows += [record(100 + i, now=week, score=1, team="Sales", hours_ago=i) for i in range(6)]
    rows += [record(200 + i, now=week, score=1, scale="csat", team="Sales", hours_ago=i) for i in range(6)]
    add_verbatims(h.deps.factory, rows, now=now)
    h.standin.add_user(BOSS, "boss", is_admin=True)
    with session_scope(h.deps.factory) as session:
        people.assign_team(session, BOSS, team="Care", now=now)


def _switch(h, value: bool) -> None:  # type: ignore[no-untyped-def]
    h.deps.settings = h.deps.settings.model_copy(update={"SYMMETRY_SLACK_ADMINS_ARE_ADMINS": value})


def _answers(h) -> list[str]:  # type: ignore[no-untyped-def]
    replies = [str(r.payload.get("text")) for r in h.standin.responses if r.user_id == BOSS]
    return replies + [str(e["text"]) for e in h.standin.ephemerals(user=BOSS)]


def _ask_everywhere(h) -> list[str]:  # type: ignore[no-untyped-def]
    h.sender.slash_command("/nps", "last week for Sales", user_id=BOSS)
    h.sender.slash_command("/csat", "last week for Sales", user_id=BOSS)
    h.sender.slash_command("/kpi", "nps last week by team", user_id=BOSS)
    h.sender.app_mention("nps last week for Sales", user_id=BOSS)
    return wait_for(lambda: _answers(h) if len(_answers(h)) >= 4 else None)


def test_a_slack_admin_is_only_an_agent_when_the_switch_is_off(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    _switch(harness, False)
    answers = _ask_everywhere(harness)
    # /nps, /csat, the all-teams breakdown of /kpi and the mention: each one refused, none answered
    assert len(answers) >= 4 and all("can't share the numbers of Sales" in a for a in answers), answers
    assert "-100" not in " ".join(answers)


@pytest.mark.parametrize("entry", ["/nps", "mention"])
def test_the_same_admin_sees_every_team_when_the_switch_is_on(harness, now, entry) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    _switch(harness, True)
    if entry == "mention":
        harness.sender.app_mention("nps last week for Sales", user_id=BOSS)
    else:
        harness.sender.slash_command(entry, "last week for Sales", user_id=BOSS)
    assert "NPS -100.0" in wait_for(lambda: _answers(harness))[0]


def test_ask_has_no_default_for_the_switch() -> None:
    import inspect

    from bot.services.kpi.ask import ask

    assert inspect.signature(ask).parameters["slack_admins_are_admins"].default is inspect.Parameter.empty
