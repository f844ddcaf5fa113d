"""Job `survey-open`: open each scheduled team's round once (members read from Slack at that moment).

A team with no channel and nobody assigned, or whose channel Slack will not list, gets a skipped
round with the reason (a line in `survey status` and the log); the other teams go on.
`symmetry survey open --team T` calls `open_for_team` with day=None: a round now, DMs due now.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.surveys import Member, due_to_open, open_round
from bot.services.people.teams import list_teams
from bot.slack.survey_members import team_members
from models.person import Person
from models.team import Team

JOB_ID = "survey-open"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenOutcome:
    team: str
    round_id: int | None
    number: int | None
    status: str  # open | skipped
    invited: int
    detail: str = ""


def tick(deps: Deps, *, client: WebClient, now: datetime | None = None) -> list[OpenOutcome]:
    now = now or deps.clock.now()
    with session_scope(deps.factory) as session:
        due = [(t, day) for t in list_teams(session) if (day := due_to_open(session, t, now=now))]
    return [open_for_team(deps, team, client=client, now=now, day=day) for team, day in due]


def open_for_team(
    deps: Deps, team: Team, *, client: WebClient, now: datetime, day: date | None = None
) -> OpenOutcome:
    members, skip = _members(deps, team, client)
    with session_scope(deps.factory) as session:
        survey_round = open_round(
            session,
            team=team,
            members=members,
            bank=deps.survey_questions,
            now=now,
            day=day,
            skip_reason=skip,
        )
        outcome = OpenOutcome(
            team.name,
            survey_round.id,
            survey_round.number,
            survey_round.status,
            0 if survey_round.skip_reason else len(members),
            survey_round.skip_reason or "",
        )
    if outcome.status == "skipped":
        log.warning("survey round for %s skipped: %s", team.name, outcome.detail)
    return outcome


def _members(deps: Deps, team: Team, client: WebClient) -> tuple[list[Member], str | None]:
    with session_scope(deps.factory) as session:
        assigned = list(session.exec(select(Person.slack_user_id).where(Person.team_id == team.id)))
    if not team.channel_id and not assigned:
        return [], "no channel and nobody assigned (symmetry teams add NAME --channel C…)"
    try:
        bot_user = client.auth_test().get("user_id")
        return team_members(client, channel=team.channel_id, assigned=assigned, bot_user_id=bot_user), None
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else str(exc)
        return [], f"Slack could not list the members of <#{team.channel_id}>: {error}"
