"""Import verbatims: validate, triage and store them in batches, streaming, atomically by default."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import bindparam, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

from bot.db import SessionFactory, session_scope
from bot.errors import InvalidInput
from bot.services.customers.records import RecordMapping, RowError, parse_record
from bot.services.customers.taxonomy import Taxonomy
from bot.services.customers.triage_batch import triage_batches
from bot.services.kpi.dimensions import remember
from bot.services.people.teams import TeamResolver
from bot.sources.files import BadRow, SourceRow
from models.types import table_of
from models.verbatim import Verbatim, VerbatimIn

KEPT_REJECTS = 50
DEDUP_KEY = ["source", "external_id"]


@dataclass(frozen=True)
class ImportOptions:
    source: str
    mapping: RecordMapping
    skip_invalid: bool = False
    rejects_path: Path | None = None
    batch_size: int = 2_000
    default_timezone: str = "UTC"
    parallel: bool = False  # share large batches with worker processes: the CLI's import only, never a server


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str
    raw: object
    code: str = "invalid_row"


@dataclass
class ImportReport:
    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected_count: int = 0
    rejects: list[Reject] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)
    written: bool = False
    rejects_path: Path | None = None

    def summary(self) -> str:
        if self.rejected_count and not self.written:
            return f"nothing written: {self.rejected_count} of {self.read} rows are invalid"
        text = f"{self.inserted} added, {self.duplicates} already there, {self.rejected_count} rejected (of {self.read} read)"
        if self.rejects_path and self.rejected_count:
            text += f"; rejects written to {self.rejects_path}"
        if self.new_teams:
            text += f"; new teams: {', '.join(self.new_teams)}"
        return text


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
    report = ImportReport(rejects_path=options.rejects_path if options.skip_invalid else None)
    with _RejectSink(report, options) as sink:
        try:
            with session_scope(factory) as session:
                _run(session, rows, options, taxonomy, now, report, sink, progress)
                if report.rejected_count and not options.skip_invalid:
                    raise _Rollback
        except _Rollback:
            report.inserted = report.duplicates = 0
            report.new_teams = []
            return report
    report.written = True
    return report


def _run(
    session: Session,
    rows: Iterable[SourceRow | BadRow],
    options: ImportOptions,
    taxonomy: Taxonomy,
    now: datetime,
    report: ImportReport,
    sink: _RejectSink,
    progress: Callable[[int], None] | None,
) -> None:
    teams = TeamResolver(session, now=now, default_timezone=options.default_timezone)

    def writing() -> (
        bool
    ):  # after a bad row (without --skip-invalid): keep validating, triage and write nothing
        return options.skip_invalid or not report.rejected_count

    batches = (
        b for b in _batches(_validated(rows, options.mapping, report, sink), options.batch_size) if writing()
    )
    for batch, values in triage_batches(
        batches, taxonomy=taxonomy, now=now, parallel=options.parallel
    ):  # the next batch is read meanwhile
        if writing():
            _store(session, batch, values, options.source, teams, now, report)
        if progress:
            progress(report.read)
    report.new_teams = teams.created
    if progress:
        progress(report.read)


def _validated(
    rows: Iterable[SourceRow | BadRow], mapping: RecordMapping, report: ImportReport, sink: _RejectSink
) -> Iterator[VerbatimIn]:
    for row in rows:
        report.read += 1
        if isinstance(row, BadRow):
            sink.add(Reject(row.line, row.reason, row.raw))
            continue
        try:
            yield parse_record(row.data, mapping)
        except RowError as exc:
            sink.add(Reject(row.line, exc.message, row.data, exc.code))


def _batches(items: Iterator[VerbatimIn], size: int) -> Iterator[list[VerbatimIn]]:
    batch: list[VerbatimIn] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _store(
    session: Session,
    batch: list[VerbatimIn],
    values: list[dict],
    source: str,
    teams: TeamResolver,
    now: datetime,
    report: ImportReport,
) -> None:
    for record, row in zip(batch, values, strict=True):
        row.update(source=source, team_id=teams.id_for(record.team), imported_at=now)
    inserted = insert_ignoring_duplicates(session, values)
    remember(session, values)
    report.inserted += inserted
    report.duplicates += len(values) - inserted


def insert_ignoring_duplicates(session: Session, values: list[dict]) -> int:
    """Insert rows (dicts with the same keys); a (source, external_id) already stored is skipped.
    Returns how many were added.

    Core, not the ORM bulk path: the ORM leaves None values out of each row, so rows with None in different
    columns went as separate statements (one per ~3 rows on mixed data) and their RETURNING rows were
    spliced quadratically. On Postgres the rows go as one array per column (INSERT ... SELECT unnest(...)):
    one short statement per batch, instead of one placeholder per value for psycopg to parse in Python.
    """
    if not values:
        return 0
    table = table_of(Verbatim)
    if session.get_bind().dialect.name == "postgresql":
        columns = [table.c[name] for name in values[0]]
        arrays = [
            cast(bindparam(c.name, [v[c.name] for v in values], type_=ARRAY(c.type)), ARRAY(c.type))
            for c in columns
        ]
        insert = postgresql.insert(table).from_select(
            [c.name for c in columns], select(*map(func.unnest, arrays))
        )
        stmt = insert.on_conflict_do_nothing(index_elements=DEDUP_KEY).returning(table.c.id)
        params: list[dict] | None = None
    else:
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=DEDUP_KEY).returning(table.c.id)
        params = values
    return len(session.connection().execute(stmt, params).all())


class _RejectSink:
    """Keeps the first rejects for the report and, with --skip-invalid, writes them all to a CSV file."""

    def __init__(self, report: ImportReport, options: ImportOptions) -> None:
        self.report = report
        self.path = options.rejects_path if options.skip_invalid else None
        self._handle: TextIO | None = None
        self._writer: Any = None  # a csv writer, once the first reject comes

    def __enter__(self) -> _RejectSink:
        return self

    def add(self, reject: Reject) -> None:
        self.report.rejected_count += 1
        if len(self.report.rejects) < KEPT_REJECTS:
            self.report.rejects.append(reject)
        if self.path is not None:
            if self._writer is None:
                self._handle = self.path.open("w", encoding="utf-8", newline="")
                self._writer = csv.writer(self._handle)
                self._writer.writerow(["line", "reason", "record"])
            raw = reject.raw if isinstance(reject.raw, str) else json.dumps(reject.raw, ensure_ascii=False)
            self._writer.writerow([reject.line, reject.reason, raw])

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()


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
