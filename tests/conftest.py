"""Every database test runs twice: on SQLite and on the local Postgres.

Postgres lives at SYMMETRY_TEST_POSTGRES_URL (default 127.0.0.1:5432/test, trust auth). Each run gets
its own schema, dropped at the end. Where Postgres is unreachable the Postgres half is skipped on a
developer's machine, and FAILS in CI (CI=true) or with SYMMETRY_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from bot.db import make_engine, session_factory, upgrade

# Bolt switches to OAuth when these are set: tests never want that.
for _name in (
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
):
    os.environ.pop(_name, None)

# Property tests explore new examples on every developer run; in CI they replay the same ones, so a run
# fails for the change under test, not for an example drawn that day (a latent bug found locally gets a test).
if os.environ.get("CI", "").lower() == "true":
    from hypothesis import settings as _hypothesis

    _hypothesis.register_profile("ci", derandomize=True)
    _hypothesis.load_profile("ci")

POSTGRES_URL = os.environ.get("SYMMETRY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = (
    os.environ.get("CI", "").lower() == "true" or os.environ.get("SYMMETRY_REQUIRE_POSTGRES") == "1"
)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def new_postgres_schema(prefix: str = "symmetry_test") -> tuple[Engine, Engine, str]:
    """(admin engine, engine on a fresh schema, schema name); fails in CI, skips elsewhere, if unreachable."""
    admin = make_engine(POSTGRES_URL)
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001
        if REQUIRE_POSTGRES:
            pytest.fail(f"Postgres is required in CI but unreachable at {POSTGRES_URL}: {exc}")
        pytest.skip(f"Postgres unreachable at {POSTGRES_URL}")
    return admin, make_engine(POSTGRES_URL, schema=schema), schema


def drop_postgres_schema(admin: Engine, engine: Engine, schema: str) -> None:
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    admin, engine, schema = new_postgres_schema()
    upgrade(engine)
    yield engine
    drop_postgres_schema(admin, engine, schema)


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("db") / "symmetry-test.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    eng: Engine = request.getfixturevalue(f"{request.param}_engine")
    _truncate(eng)
    yield eng
    _truncate(eng)


def _truncate(engine: Engine) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def factory(engine: Engine):  # type: ignore[no-untyped-def]
    return session_factory(engine)


@pytest.fixture
def session(factory) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with factory() as s:
        yield s


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def clock(now):  # type: ignore[no-untyped-def]
    from bot.clock import FixedClock

    return FixedClock(now)


@pytest.fixture
def harness(engine, clock):  # type: ignore[no-untyped-def]
    """The real bot over real HTTP, on this test's database, against the local Slack stand-in."""
    from bot.db import session_factory
    from bot.entry.deps import Deps
    from bot.sandbox.harness import BotHarness, sandbox_settings
    from bot.sandbox.standin import SlackStandIn

    standin = SlackStandIn().start()
    deps = Deps(
        settings=sandbox_settings("sqlite://", standin.api_url), factory=session_factory(engine), clock=clock
    )
    bot = BotHarness.start("", deps=deps, standin=standin)
    yield bot
    bot.stop()


def wait_for(condition, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    """Bolt acks first and finishes the listener after: wait for the effect a user would see."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("the expected effect did not happen in time")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A terminal user's setting: a fresh SQLite store in an empty folder (no developer .env leaks in)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("SYMMETRY_TIMEZONE", "Europe/Paris")
    return tmp_path
