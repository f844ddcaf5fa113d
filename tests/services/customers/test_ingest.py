"""Records pushed over HTTP are read in the server's process: the triage worker pool is for the CLI."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.services.customers.ingest import ingest_payload
from bot.services.customers.taxonomy import load_taxonomy
from bot.services.customers.triage_batch import POOL_MIN_ROWS, pool_started, shutdown_pool
from tests.factories import record


def test_a_large_push_never_starts_the_worker_pool(factory, now) -> None:  # type: ignore[no-untyped-def]
    shutdown_pool()
    records = [record(i, now=now, text=f"Service number {i} was fine") for i in range(POOL_MIN_ROWS + 10)]
    report = ingest_payload(
        factory, records, source="survey", taxonomy=load_taxonomy(), timezone=ZoneInfo("UTC"), now=now
    )
    assert report.inserted == POOL_MIN_ROWS + 10
    assert not pool_started()


def test_a_bad_source_is_a_structured_error(factory, now) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        ingest_payload(
            factory,
            [record(1, now=now)],
            source="x" * 65,
            taxonomy=load_taxonomy(),
            timezone=ZoneInfo("UTC"),
            now=now,
        )
    error = raised.value
    assert (error.code, error.field, error.values["given"]) == ("source_invalid", "source", "x" * 65)
    assert "--" not in error.message  # the neutral sentence names no flag: adapters add their words
