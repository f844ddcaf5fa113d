"""Drawing functions for the chart worker tests (module level: a spawned worker imports them)."""

from __future__ import annotations

import os
import signal


def die() -> bytes:
    """A drawing that kills the process drawing it (an out-of-memory kill, a crash in a C library)."""
    os.kill(os.getpid(), signal.SIGKILL)
    return b""


def worker_pid(nonce: object) -> bytes:
    """The drawing process's pid (a new `nonce` each time: the same call would come from the cache)."""
    return str(os.getpid()).encode()
