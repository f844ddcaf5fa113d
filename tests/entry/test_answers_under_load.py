"""Acks never wait behind answers: many commands at once, through real HTTP, against the stand-in."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from bot.db import session_factory
from bot.entry.answers import BUSY
from bot.entry.deps import Deps
from bot.sandbox.harness import BotHarness, sandbox_settings
from bot.sandbox.standin import SlackStandIn
from tests.conftest import wait_for
from tests.factories import add_verbatims, make_team, record


@pytest.fixture
def make_harness(engine, clock):  # type: ignore[no-untyped-def]
    started: list[BotHarness] = []

    def start(**settings: object) -> BotHarness:
        standin = SlackStandIn().start()
        deps = Deps(
            settings=sandbox_settings("sqlite://", standin.api_url, **settings),
            factory=session_factory(engine),
            clock=clock,
        )
        started.append(BotHarness.start("", deps=deps, standin=standin))
        return started[-1]

    yield start
    for h in started:
        h.deps.answers.stop()
        h.stop()


def _store(h, now) -> None:  # type: ignore[no-untyped-def]
    make_team(h.deps.factory, name="Care", now=now)
    rows = [record(i, now=now, score=i % 11, hours_ago=i * 7) for i in range(300)]
    add_verbatims(h.deps.factory, rows, now=now - timedelta(days=1))
    h.standin.add_user("U0BOSS", "boss", is_admin=True)


def _send(h, n: int, questions: list[str]) -> list[tuple[float, int, str]]:  # type: ignore[no-untyped-def]
    def one(i: int) -> tuple[float, int, str]:
        start = time.monotonic()
        user = "U0BOSS" if i % 2 else "U0AGENT"
        response = h.sender.slash_command("/nps", questions[i % len(questions)], user_id=user)
        return time.monotonic() - start, response.status_code, response.text

    with ThreadPoolExecutor(max_workers=24) as pool:
        return list(pool.map(one, range(n)))


def test_sixty_chart_questions_at_once_are_all_acked_in_time_and_all_answered(make_harness, now) -> None:  # type: ignore[no-untyped-def]
    h = make_harness(SYMMETRY_ANSWER_WORKERS=2)
    _store(h, now)
    h.standin.set_latency("files.completeUploadExternal", 0.2)  # charts in flight take a while
    acks = _send(h, 60, ["trend 12 weeks", "last month by channel", "trend 12 weeks share"])
    assert all(status == 200 for _, status, _ in acks)
    assert max(seconds for seconds, _, _ in acks) < 3.0
    answered = wait_for(lambda: r if len(r := h.standin.responses) >= 60 else None, timeout=120)
    assert len(answered) == 60 and all(r.http_status == 200 for r in answered)


def test_a_full_queue_says_busy_and_still_answers_everyone(make_harness, now) -> None:  # type: ignore[no-untyped-def]
    h = make_harness(SYMMETRY_ANSWER_WORKERS=1, SYMMETRY_ANSWER_QUEUE_SIZE=2)
    _store(h, now)
    h.standin.set_latency("response_url", 0.3)  # each answer takes a moment to deliver (users.info is cached)
    acks = _send(h, 12, ["last week"])
    assert all(status == 200 for _, status, _ in acks)
    assert [text for _, _, text in acks if BUSY in text]  # some were told to wait
    answered = wait_for(lambda: r if len(r := h.standin.responses) >= 12 else None, timeout=60)
    assert len(answered) == 12
