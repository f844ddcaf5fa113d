"""`symmetry pulse summary`, `symmetry stories list`, `symmetry suggestions list`, `symmetry settings`:
the employee side in the terminal, through the same services (and anonymity rules) as Slack."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.helpers import friendly

pulse_app = typer.Typer(help="Pulse: how people feel about work (figures by whole weeks, >= K people).")
settings_app = typer.Typer(
    help="Company settings: anonymity_threshold, stories_channel.", no_args_is_help=True
)
stories_app = typer.Typer(help="Best-failure stories told with /bestfailure.", no_args_is_help=True)
suggestions_app = typer.Typer(help="Suggestions sent with /suggest.", no_args_is_help=True)


def _deps():
    from bot.entry.deps import build_deps

    return build_deps()


@pulse_app.command("summary")
@friendly
def pulse_summary(
    team: Annotated[str | None, typer.Option(help="one team (default: every team, by team)")] = None,
    period: Annotated[
        str, typer.Option(help='a period: "last month", "Q3 2026", "last 4 weeks"')
    ] = "last 4 weeks",
) -> None:
    """Pulse by team for a period, with the comments of the groups shown (shuffled, dated to the week)."""
    from bot.db import session_scope
    from bot.services.employees.figures import shown_comments
    from bot.services.employees.metrics import PULSE
    from bot.services.kpi.ask import ask
    from bot.services.kpi.period_words import fmt_range
    from bot.services.people.roles import resolve_team, team_names

    deps = _deps()
    text = f"pulse {period} " + (f"team {team}" if team else "by team")
    now = deps.clock.now()
    with session_scope(deps.factory) as session:
        reply = ask(session, text=text, metric=None, asker=None, now=now, default_tz=deps.settings.timezone,
                    slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
                    with_chart=False, markdown=False)  # fmt: skip
        teams = {resolve_team(team_names(session), team)} if team else None
        p = reply.answer.period
        comments = shown_comments(session, metric=PULSE, start=p.start, end=p.end, teams=teams, now=now)
    typer.echo(reply.text)
    if comments:
        typer.echo(f"\nComments ({len(comments)}, shuffled):")
        for first, last, comment in comments:
            typer.echo(f"  [{fmt_range(first, last)}] {comment}")


@settings_app.command("set")
@friendly
def settings_set(
    key: Annotated[str, typer.Argument(help="anonymity_threshold | stories_channel")],
    value: Annotated[str, typer.Argument(help="the new value")],
) -> None:
    """Change a company setting."""
    from bot.db import session_scope
    from bot.services.employees.settings import set_setting

    deps = _deps()
    with session_scope(deps.factory) as session:
        typer.echo(f"{key} = {set_setting(session, key, value)}")


@settings_app.command("show")
@friendly
def settings_show() -> None:
    """Print the company settings."""
    from bot.db import session_scope
    from bot.services.employees.settings import KEYS, get_setting

    deps = _deps()
    with session_scope(deps.factory) as session:
        for key, what in KEYS.items():
            typer.echo(f"{key:<22} {get_setting(session, key) or '(not set)':<12} {what}")


@stories_app.command("list")
@friendly
def stories_list(limit: Annotated[int, typer.Option(help="how many, newest first")] = 20) -> None:
    """Recent best-failure stories with their votes."""
    from bot.db import session_scope
    from bot.services.employees.stories import recent

    deps = _deps()
    with session_scope(deps.factory) as session:
        rows = recent(session, limit=limit)
        for story in rows:
            who = story.signed_by or "anonymous"
            typer.echo(
                f"#{story.id:<5} {story.day}  👏 {story.votes:<3} {who:<12} {story.what_went_wrong[:80]}"
            )
    if not rows:
        typer.echo("no stories yet")


@suggestions_app.command("list")
@friendly
def suggestions_list(limit: Annotated[int, typer.Option(help="how many, newest first")] = 20) -> None:
    """Suggestions and their status, those kept for the admins (no team) included."""
    from bot.db import session_scope
    from bot.services.employees.suggestions import list_for, status_words
    from bot.services.people.roles import team_names

    deps = _deps()
    with session_scope(deps.factory) as session:
        rows, names = (
            list_for(
                session, user_id=None, limit=limit, admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS
            ),
            team_names(session),
        )
        for s in rows:
            team = names.get(s.team_id, "?") if s.team_id else "(no team: for the admins)"
            typer.echo(f"#{s.id:<5} {s.day}  {status_words(s.status):<9} {team:<24} {s.text[:80]}")
    if not rows:
        typer.echo("no suggestions yet")


def register(app: typer.Typer) -> None:
    app.add_typer(pulse_app, name="pulse")
    app.add_typer(settings_app, name="settings")
    app.add_typer(stories_app, name="stories")
    app.add_typer(suggestions_app, name="suggestions")
