"""Employee questions: parsing, roles, whole weeks, hidden below K, the text people read."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, NotFound
from bot.services.employees.questions import ask_employee, employee_metric
from bot.services.employees.text import format_employee
from bot.services.people import roles as people
from tests.services.employees.conftest import answer, week


def _ask(session, now, text, asker=None):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    query, ans = ask_employee(session, text=text, asker=asker, now=now, default_tz=ZoneInfo("Europe/Paris"))
    return query, ans, format_employee(query, ans)


def _data(factory, teams) -> None:  # type: ignore[no-untyped-def]
    for w in (4, 5, 6):
        answer(factory, teams["Alpha"], [f"a{i}" for i in range(6)], w, 4)
        answer(factory, teams["Gamma"], [f"g{i}" for i in range(5)], w, 2)
    answer(factory, teams["Beta"], ["b1", "b2"], 6, 1)


def test_metric_words_route_the_question() -> None:
    assert employee_metric("pulse last week") == "pulse"
    assert employee_metric("Best failures this month by team") == "stories"
    assert employee_metric("idées ce trimestre") == "suggestions"
    assert employee_metric("nps last week") is None


def test_pulse_last_week_by_team_shows_big_teams_and_hides_the_small_one(
    factory, session, teams, now
) -> None:  # type: ignore[no-untyped-def]
    _data(factory, teams)
    _, ans, text = _ask(session, now, "pulse last week by team")
    # now = Mon 23 Nov 09:00 UTC: the week of 16 Nov is not over everywhere yet -> last finished is 9-15 Nov
    assert ans.first_week == week(6) and ans.total.n == 11 and ans.total.total == 34
    assert "3.1 / 5 (11 answers)" in text
    assert (
        "Beta: fewer than 5 answers: hidden to protect anonymity" in text and "3 more people needed" in text
    )
    assert "b1" not in text and "2 answers" not in text


def test_trend_and_periods_come_by_whole_finished_weeks(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    _data(factory, teams)
    _, trend, text = _ask(session, now, "pulse trend 4 weeks")
    assert [p.n for p in trend.points] == [0, 11, 11, 11]
    assert "fewer than 5" in text.split("\n")[1]  # the first week had no answers at all: hidden alike
    _, month, text = _ask(session, now, "pulse november")
    assert (month.first_week, month.last_week, month.total.n) == (week(5), week(6), 22)  # 2-15 Nov
    assert "whole finished weeks only" in text


def test_roles_apply_an_agent_sees_their_team_only(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    _data(factory, teams)
    people.assign_team(session, "U0AGENT", team="Alpha", now=now)
    session.commit()
    _, ans, text = _ask(session, now, "pulse last week", asker="U0AGENT")
    assert ans.total.n == 6 and "4.0 / 5" in text
    with pytest.raises(Exception, match="Gamma"):
        _ask(session, now, "pulse last week for Gamma", asker="U0AGENT")


def test_unknown_words_and_teams_are_said_not_guessed(factory, session, teams, now) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="banana"):
        _ask(session, now, "pulse banana last week")
    with pytest.raises((InvalidInput, NotFound)):
        _ask(session, now, "pulse team Nowhere")
