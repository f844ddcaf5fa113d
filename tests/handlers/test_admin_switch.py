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


def _replies(h) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(r.payload.get("text")) for r in h.standin.responses if r.user_id == BOSS]


def _ephemerals(h) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e["text"]) for e in h.standin.ephemerals(user=BOSS)]


def _answer_to(h, send, seen) -> str:  # type: ignore[no-untyped-def]
    """Ask one way and wait for that answer (one at a time: each answer is known to be its question's)."""
    before = len(seen(h))
    send()
    return wait_for(lambda: seen(h)[before:])[0]


def _ask_everywhere(h) -> dict[str, str]:  # type: ignore[no-untyped-def]
    slash = h.sender.slash_command
    return {
        "/nps": _answer_to(h, lambda: slash("/nps", "last week for Sales", user_id=BOSS), _replies),
        "/csat": _answer_to(h, lambda: slash("/csat", "last week for Sales", user_id=BOSS), _replies),
        "/kpi by team": _answer_to(h, lambda: slash("/kpi", "nps last week by team", user_id=BOSS), _replies),
        "mention": _answer_to(
            h, lambda: h.sender.app_mention("nps last week for Sales", user_id=BOSS), _ephemerals
        ),
    }


def test_a_slack_admin_is_only_an_agent_when_the_switch_is_off(harness, now) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    _switch(harness, False)
    answers = _ask_everywhere(harness)
    # /nps, /csat and the mention asked for Sales: refused; the breakdown by team shows their own team only
    for entry in ("/nps", "/csat", "mention"):
        assert "can't share the numbers of Sales" in answers[entry], (entry, answers[entry])
    assert "team Care" in answers["/kpi by team"] and "Sales" not in answers["/kpi by team"]
    assert "-100" not in " ".join(answers.values())  # Sales' NPS, shown nowhere


@pytest.mark.parametrize("entry", ["/nps", "mention"])
def test_the_same_admin_sees_every_team_when_the_switch_is_on(harness, now, entry) -> None:  # type: ignore[no-untyped-def]
    _store(harness, now)
    _switch(harness, True)
    if entry == "mention":
        harness.sender.app_mention("nps last week for Sales", user_id=BOSS)
    else:
        harness.sender.slash_command(entry, "last week for Sales", user_id=BOSS)
    assert "NPS -100.0" in wait_for(lambda: _replies(harness) + _ephemerals(harness))[0]


def test_ask_has_no_default_for_the_switch() -> None:
    import inspect

    from bot.services.kpi.ask import ask

    assert inspect.signature(ask).parameters["slack_admins_are_admins"].default is inspect.Parameter.empty
