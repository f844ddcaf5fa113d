"""Job `daily-digest`: post each team's digest at its local digest time, once per day.

The scheduler calls `tick` every minute; a team whose digest time has passed and whose digest for
the day is not fully posted gets it now (resuming after the last page posted, if a previous try
crashed or Slack kept failing). `symmetry digest` calls `run_for_team` directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.customers.digest import due_today, load_items
from bot.services.customers.digest_runs import (
    DigestPlan,
    PlannedPage,
    items_csv,
    mark_page_posted,
    mark_run_posted,
    plan_digest,
)
from bot.services.people.teams import list_teams
from bot.slack.blocks.digest import ITEMS_PER_PAGE, build_digest_page, build_empty_note
from models.team import Team

JOB_ID = "daily-digest"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestOutcome:
    team: str
    status: str  # posted | already posted | nothing new | no channel | not due | failed
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
            team.name, "no channel", detail="set one with: symmetry teams add NAME --channel C…"
        )
    plan = plan_for_team(deps, team, now=now)
    if plan.status == "posted":
        return DigestOutcome(
            team.name, "already posted", detail=f"{plan.day} digest is in <#{plan.channel_id}>"
        )
    if plan.status == "empty":
        return DigestOutcome(team.name, "nothing new")
    try:
        posted = _post_pending(deps, plan, client=client, now=now)
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else str(exc)
        log.warning("digest for %s stopped at Slack error %s; it resumes on the next tick", team.name, error)
        return DigestOutcome(
            team.name, "failed", detail=f"Slack answered {error}; will resume where it stopped"
        )
    mark_run_posted(deps.factory, plan, now=now)
    return DigestOutcome(team.name, "posted", pages_posted=posted)


def _post_pending(deps: Deps, plan: DigestPlan, *, client: WebClient, now: datetime) -> int:
    parent = plan.parent_ts
    overflow = sum(len(p.ids) for p in plan.pages if p.kind == "file")
    for page in plan.pending:
        with session_scope(deps.factory) as session:
            items = load_items(session, list(page.ids), now=now)
        if page.kind == "file":
            ts = _upload_overflow(client, plan, items, parent)
        else:
            ts = _post_page(
                client, plan, page, items, parent=parent, overflow=overflow, label=deps.taxonomy.label
            )
        mark_page_posted(deps.factory, plan, page, ts=ts, now=now)
        parent = parent or ts
    return len(plan.pending)


def _post_page(
    client: WebClient,
    plan: DigestPlan,
    page: PlannedPage,
    items,
    *,
    parent: str | None,  # type: ignore[no-untyped-def]
    overflow: int,
    label,
) -> str:
    if page.page_no == 0 and plan.summary.new == 0:
        blocks, text = build_empty_note(plan.summary)
    else:
        blocks, text = build_digest_page(
            plan.summary,
            items,
            page_no=page.page_no,
            total_pages=plan.total_pages,
            overflow=overflow,
            label=label,
        )
    response = client.chat_postMessage(
        channel=plan.channel_id,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
        thread_ts=parent if page.page_no else None,
    )
    return str(response["ts"])


def _upload_overflow(client: WebClient, plan: DigestPlan, items, parent: str | None) -> str:  # type: ignore[no-untyped-def]
    response = client.files_upload_v2(
        channel=plan.channel_id,
        thread_ts=parent,
        content=items_csv(items),
        filename=f"digest-{plan.team_name}-{plan.day}.csv".replace(" ", "_"),
        title=f"{plan.team_name} digest {plan.day}: {len(items)} more, by priority",
        initial_comment=f"{len(items)} more verbatims did not fit in the thread: the full list, highest priority first.",
    )
    return "file:" + str(response["file"]["id"])
