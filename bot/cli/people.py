"""`symmetry people`: who sees which team's numbers (roles, team membership, managed teams)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.helpers import friendly

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.entry.deps import Deps
from bot.db import session_scope
from bot.services.people import roles as people
from bot.services.people.roles import ROLES

people_app = typer.Typer(
    help="Roles and teams: an agent sees their own team, a manager the teams they manage, an admin everything.",
    no_args_is_help=True,
)

UserArg = Annotated[
    str, typer.Argument(help="Slack member id, like U0123ABCD (profile > ⋮ > Copy member ID)")
]
RoleArg = Annotated[str, typer.Argument(help=f"one of: {', '.join(ROLES)}")]
TeamArg = Annotated[str, typer.Argument(help="team name, as in `symmetry teams list`")]


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="people")


def _deps() -> Deps:
    from bot.entry.deps import build_deps

    return build_deps()


def _slack_admins_are_admins(deps: Deps) -> bool:
    return deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS


def _sees(session: Session, user_id: str, deps: Deps) -> str:
    visible = people.visible_team_ids(
        session, user_id, slack_admins_are_admins=_slack_admins_are_admins(deps)
    )
    if visible is None:
        return "every team"
    names = people.team_names(session)
    return ", ".join(sorted(names[i] for i in visible if i in names)) or "no team yet"


@people_app.command("grant")
@friendly
def grant(user_id: UserArg, role: RoleArg) -> None:
    """Give USER_ID a role (agent, manager or admin)."""
    deps = _deps()
    with session_scope(deps.factory) as session:
        person = people.grant_role(session, user_id, role=role, now=deps.clock.now())
        typer.echo(
            f"{person.slack_user_id} is now {person.role}; sees {_sees(session, person.slack_user_id, deps)}."
        )


@people_app.command("revoke")
@friendly
def revoke(user_id: UserArg, role: RoleArg) -> None:
    """Take a role back from USER_ID (they become an agent of their team)."""
    deps = _deps()
    with session_scope(deps.factory) as session:
        person = people.revoke_role(session, user_id, role=role, now=deps.clock.now())
        typer.echo(
            f"{person.slack_user_id} is now an agent; sees {_sees(session, person.slack_user_id, deps)}."
        )
        if person.is_slack_admin and _slack_admins_are_admins(deps):
            typer.echo(
                "note: they are a Slack workspace admin or owner, so they still see every team "
                "(set SYMMETRY_SLACK_ADMINS_ARE_ADMINS=false to change that)."
            )


@people_app.command("assign")
@friendly
def assign(user_id: UserArg, team: TeamArg) -> None:
    """Put USER_ID in TEAM (agents see their own team)."""
    deps = _deps()
    with session_scope(deps.factory) as session:
        person = people.assign_team(session, user_id, team=team, now=deps.clock.now())
        typer.echo(
            f"{person.slack_user_id} is in {people.team_names(session)[person.team_id]}; "  # type: ignore[index]
            f"sees {_sees(session, person.slack_user_id, deps)}."
        )


@people_app.command("manage")
@friendly
def manage(user_id: UserArg, team: TeamArg) -> None:
    """Let USER_ID manage TEAM (an agent becomes a manager)."""
    deps = _deps()
    with session_scope(deps.factory) as session:
        person = people.manage_team(session, user_id, team=team, now=deps.clock.now())
        typer.echo(
            f"{person.slack_user_id} is {person.role}; sees {_sees(session, person.slack_user_id, deps)}."
        )


@people_app.command("list")
@friendly
def list_people() -> None:
    """Everyone the bot knows, with their role and what they see."""
    deps = _deps()
    with session_scope(deps.factory) as session:
        rows = people.list_people(session, slack_admins_are_admins=_slack_admins_are_admins(deps))
    if not rows:
        typer.echo("nobody yet: people appear when they use the bot, or with `symmetry people grant`.")
        return
    for p in rows:
        role = p.role + (" (Slack admin)" if p.is_slack_admin and p.role != p.granted_role else "")
        manages = f", manages {', '.join(p.manages)}" if p.manages else ""
        typer.echo(
            f"{p.slack_user_id:<12} {p.name[:30]:<30} {role:<20} team {p.team or '-'}{manages}"
            + (f" · {p.timezone}" if p.timezone else "")
        )


@people_app.command("remove")
@friendly
def remove(user_id: UserArg) -> None:
    """Forget USER_ID: their role, team and managed teams."""
    from bot.services.people.team_changes import remove_person

    deps = _deps()
    with session_scope(deps.factory) as session:
        person = remove_person(session, slack_user_id=user_id)
        typer.echo(f"{person.slack_user_id} removed (was {person.role}).")
