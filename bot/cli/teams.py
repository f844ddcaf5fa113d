"""`symmetry teams add|list|rename|remove|merge`: the teams the digest and the KPIs are split by."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.helpers import friendly

teams_app = typer.Typer(help="Teams: channel, timezone, digest time, language.", no_args_is_help=True)
NameArg = Annotated[str, typer.Argument(help="team name (any case)")]


def register(app: typer.Typer) -> None:
    app.add_typer(teams_app, name="teams")


def _session():
    from bot.db import session_scope
    from bot.entry.deps import build_deps

    deps = build_deps()
    return deps, session_scope(deps.factory)


@teams_app.command("add")
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
    managers_channel: Annotated[
        str | None, typer.Option(help="private channel id of the team's managers, where /suggest lands")
    ] = None,
    language: Annotated[str | None, typer.Option(help="answers and digest in en or fr")] = None,
    new: Annotated[bool, typer.Option(help="create it even if a team has a close name")] = False,
) -> None:
    """Create a team, or change an existing team's settings."""
    from bot.services.people.teams import save_team

    deps, scope = _session()
    with scope as session:
        team = save_team(
            session,
            name=name,
            now=deps.clock.now(),
            channel_id=channel,
            timezone=timezone or None,
            digest_at=digest_at,
            post_empty_digest=empty_note,
            managers_channel=managers_channel,
            language=language,
            new=new,
        )
        typer.echo(
            f"team {team.name}: channel {team.channel_id or '(none)'}, {team.timezone}, "
            f"digest at {team.digest_at}, {team.language or 'en'}, managers' channel {team.managers_channel or '(none)'}"
        )


@teams_app.command("list")
@friendly
def teams_list() -> None:
    """List teams and their digest settings."""
    from bot.services.people.teams import list_teams

    _, scope = _session()
    with scope as session:
        teams = list_teams(session)
        if not teams:
            typer.echo(
                "no teams yet: symmetry teams add NAME --channel C… (or import data with a team column)"
            )
        for t in teams:
            note = "note on empty days" if t.post_empty_digest else "silent on empty days"
            typer.echo(
                f"{t.name:<24} {t.channel_id or '(no channel)':<12} {t.timezone:<18} {t.digest_at}  "
                f"{t.language or 'en'}  {note}"
            )


@teams_app.command("rename")
@friendly
def teams_rename(name: NameArg, new_name: Annotated[str, typer.Argument(help="the new name")]) -> None:
    """Rename a team (its verbatims, people and digests follow)."""
    from bot.services.people.team_changes import rename_team

    _, scope = _session()
    with scope as session:
        old = name
        team = rename_team(session, name=name, new_name=new_name)
        typer.echo(f"team {old!r} is now {team.name!r}")


@teams_app.command("remove")
@friendly
def teams_remove(
    name: NameArg,
    detach: Annotated[bool, typer.Option(help="keep its verbatims, without a team")] = False,
) -> None:
    """Remove a team; one with verbatims needs --detach (or merge it instead)."""
    from bot.services.people.team_changes import remove_team

    _, scope = _session()
    with scope as session:
        moved = remove_team(session, name=name, detach=detach)
        typer.echo(f"team {name!r} removed" + _moved(moved, "now without a team"))


@teams_app.command("merge")
@friendly
def teams_merge(
    name: NameArg, into: Annotated[str, typer.Argument(help="the team that keeps everything")]
) -> None:
    """Merge a team into another: its verbatims, people and managers move; the first team is removed."""
    from bot.services.people.team_changes import merge_teams

    _, scope = _session()
    with scope as session:
        moved = merge_teams(session, name=name, into=into)
        typer.echo(f"team {name!r} merged into {into!r}" + _moved(moved, "moved"))


def _moved(moved: dict[str, int], verb: str) -> str:
    if not moved:
        return ""
    return "; " + ", ".join(f"{n} {table} rows {verb}" for table, n in sorted(moved.items()))
