"""When rounds open: weekday, holidays (per team and by country), each person's own 10:00; bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.db import session_scope
from bot.errors import InvalidInput
from bot.services.employees.survey_admin import parse_schedule_text
from bot.services.employees.survey_calendar import country_holidays, easter, round_day
from bot.services.employees.survey_questions import load_questions
from bot.services.employees.surveys import Member, due_to_open, open_round, set_schedule
from models.survey import SurveyDelivery
from tests.factories import make_team

BANK = load_questions()


@pytest.mark.parametrize(
    ("country", "day", "expected"),
    [
        ("FR", date(2026, 4, 6), date(2026, 4, 7)),  # Easter Monday -> Tuesday
        ("FR", date(2026, 5, 25), date(2026, 5, 26)),  # Whit Monday
        ("GB", date(2026, 8, 31), date(2026, 9, 1)),  # summer bank holiday
        ("US", date(2026, 1, 19), date(2026, 1, 20)),  # Martin Luther King Jr. Day
        ("CA", date(2026, 5, 18), date(2026, 5, 19)),  # Victoria Day
        ("US", date(2026, 11, 23), date(2026, 11, 23)),  # an ordinary Monday stays
    ],
)
def test_a_round_on_a_public_holiday_moves_to_the_next_working_day(
    country: str, day: date, expected: date
) -> None:
    assert round_day(day, holidays=set(), country=country) == expected


def test_holiday_rules_are_right_in_other_years_and_team_dates_chain() -> None:
    assert easter(2025) == date(2025, 4, 20) and easter(2027) == date(2027, 3, 28)
    assert date(2027, 12, 27) in country_holidays("GB", 2027)  # Christmas on a Saturday, substitute Monday
    assert date(2027, 7, 5) in country_holidays("US", 2027)  # 4 July on a Sunday, observed Monday
    own = {date(2026, 12, 28), date(2026, 12, 29)}
    assert round_day(date(2026, 12, 28), holidays=own, country=None) == date(2026, 12, 30)


def test_each_person_gets_the_dm_at_10_in_their_own_timezone(factory, now) -> None:  # type: ignore[no-untyped-def]
    team = make_team(factory, name="Care", channel="C0CARE", now=now, timezone="Europe/Paris")
    with session_scope(factory) as session:
        set_schedule(session, team=team, now=now, weekday=0, at="10:00", days_open=3)
        early = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # Sunday evening UTC: Monday morning in Auckland
        day = due_to_open(session, team, now=early)
        assert day == date(2026, 11, 23)
        members = [
            Member("U1", "Europe/Paris"),
            Member("U2", "America/New_York"),
            Member("U3", "Pacific/Auckland"),
            Member("U4"),
        ]
        survey_round = open_round(session, team=team, members=members, bank=BANK, now=early, day=day)
        due = {d.slack_user_id: d.due_at for d in session.exec(select(SurveyDelivery))}
        assert due["U1"] == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        assert due["U2"] == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
        assert due["U3"] == datetime(2026, 11, 22, 21, 0, tzinfo=UTC)
        assert due["U4"] == due["U1"]  # no timezone from Slack: the team's
        assert survey_round.closes_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        assert due_to_open(session, team, now=early) is None  # opened once


def test_holidays_of_a_team_move_its_round(factory, now) -> None:  # type: ignore[no-untyped-def]
    team = make_team(factory, name="Care", channel="C0CARE", now=now)
    with session_scope(factory) as session:
        set_schedule(session, team=team, now=now, holidays="2026-11-23", country="fr")
        assert due_to_open(session, team, now=datetime(2026, 11, 24, 9, 0, tzinfo=UTC)) == date(2026, 11, 24)
        with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
            set_schedule(session, team=team, now=now, holidays="23/11/2026")
        with pytest.raises(InvalidInput, match="FR, GB, US, CA"):
            set_schedule(session, team=team, now=now, country="DE")
        with pytest.raises(InvalidInput, match="1 to 14"):
            set_schedule(session, team=team, now=now, days_open=0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("--day monday", "which team"),
        ("--team Care --days-open three", "whole number"),
        ("--team 'Care", "could not read"),
        ("--oops 1", "unexpected"),
    ],
)
def test_malformed_schedule_text_is_one_clear_message(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_schedule_text(text)


def test_a_broken_question_file_says_what_is_wrong(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "q.yaml"
    bad.write_text("questions: {quality: {en: Hi}}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"questions.quality.fr"):
        load_questions(bad)
    bad.write_text("questions: [\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid YAML"):
        load_questions(bad)
    assert [BANK.driver_for_round(n).key for n in (1, 8, 9)] == ["recognition", "initiative", "recognition"]
