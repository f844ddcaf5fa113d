"""Answers run on a queue of their own, so an ack never waits behind a chart.

Bolt runs a listener's `ack` function on the request path (`process_before_response=True`) and hands
each `lazy` function to `AnswerRunner.start`, which queues it for `SYMMETRY_ANSWER_WORKERS` threads
(charts themselves are drawn in worker processes, bot/entry/chart_workers.py). Up to
`SYMMETRY_ANSWER_QUEUE_SIZE` answers wait as usual; beyond that the queue is "full": a command is still
acknowledged at once, with "busy, your answer will come in a moment", and its answer waits in line
behind the others. Queuing never blocks the request path, and every accepted command gets its answer.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from slack_bolt.lazy_listener.internals import build_runnable_function
from slack_bolt.lazy_listener.runner import LazyListenerRunner
from slack_bolt.request import BoltRequest

log = logging.getLogger("symmetry.answers")
BUSY = "Busy right now: your answer will come in a moment."
Job = Callable[[], None]


class AnswerQueue:
    def __init__(self, *, workers: int, size: int) -> None:
        self.workers, self.size = workers, size
        self._jobs: deque[Job | None] = deque()
        self._ready = threading.Condition()
        self._running = 0
        self._threads: list[threading.Thread] = []
        self.done = 0

    def full(self) -> bool:
        """More than SYMMETRY_ANSWER_QUEUE_SIZE answers wait: the next ones are told "busy"."""
        return len(self._jobs) >= self.size

    def depth(self) -> int:
        return len(self._jobs)

    def submit(self, job: Job) -> None:
        """Queue work done after an ack (an answer, a redraw, a DM): never blocks, runs once."""
        self._start_workers()
        with self._ready:
            self._jobs.append(job)
            self._ready.notify()

    def join(self) -> None:
        """Wait until every queued answer ran (tests, benchmarks, shutdown)."""
        with self._ready:
            self._ready.wait_for(lambda: not self._jobs and not self._running)

    def stop(self) -> None:
        with self._ready:
            threads, self._threads = self._threads, []
            self._jobs.extend([None] * len(threads))
            self._ready.notify_all()
        for thread in threads:
            thread.join(timeout=30)

    def _start_workers(self) -> None:
        if len(self._threads) >= self.workers:
            return
        with self._ready:
            while len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, name="symmetry-answer", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _next(self) -> Job | None:
        with self._ready:
            self._ready.wait_for(lambda: bool(self._jobs))
            job = self._jobs.popleft()
            self._running += job is not None
            return job

    def _work(self) -> None:
        while (job := self._next()) is not None:
            try:
                job()
            except Exception:  # noqa: BLE001 - a listener's own errors are reported by it; never kill a worker
                log.exception("an answer failed")
            finally:
                with self._ready:
                    self.done += 1
                    self._running -= 1
                    self._ready.notify_all()


class AnswerRunner(LazyListenerRunner):
    """Bolt's lazy listeners, run on the answer queue instead of Bolt's listener executor."""

    def __init__(self, answers: AnswerQueue, logger: logging.Logger) -> None:
        self.answers, self.logger = answers, logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.answers.submit(build_runnable_function(func=function, logger=self.logger, request=request))
