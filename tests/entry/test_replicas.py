"""Three real `symmetry serve` processes on one Postgres: one leader works, kills change the leader,
the day's digest is posted exactly once, and a request replayed to another replica is refused."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import urlencode

import httpx
import pytest
from sqlmodel import select

from bot.db import session_factory
from bot.sandbox.replicas import Replicas
from bot.sandbox.sender import FORM, SlackSender
from bot.sandbox.standin import SlackStandIn
from models.digest import DigestRun
from tests.conftest import POSTGRES_URL, drop_postgres_schema, new_postgres_schema, wait_for
from tests.factories import add_verbatims, make_team, record

pytestmark = pytest.mark.postgres


def _pages(slack: SlackStandIn) -> Counter:
    top = slack.messages("C0SUPPORT")
    every = top + [r for m in top for r in m.get("replies", [])]
    return Counter(m["metadata"]["event_payload"]["page"] for m in every if m.get("metadata"))


def _leaders(fleet: Replicas) -> list[int]:
    return [i for i in fleet.alive() if "now runs the scheduled jobs" in fleet.log(i)]


@pytest.fixture
def store():  # type: ignore[no-untyped-def]
    admin, engine, schema = new_postgres_schema("symmetry_replicas")  # empty: the replicas create it
    yield session_factory(engine), f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    drop_postgres_schema(admin, engine, schema)


def test_three_replicas_post_the_days_digest_once_through_two_kills(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    factory, url = store
    with SlackStandIn() as slack:
        slack.set_latency("chat.postMessage", 0.8)
        settings = {"SYMMETRY_TICK_SECONDS": 1, "SYMMETRY_DIGEST_LEASE_SECONDS": 5}
        with Replicas(3, database_url=url, api_url=slack.api_url, log_dir=tmp_path, **settings) as fleet:
            fleet.wait_ready()  # the three started together on an empty schema: it was upgraded once
            now = datetime.now(UTC)
            rows = [record(i, now=now, score=i % 11, hours_ago=1) for i in range(80)]
            add_verbatims(factory, rows, now=now)  # first: the team has no channel yet, nothing is due
            make_team(factory, name="Care", now=now, timezone="UTC", digest_at="00:00")
            for posted in (1, 3):  # kill the leader once it posted the first page, then its successor
                wait_for(lambda n=posted: sum(_pages(slack).values()) >= n, timeout=90)
                [leader] = wait_for(lambda: _leaders(fleet), timeout=30)
                fleet.kill(leader)
            assert len(fleet.alive()) == 1
            with factory() as session:
                wait_for(lambda: session.exec(select(DigestRun.status)).all() == ["posted"], timeout=120)
            time.sleep(2)  # a few more ticks: nothing more is posted
    assert _pages(slack) == Counter({n: 1 for n in range(6)})  # the channel message and 5 thread pages
    assert len([f for f in slack.files if f.completed]) == 1  # the overflow file
    assert len(slack.calls_to("chat.postMessage")) == 6


def test_a_request_replayed_to_another_replica_is_processed_once(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _factory, url = store
    with (
        SlackStandIn() as slack,
        Replicas(2, database_url=url, api_url=slack.api_url, log_dir=tmp_path) as fleet,
    ):
        fleet.wait_ready()
        sender = SlackSender(f"{fleet.urls[0]}/slack/events", "sandbox-signing-secret", standin=slack)
        form = {
            "command": "/nps",
            "text": "last week",
            "user_id": "U0AGENT",
            "channel_id": "C0SUPPORT",
            "response_url": slack.new_response_url(channel_id="C0SUPPORT", user_id="U0AGENT"),
        }
        body, ts = urlencode(form).encode(), int(time.time())
        headers = {
            "Content-Type": FORM,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sender.sign(body, ts),
        }
        for base in fleet.urls:
            assert (
                httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=10).status_code
                == 200
            )
        wait_for(lambda: slack.responses, timeout=30)
        time.sleep(1.5)
        assert len(slack.responses) == 1
