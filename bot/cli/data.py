"""`symmetry import`, `symmetry teams`, `symmetry digest`: the data side of the CLI."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli.helpers import friendly


def register(app: typer.Typer) -> None:
    teams_app = typer.Typer(help="Teams: channel, timezone, digest time.", no_args_is_help=True)
    teams_app.command("add")(teams_add)
    teams_app.command("list")(teams_list)
    app.add_typer(teams_app, name="teams")
    app.command("import")(import_file)
    app.command("digest")(digest)
    app.command("ask")(ask_command)


@friendly
def import_file(
    path: Annotated[Path, typer.Argument(help="CSV or JSONL file")],
    source: Annotated[
        str, typer.Option("--source", help="where the rows come from (dedup key with external_id)")
    ],
    map_: Annotated[list[str], typer.Option("--map", help="field=Column, repeatable")] = [],  # noqa: B006
    date_format: Annotated[str | None, typer.Option(help="e.g. dd/mm/yyyy, dd-Mon-yy or %d/%m/%Y")] = None,
    scale: Annotated[
        str | None, typer.Option(help="nps, csat or stars, for files without a scale column")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="timezone of dates without one (default SYMMETRY_TIMEZONE)")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="write the good rows, put the rejects in a file")
    ] = False,
    rejects: Annotated[Path | None, typer.Option(help="where --skip-invalid writes rejects")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv or jsonl (default: from the extension)")
    ] = None,
) -> None:
    """Load customer feedback. Re-importing the same file adds nothing."""
    from bot.entry.deps import build_deps
    from bot.services.customers.importer import ImportOptions, describe_rejects, import_rows, require_source
    from bot.services.customers.records import RecordMapping
    from bot.sources.files import detect_format, iter_rows

    deps = build_deps()
    detect_format(path, fmt)
    tz = timezone or deps.settings.SYMMETRY_TIMEZONE
    mapping = RecordMapping.from_options(map_, date_format=date_format, scale=scale, timezone=_zone(tz))
    options = ImportOptions(
        source=require_source(source),
        mapping=mapping,
        skip_invalid=skip_invalid,
        rejects_path=rejects or path.with_suffix(path.suffix + ".rejects.csv"),
        default_timezone=tz,
    )
    with _progress(path) as update:
        report = import_rows(
            deps.factory,
            iter_rows(path, fmt),
            options=options,
            taxonomy=deps.taxonomy,
            now=deps.clock.now(),
            progress=update,
        )
    for line in describe_rejects(report):
        typer.secho(f"  {line}", fg="yellow", err=True)
    typer.echo(report.summary())
    if report.rejected_count and not report.written:
        raise typer.Exit(1)


def _zone(name: str) -> ZoneInfo:
    from bot.config import check_timezone
    from bot.errors import InvalidInput

    try:
        return check_timezone(name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


class _progress:
    """A live 'rows read, rows/s' line on stderr (the total is unknown while streaming)."""

    def __init__(self, path: Path) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self._name = path.name
        self._task = self._progress.add_task(f"importing {path.name}", total=None)
        self._started = 0.0

    def __enter__(self):  # type: ignore[no-untyped-def]
        import time

        self._started = time.perf_counter()
        self._progress.start()

        def update(rows: int) -> None:
            rate = rows / max(time.perf_counter() - self._started, 1e-6)
            self._progress.update(
                self._task, description=f"importing {self._name}: {rows:,} rows, {rate:,.0f} rows/s"
            )

        return update

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()


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


@friendly
def digest(
    team: Annotated[
        str | None, typer.Option(help="only this team (default: every team with a channel)")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="the digest of this local day, YYYY-MM-DD")] = None,
    dry_run: Annotated[bool, typer.Option(help="show what would be posted, post nothing")] = False,
) -> None:
    """Run (or preview) the daily digest now. Posting twice the same day posts nothing more."""
    from bot.cli.digest import run_digest_command

    run_digest_command(team=team, on=_date(on) if on else None, dry_run=dry_run)


def _date(value: str) -> date:
    from bot.errors import InvalidInput

    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"--date {value!r} is not a date like 2026-11-23") from None


@friendly
def ask_command(
    question: Annotated[
        str, typer.Argument(help='e.g. "nps last week by channel", "csat this month for Care"')
    ],
    chart: Annotated[Path | None, typer.Option(help="also write the chart (PNG) to this file")] = None,
) -> None:
    """Answer a KPI question in the terminal: the same numbers as /nps, /csat and /kpi (all teams)."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.kpi.ask import ask

    deps = build_deps()
    with session_scope(deps.factory) as session:
        reply = ask(
            session,
            text=question,
            metric=None,
            asker=None,
            now=deps.clock.now(),
            default_tz=deps.settings.timezone,
            slack_admins_are_admins=deps.settings.SYMMETRY_SLACK_ADMINS_ARE_ADMINS,
            with_chart=chart is not None,
            markdown=False,
        )
    typer.echo(reply.text)
    if chart is not None and reply.chart is not None:
        chart.write_bytes(reply.chart)
        typer.echo(f"chart written to {chart}")
