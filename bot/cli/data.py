"""`symmetry import`: load customer feedback from a CSV or JSONL file."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli.helpers import friendly
from bot.services.customers.importer import ImportReport


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)


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
        parallel=True,  # a terminal import may use every core (a server never does)
    )
    with _Progress(path) as update:
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
    if date_format is None and any(r.code == "date_format" for r in report.rejects):
        typer.secho(
            "  dates that are not ISO 8601: pass --date-format, e.g. dd/mm/yyyy", fg="yellow", err=True
        )
    typer.echo(import_summary(report))
    if report.rejected_count and not report.written:
        raise typer.Exit(1)


def import_summary(report: ImportReport) -> str:
    """The report's summary with what to do next, in the terminal's words."""
    text = report.summary()
    if report.rejected_count and not report.written:
        return f"{text} (fix them, or pass --skip-invalid to keep the good rows)"
    if report.new_teams:
        text += " (give them a channel: symmetry teams add NAME --channel C…)"
    return text


def _zone(name: str) -> ZoneInfo:
    from bot.config import check_timezone
    from bot.errors import InvalidInput

    try:
        return check_timezone(name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


class _Progress:
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

    def __enter__(self) -> Callable[[int], None]:
        self._started = time.perf_counter()
        self._progress.start()
        return self._update

    def _update(self, rows: int) -> None:
        rate = rows / max(time.perf_counter() - self._started, 1e-6)
        self._progress.update(
            self._task, description=f"importing {self._name}: {rows:,} rows, {rate:,.0f} rows/s"
        )

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()
