"""Records pushed as JSON (POST /ingest/verbatims): the same validation, triage and store as a file import.

Read in the calling process: a server never starts the triage worker pool (`ImportOptions.parallel`).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.db import SessionFactory
from bot.errors import InvalidInput
from bot.services.customers.importer import ImportOptions, ImportReport, import_rows, require_source
from bot.services.customers.records import RecordMapping
from bot.services.customers.taxonomy import Taxonomy
from bot.sources.files import SourceRow

MAX_RECORDS = 10_000


def ingest_payload(
    factory: SessionFactory,
    payload: object,
    *,
    source: str | None,
    taxonomy: Taxonomy,
    timezone: ZoneInfo,
    now: datetime,
) -> ImportReport:
    """A list of records, or {"source": ..., "records": [...]}. All or nothing; index = position (0-based)."""
    if isinstance(payload, dict) and "records" in payload:
        source = source or payload.get("source")
        payload = payload["records"]
    elif isinstance(payload, dict):
        payload = [payload]
    if source is not None and not isinstance(source, str):
        raise InvalidInput(f"source must be a string, not {type(source).__name__}", code="source_invalid")
    if not isinstance(payload, list):
        raise InvalidInput('expected a JSON list of records or {"records": [...]}', code="payload_shape")
    if len(payload) > MAX_RECORDS:
        raise InvalidInput(
            f"{len(payload)} records in one request; at most {MAX_RECORDS}",
            code="too_many_records",
            values={"count": len(payload), "limit": MAX_RECORDS},
        )
    bad = [i for i, r in enumerate(payload) if not isinstance(r, dict)]
    if bad:
        raise InvalidInput(f"record {bad[0]} is not a JSON object", code="record_not_object")
    options = ImportOptions(
        source=require_source(str(source or "api")),
        mapping=RecordMapping(timezone=timezone),
        default_timezone=timezone.key,
        file_name="POST /ingest/verbatims",
        created_by="api",
    )
    rows = (SourceRow(index, record) for index, record in enumerate(payload))
    return import_rows(factory, rows, options=options, taxonomy=taxonomy, now=now)
