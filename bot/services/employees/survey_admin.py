"""What `symmetry survey ...` and `/symmetry survey ...` say: schedule, status, questions, close now.

Both adapters call these and print the lines; opening (members from Slack) and posting results are
the jobs' work (jobs/survey_open.py, jobs/survey_close.py), which the adapters call after these.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from bot.errors import InvalidInput, NotFound
from bot.services.employees.survey_calendar import WEEKDAYS, parse_weekday
from bot.services.employees.survey_questions import QuestionBank
from bot.services.employees.survey_status import survey_status
from bot.services.employees.surveys import current_round, set_schedule
from bot.services.people.teams import get_team
from models.survey import RoundStatus, SurveyRound


@dataclass(frozen=True)
class ScheduleChange:
    team: str
    weekday: str | None = None
    at: str | None = None
    days_open: int | None = None
    holidays: str | None = None
    country: str | None = None
    enabled: bool | None = None


def schedule(session: Session, change: ScheduleChange, *, now: datetime) -> str:
    team = get_team(session, change.team)
    row = set_schedule(
        session,
        team=team,
        now=now,
        weekday=parse_weekday(change.weekday) if change.weekday else None,
        at=change.at,
        days_open=change.days_open,
        holidays=change.holidays,
        country=change.country,
        enabled=change.enabled,
    )
    days = [d for d in row.holidays.split(",") if d]
    holidays = ", ".join(x for x in (row.holiday_country or "", f"{len(days)} dates" if days else "") if x)
    state = "on" if row.enabled else "paused"
    return (
        f"{team.name}: a round every {WEEKDAYS[row.weekday]} at {row.at} (each person's own time), "
        f"open {row.days_open} days, holidays: {holidays or 'none'}; {state}."
    )


def status_lines(session: Session, *, team: str | None = None) -> list[str]:
    team_id = get_team(session, team).id if team else None
    schedules, rounds = survey_status(session, team_id=team_id)
    lines = [f"{s.team}: {s.schedule}" for s in schedules]
    for r in rounds:
        if r.status == RoundStatus.SKIPPED:
            lines.append(f"  {r.team} round {r.number} ({r.opens_on}): skipped, {r.skip_reason}")
            continue
        answered = (
            f"{r.answered} answered" if r.answered is not None else f"fewer than {r.threshold} answered"
        )
        ack = f", comments acknowledged in {r.ack_hours} h (median)" if r.ack_hours is not None else ""
        lines.append(
            f"  {r.team} round {r.number} ({r.opens_on}, {r.driver}): {r.status}, sent {r.sent}, "
            f"failed {r.failed}, waiting {r.waiting}, {answered}, reminded {r.reminded}{ack}"
        )
    return lines or ["no team yet: symmetry teams add NAME --channel C…"]


def questions_lines(bank: QuestionBank, *, language: str = "en") -> list[str]:
    lines = [f"Questions ({bank.source}):"]
    lines += [
        f"  {key}: {bank.text(key, language)}"
        for key in ("quality", "recommend", "enps", "reason", "comment")
    ]
    lines.append("Drivers, one per round in this order:")
    lines += [f"  {n}. {d.key}: {d.text[language]}" for n, d in enumerate(bank.drivers, start=1)]
    return lines


def close_now(session: Session, *, team: str, now: datetime) -> int:
    """Make the team's open round due to close now; the close job closes and posts it."""
    found = get_team(session, team)
    survey_round = current_round(session, found)
    if survey_round is None:
        raise NotFound(f"{found.name} has no open survey round.")
    session.execute(update(SurveyRound).where(col(SurveyRound.id) == survey_round.id).values(closes_at=now))
    return survey_round.id  # type: ignore[return-value]


def parse_schedule_text(text: str) -> ScheduleChange:
    """`schedule --team Care --day monday --at 10:00 --days-open 3 --holidays FR` (Slack's words)."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise InvalidInput(f"could not read that: {exc}") from None
    flags = {
        "--team": "team",
        "--day": "weekday",
        "--at": "at",
        "--days-open": "days_open",
        "--holidays": "holidays",
        "--country": "country",
    }
    values: dict[str, object] = {}
    i = 0
    while i < len(words):
        key = flags.get(words[i])
        if key is None or i + 1 >= len(words):
            raise InvalidInput(
                f"unexpected {words[i]!r}",
                hints=["usage: survey schedule --team T --day monday --at 10:00 --days-open 3"],
            )
        values[key] = int(words[i + 1]) if key == "days_open" and words[i + 1].isdigit() else words[i + 1]
        i += 2
    if "team" not in values:
        raise InvalidInput("which team? add --team NAME")
    if isinstance(values.get("days_open"), str):
        raise InvalidInput("--days-open takes a whole number of days")
    return ScheduleChange(**values)  # type: ignore[arg-type]
