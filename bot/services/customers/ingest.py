"""Records pushed as JSON (POST /ingest/verbatims): the same validation, triage and store as a file import."""

from __future__ import annotations

from bot.entry.deps import Deps
from bot.errors import InvalidInput
from bot.services.customers.importer import ImportOptions, ImportReport, import_rows, require_source
from bot.services.customers.records import RecordMapping
from bot.sources.files import SourceRow

MAX_RECORDS = 10_000


def ingest_payload(deps: Deps, payload: object, *, source: str | None) -> ImportReport:
    """A list of records, or {"source": ..., "records": [...]}. All or nothing; index = position (0-based)."""
    if isinstance(payload, dict) and "records" in payload:
        source = source or payload.get("source")
        payload = payload["records"]
    if source is not None and not isinstance(source, str):
        raise InvalidInput(f"source must be a string, not {type(source).__name__}")
    elif isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        raise InvalidInput('expected a JSON list of records or {"records": [...]}')
    if len(payload) > MAX_RECORDS:
        raise InvalidInput(f"{len(payload)} records in one request; at most {MAX_RECORDS}")
    bad = [i for i, r in enumerate(payload) if not isinstance(r, dict)]
    if bad:
        raise InvalidInput(f"record {bad[0]} is not a JSON object")
    options = ImportOptions(
        source=require_source(str(source or "api")),
        mapping=RecordMapping(timezone=deps.settings.timezone),
        default_timezone=deps.settings.SYMMETRY_TIMEZONE,
        file_name="POST /ingest/verbatims",
        created_by="api",
    )
    rows = (SourceRow(index, record) for index, record in enumerate(payload))
    return import_rows(deps.factory, rows, options=options, taxonomy=deps.taxonomy, now=deps.clock.now())
