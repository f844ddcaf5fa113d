"""Large batches are shared with worker processes: the rows must be exactly those of the in-process path."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.demo.data import EDGE, generate
from bot.services.customers import triage_batch
from bot.services.customers.records import RecordMapping, parse_record
from bot.services.customers.taxonomy import load_taxonomy
from bot.services.customers.triage_batch import POOL_MIN_ROWS, start_pool, triage_batches, triage_records
from models.verbatim import Status, VerbatimIn

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TAXONOMY = load_taxonomy()
STARTUP = 120  # seconds the workers may take to start on a busy machine


def _records(n: int, *, seed: int = 3) -> list[VerbatimIn]:
    """n varied records: English, French, mixed, emoji, Hinglish, empty texts, hints, repeats."""
    records = [parse_record(row, RecordMapping()) for row in generate(n, now=NOW, seed=seed)]
    for i, record in enumerate(records):
        if i % 50 == 7:
            record.text = EDGE[i % len(EDGE)]
        if i % 40 == 3:
            record.language = ["fr", "en-GB", "es", "auto"][i % 4]
    return records


def _in_process(batch: list[VerbatimIn], taxonomy=TAXONOMY) -> list[dict]:  # type: ignore[no-untyped-def]
    saved = triage_batch.POOL_MIN_ROWS
    triage_batch.POOL_MIN_ROWS = 10**12
    try:
        return triage_records(batch, taxonomy=taxonomy, now=NOW)
    finally:
        triage_batch.POOL_MIN_ROWS = saved


@pytest.fixture
def pool() -> Iterator[None]:
    if triage_batch.worker_count() < 1:
        pytest.skip("one core: large batches are read in-process")
    triage_batch.shutdown_pool()
    yield
    triage_batch.shutdown_pool()


def test_small_batches_stay_in_process() -> None:
    triage_batch.shutdown_pool()
    rows = triage_records(_records(20), taxonomy=TAXONOMY, now=NOW)
    assert len(rows) == 20 and triage_batch._POOL._executor is None  # noqa: SLF001
    assert {row["status"] for row in rows} == {Status.OPEN.value}


@pytest.mark.parametrize("share", [0.3, 0.6, 1.0])
def test_pool_and_in_process_give_the_same_rows(pool, share: float) -> None:  # type: ignore[no-untyped-def]
    batch = _records(POOL_MIN_ROWS + 437)
    assert start_pool(TAXONOMY, timeout=STARTUP)
    triage_batch._POOL.share = share  # noqa: SLF001
    pending = triage_batch._Pending(batch, TAXONOMY)  # noqa: SLF001
    assert pending.futures and 0 < pending.cut <= len(batch)  # the workers do read their share
    pooled = pending.rows(NOW)
    assert pooled == _in_process(batch)
    assert any(row["sentiment"] is None for row in pooled) and any(row["risks"] for row in pooled)


def test_triage_batches_keeps_order_and_rows(pool) -> None:  # type: ignore[no-untyped-def]
    records = _records(3 * POOL_MIN_ROWS + 50, seed=5)
    sizes = [POOL_MIN_ROWS, 30, POOL_MIN_ROWS + 20, POOL_MIN_ROWS]  # large, small, large, large
    batches, start = [], 0
    for size in sizes:
        batches.append(records[start : start + size])
        start += size
    assert start_pool(TAXONOMY, timeout=STARTUP)
    out = list(triage_batches(iter(batches), taxonomy=TAXONOMY, now=NOW))
    assert [b for b, _ in out] == batches
    assert [rows for _, rows in out] == [_in_process(b) for b in batches]


def test_workers_read_with_the_callers_taxonomy(pool, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    custom = tmp_path / "taxonomy.yaml"
    custom.write_text(
        "reasons:\n  - key: gadget\n    label: Gadget\n    keywords:\n      en: [charger, order]\n"
        "      fr: [dossier]\nrisks:\n  - key: churn\n    label: Churn\n    keywords:\n      en: [cancel]\n",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(custom)
    batch = _records(POOL_MIN_ROWS)
    for record in batch:
        record.reason = None
    assert start_pool(TAXONOMY, timeout=STARTUP)  # workers up with the default taxonomy first
    assert start_pool(taxonomy, timeout=STARTUP)  # a different taxonomy: new workers
    pooled = triage_records(batch, taxonomy=taxonomy, now=NOW)
    assert pooled == _in_process(batch, taxonomy)
    assert {row["reason"] for row in pooled} <= {"gadget", None} and any(row["reason"] for row in pooled)


def test_a_dead_worker_means_in_process_with_the_same_rows(pool) -> None:  # type: ignore[no-untyped-def]
    batch = _records(POOL_MIN_ROWS + 10)
    assert start_pool(TAXONOMY, timeout=STARTUP)
    for future in triage_batch._POOL._warmup:  # noqa: SLF001 - each answered its worker's pid
        os.kill(future.result(), signal.SIGKILL)
    rows = triage_records(batch, taxonomy=TAXONOMY, now=NOW)
    assert rows == _in_process(batch)
    assert triage_batch._POOL.disabled  # noqa: SLF001
    assert not start_pool(TAXONOMY)  # stays in-process until shut down and restarted


def test_open_status_matches_the_model() -> None:
    assert triage_batch.OPEN == Status.OPEN.value
