"""Import verbatims: validate, triage and store them as one batch, streaming, atomically by default."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from bot.db import SessionFactory, session_scope
from bot.errors import InvalidInput
from bot.services.customers.batches import finish_batch, start_batch
from bot.services.customers.records import RecordMapping, RowError, check_received, parse_record
from bot.services.customers.rejects import Reject, RejectSink
from bot.services.customers.store import insert_ignoring_duplicates, upsert_rows
from bot.services.customers.taxonomy import Taxonomy
from bot.services.customers.triage_batch import triage_batches
from bot.services.customers.triage_models import active_blender
from bot.services.kpi.dimensions import remember
from bot.services.people.teams import TeamResolver
from bot.sources.files import BadRow, SourceRow
from models.verbatim import VerbatimIn

__all__ = ["ImportOptions", "ImportReport", "import_rows", "insert_ignoring_duplicates", "require_source"]

HISTORY_AFTER_DAYS = 14


@dataclass(frozen=True)
class ImportOptions:
    source: str
    mapping: RecordMapping
    skip_invalid: bool = False
    rejects_path: Path | None = None
    batch_size: int = 2_000
    default_timezone: str = "UTC"
    history: bool = False  # every row is history: in the KPIs, never in a digest (--history, --as-read)
    history_after_days: int | None = HISTORY_AFTER_DAYS  # older than this at import time: history; None: off
    update: bool = False  # a stored (source, external_id) takes the row's corrected content
    file_name: str = ""
    created_by: str = ""
    reject_columns: tuple[str, ...] = ()  # the file's header, for the rejects CSV
    parallel: bool = False  # share large batches with worker processes: the CLI's import only, never a server


@dataclass
class ImportReport:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    history: int = 0
    rejected_count: int = 0
    rejects: list[Reject] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    written: bool = False
    rejects_path: Path | None = None
    batch_id: int | None = None
    history_after_days: int | None = None

    def summary(self) -> str:
        if self.rejected_count and not self.written:
            return f"nothing written: {self.rejected_count} of {self.read} rows are invalid"
        changed = f"{self.updated} updated, " if self.updated else ""
        text = (
            f"{self.inserted} added, {changed}{self.duplicates} already there, "
            f"{self.rejected_count} rejected (of {self.read} read)"
        )
        if self.batch_id is not None:
            text += f"; batch {self.batch_id}"
        if self.history:
            text += f"; {self.history} as history ({self._history_why()}: in the KPIs, not in the digest)"
        if self.rejects_path and self.rejected_count:
            text += f"; rejects written to {self.rejects_path}"
        if self.new_teams:
            text += f"; new teams: {', '.join(self.new_teams)}"
        return text

    def _history_why(self) -> str:
        if self.history_after_days is None:
            return "imported as history"
        return f"received more than {self.history_after_days} days before the import"


class _Rollback(Exception):
    pass


def import_rows(
    factory: SessionFactory,
    rows: Iterable[SourceRow | BadRow],
    *,
    options: ImportOptions,
    taxonomy: Taxonomy,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """All rows are validated; by default nothing is written unless every row is valid."""
    report = ImportReport(
        rejects_path=options.rejects_path if options.skip_invalid else None,
        history_after_days=None if options.history else options.history_after_days,
    )
    with RejectSink(report, report.rejects_path, options.reject_columns) as sink:
        try:
            with session_scope(factory) as session:
                batch = start_batch(session, options=options, now=now)
                _run(session, rows, options, taxonomy, now, report, sink, progress, batch.id)
                if report.rejected_count and not options.skip_invalid:
                    raise _Rollback
                finish_batch(session, batch, report)
                report.batch_id = batch.id
        except _Rollback:
            report.inserted = report.duplicates = report.updated = report.history = 0
            report.new_teams = []
            return report
    report.written = True
    return report


def _run(session: Session, rows, options, taxonomy, now, report, sink, progress, batch_id) -> None:
    teams = TeamResolver(session, now=now, default_timezone=options.default_timezone)

    def writing() -> bool:  # after a bad row (without --skip-invalid): keep validating, write nothing
        return options.skip_invalid or not report.rejected_count

    valid = validated(rows, options.mapping, report, sink, now=now)
    batches = (b for b in _batches(valid, options.batch_size) if writing())
    blender = active_blender(session)  # the store's learnt models, if any (`symmetry triage train`)
    triaged = triage_batches(batches, taxonomy=taxonomy, now=now, parallel=options.parallel, blender=blender)
    for batch, values in triaged:  # the next batch is read meanwhile
        if writing():
            _store(session, batch, values, options, teams, now, report, batch_id)
        if progress:
            progress(report.read)
    report.new_teams = teams.created
    if progress:
        progress(report.read)


def validated(rows, mapping: RecordMapping, report, sink, *, now: datetime) -> Iterator[VerbatimIn]:
    occurrences: dict[str, int] = {}  # id-less rows by content: the n-th identical row is kept as the n-th
    for row in rows:
        report.read += 1
        if isinstance(row, BadRow):
            sink.add(Reject(row.line, row.reason, row.raw, row.values))
            continue
        try:
            record = parse_record(row.data, mapping, occurrences)
            check_received(record.received_at, now)
        except RowError as exc:
            sink.add(Reject(row.line, exc.message, row.data, code=exc.code))
            continue
        yield record


def _batches(items: Iterator[VerbatimIn], size: int) -> Iterator[list[VerbatimIn]]:
    batch: list[VerbatimIn] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _store(session, batch, values, options, teams, now, report, batch_id) -> None:
    cutoff = None if options.history_after_days is None else now - timedelta(days=options.history_after_days)
    for record, row in zip(batch, values, strict=True):
        history = options.history or (cutoff is not None and record.received_at < cutoff)
        row.update(
            source=options.source,
            team_id=teams.id_for(record.team),
            imported_at=now,
            batch_id=batch_id,
            history=history,
        )
    if options.update:
        added, changed, same = upsert_rows(session, values)
    else:
        added = insert_ignoring_duplicates(session, values)
        changed, same = 0, len(values) - added
    remember(session, values)
    report.inserted += added
    report.updated += changed
    report.duplicates += same


def describe_rejects(report: ImportReport, limit: int = 10) -> list[str]:
    lines = [f"line {r.line}: {r.reason}" for r in report.rejects[:limit]]
    if report.rejected_count > limit:
        lines.append(f"... and {report.rejected_count - limit} more")
    return lines


def require_source(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64:
        raise InvalidInput(
            "the source needs a short name (1-64 characters), e.g. qualtrics",
            code="source_invalid",
            field="source",
            values={"given": name},
        )
    return name
