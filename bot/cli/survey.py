"""`symmetry survey`: schedule, questions, open, close, status (and `symmetry report symmetry`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.helpers import friendly
from bot.db import session_scope

survey_app = typer.Typer(
    help="The weekly employee survey: schedule, questions, rounds.", no_args_is_help=True
)
report_app = typer.Typer(help="Reports.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app, name="survey")
    app.add_typer(report_app, name="report")


TeamOpt = Annotated[str, typer.Option("--team", help="team name, as in `symmetry teams list`")]


def _deps():
    from bot.entry.deps import build_deps

    return build_deps()


def _client(deps):
    from bot.slack.client import make_web_client

    deps.settings.require_slack()
    return make_web_client(deps.settings)


@survey_app.command("schedule")
@friendly
def schedule(
    team: TeamOpt,
    day: Annotated[str | None, typer.Option(help="monday ... sunday (default monday)")] = None,
    at: Annotated[str | None, typer.Option(help="HH:MM in each person's timezone (default 10:00)")] = None,
    days_open: Annotated[int | None, typer.Option(help="days a round stays open (default 3)")] = None,
    holidays: Annotated[str | None, typer.Option(help="dates with no round: 2026-12-24,2026-12-31")] = None,
    country: Annotated[
        str | None, typer.Option(help="public holidays of FR, GB, US or CA ('' for none)")
    ] = None,
    pause: Annotated[bool, typer.Option(help="stop opening rounds for this team")] = False,
    resume: Annotated[bool, typer.Option(help="open rounds again")] = False,
) -> None:
    """Set when TEAM's rounds open (a round on a holiday moves to the next working day)."""
    from bot.services.employees.survey_admin import ScheduleChange
    from bot.services.employees.survey_admin import schedule as set_it

    deps = _deps()
    enabled = False if pause else True if resume else None
    change = ScheduleChange(team, day, at, days_open, holidays, country, enabled)
    with session_scope(deps.factory) as session:
        typer.echo(set_it(session, change, now=deps.clock.now()))


@survey_app.command("questions")
@friendly
def questions(
    check: Annotated[
        Path | None, typer.Option(help="validate this YAML file (same shape as the shipped one)")
    ] = None,
    lang: Annotated[str, typer.Option(help="en or fr")] = "en",
) -> None:
    """Show the questions and the driver bank; --check FILE validates a replacement."""
    from bot.services.employees.survey_admin import questions_lines
    from bot.services.employees.survey_questions import load_questions

    if check is not None:
        bank = load_questions(check)
        typer.echo(
            f"{check}: valid, {len(bank.drivers)} drivers. Use it with SYMMETRY_SURVEY_QUESTIONS={check}"
        )
        return
    for line in questions_lines(_deps().survey_questions, language=lang):
        typer.echo(line)


@survey_app.command("open")
@friendly
def open_now(team: TeamOpt) -> None:
    """Open a round for TEAM now and send its DMs (paced), whatever the schedule says."""
    from bot.services.people.teams import get_team
    from jobs.survey_open import open_for_team
    from jobs.survey_send import send_due

    deps = _deps()
    client = _client(deps)
    with session_scope(deps.factory) as session:
        found = get_team(session, team)
    outcome = open_for_team(deps, found, client=client, now=deps.clock.now())
    if outcome.status == "skipped":
        typer.echo(f"{found.name}: round skipped, {outcome.detail}")
        raise typer.Exit(1)
    typer.echo(f"{found.name}: round {outcome.number} open for {outcome.invited} people; sending DMs…")
    report = send_due(deps, client=client, round_id=outcome.round_id)
    typer.echo(f"sent {report.sent}, failed {report.failed} {report.errors or ''}".rstrip())


@survey_app.command("close")
@friendly
def close_now(team: TeamOpt) -> None:
    """Close TEAM's open round now and post its results."""
    from bot.services.employees.survey_admin import close_now as due_now
    from jobs.survey_close import tick

    deps = _deps()
    client = _client(deps)
    with session_scope(deps.factory) as session:
        due_now(session, team=team, now=deps.clock.now())
    for line in tick(deps, client=client) or ["closed; nothing to post (no channel set)"]:
        typer.echo(line)


@survey_app.command("status")
@friendly
def status(team: Annotated[str | None, typer.Option("--team", help="one team only")] = None) -> None:
    """Schedules and the last rounds: sent, failed, answered (counts only), reminded."""
    from bot.services.employees.survey_admin import status_lines

    deps = _deps()
    with session_scope(deps.factory) as session:
        for line in status_lines(session, team=team):
            typer.echo(line)


@report_app.command("symmetry")
@friendly
def symmetry_report(
    team: TeamOpt,
    period: Annotated[
        str, typer.Option(help='"last month", "this quarter", "last 8 weeks"...')
    ] = "last month",
    lang: Annotated[str, typer.Option(help="en or fr")] = "en",
    chart: Annotated[
        Path | None, typer.Option("--chart", help="also write the paired-bars chart (PNG) here")
    ] = None,
) -> None:
    """What TEAM's employees believe beside what its customers say, over PERIOD."""
    from bot.services.reports.symmetry_service import report_for
    from bot.services.reports.symmetry_text import report_text

    deps = _deps()
    with session_scope(deps.factory) as session:
        report = report_for(
            session,
            team=team,
            period=period,
            language=lang,
            taxonomy=deps.taxonomy,
            now=deps.clock.now(),
            viewer=None,
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
        )
        typer.echo(report_text(report, deps.taxonomy).replace("*", ""))
    if chart is not None:
        from bot.services.reports.charts import symmetry_chart

        chart.write_bytes(symmetry_chart(report))
        typer.echo(f"chart: {chart}")
