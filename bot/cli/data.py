"""`symmetry import`, `imports`, `teams`, `digest`, `ask`: the data side of the CLI."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli.helpers import friendly


def register(app: typer.Typer) -> None:
    from bot.cli.imports import import_file, imports_app
    from bot.cli.teams import teams_app

    app.add_typer(teams_app, name="teams")
    app.command("import")(import_file)
    app.add_typer(imports_app, name="imports")
    app.command("digest")(digest)
    app.command("ask")(ask_command)


def zone(name: str) -> ZoneInfo:
    from bot.config import check_timezone
    from bot.errors import InvalidInput

    try:
        return check_timezone(name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


class progress:
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
            with_chart=chart is not None,
            headline_chart=True,
            markdown=False,
        )
    typer.echo(reply.text)
    if chart is not None and reply.chart is not None:
        chart.write_bytes(reply.chart)
        typer.echo(f"chart written to {chart}")
