"""Where an acknowledgement's time goes, sent back in a `Server-Timing` header (W3C Server Timing).

    Server-Timing: read;dur=0.1, sig;dur=0.05, wait;dur=0.4, replay;dur=0.02, bolt;dur=2.0, back;dur=0.3,
                   total;dur=2.9

read: the body from the socket; sig: the HMAC check; wait: from asking for a worker thread to running
on it (the event loop, the thread pool and the GIL under load); replay: the replay guard (a dict on
SQLite, one INSERT on Postgres); bolt: Bolt parses the payload, runs the middleware and the listener's
ack; back: from the worker thread back to the event loop. Durations in ms; the time before the handler runs (accepting the connection, parsing HTTP) is
the client's figure minus `total`.
benchmarks/bench_load.py sums them to show where the ack time goes; Slack ignores the header.
"""

from __future__ import annotations

import time


class Timing:
    def __init__(self) -> None:
        self.start = self._last = time.perf_counter()
        self.phases: list[tuple[str, float]] = []

    def mark(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases.append((phase, now - self._last))
        self._last = now

    def header(self) -> dict[str, str]:
        total = time.perf_counter() - self.start
        parts = [f"{name};dur={1000 * took:.2f}" for name, took in [*self.phases, ("total", total)]]
        return {"Server-Timing": ", ".join(parts)}
