"""Listener functions live at module level (a test calls them with plain arguments); `with_deps` hands
them the app's Deps when they are registered.

Bolt passes a listener the arguments its signature names (`ack`, `body`, `client`...), read through
`functools.wraps` chains; `deps` is keyword-only, so Bolt never tries to supply it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any


def with_deps(listener: Callable[..., Any], deps: object) -> Callable[..., Any]:
    """`listener(**what Bolt passes, deps=deps)`, with the listener's signature for Bolt to read."""

    @wraps(listener)
    def bound(**kwargs: Any) -> Any:
        return listener(**kwargs, deps=deps)

    return bound
