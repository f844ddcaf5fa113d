"""SlackSender: signed like Slack (slack_sdk verifies it), payloads a real Bolt app dispatches."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.sandbox import SlackSender, SlackStandIn
from tests.conftest import wait_for
from tests.sandbox.conftest import SIGNING_SECRET

TAKE_IT: list[dict[str, Any]] = [
    {"type": "section", "block_id": "case", "text": {"type": "mrkdwn", "text": "*Ticket 12*: refund"}},
    {
        "type": "actions",
        "block_id": "triage",
        "elements": [
            {
                "type": "button",
                "action_id": "take_case",
                "value": "12",
                "text": {"type": "plain_text", "text": "I'll take it"},
            },
        ],
    },
]


def captured_request(slack: SlackStandIn, send: Any) -> httpx.Request:
    """The exact request `send(sender)` puts on the wire (served by a recording transport)."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    transport = httpx.MockTransport(record)
    with SlackSender(
        "http://bot.invalid/slack/events", SIGNING_SECRET, standin=slack, transport=transport
    ) as sender:
        send(sender)
    return seen[0]


def test_signature_verifies_with_slack_sdk_and_a_forged_one_does_not(slack: SlackStandIn) -> None:
    verifier = SignatureVerifier(SIGNING_SECRET)
    good = captured_request(slack, lambda s: s.slash_command("/nps", "last week"))
    assert verifier.is_valid_request(good.content, dict(good.headers))
    forged = captured_request(
        slack,
        lambda s: s.post(b"command=%2Fnps", "application/x-www-form-urlencoded", secret="not-the-secret"),
    )
    assert not verifier.is_valid_request(forged.content, dict(forged.headers))
    stale = captured_request(
        slack,
        lambda s: s.post(
            b"command=%2Fnps", "application/x-www-form-urlencoded", timestamp=int(time.time()) - 600
        ),
    )
    assert not verifier.is_valid_request(stale.content, dict(stale.headers))


def test_bolt_rejects_forged_requests(bolt: tuple[App, SlackSender]) -> None:
    app, sender = bolt
    app.command("/nps")(lambda ack: ack())
    assert (
        sender.post(b"command=%2Fnps", "application/x-www-form-urlencoded", secret="wrong").status_code == 401
    )
    assert sender.slash_command("/nps").status_code == 200


def test_slash_command_ack_and_respond_reach_the_user(
    slack: SlackStandIn, bolt: tuple[App, SlackSender]
) -> None:
    app, sender = bolt

    @app.command("/nps")
    def handle_nps(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        ack(f"Computing NPS for {command['text']}…")
        respond(text="NPS last week: 41", response_type="in_channel")

    response = sender.slash_command("/nps", "last week")
    assert response.status_code == 200
    assert [e["text"] for e in slack.ephemerals(user="U0AGENT")] == ["Computing NPS for last week…"]
    wait_for(lambda: slack.messages("C0SUPPORT"))
    assert slack.messages("C0SUPPORT")[0]["text"] == "NPS last week: 41"


def test_slash_command_opens_a_modal_with_its_trigger(
    slack: SlackStandIn, bolt: tuple[App, SlackSender]
) -> None:
    app, sender = bolt

    @app.command("/pulse")
    def open_pulse(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "pulse",
                "title": {"type": "plain_text", "text": "Pulse"},
                "submit": {"type": "plain_text", "text": "Send"},
                "private_metadata": "survey-4",
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "mood",
                        "label": {"type": "plain_text", "text": "Mood"},
                        "element": {"type": "plain_text_input", "action_id": "value"},
                    }
                ],
            },
        )

    submitted: list[tuple[str, str]] = []

    @app.view("pulse")
    def handle_pulse(ack: Ack, view: dict[str, Any]) -> None:
        ack()
        submitted.append((view["private_metadata"], view["state"]["values"]["mood"]["value"]["value"]))

    sender.slash_command("/pulse")
    wait_for(lambda: slack.opened_views)
    values = {"mood": {"value": {"type": "plain_text_input", "value": "tired"}}}
    assert sender.view_submission("pulse", values).status_code == 200
    assert submitted == [("survey-4", "tired")]
    with pytest.raises(ValueError, match="required input 'mood'"):
        sender.view_submission("pulse", {})


