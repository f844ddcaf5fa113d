"""Stopping the harness lets the answers it accepted finish: none outlives it holding a database connection
(the next test's TRUNCATE would wait for it, and the shared pool would run dry)."""

from __future__ import annotations

from bot.db import session_factory, session_scope
from bot.entry.deps import Deps
from bot.sandbox.harness import BotHarness, sandbox_settings
from bot.sandbox.standin import SlackStandIn


def test_an_answer_under_way_is_delivered_before_the_harness_stops(engine, clock) -> None:  # type: ignore[no-untyped-def]
    standin = SlackStandIn().start()
    deps = Deps(
        settings=sandbox_settings("sqlite://", standin.api_url), factory=session_factory(engine), clock=clock
    )
    bot = BotHarness.start("", deps=deps, standin=standin)
    standin.set_latency("response_url", 1.0)  # the answer is still on its way when stop() is called
    assert bot.sender.slash_command("/nps", "last week").status_code == 200
    bot.stop()
    answers = [str(r.payload.get("text")) for r in standin.responses]
    assert len(answers) == 1 and "not in a team yet" in answers[0], answers  # the asker was answered
    assert not [t for t in deps.answers._threads if t.is_alive()]  # no worker left behind
    assert engine.pool.checkedout() == 0  # nor a connection: answers' and the replay guard's own
    with session_scope(deps.factory) as session:  # and the store is free for the next test
        assert session.connection() is not None
