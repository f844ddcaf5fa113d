"""The admins' "Survey rounds" section of the App Home: each team's current or last round, in counts.

The same figures as `symmetry survey status` (survey_status.py): "n of N answered" only when n is at
least the round's K, else "fewer than K answered"; never who answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from bot.services.employees.survey_status import RoundLine, survey_status
from models.team import Team

MAX_TEAMS = 20  # 3 blocks each: a Home tab holds 100 blocks


@dataclass(frozen=True)
class HomeRound:
    team_id: int
    team: str
    timezone: str  # the team's: when the round closes, in its own time
    schedule: str
    last: RoundLine | None  # the team's latest round (open, closing, closed or skipped), None: never ran


@dataclass(frozen=True)
class SurveyHome:
    teams: tuple[HomeRound, ...]
    more: int  # teams beyond MAX_TEAMS (see `symmetry survey status`)


def survey_home(session: Session) -> SurveyHome:
    schedules, lines = survey_status(session, last=1)
    latest = {line.team: line for line in lines}
    teams = {t.name: t for t in session.exec(select(Team))}
    rows = [
        HomeRound(teams[s.team].id or 0, s.team, teams[s.team].timezone, s.schedule, latest.get(s.team))
        for s in schedules
    ]
    return SurveyHome(tuple(rows[:MAX_TEAMS]), max(0, len(rows) - MAX_TEAMS))


def answered_text(line: RoundLine) -> str:
    """ "12 of 18 answered", or "fewer than 5 answered" (below K: not even the count)."""
    if line.answered is None:
        return f"fewer than {line.threshold} answered"
    return f"{line.answered} of {line.sent} answered"
