"""Triage a batch of canonical records into rows ready for the verbatim table.

Reading a comment (language, sentiment, reasons, risks: ``bot.services.customers.triage``) is pure CPU work and
the bulk of an import. Small batches are read in the calling process. Large ones (``POOL_MIN_ROWS`` and
more) are shared between the calling process and a pool of worker processes (one per other core), so
that every core works and no more processes than cores compete for them:

* a share of the batch goes to the workers, the caller reads the rest meanwhile, then collects; the
  share adapts, batch after batch, so that neither side waits for the other (the caller also parses
  and stores rows, see ``triage_batches``), and shrinks to a tenth when the workers find no free core
  (a machine busy with other work: there, more processes only add the cost of sending the texts);
* workers rebuild the caller's taxonomy from its fields (a few kB: the compiled indexes are not sent),
  so they read with exactly the caller's taxonomy, even if the YAML file changed since;
* only (text, language hint) pairs go to the workers, identical pairs are read once per batch; the
  priority, which needs the score, the date and ``now``, is always computed in the caller;
* ``parallel=False`` (a server's ingest, through ``ImportOptions``) reads in-process, never starts the pool;
* the pool starts on the first large batch, in the background: batches are read in-process until its
  workers are up, so a short import never waits for them;
* workers are forked from a single-threaded caller (the CLI), started by a fork server otherwise (a
  server runs threads); before forking, the caller loads the lexicons and freezes its objects out of the
  garbage collector's reach (``gc.freeze``), so the workers share those pages instead of copying them
  (about 30 MB less in all, and fewer full collections in the caller); a fork server, like spawn, imports the caller's ``__main__`` again: scripts
  calling the importer keep their top-level code under ``if __name__ == "__main__":``;
* if the pool cannot start or breaks, the batch is read in-process and the pool is not used again.

Either way the rows are the same (``tests/services/test_triage_batch.py`` checks it).
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING

from bot.services.customers.priority import compute_priority
from bot.services.customers.taxonomy import Taxonomy
from bot.services.customers.triage import TextTriage, triage_text

if TYPE_CHECKING:  # workers never import the models (nor SQLAlchemy): less memory per worker
    from bot.services.customers.triage_models import Blender
    from models.verbatim import VerbatimIn

POOL_MIN_ROWS = 1_000  # smaller batches are read in the calling process
CHUNK_ROWS = 200  # rows per task sent to a worker
MAX_WORKERS = 3
OPEN = "open"  # models.verbatim.Status.OPEN (tested)

log = logging.getLogger(__name__)
Key = tuple[str, str | None]  # (text, language hint)
Read = tuple[str, float | None, str, tuple[str, ...], tuple[str, ...]]  # TextTriage's fields, in order


def triage_records(
    batch: list[VerbatimIn],
    *,
    taxonomy: Taxonomy,
    now: datetime,
    parallel: bool = True,
    blender: Blender | None = None,
) -> list[dict]:
    """The rows of `batch`, triaged, in order (a large batch is shared with the worker processes)."""
    return _Pending(batch, taxonomy, parallel=parallel).rows(now, blender)


def triage_batches(
    batches: Iterable[list[VerbatimIn]],
    *,
    taxonomy: Taxonomy,
    now: datetime,
    ahead: int = 1,
    parallel: bool = True,
    blender: Blender | None = None,
) -> Iterator[tuple[list[VerbatimIn], list[dict]]]:
    """Each batch with its rows, in order. The workers' share of the next `ahead` batches is sent before a
    batch is handed over, so they read it while the caller stores that batch and parses the next.
    `blender`: the store's learnt models (``triage_models.active_blender``), applied here in the caller."""
    pending: deque[_Pending] = deque()
    try:
        for batch in batches:
            pending.append(_Pending(batch, taxonomy, parallel=parallel))
            if len(pending) > ahead:
                first = pending.popleft()
                yield first.batch, first.rows(now, blender)
        while pending:
            first = pending.popleft()
            yield first.batch, first.rows(now, blender)
    finally:
        for left in pending:
            left.cancel()


