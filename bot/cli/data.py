"""`symmetry import` and `symmetry imports` (bot/cli/imports.py): what they share (summary, timezone, progress)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from bot.services.customers.importer import ImportReport


def register(app: typer.Typer) -> None:
    from bot.cli.imports import import_file, imports_app

    app.command("import")(import_file)
    app.add_typer(imports_app, name="imports")


def import_summary(report: ImportReport) -> str:
    """The report's summary with what to do next, in the terminal's words."""
    text = report.summary()
    if report.rejected_count and not report.written:
        return f"{text} (fix them, or pass --skip-invalid to keep the good rows)"
    if report.batch_id is not None:
        batch = f"batch {report.batch_id}"
        text = text.replace(batch, f"{batch} (undo: symmetry imports undo {report.batch_id})", 1)
    if report.new_teams:
        text += " (give them a channel: symmetry teams add NAME --channel C…)"
    return text


def zone(name: str) -> ZoneInfo:
    from bot.config import check_timezone
    from bot.errors import InvalidInput

    try:
        return check_timezone(name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


class Progress:
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
