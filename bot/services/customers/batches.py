"""Import batches: every import is one, with its counts; undoing one removes exactly the rows it added.

The KPI tallies (kpi_hour) follow by themselves: the triggers of migration 0002 take deleted rows out of
them in the same transaction, so an answer after `imports undo` is the answer before the import.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from bot.errors import InvalidInput, NotFound
from models.import_batch import BatchStatus, ImportBatch
from models.verbatim import Verbatim

if TYPE_CHECKING:
    from bot.services.customers.importer import ImportOptions, ImportReport


def start_batch(session: Session, *, options: ImportOptions, now: datetime) -> ImportBatch:
    batch = ImportBatch(
        source=options.source,
        file_name=options.file_name[:255],
        created_by=options.created_by[:120],
        created_at=now,
        mode="update" if options.update else "add",
    )
    session.add(batch)
    session.flush()
    return batch


def finish_batch(session: Session, batch: ImportBatch, report: ImportReport) -> None:
    report.history = session.exec(
        select(func.count()).select_from(Verbatim).where(Verbatim.batch_id == batch.id, col(Verbatim.history))
    ).one()
    batch.read, batch.inserted, batch.updated = report.read, report.inserted, report.updated
    batch.duplicates, batch.rejected, batch.history = report.duplicates, report.rejected_count, report.history
    session.add(batch)
    session.flush()


def list_batches(session: Session, *, limit: int = 20) -> list[ImportBatch]:
    return list(session.exec(select(ImportBatch).order_by(col(ImportBatch.id).desc()).limit(limit)))


def undo_batch(session: Session, *, batch_id: int, now: datetime) -> ImportBatch:
    """Delete the rows the batch added (rows it only corrected with --update keep their new content)."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"no import batch {batch_id} (see symmetry imports list)")
    if batch.status == BatchStatus.UNDONE.value:
        raise InvalidInput(f"batch {batch_id} was already undone on {batch.undone_at:%Y-%m-%d %H:%M} UTC")
    result = session.connection().execute(delete(Verbatim).where(col(Verbatim.batch_id) == batch_id))
    batch.removed = result.rowcount or 0
    batch.status = BatchStatus.UNDONE.value
    batch.undone_at = now
    session.add(batch)
    session.flush()
    return batch


def describe_batch(batch: ImportBatch) -> str:
    when = f"{batch.created_at:%Y-%m-%d %H:%M}"
    who = f" by {batch.created_by}" if batch.created_by else ""
    counts = f"{batch.inserted} added, {batch.updated} updated, {batch.duplicates} already there, {batch.rejected} rejected"
    if batch.history:
        counts += f", {batch.history} history"
    state = (
        f"undone {batch.undone_at:%Y-%m-%d %H:%M} ({batch.removed} removed)"
        if batch.undone_at
        else batch.status
    )
    name = batch.file_name or "-"
    return f"{batch.id:>5}  {when}{who}  {batch.source}  {name}  {batch.mode}: {counts}  [{state}]"
