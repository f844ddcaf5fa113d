"""Triage a batch of canonical records into rows ready for the verbatim table.

Reading a comment (language, sentiment, reasons, risks: ``bot.services.triage``) is pure CPU work
and the bulk of an import. Small batches are read in the calling process. Large ones (``POOL_MIN_ROWS``
and more) are spread over a process pool, one worker per core, created on first need and reused:

* the workers rebuild the caller's taxonomy from its fields (a few kB: the compiled indexes are not
  sent), so they read with exactly the caller's taxonomy, even if the YAML file changed since;
* only (text, language hint) pairs go to the workers, and identical pairs are read once per batch;
  the priority, which needs the score, the date and ``now``, is computed here, as in-process;
* while the pool is starting, batches are read in-process, so a short import never waits for it;
* workers are forked from a single-threaded caller (the CLI), started by a fork server otherwise (a
  server runs threads); a fork server, like spawn, imports the caller's ``__main__`` again: scripts
  calling the importer keep their top-level code under ``if __name__ == "__main__":``;
* if the pool cannot start or breaks, the batch is read in-process and the pool is not used again.

Either way the rows are the same (``tests/services/test_triage_batch.py`` checks it).
``triage_batches`` also keeps the next batch in the workers while the caller stores the current one.
"""

from __future__ import annotations

import atexit
import dataclasses
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING

from bot.services.priority import compute_priority
from bot.services.taxonomy import Taxonomy
from bot.services.triage import TextTriage, triage_text

if TYPE_CHECKING:  # the workers never import the models (nor SQLAlchemy): less memory per worker
    from models.verbatim import VerbatimIn

POOL_MIN_ROWS = 1_000  # smaller batches are read in the calling process
CHUNK_ROWS = 250  # rows per task sent to a worker: small enough to balance two noisy cores
MAX_WORKERS = 4
OPEN = "open"  # models.verbatim.Status.OPEN

log = logging.getLogger(__name__)
Key = tuple[str | None, str | None]  # (text, language hint)
Read = tuple[str, float | None, str, tuple[str, ...], tuple[str, ...]]  # TextTriage's fields, in order


def triage_records(batch: list[VerbatimIn], *, taxonomy: Taxonomy, now: datetime) -> list[dict]:
    """The rows of `batch`, triaged, in order (large batches are read by the pool)."""
    return _Pending(batch, taxonomy).rows(now)


def triage_batches(
    batches: Iterable[list[VerbatimIn]], *, taxonomy: Taxonomy, now: datetime, ahead: int = 1
) -> Iterator[tuple[list[VerbatimIn], list[dict]]]:
    """Each batch with its rows, in order; up to `ahead` later batches are read by the pool meanwhile."""
    pending: deque[_Pending] = deque()
    try:
        for batch in batches:
            pending.append(_Pending(batch, taxonomy))
            if len(pending) > ahead:
                first = pending.popleft()
                yield first.batch, first.rows(now)
        while pending:
            first = pending.popleft()
            yield first.batch, first.rows(now)
    finally:
        for left in pending:
            left.cancel()


def triaged_row(record: VerbatimIn, tri: TextTriage, now: datetime) -> dict:
    priority = compute_priority(
        score=record.score, scale=record.scale.value, sentiment=tri.sentiment, sentiment_label=tri.sentiment_label,
        risks=tri.risks, received_at=record.received_at, now=now,
    )
    return {
        "external_id": record.external_id,
        "received_at": record.received_at,
        "text": record.text,
        "score": record.score,
        "scale": record.scale.value,
        "channel": record.channel,
        "reason": record.reason or (tri.reasons[0] if tri.reasons else None),
        "agent": record.agent,
        "processing_level": record.processing_level,
        "language": tri.language,
        "sentiment": tri.sentiment,
        "sentiment_label": tri.sentiment_label,
        "reasons": ",".join(tri.reasons),
        "risks": ",".join(tri.risks),
        "priority": priority.value,
        "priority_why": priority.why[:400],
        "status": OPEN,
    }


def read_texts(keys: list[Key], taxonomy: Taxonomy) -> list[Read]:
    """What each (text, hint) says, as plain tuples; identical pairs are read once."""
    seen: dict[Key, Read] = {}
    out = []
    for key in keys:
        found = seen.get(key)
        if found is None:
            tri = triage_text(key[0], language_hint=key[1], taxonomy=taxonomy)
            found = seen[key] = (tri.language, tri.sentiment, tri.sentiment_label, tri.reasons, tri.risks)
        out.append(found)
    return out


