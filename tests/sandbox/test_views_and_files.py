"""Modals need a fresh trigger_id, Home tabs are kept per user, files_upload_v2 works end to end."""

from __future__ import annotations

import time
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn

MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "pulse",
    "title": {"type": "plain_text", "text": "Pulse"},
    "submit": {"type": "plain_text", "text": "Send"},
    "private_metadata": '{"survey": 4}',
    "blocks": [
        {
            "type": "input",
            "block_id": "mood",
            "label": {"type": "plain_text", "text": "Mood"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def test_views_open_with_a_fresh_trigger(slack: SlackStandIn, client: WebClient) -> None:
    view = client.views_open(trigger_id=slack.issue_trigger_id("U0AGENT"), view=MODAL)["view"]
    assert view["id"].startswith("V") and view["callback_id"] == "pulse"
    [opened] = slack.opened_views
    assert (opened["user_id"], opened["private_metadata"]) == ("U0AGENT", '{"survey": 4}')


def test_trigger_ids_expire_after_3_seconds_and_work_once(slack: SlackStandIn, client: WebClient) -> None:
    slack.register_trigger("111.222.old", "U0AGENT", issued_at=time.monotonic() - 3.5)
    for trigger_id, error in [
        ("111.222.old", "expired_trigger_id"),
        ("111.222.unknown", "expired_trigger_id"),
    ]:
        with pytest.raises(SlackApiError) as raised:
            client.views_open(trigger_id=trigger_id, view=MODAL)
        assert raised.value.response["error"] == error
    fresh = slack.issue_trigger_id("U0AGENT")
    client.views_open(trigger_id=fresh, view=MODAL)
    with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
        client.views_open(trigger_id=fresh, view=MODAL)
    assert len(slack.opened_views) == 1


def test_push_update_and_hash_conflicts(slack: SlackStandIn, client: WebClient) -> None:
    root = client.views_open(trigger_id=slack.issue_trigger_id("U0AGENT"), view=MODAL)["view"]
    pushed = client.views_push(trigger_id=slack.issue_trigger_id("U0AGENT"), view=MODAL)["view"]
    assert pushed["root_view_id"] == root["id"] and pushed["previous_view_id"] == root["id"]
    client.views_push(trigger_id=slack.issue_trigger_id("U0AGENT"), view=MODAL)
    with pytest.raises(SlackApiError, match="push_limit_reached"):
        client.views_push(trigger_id=slack.issue_trigger_id("U0AGENT"), view=MODAL)

    updated = client.views_update(
        view_id=root["id"], hash=root["hash"], view={**MODAL, "private_metadata": "v2"}
    )
    assert slack.view(root["id"])["private_metadata"] == "v2"
    with pytest.raises(SlackApiError, match="hash_conflict"):
        client.views_update(view_id=root["id"], hash=root["hash"], view=MODAL)
    assert updated["view"]["hash"] != root["hash"]
    with pytest.raises(SlackApiError, match="not_found"):
        client.views_update(view_id="V0NOPE", view=MODAL)


def test_home_tab_is_published_per_user(slack: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "NPS 42"}}]}
    client.views_publish(user_id="U0AGENT", view=home)
    stored = slack.home_view("U0AGENT")
    assert stored is not None and stored["blocks"][0]["text"]["text"] == "NPS 42"
    assert slack.home_view("U0BOT") is None
    with pytest.raises(SlackApiError, match="user_not_found"):
        client.views_publish(user_id="U0GHOST", view=home)


def test_files_upload_v2_end_to_end(slack: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0SUPPORT", text="Digest")["ts"]
    answer = client.files_upload_v2(
        channel="C0SUPPORT",
        content="id,score\n1,9\n",
        filename="nps.csv",
        title="NPS export",
        initial_comment="Full export",
        thread_ts=parent,
    )
    [stored] = slack.files
    assert (stored.name, stored.title, stored.content) == ("nps.csv", "NPS export", b"id,score\n1,9\n")
    assert (stored.channel, stored.thread_ts, stored.initial_comment) == ("C0SUPPORT", parent, "Full export")
    assert answer["file"]["id"] == stored.id
    [reply] = slack.messages("C0SUPPORT")[0]["replies"]
    assert reply["text"] == "Full export" and reply["files"][0]["name"] == "nps.csv"


def test_failed_upload_shares_nothing(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("upload_url", status=500)
    with pytest.raises(Exception, match="500"):
        client.files_upload_v2(channel="C0SUPPORT", content="x", filename="x.txt")
    assert slack.files == [] and slack.messages("C0SUPPORT") == []
