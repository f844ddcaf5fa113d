"""Hostile requests to /slack/events: capped before reading, signature checked before parsing,
bodies never logged, a replay processed once, bad input answered 400/401 without a traceback."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import httpx
import pytest

from bot.sandbox.sender import FORM, JSON
from tests.conftest import wait_for

MARK = "BODYMARKER"


@pytest.fixture
def logs(caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    return caplog


def _quiet(logs) -> None:  # type: ignore[no-untyped-def]
    """No body in any log line, no traceback anywhere."""
    assert not [r for r in logs.records if MARK in r.getMessage()]
    assert not [r for r in logs.records if r.exc_info]


def _events(harness) -> str:  # type: ignore[no-untyped-def]
    return f"{harness.url}/slack/events"


def test_a_large_body_is_refused_before_it_is_read(harness, logs) -> None:  # type: ignore[no-untyped-def]
    big = (MARK * 250_000).encode()  # 2.5 MB, unsigned
    declared = httpx.post(_events(harness), content=big, headers={"Content-Type": JSON})
    assert declared.status_code == 413

    def chunks():  # no Content-Length: refused while streaming
        for _ in range(40):
            yield MARK.encode() * 10_000

    streamed = httpx.post(_events(harness), content=chunks(), headers={"Content-Type": JSON})
    assert streamed.status_code == 413
    _quiet(logs)


def test_an_unsigned_or_forged_body_is_never_logged(harness, logs) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps({"type": "event_callback", "event_id": "Ev9", "text": MARK}).encode()
    forged = harness.sender.post(body, JSON, secret="not-the-secret")
    unsigned = httpx.post(_events(harness), content=body, headers={"Content-Type": JSON})
    assert [forged.status_code, unsigned.status_code] == [401, 401]
    _quiet(logs)


def test_malformed_requests_get_400_or_401_not_500(harness, logs) -> None:  # type: ignore[no-untyped-def]
    latin1 = f"command=/nps&text=caf\xe9 {MARK}".encode("latin-1")
    assert harness.sender.post(latin1, FORM).status_code == 400
    word_ts = harness.sender.post(b"command=/nps", FORM, headers={"X-Slack-Request-Timestamp": "soon"})
    assert word_ts.status_code == 401
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    assert httpx.post(_events(harness), content=deep, headers={"Content-Type": JSON}).status_code == 401
    assert harness.sender.post(deep, JSON).status_code == 400
    form_deep = ("payload=" + "%5B" * 100_000 + "%5D" * 100_000).encode()
    assert harness.sender.post(form_deep, FORM).status_code == 400
    _quiet(logs)
    assert httpx.get(f"{harness.url}/healthz").status_code == 200


def test_a_replayed_command_is_processed_once(harness) -> None:  # type: ignore[no-untyped-def]
    form = {
        "command": "/nps",
        "text": "last week",
        "user_id": "U0AGENT",
        "channel_id": "C0SUPPORT",
        "team_id": harness.standin.team_id,
        "response_url": harness.standin.new_response_url(channel_id="C0SUPPORT", user_id="U0AGENT"),
        "trigger_id": harness.standin.issue_trigger_id("U0AGENT"),
    }
    body, ts = urlencode(form).encode(), int(time.time())
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": harness.sender.sign(body, ts),
    }
    first = httpx.post(_events(harness), content=body, headers=headers)
    replays = [httpx.post(_events(harness), content=body, headers=headers) for _ in range(3)]
    assert first.status_code == 200 and all(r.status_code == 200 for r in replays)
    wait_for(lambda: harness.standin.responses)
    time.sleep(0.5)
    assert len(harness.standin.responses) == 1


def test_ingest_requires_the_bearer_scheme(harness) -> None:  # type: ignore[no-untyped-def]
    url = f"{harness.url}/ingest/verbatims"
    bare = httpx.post(url, json=[], headers={"Authorization": "sandbox-ingest-token"})
    basic = httpx.post(url, json=[], headers={"Authorization": "Basic sandbox-ingest-token"})
    assert [bare.status_code, basic.status_code] == [401, 401]
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    nested = httpx.post(url, content=deep, headers={"Authorization": "Bearer sandbox-ingest-token"})
    assert nested.status_code == 400


def test_recent_signatures_outlive_a_restart(factory) -> None:  # type: ignore[no-untyped-def]
    """On SQLite the check is in memory and written behind; on Postgres it is the shared table. Either
    way a request replayed to a restarted process (or another replica) is refused."""
    from bot.entry.gate import ReplayGuard

    before = ReplayGuard.for_store(factory)
    now = time.time()
    assert before.first_time("v0=abc", now) and not before.first_time("v0=abc", now + 1)
    before.close()  # within the second: SQLite's writer had not saved it yet, stopping does
    after = ReplayGuard.for_store(factory)
    assert not after.first_time("v0=abc", now + 2) and after.first_time("v0=def", now + 2)
    after.close()
