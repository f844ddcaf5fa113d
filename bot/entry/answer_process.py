"""Answers in a child process of `serve`, so the process that acknowledges Slack does almost nothing else.

An answer (the KPI figures, the text, the chart, the uploads) is Python that holds the GIL; in the
process serving HTTP it delays every ack behind it, and the OS cannot run an ack first. With
`SYMMETRY_ANSWER_PROCESS=true` (the default of `serve`) the serving process acks on the request path
and hands each of Bolt's lazy listeners (the raw request and the listener's name, as Bolt does on AWS
Lambda) to one child process, which runs its own Bolt App over the same handlers on
`SYMMETRY_ANSWER_WORKERS` threads, at nice 5, drawing charts in its own worker processes.

The child says when it starts and ends each answer. If it dies (killed, out of memory) it is started
again and every answer it had not finished is handed to the new one; an answer that was under way at
two deaths is given up and the person is told to ask again. An answer under way at a death may reach
the person twice: at least once, never lost silently.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.lazy_listener.runner import LazyListenerRunner
from slack_bolt.request import BoltRequest
from slack_bolt.util.utils import get_name_for_callable

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.clock import Clock
    from bot.config import Settings

log = logging.getLogger("symmetry.answers")
GAVE_UP = "Sorry, I could not finish this answer (the answer worker stopped twice). Please ask again."
MAX_ATTEMPTS = 2


@dataclass
class _Answer:
    request: dict[str, Any]  # body, query, headers, name: what the child needs to run the listener
    attempts: int = 0
    started: bool = False
    sent_to: int = 0  # the child (generation) it was handed to


class AnswerProcess:
    """The serving process's side: hands answers to the child, watches it, starts it again.

    Handing over never blocks the request path: `submit` notes the answer, a sender thread writes it
    to the child (which may still be starting, or gone)."""

    def __init__(self, settings: Settings, clock: Clock, *, tell: Callable[[dict, str], None]) -> None:
        self.settings, self.clock, self.tell = settings, clock, tell
        self.size = settings.SYMMETRY_ANSWER_QUEUE_SIZE
        self._answers: dict[int, _Answer] = {}
        self._ids = itertools.count(1)
        self._outbox: queue.Queue[int | None] = queue.Queue()
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._stopping = False
        self.generation = 0
        self._start_child()
        atexit.register(self.stop)  # before multiprocessing's own exit hook, which waits for the child
        threading.Thread(target=self._watch, name="symmetry-answer-watch", daemon=True).start()
        threading.Thread(target=self._sender, name="symmetry-answer-send", daemon=True).start()

    # -- the serving process asks --------------------------------------------------------------
    def submit(self, request: dict[str, Any]) -> None:
        with self._lock:
            job_id = next(self._ids)
            self._answers[job_id] = _Answer(request)
        self._outbox.put(job_id)

    def full(self) -> bool:
        """SYMMETRY_ANSWER_QUEUE_SIZE answers wait for a worker: the next ones are told "busy"."""
        return self.waiting() >= self.size

    def waiting(self) -> int:
        with self._lock:
            return sum(1 for a in self._answers.values() if not a.started)

    def pending(self) -> int:
        with self._lock:
            return len(self._answers)

    def wait_ready(self, timeout: float = 60) -> bool:
        return self._ready.wait(timeout)

    def pid(self) -> int | None:
        return self._process.pid

    def stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        self._outbox.put(None)
        try:
            self._conn.send(None)
        except OSError:
            pass
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.terminate()

    # -- inside ------------------------------------------------------------------------------------
    def _start_child(self) -> None:  # at start, or under self._lock
        ctx = multiprocessing.get_context("spawn")
        self._conn, child_end = ctx.Pipe()
        self._process = ctx.Process(
            target=child_main, args=(child_end, self.settings, self.clock), name="symmetry-answers"
        )
        self._process.start()
        child_end.close()
        self.generation += 1

    def _sender(self) -> None:
        while (job_id := self._outbox.get()) is not None:
            with self._lock:
                answer, conn, generation = self._answers.get(job_id), self._conn, self.generation
                if answer is None or answer.sent_to == generation:
                    continue
                answer.sent_to = generation
            try:
                conn.send((job_id, answer.request))  # may wait while the child starts: not on an ack
            except OSError:  # the child is gone: handed to the next one when it starts
                pass

    def _watch(self) -> None:
        while not self._stopping:
            conn, process = self._conn, self._process
            ready = multiprocessing.connection.wait([conn, process.sentinel])
            if conn in ready:
                try:
                    self._heard(conn.recv())
                    continue
                except (EOFError, OSError):
                    pass
            if self._stopping:
                return
            process.join(timeout=5)
            self._restart(process.exitcode)

    def _heard(self, message: tuple[str, int]) -> None:
        what, job_id = message
        with self._lock:
            if what == "ready":
                self._ready.set()
            elif what == "start" and job_id in self._answers:
                self._answers[job_id].started = True
            elif what == "done":
                self._answers.pop(job_id, None)

    def _restart(self, exitcode: int | None) -> None:
        log.warning("the answer process stopped (exit code %s); starting a new one", exitcode)
        given_up: list[dict[str, Any]] = []
        with self._lock:
            self._ready.clear()
            for job_id, answer in list(self._answers.items()):
                if answer.started:
                    answer.attempts += 1
                    answer.started = False
                if answer.attempts >= MAX_ATTEMPTS:
                    given_up.append(self._answers.pop(job_id).request)
            self._start_child()
            unfinished = sorted(self._answers)
        for job_id in unfinished:
            self._outbox.put(job_id)
        for request in given_up:
            self.tell(request, GAVE_UP)


class ProcessAnswerRunner(LazyListenerRunner):
    """Bolt's lazy listeners, sent to the answer process instead of run here."""

    def __init__(self, answers: AnswerProcess, logger: logging.Logger) -> None:
        self.answers, self.logger = answers, logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.answers.submit(
            {
                "body": request.raw_body,
                "query": request.query,
                "headers": {k: list(v) for k, v in request.headers.items()},
                "name": request.lazy_function_name or get_name_for_callable(function),
            }
        )


