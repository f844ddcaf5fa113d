"""Questions about pulse, stories and suggestions go through the one KPI engine (parser, roles,
text), which sends metrics about people through the anonymity rules."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.services.kpi.ask import ask
from bot.services.kpi.metrics import get_metric
from bot.services.people import roles as people
from tests.services.employees.conftest import answer, week


def _ask(session, now, text, asker=None):  # type: ignore[no-untyped-def]
    return ask(session, text=text, metric=None, asker=asker, now=now, default_tz=ZoneInfo("Europe/Paris"), slack_admins_are_admins=True,
               with_chart=False)  # fmt: skip


def _data(factory, teams) -> None:  # type: ignore[no-untyped-def]
    for w in (4, 5, 6):
        answer(factory, teams["Alpha"], [f"a{i}" for i in range(6)], w, 4)
        answer(factory, teams["Gamma"], [f"g{i}" for i in range(5)], w, 2)
    answer(factory, teams["Beta"], ["b1", "b2"], 6, 1)


def test_employee_metrics_are_declarations_of_the_engine() -> None:
    pulse, stories, suggestions = (get_metric(k) for k in ("pulse", "stories", "suggestions"))
    assert pulse.person_column == "person_key" and pulse.time_column == "day"
    assert stories.person_column == suggestions.person_column == "author_key"
    assert suggestions.done == ("status", ("done", "wont_do"))


def test_pulse_last_week_by_team_shows_big_teams_and_hides_the_small_one(
    factory, session, teams, now
) -> None:  # type: ignore[no-untyped-def]
    _data(factory, teams)
    reply = _ask(session, now, "pulse last week by team")
    # now = Mon 23 Nov 09:00 UTC: the week of 16 Nov is not over everywhere yet -> the last finished is 9-15 Nov
    assert (reply.answer.period.start, reply.answer.n) == (week(6), 11)
    assert reply.answer.value == pytest.approx(34 / 11)
    rows = {r.label: r for r in reply.answer.rows}
    assert rows["Beta (3 more people needed)"].hidden and rows["Beta (3 more people needed)"].n is None
    assert "Pulse 3.09/5" in reply.text and "asked: last week" in reply.text
    beta_line = next(line for line in reply.text.splitlines() if line.startswith("Beta"))
    assert beta_line.split()[-1] == "hidden"


def test_trend_and_periods_come_by_whole_finished_weeks(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    _data(factory, teams)
    trend = _ask(session, now, "pulse trend 4 weeks").answer
    assert [p.n for p in trend.points] == [11, 11, None, None]  # 2 Nov, 9 Nov, then weeks not yet over
    month = _ask(session, now, "pulse november").answer
    assert (month.period.start, month.period.end, month.n) == (week(5), week(6).replace(day=15), 22)
    assert "whole finished weeks only" in month.period.label


def test_roles_apply_an_agent_sees_their_team_only(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    _data(factory, teams)
    people.assign_team(session, "U0AGENT", team="Alpha", now=now)
    session.commit()
    mine = _ask(session, now, "pulse last week", asker="U0AGENT").answer
    assert (mine.n, mine.value) == (6, 4.0)
    with pytest.raises(NotAllowed):
        _ask(session, now, "pulse last week for Gamma", asker="U0AGENT")
    with pytest.raises((NotFound, InvalidInput)):
        _ask(session, now, "pulse last week for Nowhere")


def test_counts_of_stories_and_suggestions_use_the_same_rules(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    from bot.db import session_scope
    from models.suggestion import Suggestion

    with session_scope(factory) as s:
        for i in range(5):
            s.add(Suggestion(author_key=f"k{i}", author_box="x", team_id=teams["Alpha"], day=week(6),
                             text="idea", status="done" if i < 2 else "open"))  # fmt: skip
        s.add(
            Suggestion(author_key="lonely", author_box="x", team_id=teams["Beta"], day=week(6), text="idea")
        )
    reply = _ask(session, now, "suggestions last week by team")
    assert reply.answer.n == 5 and reply.answer.counts.done == 2
    assert "Beta" in reply.text and "hidden" in next(
        x for x in reply.text.splitlines() if x.startswith("Beta")
    )