class _Pending:
    """One batch on its way: sent to the pool at once when large, read in-process when its rows are asked."""

    def __init__(self, batch: list[VerbatimIn], taxonomy: Taxonomy) -> None:
        self.batch, self.taxonomy = batch, taxonomy
        self.keys: list[Key] = [(record.text, record.language) for record in batch]
        self.futures: list[Future] = []
        pool = _POOL.ready(taxonomy) if len(batch) >= POOL_MIN_ROWS else None
        if pool is not None:
            try:
                self.futures = [pool.submit(_read_chunk, self.keys[i:i + CHUNK_ROWS])
                                for i in range(0, len(self.keys), CHUNK_ROWS)]
            except (BrokenExecutor, RuntimeError) as exc:  # broken or shut down: read in-process
                self.cancel()
                _POOL.disable(exc)

    def rows(self, now: datetime) -> list[dict]:
        reads = self._from_pool()
        if reads is None:
            reads = read_texts(self.keys, self.taxonomy)
        return [triaged_row(record, TextTriage(*read), now) for record, read in zip(self.batch, reads, strict=True)]

    def _from_pool(self) -> list[Read] | None:
        if not self.futures:
            return None
        try:
            return [read for future in self.futures for read in future.result()]
        except BrokenExecutor as exc:  # a worker died: read here, and stop using the pool
            self.cancel()
            _POOL.disable(exc)
        except Exception:  # noqa: BLE001 - read here: the same error, if any, is raised in-process
            self.cancel()
        return None

    def cancel(self) -> None:
        for future in self.futures:
            future.cancel()
        self.futures = []


class _Pool:
    """The process pool, built lazily for one taxonomy, thread-safe, shut down at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._taxonomy: Taxonomy | None = None
        self._warmup: list[Future] = []
        self._disabled = False

    def ready(self, taxonomy: Taxonomy) -> ProcessPoolExecutor | None:
        """The pool when its workers are up for this taxonomy; None (read in-process) while they start."""
        with self._lock:
            if self._disabled or worker_count() < 2:
                return None
            if self._executor is not None and not (taxonomy is self._taxonomy or taxonomy == self._taxonomy):
                self._stop()
            if self._executor is None:
                self._start(taxonomy)
            if not all(f.done() for f in self._warmup):
                return None
            if any(f.exception() for f in self._warmup):
                self._disabled = True
                self._stop()
                return None
            return self._executor

    def _start(self, taxonomy: Taxonomy) -> None:
        fields = {f.name: getattr(taxonomy, f.name) for f in dataclasses.fields(taxonomy) if f.init}
        workers = worker_count()
        self._executor = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                                             initargs=(type(taxonomy), fields))
        self._taxonomy = taxonomy
        self._warmup = [self._executor.submit(os.getpid) for _ in range(workers)]  # starts every worker

    def _stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor, self._taxonomy, self._warmup = None, None, []

    def disable(self, exc: BaseException) -> None:
        log.warning("triage pool unavailable (%s): reading comments in-process from now on", exc)
        with self._lock:
            self._disabled = True
            self._stop()

    def shutdown(self) -> None:
        with self._lock:
            self._stop()


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def worker_count() -> int:
    """One worker per core this process may use, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


def shutdown_pool() -> None:
    """Stop the workers (they start again on the next large batch)."""
    _POOL.shutdown()


def _context():  # type: ignore[no-untyped-def]
    """Fork a caller that runs no other thread (the CLI: quick, re-imports nothing); never fork a threaded
    one (a server: a lock held by another thread would stay locked in the child), use a fork server."""
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


_WORKER_TAXONOMY: Taxonomy | None = None


def _init_worker(kind: type[Taxonomy], fields: dict) -> None:
    global _WORKER_TAXONOMY
    _WORKER_TAXONOMY = kind(**fields)
    read_texts([("warm up", "en"), ("on chauffe", "fr")], _WORKER_TAXONOMY)  # loads the lexicons


def _read_chunk(keys: list[Key]) -> list[Read]:
    assert _WORKER_TAXONOMY is not None, "worker started without its taxonomy"
    return read_texts(keys, _WORKER_TAXONOMY)