# -- the child ------------------------------------------------------------------------------------------


def child_main(conn: multiprocessing.connection.Connection, settings: Settings, clock: Clock) -> None:
    from bot.db import make_engine, session_factory
    from bot.entry.app import build_app
    from bot.entry.deps import Deps
    from bot.entry.runner import setup_logging
    from bot.slack.client import make_web_client

    os.nice(5)  # acks first: the serving process gets the CPU when it wants it
    setup_logging(settings.SYMMETRY_LOG_LEVEL)
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    deps = Deps(settings=settings, factory=session_factory(make_engine(settings.DATABASE_URL)), clock=clock)
    app = build_app(deps, client=make_web_client(settings), answers_here=True)
    deps.charts.warm()
    jobs: queue.Queue[tuple[int, dict[str, Any]] | None] = queue.Queue()
    lock = threading.Lock()

    def say(*message: object) -> None:
        with lock:
            conn.send(message)

    def work() -> None:
        while (item := jobs.get()) is not None:
            job_id, request = item
            say("start", job_id)
            try:
                app.dispatch(lazy_request(request))
            except Exception:  # noqa: BLE001 - the listener reports its own errors; never kill a worker
                log.exception("an answer failed")
            say("done", job_id)

    workers = [threading.Thread(target=work, daemon=True) for _ in range(settings.SYMMETRY_ANSWER_WORKERS)]
    for thread in workers:
        thread.start()
    say("ready", 0)
    while (item := _receive(conn)) is not None:
        jobs.put(item)
    for _ in workers:
        jobs.put(None)
    for thread in workers:
        thread.join(timeout=30)
    deps.charts.stop()


def lazy_request(request: dict[str, Any]) -> BoltRequest:
    headers = {
        **request["headers"],
        "x-slack-bolt-lazy-only": ["1"],
        "x-slack-bolt-lazy-function-name": [request["name"]],
    }
    return BoltRequest(body=request["body"], query=request["query"], headers=headers)


def _receive(conn: multiprocessing.connection.Connection) -> tuple[int, dict[str, Any]] | None:
    try:
        item: tuple[int, dict[str, Any]] | None = conn.recv()
        return item
    except (EOFError, OSError):
        return None


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)
