"""`symmetry digest`: post or preview the daily digest from the terminal (same code path as the job)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import typer

from bot.db import session_scope
from bot.entry.deps import Deps, build_deps
from bot.services.people.teams import get_team, list_teams
from models.team import Team


def run_digest_command(*, team: str | None, on: date | None, dry_run: bool) -> None:
    deps = build_deps()
    with session_scope(deps.factory) as session:
        teams = [get_team(session, team)] if team else [t for t in list_teams(session) if t.channel_id]
    if not teams:
        typer.echo("no team has a channel yet: symmetry teams add NAME --channel C…")
        return
    client = None
    if not dry_run:
        from bot.slack.client import make_web_client

        deps.settings.require_slack()
        client = make_web_client(deps.settings)
    failed = []
    for t in teams:
        now = _digest_time(t, on) if on else deps.clock.now()
        if dry_run:
            typer.echo(preview(deps, t, now=now))
        else:
            from jobs.daily_digest import run_for_team

            outcome = run_for_team(deps, t, client=client, now=now)
            typer.echo(
                f"{outcome.team}: {outcome.status}"
                + (f" ({outcome.pages_posted} messages)" if outcome.pages_posted else "")
                + (f" — {outcome.detail}" if outcome.detail else "")
            )
            if outcome.status == "failed":
                failed.append(outcome.team)
    if failed:  # cron and CI see it: the digest of these teams is not (fully) posted
        typer.echo(f"failed for {len(failed)} team(s): {', '.join(failed)}", err=True)
        raise typer.Exit(1)


def _digest_time(team: Team, day: date) -> datetime:
    hour, minute = (int(p) for p in team.digest_at.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(team.timezone))


def preview(deps: Deps, team: Team, *, now: datetime) -> str:
    """The digest as it would be posted, rendered for the terminal. Writes nothing."""
    from bot.sandbox.render import render_message
    from bot.services.customers.digest import load_items
    from bot.slack.blocks.digest import build_digest_page, build_empty_note
    from jobs.daily_digest import plan_for_team

    plan = plan_for_team(deps, team, now=now, dry_run=True)
    head = f"=== {team.name} → {team.channel_id or '(no channel)'} · digest of {plan.day} ({plan.status}) ==="
    if plan.status == "posted":
        return f"{head}\nalready posted today."
    if not plan.pages:
        return f"{head}\nnothing new: nothing would be posted."
    overflow = sum(len(p.ids) for p in plan.pages if p.kind == "file")
    out = [head]
    with session_scope(deps.factory) as session:
        for page in plan.pages:
            items = load_items(session, list(page.ids), now=now)
            if page.kind == "file":
                out.append(f"--- file in the thread: {len(items)} more verbatims (CSV) ---")
                continue
            if page.page_no == 0 and not items:
                blocks, text = build_empty_note(plan.summary)
            else:
                blocks, text = build_digest_page(
                    plan.summary,
                    items,
                    page_no=page.page_no,
                    total_pages=plan.total_pages,
                    overflow=overflow,
                    label=deps.taxonomy.label,
                )
            out.append(
                ("--- in the thread ---\n" if page.page_no else "")
                + render_message({"text": text, "blocks": blocks})
            )
    return "\n".join(out)
