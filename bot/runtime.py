"""Build the shared dependencies once, from settings: used by the CLI, the server and the demo."""

from __future__ import annotations

from bot.clock import Clock, SystemClock
from bot.config import Settings, load_settings
from bot.db import make_engine, session_factory, upgrade
from bot.deps import Deps


def build_deps(settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = True) -> Deps:
    """Settings -> engine -> (schema upgraded) -> Deps. Raises ConfigError / DatabaseUnavailable."""
    settings = settings or load_settings()
    engine = make_engine(settings.DATABASE_URL)
    if migrate:
        upgrade(engine)
    return Deps(settings=settings, factory=session_factory(engine), clock=clock or SystemClock())
