"""A file import planned before any row is stored: the mapping checked against the header, the date format
decided on the whole file; and `--dry-run`, which shows what an import would do and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.services.customers.importer import ImportReport, validated
from bot.services.customers.mapping import check_mapping, settle_date_format
from bot.services.customers.records import RecordMapping
from bot.services.customers.rejects import RejectSink
from bot.sources.files import SourceFile, SourceRow
from models.verbatim import VerbatimIn

PREVIEW_ROWS = 5


@dataclass(frozen=True)
class ImportPlan:
    mapping: RecordMapping
    used: dict[str, tuple[str, ...]]
    notes: list[str]  # what was detected or decided, and warnings


@dataclass
class Preview:
    report: ImportReport
    rows: list[VerbatimIn] = field(default_factory=list)


def plan_import(source: SourceFile, mapping: RecordMapping) -> ImportPlan:
    checked = check_mapping(mapping, source.header)
    notes = [f"read as {source.describe()}"]
    date_column = checked.used["received_at"][0]
    dates = (r.data.get(date_column) for r in source.rows() if isinstance(r, SourceRow))
    settled, note = settle_date_format(checked.mapping, list(dates))
    if note:
        notes.append(note)
    return ImportPlan(settled, checked.used, notes + checked.warnings)


def describe_mapping(plan: ImportPlan) -> list[str]:
    return [f"{name:<17} <- {' + '.join(columns)}" for name, columns in plan.used.items()]


def preview_import(source: SourceFile, plan: ImportPlan, *, now: datetime) -> Preview:
    """Every row parsed and checked as the import would; nothing triaged or written."""
    preview = Preview(ImportReport())
    with RejectSink(preview.report, None, ()) as sink:
        for record in validated(source.rows(), plan.mapping, preview.report, sink, now=now):
            if len(preview.rows) < PREVIEW_ROWS:
                preview.rows.append(record)
    return preview


def describe_record(record: VerbatimIn) -> str:
    score = (
        f"{record.score} ({record.scale.value})" if record.scale and record.score is not None else "no score"
    )
    text = " ".join(record.text.split())
    text = text if len(text) <= 70 else text[:67] + "..."
    parts = [f"{record.received_at:%Y-%m-%d %H:%M}Z", score, record.team or "-", record.channel or "-", text]
    return " | ".join(parts)
