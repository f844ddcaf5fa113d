"""Job `story-of-the-week`: Friday 16:00 company time, the most-voted story of the week (ties: the
earliest told) is posted in the stories channel, exactly once per week (StoryOfWeek ledger)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.employees import stories as service
from bot.services.employees.anonymity import week_of
from bot.services.employees.settings import STORIES_CHANNEL, get_setting
from bot.slack.blocks.stories import build_story_of_week

JOB_ID = "story-of-the-week"
FRIDAY, AT = 4, time(16, 0)
log = logging.getLogger(__name__)


def due_week(now: datetime, tz: ZoneInfo) -> date | None:
    local = now.astimezone(tz)
    if local.weekday() < FRIDAY or (local.weekday() == FRIDAY and local.time() < AT):
        return None
    return week_of(local.date())


def tick(*, deps: Deps, client: WebClient) -> str:
    """'posted', 'empty', 'not due', 'already done', 'no channel' or 'failed'."""
    now = deps.clock.now()
    week = due_week(now, deps.settings.timezone)
    if week is None:
        return "not due"
    with session_scope(deps.factory) as session:
        channel = get_setting(session, STORIES_CHANNEL)
        if channel is None:
            return "no channel"
        if not service.claim_week(session, week_start=week, now=now):
            return "already done"
        story = service.best_of_week(session, week_start=week)
        if story is None:
            service.finish_week(session, week_start=week, status="empty")
            return "empty"
    blocks, text = build_story_of_week(story)
    try:
        posted = client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("story of the week not posted: %s", exc.response.get("error"))
        with session_scope(deps.factory) as session:
            service.finish_week(session, week_start=week, status="failed")
        return "failed"
    with session_scope(deps.factory) as session:
        service.finish_week(
            session,
            week_start=week,
            status="posted",
            story_id=story.id,
            channel=posted["channel"],
            ts=posted["ts"],
        )
    return "posted"