def test_block_action_on_a_stored_message(
    slack: SlackStandIn, client: WebClient, bolt: tuple[App, SlackSender]
) -> None:
    app, sender = bolt

    @app.action("take_case")
    def take_case(ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond) -> None:
        ack()
        assert body["message"]["ts"] == body["container"]["message_ts"]
        respond(text=f"Ticket {action['value']} taken by <@{body['user']['id']}>", replace_original=True)

    client.chat_postMessage(channel="C0SUPPORT", text="Ticket 12", blocks=TAKE_IT)
    [message] = slack.messages("C0SUPPORT")
    assert sender.block_action("take_case", "12", message=message).status_code == 200
    wait_for(lambda: slack.messages("C0SUPPORT")[0]["text"] != "Ticket 12")
    assert slack.messages("C0SUPPORT")[0]["text"] == "Ticket 12 taken by <@U0AGENT>"
    with pytest.raises(ValueError, match="could not click"):
        sender.block_action("close_case", None, message=message)
    with pytest.raises(ValueError, match="carries '12'"):
        sender.block_action("take_case", "13", message=message)


def test_event_redeliveries_carry_retry_headers(bolt: tuple[App, SlackSender]) -> None:
    app, sender = bolt
    seen: list[str] = []

    @app.event("app_mention")
    def on_mention(body: dict[str, Any]) -> None:
        seen.append(body["event_id"])

    sender.event(
        {
            "type": "app_mention",
            "user": "U0AGENT",
            "text": "<@U0BOT> hi",
            "channel": "C0SUPPORT",
            "ts": "1700000000.000100",
        },
        event_id="Ev0001",
    )
    response = sender.event(
        {
            "type": "app_mention",
            "user": "U0AGENT",
            "text": "<@U0BOT> hi",
            "channel": "C0SUPPORT",
            "ts": "1700000000.000100",
        },
        event_id="Ev0001",
        retry_num=1,
    )
    assert response.request.headers["X-Slack-Retry-Num"] == "1"
    assert response.request.headers["X-Slack-Retry-Reason"] == "http_timeout"
    wait_for(lambda: len(seen) == 2)
    assert seen == ["Ev0001", "Ev0001"]  # Bolt does not de-duplicate: the bot must


def test_app_mention_is_stored_so_the_bot_can_answer_in_thread(
    slack: SlackStandIn, bolt: tuple[App, SlackSender]
) -> None:
    app, sender = bolt

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], say: Any) -> None:
        say(text="On it", thread_ts=event["ts"])

    sender.app_mention("nps last week?")
    wait_for(lambda: slack.messages("C0SUPPORT") and slack.messages("C0SUPPORT")[0]["replies"])
    [mention] = slack.messages("C0SUPPORT")
    assert mention["text"] == "<@U0BOT> nps last week?" and mention["user"] == "U0AGENT"
    assert [r["text"] for r in mention["replies"]] == ["On it"]


def test_app_home_opened_and_url_verification(slack: SlackStandIn, bolt: tuple[App, SlackSender]) -> None:
    app, sender = bolt

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [
                    {"type": "section", "text": {"type": "mrkdwn", "text": f"Hello <@{event['user']}>"}}
                ],
            },
        )

    sender.app_home_opened("U0AGENT")
    home = wait_for(lambda: slack.home_view("U0AGENT"))
    assert home["blocks"][0]["text"]["text"] == "Hello <@U0AGENT>"
    assert json.loads(sender.url_verification("abc123").text) == {"challenge": "abc123"}
