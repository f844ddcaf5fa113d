"""Answers run on a bounded queue of their own, so an ack never waits behind a chart.

Bolt runs a listener's `ack` function on the request path (`process_before_response=True`) and hands
each `lazy` function to `AnswerRunner.start`, which queues it for `SYMMETRY_ANSWER_WORKERS` threads.
The queue holds at most `SYMMETRY_ANSWER_QUEUE_SIZE` answers. When it is full the command is still
acknowledged at once (with "busy, your answer will come in a moment") and its answer waits for room:
over HTTP the wait happens after the ack was sent (no thread held, see `spill_collector`), elsewhere
on a short-lived thread. Every accepted command gets its answer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_bolt.lazy_listener.internals import build_runnable_function
from slack_bolt.lazy_listener.runner import LazyListenerRunner
from slack_bolt.request import BoltRequest

log = logging.getLogger("symmetry.answers")
BUSY = "Busy right now: your answer will come in a moment."
Job = Callable[[], None]
_local = threading.local()


class AnswerQueue:
    def __init__(self, *, workers: int, size: int) -> None:
        self.workers, self.size = workers, size
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=size)
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.done = 0

    def full(self) -> bool:
        return self._queue.full()

    def depth(self) -> int:
        return self._queue.qsize()

    def offer(self, job: Job) -> bool:
        """Queue the job if there is room; False when the queue is full."""
        self._start_workers()
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            return False
        return True

    def put(self, job: Job) -> None:
        """Wait for room (on the calling thread)."""
        self._start_workers()
        self._queue.put(job)

    async def put_when_room(self, jobs: list[Job]) -> None:
        """Wait for room without holding a thread (after the HTTP ack was sent)."""
        for job in jobs:
            while not self.offer(job):
                await asyncio.sleep(0.02)

    def submit(self, job: Job) -> None:
        """Queue work a listener does after its ack (a redraw, a DM): never blocks the request path.

        When the queue is full the job waits for room after the ack was sent (over HTTP, see
        `spill_collector`) or on a short-lived thread elsewhere. Every submitted job runs once."""
        if self.offer(job):
            return
        spilled = getattr(_local, "spilled", None)
        if spilled is not None:  # the HTTP server waits for room once the ack is sent
            spilled.append(job)
        else:
            threading.Thread(target=self.put, args=(job,), daemon=True).start()

    def join(self) -> None:
        """Wait until every queued answer ran (tests, benchmarks, shutdown)."""
        self._queue.join()

    def stop(self) -> None:
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)
        for thread in threads:
            thread.join(timeout=30)

    def _start_workers(self) -> None:
        if len(self._threads) >= self.workers:
            return
        with self._lock:
            while len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, name="symmetry-answer", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _work(self) -> None:
        _lower_priority()
        while (job := self._queue.get()) is not None:
            try:
                job()
            except Exception:  # noqa: BLE001 - a listener's own errors are reported by it; never kill a worker
                log.exception("an answer failed")
            finally:
                self.done += 1
                self._queue.task_done()
        self._queue.task_done()


def _lower_priority() -> None:
    """Answer threads yield the CPU to acks (Linux schedules threads one by one; nice 10 = lower)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: answers run at normal priority
        pass


class AnswerRunner(LazyListenerRunner):
    """Bolt's lazy listeners, run on the answer queue instead of Bolt's listener executor."""

    def __init__(self, answers: AnswerQueue, logger: logging.Logger) -> None:
        self.answers, self.logger = answers, logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.answers.submit(build_runnable_function(func=function, logger=self.logger, request=request))


@contextmanager
def spill_collector() -> Iterator[list[Job]]:
    """Around one dispatch on one thread: collects the answers that found the queue full."""
    spilled: list[Job] = []
    _local.spilled = spilled
    try:
        yield spilled
    finally:
        _local.spilled = None