def triaged_row(record: VerbatimIn, tri: TextTriage, now: datetime) -> dict:
    priority = compute_priority(
        score=record.score,
        scale=record.scale.value if record.scale else "",
        sentiment=tri.sentiment,
        sentiment_label=tri.sentiment_label,
        risks=tri.risks,
        received_at=record.received_at,
        now=now,
    )
    return {
        "external_id": record.external_id,
        "received_at": record.received_at,
        "text": record.text,
        "score": record.score,
        "scale": record.scale.value if record.scale else "",
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
        "priority_base": priority.base,
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
    """One batch on its way: the workers' share is sent at once, the caller reads the rest when asked."""

    def __init__(self, batch: list[VerbatimIn], taxonomy: Taxonomy, *, parallel: bool = True) -> None:
        self.batch, self.taxonomy = batch, taxonomy
        self.keys: list[Key] = [(record.text, record.language) for record in batch]
        self.futures: list[Future] = []
        self.done_at: list[float] = []
        self.cut = 0  # rows [:cut] go to the workers, [cut:] are read here
        pool = _POOL.ready(taxonomy) if parallel and len(batch) >= POOL_MIN_ROWS else None
        if pool is None:
            return
        self.cut = round(len(self.keys) * _POOL.share)
        try:
            for start in range(0, self.cut, CHUNK_ROWS):
                future = pool.submit(_read_chunk, self.keys[start : min(start + CHUNK_ROWS, self.cut)])
                future.add_done_callback(lambda _f: self.done_at.append(time.monotonic()))
                self.futures.append(future)
        except (BrokenExecutor, RuntimeError) as exc:  # broken or shut down: read in-process
            self.cancel()
            _POOL.disable(exc)

    def rows(self, now: datetime, blender: Blender | None = None) -> list[dict]:
        reads = self._reads()
        if blender is not None and blender.models:
            reads = blender.apply_to_reads(reads, [key[0] for key in self.keys])
        return [
            triaged_row(record, TextTriage(*read), now)
            for record, read in zip(self.batch, reads, strict=True)
        ]

    def _reads(self) -> list[Read]:
        if not self.futures:
            return read_texts(self.keys, self.taxonomy)
        try:
            mine = read_texts(self.keys[self.cut :], self.taxonomy)
        except BaseException:
            self.cancel()
            raise
        asked = time.monotonic()
        try:
            theirs = [read for future in self.futures for read in future.result()]
        except BrokenExecutor as exc:  # a worker died: read here, and stop using the pool
            self.cancel()
            _POOL.disable(exc)
            return read_texts(self.keys[: self.cut], self.taxonomy) + mine
        except Exception:  # noqa: BLE001 - read here: the same error, if any, is raised in-process
            self.cancel()
            return read_texts(self.keys[: self.cut], self.taxonomy) + mine
        waited, idle = time.monotonic() - asked, asked - max(self.done_at, default=asked)
        _POOL.balance(waited=waited, idle=idle)
        return theirs + mine

    def cancel(self) -> None:
        for future in self.futures:
            future.cancel()
        self.futures = []


class _Pool:
    """The worker processes, started lazily for one taxonomy; thread-safe; stopped at exit."""

    STEP = 0.05  # share moved per batch when one side waited for the other
    FLOOR = (
        0.1  # workers without a free core (a busy machine) keep a small share, to notice when one frees up
    )
    CEILING = 0.9  # the caller always reads a little: it measures whether the workers keep up

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._taxonomy: Taxonomy | None = None
        self._warmup: list[Future] = []
        self._disabled = False
        self.share = 0.5  # of a large batch read by the workers

    def ready(self, taxonomy: Taxonomy) -> ProcessPoolExecutor | None:
        """The pool when its workers are up for this taxonomy; None (read in-process) while they start."""
        with self._lock:
            if self._disabled or worker_count() < 1:
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

    def balance(self, *, waited: float, idle: float) -> None:
        """The caller waited for the workers: it reads more next time; the workers sat idle: they read more."""
        if waited > 0.005:
            self.share = max(self.FLOOR, self.share - self.STEP)
        elif idle > 0.005:
            self.share = min(self.CEILING, self.share + self.STEP)

    def _start(self, taxonomy: Taxonomy) -> None:
        fields = {f.name: getattr(taxonomy, f.name) for f in dataclasses.fields(taxonomy) if f.init}
        workers, context = worker_count(), _context()
        if context.get_start_method() == "fork":  # the lexicons loaded once, shared with the forked workers
            read_texts(_WARM_UP, taxonomy)
            gc.freeze()  # and kept shared: the collector never writes to the objects already there
        self._executor = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(type(taxonomy), fields)
        )
        self._taxonomy = taxonomy
        self._warmup = [self._executor.submit(os.getpid) for _ in range(workers)]  # starts every worker

    def _stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor, self._taxonomy, self._warmup = None, None, []

    def disable(self, exc: BaseException) -> None:
        log.warning("triage workers unavailable (%s): reading comments in-process from now on", exc)
        with self._lock:
            self._disabled = True
            self._stop()

    def shutdown(self) -> None:
        with self._lock:
            self._stop()
            self._disabled = False

    @property
    def disabled(self) -> bool:
        return self._disabled


_POOL = _Pool()
atexit.register(_POOL._stop)


def worker_count() -> int:
    """Worker processes for large batches: one per core besides the caller's, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, MAX_WORKERS))


def start_pool(taxonomy: Taxonomy, *, timeout: float = 0.0) -> bool:
    """Start the workers now rather than on the first large batch; True once they are up (within `timeout` s)."""
    deadline = time.monotonic() + timeout
    while _POOL.ready(taxonomy) is None:
        if _POOL.disabled or worker_count() < 1 or time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def pool_started() -> bool:
    """Are worker processes running (a server's ingest must never start them)?"""
    return _POOL._executor is not None


def shutdown_pool() -> None:
    """Stop the workers; the next large batch starts them again (even after a failure disabled them)."""
    _POOL.shutdown()


def _context():
    """Fork a caller that runs no other thread (the CLI: quick, re-imports nothing); never fork a threaded
    one (a server: a lock held by another thread would stay locked in the child), use a fork server."""
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


_WORKER_TAXONOMY: Taxonomy | None = None
_WARM_UP: list[Key] = [("warm up", "en"), ("on chauffe", "fr")]


def _init_worker(kind: type[Taxonomy], fields: dict) -> None:
    global _WORKER_TAXONOMY
    _WORKER_TAXONOMY = kind(**fields)
    read_texts(_WARM_UP, _WORKER_TAXONOMY)  # loads the lexicons (a forked worker has them already)


def _read_chunk(keys: list[Key]) -> list[Read]:
    assert _WORKER_TAXONOMY is not None, "worker started without its taxonomy"
    return read_texts(keys, _WORKER_TAXONOMY)
