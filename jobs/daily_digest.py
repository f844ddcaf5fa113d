"""Job `daily-digest`: post each team's digest at its local digest time, once per day.

The scheduler calls `tick` every minute; a team whose digest time has passed and whose digest for
the day is not fully posted gets it now (resuming after the last page posted, if a previous try
crashed or Slack kept failing). `symmetry digest` calls `run_for_team` directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.customers.digest import JOB_ID, due_today
from bot.services.customers.digest_export import items_csv
from bot.services.customers.digest_runs import (
    DigestPlan,
    PageView,
    load_page,
    mark_page_posted,
    mark_run_posted,
    plan_digest,
)
from bot.services.people.teams import list_teams
from bot.slack.blocks.digest import ITEMS_PER_PAGE, Label, build_page_message, overflow_file_words
from models.digest import PageKind, RunStatus
from models.team import Team

__all__ = ["JOB_ID", "DigestOutcome", "Outcome", "plan_for_team", "run_for_team", "tick"]
log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What one run did for a team (the CLI prints these words)."""

    POSTED = "posted"
    ALREADY_POSTED = "already posted"
    NOTHING_NEW = "nothing new"
    NO_CHANNEL = "no channel"
    FAILED = "failed"


@dataclass(frozen=True)
class DigestOutcome:
    team: str
    status: Outcome
    pages_posted: int = 0
    detail: str = ""


def tick(deps: Deps, *, client: WebClient, now: datetime | None = None) -> list[DigestOutcome]:
    now = now or deps.clock.now()
    with session_scope(deps.factory) as session:
        teams = [t for t in list_teams(session) if t.channel_id and due_today(t, now)]
    return [run_for_team(deps, team, client=client, now=now) for team in teams]


def plan_for_team(deps: Deps, team: Team, *, now: datetime, dry_run: bool = False) -> DigestPlan:
    return plan_digest(
        deps.factory,
        team,
        now=now,
        per_page=ITEMS_PER_PAGE,
        thread_pages=deps.settings.SYMMETRY_DIGEST_THREAD_PAGES,
        dry_run=dry_run,
    )


def run_for_team(deps: Deps, team: Team, *, client: WebClient, now: datetime) -> DigestOutcome:
    if not team.channel_id:
        return DigestOutcome(
            team.name, Outcome.NO_CHANNEL, detail="set one with: symmetry teams add NAME --channel C…"
        )
    plan = plan_for_team(deps, team, now=now)
    if plan.status == RunStatus.POSTED:
        return DigestOutcome(
            team.name, Outcome.ALREADY_POSTED, detail=f"{plan.day} digest is in <#{plan.channel_id}>"
        )
    if plan.status == RunStatus.EMPTY:
        return DigestOutcome(team.name, Outcome.NOTHING_NEW)
    try:
        posted = _post_pending(deps, plan, client=client, now=now)
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else str(exc)
        log.warning("digest for %s stopped at Slack error %s; it resumes on the next tick", team.name, error)
        return DigestOutcome(
            team.name, Outcome.FAILED, detail=f"Slack answered {error}; will resume where it stopped"
        )
    mark_run_posted(deps.factory, plan, now=now)
    return DigestOutcome(team.name, Outcome.POSTED, pages_posted=posted)


def _post_pending(deps: Deps, plan: DigestPlan, *, client: WebClient, now: datetime) -> int:
    parent = plan.parent_ts
    for page in plan.pending:
        with session_scope(deps.factory) as session:
            view = load_page(session, plan, page, now=now)
        if page.kind == PageKind.FILE:
            ts = _upload_overflow(client, plan, view, parent)
        else:
            ts = _post_page(client, plan, view, parent=parent, label=deps.taxonomy.label)
        mark_page_posted(deps.factory, plan, page, ts=ts, now=now)
        parent = parent or ts
    return len(plan.pending)


def _post_page(
    client: WebClient, plan: DigestPlan, view: PageView, *, parent: str | None, label: Label
) -> str:
    blocks, text = build_page_message(view, label)
    assert plan.channel_id, "a run is planned with its team's channel"
    response = client.chat_postMessage(
        channel=plan.channel_id,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
        thread_ts=parent if view.page_no else None,
    )
    return str(response["ts"])


def _upload_overflow(client: WebClient, plan: DigestPlan, view: PageView, parent: str | None) -> str:
    title, comment = overflow_file_words(view.summary, len(view.items))
    response = client.files_upload_v2(
        channel=plan.channel_id,
        thread_ts=parent,
        content=items_csv(view.items),
        filename=f"digest-{plan.team_name}-{plan.day}.csv".replace(" ", "_"),
        title=title,
        initial_comment=comment,
    )
    return "file:" + str(response["file"]["id"])
