"""Survey rounds: each team's schedule, opening a round (who gets a DM, when), status.

A round belongs to a team and its team-local opening day (UNIQUE), so the job that opens it can
run any number of times. Each person's DM falls due at the schedule's hour in their own timezone
on that day (Slack's tz, else the team's); the round opens at that hour team-local and closes
`days_open` days later, with one reminder half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.errors import InvalidInput
from bot.services.employees.anonymity import lock_threshold
from bot.services.employees.survey_calendar import (
    COUNTRIES,
    local_moment,
    parse_holidays,
    round_day,
    scheduled_day,
)
from bot.services.employees.survey_db import row_id
from bot.services.employees.survey_questions import QuestionBank
from bot.services.people.teams import validate_digest_at
from models.survey import DeliveryStatus, RoundStatus, SurveyDelivery, SurveyRound, SurveySchedule
from models.team import Team

LEAD = timedelta(hours=26)  # UTC+14 reaches a day's 10:00 up to 26 h before a UTC-12 team does


@dataclass(frozen=True)
class Member:
    user_id: str
    tz: str | None = None
    locale: str | None = None

    @property
    def language(self) -> str:
        return "fr" if (self.locale or "").lower().startswith("fr") else "en"


def get_schedule(session: Session, team: Team) -> SurveySchedule | None:
    return session.get(SurveySchedule, team.id)


def set_schedule(
    session: Session,
    *,
    team: Team,
    now: datetime,
    weekday: int | None = None,
    at: str | None = None,
    days_open: int | None = None,
    holidays: str | None = None,
    country: str | None = None,
    enabled: bool | None = None,
) -> SurveySchedule:
    """Create or change a team's schedule (defaults: Monday 10:00, open 3 days)."""
    row = session.get(SurveySchedule, team.id) or SurveySchedule(team_id=row_id(team.id), updated_at=now)
    if weekday is not None:
        row.weekday = weekday
    if at is not None:
        row.at = validate_digest_at(at)
    if days_open is not None:
        if not 1 <= days_open <= 14:
            raise InvalidInput(f"a round stays open 1 to 14 days (got {days_open})")
        row.days_open = days_open
    if holidays is not None:
        row.holidays = ",".join(d.isoformat() for d in parse_holidays(holidays))
    if country is not None:
        code = country.strip().upper() or None
        if code and code not in COUNTRIES:
            raise InvalidInput(f"no holiday list for {country!r}: use one of {', '.join(COUNTRIES)}")
        row.holiday_country = code
    if enabled is not None:
        row.enabled = enabled
    row.updated_at = now
    session.add(row)
    session.flush()
    return row


def round_days(schedule: SurveySchedule, team: Team, *, now: datetime) -> list[date]:
    """This week's and next week's round days (moved past weekends and holidays)."""
    today = now.astimezone(ZoneInfo(team.timezone)).date()
    holidays = set(parse_holidays(schedule.holidays))
    return [
        round_day(
            scheduled_day(today + timedelta(weeks=w), schedule.weekday),
            holidays=holidays,
            country=schedule.holiday_country,
        )
        for w in (0, 1)
    ]


def due_to_open(session: Session, team: Team, *, now: datetime) -> date | None:
    """The day of a round that should exist by now and does not yet, else None. A round is created
    up to LEAD before its team-local opening, so people in earlier timezones get it at their 10:00."""
    schedule = get_schedule(session, team)
    if schedule is None or not schedule.enabled:
        return None
    for day in round_days(schedule, team, now=now):
        opens = local_moment(day, schedule.at, ZoneInfo(team.timezone))
        if opens - LEAD <= now < opens + timedelta(days=schedule.days_open) and not find_round(
            session, team, day
        ):
            return day
    return None


def find_round(session: Session, team: Team, day: date) -> SurveyRound | None:
    return session.exec(
        select(SurveyRound).where(col(SurveyRound.team_id) == team.id, col(SurveyRound.opens_on) == day)
    ).first()


def open_round(
    session: Session,
    *,
    team: Team,
    members: list[Member],
    bank: QuestionBank,
    now: datetime,
    day: date | None = None,
    skip_reason: str | None = None,
) -> SurveyRound:
    """The round of `day` (team-local; None: now, everyone due at once), created at most once."""
    schedule = get_schedule(session, team) or SurveySchedule(team_id=row_id(team.id), updated_at=now)
    tz = ZoneInfo(team.timezone)
    manual = day is None
    day = day or now.astimezone(tz).date()
    if (existing := find_round(session, team, day)) is not None:
        if existing.status != RoundStatus.SKIPPED or (skip_reason is None and not members):
            return existing
        session.delete(existing)  # a skipped round opened again by hand, now that it can run
        session.flush()
    opened = now if manual else local_moment(day, schedule.at, tz)
    number = (
        session.exec(select(func.max(SurveyRound.number)).where(col(SurveyRound.team_id) == team.id)).one()
        or 0
    ) + 1
    reason = skip_reason or (None if members else "no members (channel empty and nobody assigned)")
    survey_round = SurveyRound(
        team_id=row_id(team.id),
        number=number,
        opens_on=day,
        status=RoundStatus.SKIPPED.value if reason else RoundStatus.OPEN.value,
        skip_reason=reason,
        driver=bank.driver_for_round(number).key,
        threshold=lock_threshold(session, source="survey", day=day),
        opened_at=opened,
        remind_at=opened + timedelta(days=schedule.days_open / 2),
        closes_at=opened + timedelta(days=schedule.days_open),
    )
    try:
        with session.begin_nested():
            session.add(survey_round)
            session.flush()
    except IntegrityError:  # another process opened it a moment ago
        found = find_round(session, team, day)
        assert found is not None
        return found
    if not reason:
        _add_deliveries(
            session, survey_round, members, at=None if manual else schedule.at, team_tz=tz, now=now
        )
    return survey_round


def _add_deliveries(
    session: Session,
    survey_round: SurveyRound,
    members: list[Member],
    *,
    at: str | None,
    team_tz: ZoneInfo,
    now: datetime,
) -> None:
    seen: set[str] = set()
    for member in members:
        if member.user_id in seen:
            continue
        seen.add(member.user_id)
        due = now if at is None else local_moment(survey_round.opens_on, at, _zone(member.tz) or team_tz)
        session.add(
            SurveyDelivery(
                round_id=row_id(survey_round.id),
                slack_user_id=member.user_id,
                language=member.language,
                due_at=due,
                status=DeliveryStatus.PENDING.value,
            )
        )
    session.flush()


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (KeyError, ValueError):
        return None


def open_rounds(session: Session, *, team_id: int | None = None) -> list[SurveyRound]:
    query = (
        select(SurveyRound).where(col(SurveyRound.status) == RoundStatus.OPEN).order_by(col(SurveyRound.id))
    )
    if team_id is not None:
        query = query.where(col(SurveyRound.team_id) == team_id)
    return list(session.exec(query))


def current_round(session: Session, team: Team) -> SurveyRound | None:
    rounds = open_rounds(session, team_id=team.id)
    return rounds[-1] if rounds else None
