"""`symmetry digest`: post or preview the daily digest from the terminal (same code path as the job)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli.helpers import friendly

if TYPE_CHECKING:
    from bot.entry.deps import Deps
    from models.team import Team


def register(app: typer.Typer) -> None:
    app.command("digest")(digest)


@friendly
def digest(
    team: Annotated[
        str | None, typer.Option(help="only this team (default: every team with a channel)")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="the digest of this local day, YYYY-MM-DD")] = None,
    dry_run: Annotated[bool, typer.Option(help="show what would be posted, post nothing")] = False,
) -> None:
    """Run (or preview) the daily digest now. Posting twice the same day posts nothing more."""
    run_digest_command(team=team, on=_date(on) if on else None, dry_run=dry_run)


def _date(value: str) -> date:
    from bot.errors import InvalidInput

    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"--date {value!r} is not a date like 2026-11-23") from None


def run_digest_command(*, team: str | None, on: date | None, dry_run: bool) -> None:
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.people.teams import get_team, list_teams

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
        if client is None:
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
    """The digest as it would be posted, rendered for the terminal by the job's renderer. Writes nothing."""
    from bot.db import session_scope
    from bot.sandbox.render import render_message
    from bot.services.customers.digest_pages import load_page
    from bot.slack.blocks.digest import build_page_message, overflow_file_words
    from jobs.daily_digest import plan_for_team
    from models.digest import PageKind, RunStatus

    plan = plan_for_team(deps, team, now=now, dry_run=True)
    head = f"=== {team.name} → {team.channel_id or '(no channel)'} · digest of {plan.day} ({plan.status}) ==="
    if plan.status == RunStatus.POSTED:
        return f"{head}\nalready posted today."
    if not plan.pages:
        return f"{head}\nnothing new: nothing would be posted."
    out = [head]
    with session_scope(deps.factory) as session:
        for page in plan.pages:
            if page.kind == PageKind.FILE:
                title, comment = overflow_file_words(plan.summary, page.size)
                out.append(f"--- 📎 {title} (CSV) ---\n{comment}")
                continue
            view = load_page(session, plan, page, now=now)
            blocks, text = build_page_message(view, deps.taxonomy.label)
            out.append(
                ("--- in the thread ---\n" if page.page_no else "")
                + render_message({"text": text, "blocks": blocks})
            )
    return "\n".join(out)
