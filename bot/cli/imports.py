"""`symmetry import FILE` and `symmetry imports list|undo`: files in as they come, and a way back."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.helpers import friendly

imports_app = typer.Typer(help="Import batches: list them, undo one.", no_args_is_help=True)


@friendly
def import_file(
    path: Annotated[
        Path, typer.Argument(help="CSV (any delimiter, UTF-8/cp1252), .xlsx, .json or .jsonl file")
    ],
    source: Annotated[
        str, typer.Option("--source", help="where the rows come from (dedup key with external_id)")
    ],
    map_: Annotated[
        list[str],
        typer.Option("--map", help="field=Column, repeatable; join columns with +: text=headline+pros"),
    ] = [],  # noqa: B006
    date_format: Annotated[str | None, typer.Option(help="e.g. dd/mm/yyyy, dd-Mon-yy or %d/%m/%Y")] = None,
    scale: Annotated[
        str | None, typer.Option(help="nps, csat or stars, for files with scores and no scale column")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="timezone of dates without one (default SYMMETRY_TIMEZONE)")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="write the good rows, put the rejects in a file")
    ] = False,
    rejects: Annotated[Path | None, typer.Option(help="where --skip-invalid writes rejects")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, xlsx, json or jsonl (default: from the extension)")
    ] = None,
    delimiter: Annotated[str | None, typer.Option(help="force the CSV delimiter: , ; tab |")] = None,
    encoding: Annotated[str | None, typer.Option(help="force the encoding, e.g. cp1252")] = None,
    history: Annotated[
        bool, typer.Option("--history", "--as-read", help="old feedback: in the KPIs, never in a digest")
    ] = False,
    history_after_days: Annotated[
        int, typer.Option(help="rows received more than this many days before the import are history")
    ] = 14,
    digest_all: Annotated[bool, typer.Option(help="no cut-off: every row may go in the digest")] = False,
    update: Annotated[bool, typer.Option(help="re-import a corrected file over the same ids")] = False,
    dry_run: Annotated[bool, typer.Option(help="show the mapping, 5 parsed rows and the counts")] = False,
) -> None:
    """Load customer feedback. Re-importing the same file adds nothing; each import is a batch you can undo."""
    from bot.cli.data import zone
    from bot.entry.deps import build_deps
    from bot.services.customers.file_import import plan_import
    from bot.services.customers.importer import ImportOptions, require_source
    from bot.services.customers.records import RecordMapping
    from bot.sources.files import open_source

    deps = build_deps()
    tz = timezone or deps.settings.SYMMETRY_TIMEZONE
    mapping = RecordMapping.from_options(map_, date_format=date_format, scale=scale, timezone=zone(tz))
    if history_after_days < 0:
        from bot.errors import InvalidInput

        raise InvalidInput("--history-after-days must be 0 or more")
    source_file = open_source(path, fmt=fmt, delimiter=delimiter, encoding=encoding)
    plan = plan_import(source_file, mapping)
    if dry_run:
        return _show_preview(source_file, plan, deps.clock.now())
    for note in plan.notes:
        typer.secho(f"  {note}", fg="cyan", err=True)
    options = ImportOptions(
        source=require_source(source),
        mapping=plan.mapping,
        skip_invalid=skip_invalid,
        rejects_path=rejects or path.with_suffix(path.suffix + ".rejects.csv"),
        default_timezone=tz,
        history=history,
        history_after_days=None if digest_all else history_after_days,
        update=update,
        file_name=path.name,
        created_by=_who(),
        reject_columns=tuple(source_file.header),
        parallel=True,  # a terminal import may use every core (a server never does)
    )
    _run_import(deps, source_file, options, path)


def _run_import(deps, source_file, options, path: Path) -> None:
    from bot.cli.data import Progress, import_summary
    from bot.services.customers.importer import describe_rejects, import_rows

    with Progress(path) as update:
        report = import_rows(
            deps.factory,
            source_file.rows(),
            options=options,
            taxonomy=deps.taxonomy,
            now=deps.clock.now(),
            progress=update,
        )
    for line in describe_rejects(report):
        typer.secho(f"  {line}", fg="yellow", err=True)
    typer.echo(import_summary(report))
    if report.rejected_count and not report.written:
        raise typer.Exit(1)


def _show_preview(source_file, plan, now) -> None:
    from bot.services.customers.file_import import describe_mapping, describe_record, preview_import
    from bot.services.customers.importer import describe_rejects

    preview = preview_import(source_file, plan, now=now)
    typer.echo("dry run: nothing is written")
    for note in plan.notes:
        typer.echo(f"  {note}")
    typer.echo("mapping:")
    for line in describe_mapping(plan):
        typer.echo(f"  {line}")
    typer.echo(f"first {len(preview.rows)} rows:")
    for record in preview.rows:
        typer.echo(f"  {describe_record(record)}")
    for line in describe_rejects(preview.report):
        typer.secho(f"  {line}", fg="yellow")
    report = preview.report
    typer.echo(
        f"{report.read} rows read: {report.read - report.rejected_count} valid, {report.rejected_count} rejected"
    )


def _who() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return ""


@imports_app.command("list")
@friendly
def imports_list(limit: Annotated[int, typer.Option(help="how many, newest first")] = 20) -> None:
    """The latest imports: id, when, who, source, file, counts."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.customers.batches import describe_batch, list_batches

    deps = build_deps()
    with session_scope(deps.factory) as session:
        batches = list_batches(session, limit=limit)
        if not batches:
            typer.echo("no imports yet: symmetry import FILE --source NAME")
        for batch in batches:
            typer.echo(describe_batch(batch))


@imports_app.command("undo")
@friendly
def imports_undo(
    batch_id: Annotated[int, typer.Argument(help="the batch id (symmetry imports list)")],
) -> None:
    """Remove exactly the rows an import added; the KPI answers are what they were before it."""
    from bot.db import session_scope
    from bot.entry.deps import build_deps
    from bot.services.customers.batches import undo_batch

    deps = build_deps()
    with session_scope(deps.factory) as session:
        batch = undo_batch(session, batch_id=batch_id, now=deps.clock.now())
        text = f"batch {batch.id} undone: {batch.removed} rows removed"
        if batch.updated:
            text += f"; the {batch.updated} rows it corrected (--update) keep their corrected content"
        typer.echo(text)
