"""What reaches the bot over HTTP: signatures, redeliveries, the ingest endpoint, health."""

from __future__ import annotations

import json
import time

import httpx
from sqlmodel import func, select

from models import Verbatim
from tests.conftest import wait_for

INGEST = {"Authorization": "Bearer sandbox-ingest-token"}


def _count(harness) -> int:  # type: ignore[no-untyped-def]
    with harness.deps.factory() as session:
        return session.exec(select(func.count()).select_from(Verbatim)).one()


def test_forged_or_stale_signatures_get_401_and_nothing_is_processed(harness) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(
        {
            "type": "event_callback",
            "event_id": "Ev1",
            "event": {"type": "app_home_opened", "user": "U0AGENT", "tab": "home"},
        }
    ).encode()
    forged = harness.sender.post(body, "application/json", secret="not-the-secret")
    stale = harness.sender.post(body, "application/json", timestamp=int(time.time()) - 6 * 60)
    unsigned = httpx.post(
        f"{harness.url}/slack/events", content=body, headers={"Content-Type": "application/json"}
    )
    assert [forged.status_code, stale.status_code, unsigned.status_code] == [401, 401, 401]
    time.sleep(0.3)
    assert harness.standin.calls_to("views.publish") == []


def test_a_redelivered_event_is_processed_once(harness) -> None:  # type: ignore[no-untyped-def]
    event = {
        "type": "app_home_opened",
        "user": "U0AGENT",
        "channel": "D0AGENT",
        "tab": "home",
        "event_ts": "1.2",
    }
    assert harness.sender.event(event, event_id="Ev0001").status_code == 200
    wait_for(lambda: harness.standin.calls_to("views.publish"))
    for retry in (1, 2, 3):
        assert harness.sender.event(event, event_id="Ev0001", retry_num=retry).status_code == 200
    time.sleep(0.3)
    assert len(harness.standin.calls_to("views.publish")) == 1
    assert "Your verbatims" in str(harness.standin.home_view("U0AGENT"))


def test_url_verification_and_health(harness) -> None:  # type: ignore[no-untyped-def]
    assert harness.sender.url_verification("abc123").json()["challenge"] == "abc123"
    health = httpx.get(f"{harness.url}/healthz")
    assert health.status_code == 200 and health.json()["database"] == "ok"


def test_ingest_endpoint_checks_token_and_json_and_keeps_all_or_nothing(harness, now) -> None:  # type: ignore[no-untyped-def]
    url = f"{harness.url}/ingest/verbatims?source=typeform"
    good = {
        "external_id": "t1",
        "received_at": now.isoformat(),
        "text": "Je vais résilier, c'est inadmissible",
        "score": 2,
        "scale": "nps",
        "team": "Paris",
    }
    assert httpx.post(url, json=[good], headers={"Authorization": "Bearer wrong"}).status_code == 401
    bad_json = httpx.post(url, content=b"{oops", headers=INGEST)
    assert bad_json.status_code == 400 and bad_json.json()["error"] == "invalid_json"
    bad_row = httpx.post(url, json=[good, {**good, "external_id": "t2", "score": 42}], headers=INGEST)
    assert bad_row.status_code == 400
    assert bad_row.json()["errors"] == [{"index": 1, "reason": "score 42 is out of range for nps (0-10)"}]
    assert _count(harness) == 0
    ok = httpx.post(url, json={"records": [good]}, headers=INGEST)
    assert ok.status_code == 200 and ok.json() == {"ok": True, "inserted": 1, "duplicates": 0}
    assert httpx.post(url, json=[good], headers=INGEST).json()["duplicates"] == 1
    assert _count(harness) == 1


def test_ingest_errors_speak_http_not_command_line(harness, now) -> None:  # type: ignore[no-untyped-def]
    url = f"{harness.url}/ingest/verbatims"
    good = {"external_id": "t1", "received_at": now.isoformat(), "text": "Bien", "score": 9, "scale": "nps"}
    bad_source = httpx.post(url, params={"source": "x" * 65}, json=[good], headers=INGEST)
    assert bad_source.status_code == 400
    body = bad_source.json()
    assert (
        body["error"] == "invalid_request" and body["code"] == "source_invalid" and body["field"] == "source"
    )
    assert "?source=qualtrics" in body["detail"] and "--" not in body["detail"]
    bad_row = httpx.post(url, params={"source": "typeform"}, json=[{**good, "score": 42}], headers=INGEST)
    detail = bad_row.json()["detail"]
    assert bad_row.status_code == 400 and "1 of 1 records are invalid" in detail
    assert "--skip-invalid" not in detail and "send it again" in detail
    assert _count(harness) == 0


def test_a_database_that_went_away_gets_a_clear_message(harness, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.db import make_engine, session_factory

    harness.deps.factory = session_factory(make_engine(f"sqlite:///{tmp_path}/missing/dir/x.db"))
    message = {
        "ts": "1700000000.000100",
        "channel": "C0SUPPORT",
        "blocks": [
            {
                "type": "actions",
                "block_id": "a",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "digest_claim",
                        "value": "1",
                        "text": {"type": "plain_text", "text": "I'll take it"},
                    }
                ],
            }
        ],
    }
    payload = harness.sender.block_action(
        "digest_claim", message=message, user_id="U0AGENT", channel_id="C0SUPPORT"
    )
    assert payload.status_code == 200
    told = wait_for(
        lambda: [r for r in harness.standin.responses if "database cannot be reached" in str(r.payload)]
    )
    assert "nothing was saved" in str(told[0].payload)
    assert httpx.get(f"{harness.url}/healthz").status_code == 503


def test_a_forged_button_value_is_refused_politely(harness) -> None:  # type: ignore[no-untyped-def]
    message = {
        "ts": "1700000000.000100",
        "channel": "C0SUPPORT",
        "blocks": [
            {
                "type": "actions",
                "block_id": "a",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "digest_treat",
                        "value": "'; drop table verbatim; --",
                        "text": {"type": "plain_text", "text": "Treated"},
                    }
                ],
            }
        ],
    }
    harness.sender.block_action("digest_treat", message=message, user_id="U0AGENT", channel_id="C0SUPPORT")
    wait_for(
        lambda: [r for r in harness.standin.responses if "does not point to a verbatim" in str(r.payload)]
    )
