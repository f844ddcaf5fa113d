"""Job `survey-remind`: half-way through an open round, one reply in each non-responder's DM thread.

Paced like the DMs; a reminder is claimed before it is sent (at most once, see survey_followup).
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees.survey_fanout import RateLimited, Refused, Transient
from bot.services.employees.survey_followup import (
    Reminder,
    claim_reminder,
    finish_reminders,
    mark_reminded,
    reminders_for,
    rounds_to_remind,
    team_of,
)
from bot.services.employees.survey_pacer import Pacer
from bot.slack.blocks.survey import build_reminder
from bot.slack.survey_dm import bare_client, call
from jobs.survey_send import make_pacer
from models.survey import SurveyRound

JOB_ID = "survey-remind"
log = logging.getLogger(__name__)


def tick(
    deps: Deps, *, client: WebClient, now: datetime | None = None, pacer: Pacer | None = None
) -> dict[int, int]:
    now = now or deps.clock.now()
    pacer = pacer or make_pacer(deps)
    slack = bare_client(client)
    with session_scope(deps.factory) as session:
        round_ids = rounds_to_remind(session, now=now)
    done: dict[int, int] = {}
    for round_id in round_ids:
        with session_scope(deps.factory) as session:
            todo = reminders_for(session, secret=deps.settings.require_secret(), round_id=round_id)
            survey_round = session.get(SurveyRound, round_id)
            team = team_of(session, round_id)
            closes = survey_round.closes_at.astimezone(ZoneInfo(team.timezone)).strftime("%Y-%m-%d %H:%M")  # type: ignore[union-attr]
        for reminder in todo:
            _remind(deps, slack, reminder, pacer=pacer, closes_on=closes)
        with session_scope(deps.factory) as session:
            done[round_id] = finish_reminders(session, round_id=round_id, now=now)
    return done


def _remind(deps: Deps, slack: WebClient, reminder: Reminder, *, pacer: Pacer, closes_on: str) -> None:
    with session_scope(deps.factory) as session:
        if not claim_reminder(session, delivery_id=reminder.delivery_id):
            return
    text = build_reminder(reminder.language, closes_on=closes_on)
    for _ in range(5):
        pacer.acquire()
        try:
            call(slack.chat_postMessage, channel=reminder.channel_id, thread_ts=reminder.thread_ts, text=text)
            break
        except RateLimited as exc:
            pacer.pause(exc.retry_after)
        except (Refused, Transient) as exc:
            log.info("survey reminder %s not sent: %s", reminder.delivery_id, exc)
            return
    else:
        return  # still rate limited after five waits: counted as not reminded
    with session_scope(deps.factory) as session:
        mark_reminded(session, delivery_id=reminder.delivery_id)
