"""Stopping the harness lets the answers it accepted finish: none outlives it holding a database connection
(the next test's TRUNCATE would wait for it, and the shared pool would run dry).

The test counts connections on a database of its own: the suite's shared engines also serve other tests'
threads, so a count there would measure them, not this harness."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.db import make_engine, session_factory, session_scope, upgrade
from bot.entry.deps import Deps
from bot.sandbox.harness import BotHarness, sandbox_settings
from bot.sandbox.standin import SlackStandIn
from models.digest import SeenRequest
from tests.conftest import drop_postgres_schema, new_postgres_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def own_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'own.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    admin, engine, schema = new_postgres_schema("symmetry_stop")
    upgrade(engine)
    yield engine
    drop_postgres_schema(admin, engine, schema)


def test_an_answer_under_way_is_delivered_before_the_harness_stops(own_engine, clock) -> None:  # type: ignore[no-untyped-def]
    standin = SlackStandIn().start()
    deps = Deps(
        settings=sandbox_settings("sqlite://", standin.api_url),
        factory=session_factory(own_engine),
        clock=clock,
    )
    bot = BotHarness.start("", deps=deps, standin=standin)
    standin.set_latency("response_url", 1.0)  # the answer is still on its way when stop() is called
    assert bot.sender.slash_command("/nps", "last week").status_code == 200
    bot.stop()
    answers = [str(r.payload.get("text")) for r in standin.responses]
    assert len(answers) == 1 and "not in a team yet" in answers[0], answers  # the asker was answered
    assert not [t for t in deps.answers._threads if t.is_alive()]  # no worker left behind
    assert own_engine.pool.checkedout() == 0  # nor a connection: answers' and the replay guard's own
    writer = getattr(bot._asgi.state.replays, "_writer", None)  # SQLite's guard writes behind on a thread
    assert writer is None or not writer.is_alive()  # which stopped, instead of waking every second forever
    with session_scope(deps.factory) as session:  # and the store is free for the next test
        seen = session.execute(select(func.count()).select_from(SeenRequest)).scalar_one()
    assert seen == 1  # the signature was saved before stopping: a replay after a restart is refused
