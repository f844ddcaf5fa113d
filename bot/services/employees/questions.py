"""Questions about the employee side: "/kpi pulse last week by team", "stories this month by team",
"suggestions this quarter", "@Symmetry how is pulse this week for Paris?". Same period grammar
(EN/FR) and roles as /nps; every figure comes from the anonymity engine (figures.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.errors import InvalidInput, NotAllowed
from bot.services.employees.cells import WEEK, last_finished_week
from bot.services.employees.figures import EmployeeAnswer, answer_employee
from bot.services.kpi.period_words import fold
from bot.services.kpi.periods import find_period
from bot.services.people.roles import resolve_team, team_names, timezone_for, visible_team_ids

METRIC_WORDS = {
    "pulse": "pulse", "humeur": "pulse", "meteo": "pulse",
    "stories": "stories", "story": "stories", "best failures": "stories", "best failure": "stories",
    "bestfailure": "stories", "histoires": "stories", "echecs": "stories",
    "suggestions": "suggestions", "suggestion": "suggestions", "idees": "suggestions",
}  # fmt: skip
BY_TEAM = re.compile(r"\b(by|par) (team|teams|equipe|equipes)\b")
TREND = re.compile(r"\b(trend|tendance)(?: (?:over|sur))? (\d{1,2}) (weeks?|semaines?)\b")
TEAM_WORD = re.compile(r"\b(?:for|pour|team|equipe|in|a|at|de)\s+(.+)$")
FILLERS = set(
    "how is was what s the for pour in a at of de du des la le les l show me please about ask "
    "quel quelle quels est comment va how's what's doing going our nos notre kpi".split()
)
EXAMPLES = ("pulse last week", "pulse this month by team", "pulse trend 8 weeks", "stories this month by team",
            "suggestions this quarter")  # fmt: skip


@dataclass(frozen=True)
class EmployeeQuery:
    metric: str
    start: date
    end: date
    label: str
    team: str | None
    by_team: bool
    trend: int | None


def employee_metric(text: str) -> str | None:
    """The employee metric a question is about, if any (the KPI path routes on it)."""
    folded = fold(text)
    for word in sorted(METRIC_WORDS, key=len, reverse=True):
        if re.search(rf"\b{word}\b", folded):
            return METRIC_WORDS[word]
    return None


def parse_employee_question(
    text: str, *, today: date, now: datetime, known_teams: list[str]
) -> EmployeeQuery:
    folded = " ".join(fold(text).replace("?", " ").replace(",", " ").split())
    metric = employee_metric(folded)
    if metric is None:
        raise InvalidInput("Which one: pulse, stories or suggestions?")
    for word in sorted(METRIC_WORDS, key=len, reverse=True):
        folded = re.sub(rf"\b{word}\b", " ", folded)
    by_team = bool(BY_TEAM.search(folded))
    folded = BY_TEAM.sub(" ", folded)
    trend = None
    if m := TREND.search(folded):
        trend, folded = max(1, min(52, int(m.group(2)))), TREND.sub(" ", folded)
    team, folded = _team(folded, known_teams)
    period, rest = find_period(folded, today=today)
    leftover = [w for w in rest.split() if w not in FILLERS]
    if leftover:
        raise InvalidInput(
            f'I understood {metric} but not "{" ".join(leftover)}".',
            hints=["For example: " + " · ".join(f'"/kpi {e}"' for e in EXAMPLES)],
        )
    if trend is not None:
        last = last_finished_week(now)
        start = last - (trend - 1) * WEEK
        return EmployeeQuery(
            metric, start, last + timedelta(days=6), f"trend over {trend} weeks", team, by_team, trend
        )
    if period is None:
        last = last_finished_week(now)
        return EmployeeQuery(
            metric, last, last + timedelta(days=6), "last finished week", team, by_team, None
        )
    return EmployeeQuery(metric, period.start, period.end, period.label, team, by_team, None)


def _team(folded: str, known: list[str]) -> tuple[str | None, str]:
    for name in sorted(known, key=len, reverse=True):
        key = fold(name)
        m = re.search(rf"(?:\b(?:for|pour|team|equipe|in|at|a|de)\s+)?\b{re.escape(key)}\b", folded)
        if m:
            return name, (folded[: m.start()] + " " + folded[m.end() :]).strip()
    return None, folded


def ask_employee(
    session: Session, *, text: str, asker: str | None, now: datetime, default_tz: ZoneInfo,
    slack_admins_are_admins: bool = True,
) -> tuple[EmployeeQuery, EmployeeAnswer]:  # fmt: skip
    """`asker` None is the terminal (sees every team)."""
    tz = timezone_for(session, asker, default=default_tz) if asker else default_tz
    names = team_names(session)
    query = parse_employee_question(
        text, today=now.astimezone(tz).date(), now=now, known_teams=list(names.values())
    )
    visible = (
        visible_team_ids(session, asker, slack_admins_are_admins=slack_admins_are_admins) if asker else None
    )
    teams: set[int] | None = visible
    if query.team:
        teams = {resolve_team(names, query.team, visible=visible)}
    elif visible is not None and not visible:
        raise NotAllowed("You're not in a team yet, so I have no figures to show you.")
    answer = answer_employee(
        session, source=query.metric, start=query.start, end=query.end, teams=teams, names=names, now=now,
        by_team=query.by_team, by_week=query.trend is not None,
    )  # fmt: skip
    return query, answer
