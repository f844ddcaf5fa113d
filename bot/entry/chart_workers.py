"""Charts are drawn in worker processes, so the process that acknowledges Slack runs almost no
CPU-bound Python (a chart is ~90% of an answer's CPU; in the same process it holds the GIL that the
acks need, and it cannot be preempted in favour of an ack).

    deps.charts.draw(render_chart, answer, language="fr")   # -> PNG bytes, drawn in a worker

`SYMMETRY_CHART_PROCESSES` processes (spawned, niced to 10 so the OS runs acks first); 0 draws in the
calling thread. The last CACHE_SIZE charts are kept by a digest of their data, and a chart already
being drawn is waited for, not drawn twice (a burst of people asking the same question). A drawing function is a module-level function of plain data (pickled by reference).
A worker that dies (killed, out of memory) breaks the pool: the pool is replaced and the chart drawn
again once; if that fails too, `ChartUnavailable` lets the caller answer without the chart and say so.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.services.kpi.charts import ChartUnavailable

log = logging.getLogger("symmetry.charts")
CACHE_SIZE = 64  # PNGs of 30-80 kB: a few MB
TASKS_PER_PROCESS = 500  # a fresh process now and then: matplotlib's caches never grow without bound
_shared: dict[int, ChartWorkers] = {}
_shared_lock = threading.Lock()


class ChartWorkers:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[bytes, bytes] = OrderedDict()
        self._drawing: dict[bytes, Future[bytes]] = {}
        self.replaced = 0  # pools replaced after a worker died
        self.drawn = self.from_cache = 0

    @classmethod
    def shared(cls, processes: int) -> ChartWorkers:
        """One pool per size in a process: charts are pure, so every Deps of a process may share it."""
        with _shared_lock:
            if processes not in _shared:
                _shared[processes] = cls(processes)
            return _shared[processes]

    def draw(self, fn: Callable[..., bytes], /, *args: object, **kwargs: object) -> bytes:
        """fn(*args, **kwargs) drawn in a worker. The same chart asked again (same function, same data:
        a team asking for the same trend) comes from a small cache, or waits for the drawing under way."""
        key = _key(fn, args, kwargs)
        if key is None:
            return self._draw(fn, args, kwargs)
        with self._lock:
            if (png := self._cache.get(key)) is not None:
                self._cache.move_to_end(key)
                self.from_cache += 1
                return png
            pending, mine = self._drawing.get(key), False
            if pending is None:
                pending, mine = self._drawing.setdefault(key, Future()), True
        if not mine:
            self.from_cache += 1
            return pending.result()
        try:
            png = self._draw(fn, args, kwargs)
        except BaseException as error:
            pending.set_exception(error)
            raise
        finally:
            with self._lock:
                self._drawing.pop(key, None)
        with self._lock:
            self._cache[key] = png
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        pending.set_result(png)
        return png

    def _draw(self, fn: Callable[..., bytes], args: tuple, kwargs: dict) -> bytes:
        self.drawn += 1
        if self.processes == 0:
            return fn(*args, **kwargs)
        for attempt in (1, 2):
            pool = self._current()
            try:
                return pool.submit(fn, *args, **kwargs).result()
            except BrokenProcessPool:
                log.warning("a chart worker died (attempt %s); starting a new one", attempt)
                self._replace(pool)
        raise ChartUnavailable("the chart worker stopped twice while drawing this chart")

    def warm(self) -> None:
        """Start the processes now (a spawned worker imports matplotlib: about a second)."""
        if self.processes:
            futures = [self._current().submit(_ready) for _ in range(self.processes)]
            for future in futures:
                future.result()

    def pids(self) -> list[int]:
        pool = self._pool
        return list(getattr(pool, "_processes", None) or {}) if pool else []

    def stop(self) -> None:
        log.info("charts: %s drawn, %s from the cache", self.drawn, self.from_cache)
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    max_tasks_per_child=TASKS_PER_PROCESS,
                )
            return self._pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
                self.replaced += 1
        broken.shutdown(wait=False, cancel_futures=True)


def _key(fn: Callable[..., bytes], args: tuple, kwargs: dict) -> bytes | None:
    """A digest of what the chart is drawn from; None when it cannot be pickled (drawn, not cached)."""
    try:
        data = pickle.dumps((fn.__module__, fn.__qualname__, args, sorted(kwargs.items())), protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(data).digest()


def _start_worker() -> None:
    try:
        os.nice(10)  # acks first: the OS gives this process the CPU when nothing else wants it
    except OSError:
        pass
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    import matplotlib.backends.backend_agg  # noqa: F401 - the import is the slow part of the first chart

    import bot.services.kpi.charts  # noqa: F401


def _exit_with_parent() -> None:
    """A `serve` killed with SIGKILL leaves no chart worker behind (its queue would never close)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)


def _ready() -> int:
    return os.getpid()
