"""`survey status`: per team, its rounds with counts only (sent, failed, answered, reminded)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.services.employees.survey_answers import answered_count
from bot.services.employees.survey_followup import ack_hours
from models.survey import RoundStatus, SurveyDelivery, SurveyRound, SurveySchedule
from models.team import Team


@dataclass(frozen=True)
class RoundLine:
    team: str
    number: int
    opens_on: date
    status: str
    driver: str
    sent: int
    failed: int
    waiting: int  # pending or sending
    answered: int | None  # None: fewer than K (never shown below K)
    threshold: int
    reminded: int
    closes_at: datetime
    skip_reason: str | None
    ack_hours: float | None


@dataclass(frozen=True)
class ScheduleLine:
    team: str
    schedule: str  # "monday 10:00, open 3 days, holidays FR + 2 dates" or "not scheduled"


def survey_status(
    session: Session, *, team_id: int | None = None, last: int = 3
) -> tuple[list[ScheduleLine], list[RoundLine]]:
    teams = {t.id: t for t in session.exec(select(Team).order_by(Team.name)) if team_id in (None, t.id)}
    schedules = [ScheduleLine(t.name, _describe(session.get(SurveySchedule, t.id))) for t in teams.values()]
    lines: list[RoundLine] = []
    for tid, team in teams.items():
        rounds = session.exec(
            select(SurveyRound)
            .where(col(SurveyRound.team_id) == tid)
            .order_by(col(SurveyRound.number).desc())
            .limit(last)
        ).all()
        hours = ack_hours(session, [r.id for r in rounds if r.id])
        lines += [_line(session, team, r, hours.get(r.id)) for r in rounds]  # type: ignore[arg-type]
    return schedules, lines


def _line(session: Session, team: Team, r: SurveyRound, hours: float | None) -> RoundLine:
    counts = dict(
        session.exec(
            select(SurveyDelivery.status, func.count())
            .where(col(SurveyDelivery.round_id) == r.id)
            .group_by(SurveyDelivery.status)
        ).all()
    )
    if r.status == RoundStatus.CLOSED and r.results:
        answered = json.loads(r.results)["answered"]
    else:
        answered = answered_count(session, r.id)  # type: ignore[arg-type]
    return RoundLine(
        team=team.name,
        number=r.number,
        opens_on=r.opens_on,
        status=r.status,
        driver=r.driver,
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        waiting=counts.get("pending", 0) + counts.get("sending", 0),
        answered=answered if answered >= r.threshold else None,
        threshold=r.threshold,
        reminded=r.reminders_sent,
        closes_at=r.closes_at,
        skip_reason=r.skip_reason,
        ack_hours=hours,
    )


def _describe(schedule: SurveySchedule | None) -> str:
    if schedule is None:
        return "not scheduled (symmetry survey schedule --team NAME)"
    from bot.services.employees.survey_calendar import WEEKDAYS

    days = [d for d in schedule.holidays.split(",") if d]
    holidays = " + ".join(x for x in (schedule.holiday_country, f"{len(days)} dates" if days else "") if x)
    state = "" if schedule.enabled else " (paused)"
    return f"{WEEKDAYS[schedule.weekday]} {schedule.at}, open {schedule.days_open} days, holidays {holidays or 'none'}{state}"
