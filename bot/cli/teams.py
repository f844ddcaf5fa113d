"""`symmetry teams add`, `symmetry teams list`: a team's channel, timezone and digest time."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.helpers import friendly


def register(app: typer.Typer) -> None:
    teams_app = typer.Typer(help="Teams: channel, timezone, digest time.", no_args_is_help=True)
    teams_app.command("add")(teams_add)
    teams_app.command("list")(teams_list)
    app.add_typer(teams_app, name="teams")


@friendly
def teams_add(
    name: Annotated[str, typer.Argument(help="team name, as in the imported data")],
    channel: Annotated[
        str | None, typer.Option(help="Slack channel id for the digest, e.g. C0123ABCD")
    ] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA timezone, e.g. Europe/Paris")] = None,
    digest_at: Annotated[str | None, typer.Option(help="local digest time, HH:MM")] = None,
    empty_note: Annotated[
        bool | None,
        typer.Option("--empty-note/--no-empty-note", help="on a day with nothing new, post a one-line note"),
    ] = None,
) -> None:
    """Create a team, or change an existing team's settings."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.people.teams import save_team

    deps = build_deps()
    with session_scope(deps.factory) as session:
        team = save_team(
            session,
            name=name,
            now=deps.clock.now(),
            channel_id=channel,
            timezone=timezone or None,
            digest_at=digest_at,
            post_empty_digest=empty_note,
        )
        typer.echo(
            f"team {team.name}: channel {team.channel_id or '(none)'}, {team.timezone}, digest at {team.digest_at}"
        )


@friendly
def teams_list() -> None:
    """List teams and their digest settings."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.people.teams import list_teams

    deps = build_deps()
    with session_scope(deps.factory) as session:
        teams = list_teams(session)
        if not teams:
            typer.echo(
                "no teams yet: symmetry teams add NAME --channel C… (or import data with a team column)"
            )
        for t in teams:
            note = "note on empty days" if t.post_empty_digest else "silent on empty days"
            typer.echo(
                f"{t.name:<24} {t.channel_id or '(no channel)':<12} {t.timezone:<18} {t.digest_at}  {note}"
            )
