"""Job `daily-digest`: post each team's digest at its local digest time, once per day.

The scheduler calls `tick` every minute; a team whose digest time has passed and whose digest for
the day is not fully posted gets it now (resuming after the last page posted, if a previous try
crashed or Slack kept failing). `symmetry digest` calls `run_for_team` directly.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.customers.digest import JOB_ID, due_today
from bot.services.customers.digest_export import page_csv
from bot.services.customers.digest_lease import claim_run, record_intent, release_run
from bot.services.customers.digest_pages import PageView, load_page
from bot.services.customers.digest_runs import (
    DigestPlan,
    PlannedPage,
    mark_page_posted,
    mark_run_posted,
    plan_digest,
)
from bot.services.people.teams import list_teams
from bot.slack.blocks.digest import ITEMS_PER_PAGE, Label, build_page_message, overflow_file_words
from jobs.digest_slack import find_posted_message, find_shared_file, page_metadata, upload_in_steps
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
    IN_PROGRESS = "in progress"  # another process holds the day's run
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
    assert plan.run_id is not None
    lease = Lease(deps, plan.run_id)
    if not lease.renew():
        return DigestOutcome(team.name, Outcome.IN_PROGRESS, detail="another process is posting it right now")
    try:
        plan = plan_for_team(deps, team, now=now)  # pages another process posted before we got the lease
        if plan.status == RunStatus.POSTED:
            return DigestOutcome(team.name, Outcome.ALREADY_POSTED, detail="another process just finished it")
        posted = _post_pending(deps, plan, client=client, now=now, lease=lease)
    except (SlackApiError, httpx.HTTPError, LeaseLost) as exc:
        error = _error_name(exc)
        log.warning("digest for %s stopped at %s; it resumes on the next tick", team.name, error)
        return DigestOutcome(
            team.name, Outcome.FAILED, detail=f"stopped at {error}; will resume where it stopped"
        )
    finally:
        lease.release()
    mark_run_posted(deps.factory, plan, now=now)
    return DigestOutcome(team.name, Outcome.POSTED, pages_posted=posted)


class LeaseLost(Exception):
    """Another process took the run over (ours expired): stop, it carries on."""


class Lease:
    def __init__(self, deps: Deps, run_id: int) -> None:
        self.deps, self.run_id, self.owner = deps, run_id, f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.held = False

    def renew(self) -> bool:
        self.held = claim_run(
            self.deps.factory,
            self.run_id,
            owner=self.owner,
            now=self.deps.clock.now(),
            seconds=self.deps.settings.SYMMETRY_DIGEST_LEASE_SECONDS,
            renew=self.held,
        )
        return self.held

    def release(self) -> None:
        release_run(self.deps.factory, self.run_id, owner=self.owner)


def _error_name(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return "Slack error " + str(exc.response.get("error") if exc.response is not None else exc)
    return "lease lost" if isinstance(exc, LeaseLost) else f"upload error {type(exc).__name__}"


def _post_pending(deps: Deps, plan: DigestPlan, *, client: WebClient, now: datetime, lease: Lease) -> int:
    parent = plan.parent_ts
    for page in plan.pending:
        if not lease.renew():
            raise LeaseLost()
        ts = _already_posted(client, plan, page, parent)
        if ts is None:
            assert page.id is not None
            record_intent(deps.factory, page.id, now=deps.clock.now())  # before the Slack call
            if page.kind == PageKind.FILE:
                ts = _upload_overflow(deps, client, plan, page, parent, now=now)
            else:
                with session_scope(deps.factory) as session:
                    view = load_page(session, plan, page, now=now)
                ts = _post_page(client, plan, view, parent=parent, label=deps.taxonomy.label)
        mark_page_posted(deps.factory, plan, page, ts=ts, now=now)
        parent = parent or ts
    return len(plan.pending)


def _already_posted(client: WebClient, plan: DigestPlan, page: PlannedPage, parent: str | None) -> str | None:
    """A page whose intent was recorded may be in Slack already (a crash after Slack took it)."""
    if page.intent_at is None:
        return None
    assert plan.channel_id and plan.run_id is not None
    if page.kind == PageKind.FILE:
        found = page.file_id and find_shared_file(
            client, plan.channel_id, file_id=page.file_id, parent=parent
        )
        return f"file:{page.file_id}" if found else None
    return find_posted_message(
        client,
        plan.channel_id,
        run_id=plan.run_id,
        page_no=page.page_no,
        parent=parent if page.page_no else None,
        since=page.intent_at,
    )


def _post_page(
    client: WebClient, plan: DigestPlan, view: PageView, *, parent: str | None, label: Label
) -> str:
    blocks, text = build_page_message(view, label)
    assert plan.channel_id and plan.run_id is not None, "a run is planned with its team's channel"
    response = client.chat_postMessage(
        channel=plan.channel_id,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
        thread_ts=parent if view.page_no else None,
        metadata=page_metadata(plan.run_id, view.page_no),  # how a resume finds it (jobs/digest_slack.py)
    )
    return str(response["ts"])


def _upload_overflow(
    deps: Deps,
    client: WebClient,
    plan: DigestPlan,
    page: PlannedPage,
    parent: str | None,
    *,
    now: datetime,
) -> str:
    assert plan.channel_id and page.id is not None
    page_id = page.id
    with session_scope(deps.factory) as session:
        content, count = page_csv(session, plan, page, now=now)
    title, comment = overflow_file_words(plan.summary, count)
    return upload_in_steps(
        client,
        channel=plan.channel_id,
        thread_ts=parent,
        content=content,
        filename=f"digest-{plan.team_name}-{plan.day}.csv".replace(" ", "_"),
        title=title,
        comment=comment,
        record_file=lambda file_id: record_intent(
            deps.factory, page_id, now=deps.clock.now(), file_id=file_id
        ),
    )
