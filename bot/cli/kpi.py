"""`symmetry ask`: a KPI question answered in the terminal, by the same service as /nps, /csat and /kpi.

Without `--as` it is the admin view (every team). `--as U0123` or `--as someone@example.com` answers
as that person would be answered in Slack: their role's teams (with SYMMETRY_SLACK_ADMINS_ARE_ADMINS
as Slack applies it), their timezone and their language.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.helpers import friendly

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.entry.deps import Deps

AS_HELP = (
    "answer as this person sees it in Slack: a Slack user id (U0123...) or their email (looked up in "
    "Slack: needs SLACK_BOT_TOKEN and the users:read.email scope). Without --as: the admin view, every team"
)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)


@friendly
def ask_command(
    question: Annotated[
        str, typer.Argument(help='e.g. "nps last week by channel", "participation last round", or "help"')
    ],
    chart: Annotated[Path | None, typer.Option(help="also write the chart (PNG) to this file")] = None,
    as_person: Annotated[str | None, typer.Option("--as", help=AS_HELP)] = None,
) -> None:
    """Answer a KPI question in the terminal: the same numbers as /nps, /csat and /kpi. Admin view (all
    teams) unless --as names a person, who then gets exactly their Slack answer."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.kpi.ask import ask
    from bot.services.kpi.help import is_help, kpi_help

    if is_help(question):
        typer.echo(kpi_help().replace("*", ""))
        return
    deps = build_deps()
    asker = resolve_person(deps, as_person) if as_person else None
    with session_scope(deps.factory) as session:
        typer.echo(scope_line(session, deps, asker))
        reply = ask(
            session,
            text=question,
            metric=None,
            asker=asker,
            now=deps.clock.now(),
            default_tz=deps.settings.timezone,
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
            with_chart=chart is not None,
            headline_chart=True,
            markdown=False,
        )
    typer.echo(reply.text)
    if chart is not None and reply.chart is not None:
        chart.write_bytes(reply.chart)
        typer.echo(f"chart written to {chart}")


def resolve_person(deps: Deps, who: str) -> str:
    """A Slack user id as given, or the id Slack's users.lookupByEmail finds for an email."""
    from bot.errors import ConfigError, NotFound

    who = who.strip()
    if "@" not in who:
        return who.upper()
    from slack_sdk.errors import SlackApiError

    from bot.slack.client import make_web_client

    if deps.settings.SLACK_BOT_TOKEN is None:
        raise ConfigError(
            "--as with an email looks the person up in Slack: set SLACK_BOT_TOKEN (or give a U... id)"
        )
    try:
        return str(make_web_client(deps.settings).users_lookupByEmail(email=who)["user"]["id"])
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "users_not_found":
            raise NotFound(f"Slack has no user with the email {who}.") from None
        if error == "missing_scope":
            raise ConfigError(
                "looking people up by email needs the users:read.email scope: reinstall the app "
                "from `symmetry manifest` (or give a U... id)"
            ) from None
        raise


def scope_line(session: Session, deps: Deps, asker: str | None) -> str:
    """Whose view this is: the admin view, or the person, their role and the teams they see."""
    from bot.services.people.roles import effective_role, find_person, team_names, visible_team_ids

    if asker is None:
        return "Admin view (every team); --as <user id or email> answers as one person sees it in Slack."
    person = find_person(session, asker)
    if person is None:
        return f"As {asker}: not known to Symmetry yet, so no team (as in Slack)."
    admins = deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS
    role = effective_role(person, slack_admins_are_admins=admins)
    visible = visible_team_ids(session, asker, slack_admins_are_admins=admins)
    names = team_names(session)
    teams = "every team" if visible is None else ", ".join(sorted(names[t] for t in visible)) or "no team"
    return f"As {person.name or asker} ({asker}, {role.value}): sees {teams}."
