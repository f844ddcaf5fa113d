"""Listener functions live at module level (a test calls them with plain arguments); `with_deps` hands
them the app's Deps when they are registered.

Bolt passes a listener the arguments its signature names (`ack`, `body`, `client`...), read through
`functools.wraps` chains; `deps` is keyword-only, so Bolt never tries to supply it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import Any


def with_deps(listener: Callable[..., Any], deps: object) -> Callable[..., Any]:
    """`listener(**what Bolt passes, deps=deps)`, with the listener's signature for Bolt to read."""

    @wraps(listener)
    def bound(**kwargs: Any) -> Any:
        return listener(**kwargs, deps=deps)

    return bound


class InOrder:
    """Work on one thing (a person's survey DM, a story's card) done one at a time, in arrival order: Bolt
    runs listeners on parallel threads, and without this a slower earlier redraw could land after a later
    one and leave a stale message. A fixed set of locks (memory stays bounded however many things there
    are); never hold two at once."""

    def __init__(self, stripes: int = 256) -> None:
        self._locks = [threading.Lock() for _ in range(stripes)]

    def __call__(self, *key: object) -> threading.Lock:
        return self._locks[hash(key) % len(self._locks)]
