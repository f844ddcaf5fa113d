"""Import batches: every import is one, with its counts; undoing one removes exactly the rows it added.

The KPI tallies (kpi_hour) stay exact in the same transaction, so an answer after `imports undo` is the
answer before the import. On Postgres the statement-level trigger of migration 0002 does it (it groups
the deleted rows once). On SQLite that trigger runs once per row (160 s for a million rows), so undo
does the same arithmetic set-wise: the batch's grouped tallies subtracted in one statement, then its
rows deleted with the per-row trigger set aside, all in one transaction (a failure rolls both back).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, text
from sqlmodel import Session, col, select

from bot import scales
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
    batch.removed = _delete_rows(session, batch_id)
    batch.status = BatchStatus.UNDONE.value
    batch.undone_at = now
    session.add(batch)
    session.flush()
    return batch


# The row formula of migration 0002's triggers, grouped: (scale, UTC hour, team) -> n, top, bottom, total.
_TOP = (
    f"CASE WHEN score >= (CASE WHEN scale = '{scales.NPS.key}' THEN {scales.NPS.top_min} "
    f"ELSE {scales.CSAT.top_min} END) THEN 1 ELSE 0 END"
)
_BOTTOM = f"CASE WHEN scale = '{scales.NPS.key}' AND {scales.NPS.bottom_sql('score')} THEN 1 ELSE 0 END"
_SUBTRACT_SQLITE = text(
    "INSERT INTO kpi_hour (scale, hour, team_key, n, top, bottom, total) "
    "SELECT scale, substr(received_at, 1, 13) || ':00:00.000000', coalesce(team_id, 0), -count(*), "
    f"-sum({_TOP}), -sum({_BOTTOM}), -sum(score) FROM verbatim WHERE batch_id = :batch "
    f"AND score IS NOT NULL AND scale IN ('{scales.NPS.key}', '{scales.CSAT.key}') GROUP BY 1, 2, 3 "
    "ON CONFLICT (scale, hour, team_key) DO UPDATE SET n = kpi_hour.n + excluded.n, "
    "top = kpi_hour.top + excluded.top, bottom = kpi_hour.bottom + excluded.bottom, "
    "total = kpi_hour.total + excluded.total"
)
_ROW_TRIGGER = "kpi_hour_delete"
UNDO_CACHE_KIB = -262_144  # SQLite page cache during an undo: up to 256 MiB (negative = KiB), then as before


def _delete_rows(session: Session, batch_id: int) -> int:
    """Delete the batch's rows with kpi_hour kept exact; how many went."""
    connection = session.connection()
    rows = delete(Verbatim).where(col(Verbatim.batch_id) == batch_id)
    if connection.dialect.name != "sqlite":
        return connection.execute(rows).rowcount or 0
    trigger = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"), {"name": _ROW_TRIGGER}
    ).scalar()
    if trigger is None:  # a store without the tallies' triggers: nothing to keep in step
        return connection.execute(rows).rowcount or 0
    connection.execute(_SUBTRACT_SQLITE, {"batch": batch_id})
    connection.execute(text(f"DROP TRIGGER {_ROW_TRIGGER}"))  # transactional in SQLite
    cache = connection.execute(text("PRAGMA cache_size")).scalar()
    connection.execute(text(f"PRAGMA cache_size = {UNDO_CACHE_KIB}"))  # the 7 indexes' pages stay in memory
    try:
        removed = connection.execute(rows).rowcount or 0
    finally:
        connection.execute(text(f"PRAGMA cache_size = {int(cache or -2000)}"))
    connection.execute(text(trigger))
    return removed


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
