"""The stand-in answers a real slack_sdk WebClient the way Slack's Web API does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn


def _error(call: Callable[[], object]) -> dict[str, Any]:
    """The body Slack answered to a call that must fail."""
    with pytest.raises(SlackApiError) as raised:
        call()
    return dict(raised.value.response.data)


def test_post_update_and_thread_are_visible_in_the_channel(slack: SlackStandIn, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C0SUPPORT", text="Ticket #12 is waiting")
    client.chat_postMessage(channel="C0SUPPORT", text="Taking it", thread_ts=first["ts"])
    client.chat_update(channel="C0SUPPORT", ts=first["ts"], text="Ticket #12 is taken")

    [message] = slack.messages("C0SUPPORT")
    assert message["text"] == "Ticket #12 is taken"
    assert message["user"] == "U0BOT"
    assert [reply["text"] for reply in message["replies"]] == ["Taking it"]
    assert [m["text"] for m in slack.thread("C0SUPPORT", first["ts"])] == ["Ticket #12 is taken", "Taking it"]


def test_update_replaces_blocks_and_keeps_them_when_only_text_changes(
    slack: SlackStandIn, client: WebClient
) -> None:
    def section(text: str) -> list[dict[str, Any]]:
        return [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]

    ts = client.chat_postMessage(channel="C0SUPPORT", text="open", blocks=section("*Open*"))["ts"]
    client.chat_update(channel="C0SUPPORT", ts=ts, text="taken", blocks=section("*Taken* by Alex"))
    client.chat_update(channel="C0SUPPORT", ts=ts, text="taken (fallback)")
    [message] = slack.messages("C0SUPPORT")
    assert message["blocks"][0]["text"]["text"] == "*Taken* by Alex"
    assert message["text"] == "taken (fallback)" and "edited" in message


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C0SUPPORT", text=str(i))["ts"] for i in range(20)]
    assert stamps == sorted(stamps, key=float) and len(set(stamps)) == 20
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_deterministic_timestamps_on_request() -> None:
    with SlackStandIn(first_ts="1700000000.000100") as slack:
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        stamps = [client.chat_postMessage(channel="C0SUPPORT", text="x")["ts"] for _ in range(2)]
    assert stamps == ["1700000000.000100", "1700000000.000200"]


def test_reply_to_a_reply_joins_the_parent_thread(slack: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0SUPPORT", text="parent")["ts"]
    reply = client.chat_postMessage(channel="C0SUPPORT", text="one", thread_ts=parent)["ts"]
    client.chat_postMessage(channel="C0SUPPORT", text="two", thread_ts=reply)
    assert [r["text"] for r in slack.messages("C0SUPPORT")[0]["replies"]] == ["one", "two"]


def test_delete_and_permalink(slack: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0SUPPORT", text="oops")["ts"]
    link = client.chat_getPermalink(channel="C0SUPPORT", message_ts=ts)["permalink"]
    assert link.endswith(f"/archives/C0SUPPORT/p{ts.replace('.', '')}")
    client.chat_delete(channel="C0SUPPORT", ts=ts)
    assert slack.messages("C0SUPPORT") == []
    assert (
        _error(lambda: client.chat_update(channel="C0SUPPORT", ts=ts, text="x"))["error"]
        == "message_not_found"
    )


def test_authentication_like_slack(slack: SlackStandIn) -> None:
    assert _error(lambda: WebClient(base_url=slack.api_url).auth_test())["error"] == "not_authed"
    assert (
        _error(lambda: WebClient(token="xoxb-wrong", base_url=slack.api_url).auth_test())["error"]
        == "invalid_auth"
    )
    answer = WebClient(token=slack.bot_token, base_url=slack.api_url).auth_test()
    assert (answer["user_id"], answer["team_id"]) == ("U0BOT", "T0SANDBOX")


def test_unknown_method_and_missing_arguments(client: WebClient) -> None:
    assert _error(lambda: client.api_call("chat.postMessagee"))["error"] == "unknown_method"
    assert (
        _error(lambda: client.chat_postMessage(channel="C0NOWHERE", text="x"))["error"] == "channel_not_found"
    )
    no_text = _error(lambda: client.api_call("chat.postMessage", json={"channel": "C0SUPPORT"}))
    assert no_text["error"] == "no_text"


def test_form_and_json_bodies_are_both_understood(slack: SlackStandIn, client: WebClient) -> None:
    blocks = '[{"type": "section", "text": {"type": "mrkdwn", "text": "*form*"}}]'
    client.api_call("chat.postMessage", params={"channel": "C0SUPPORT", "text": "form", "blocks": blocks})
    client.api_call("chat.postMessage", json={"channel": "C0SUPPORT", "text": "json"})
    form, json_message = slack.messages("C0SUPPORT")
    assert form["blocks"][0]["text"]["text"] == "*form*" and json_message["text"] == "json"


def test_blocks_get_ids_from_slack_when_missing(slack: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(
        channel="C0SUPPORT",
        text="x",
        blocks=[
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Go"}}],
            }
        ],
    )
    block = slack.messages("C0SUPPORT")[0]["blocks"][0]
    assert block["block_id"] and block["elements"][0]["action_id"]


def test_long_text_is_cut_at_40000_characters(slack: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C0SUPPORT", text="x" * 40_500)
    assert len(slack.messages("C0SUPPORT")[0]["text"]) == 40_000


def test_channel_membership_rules() -> None:
    with SlackStandIn(scopes=["chat:write"]) as slack:
        slack.add_channel("C0PUBLIC", "random", bot_is_member=False)
        slack.add_channel("G0SECRET", "hr", is_private=True, bot_is_member=False)
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        assert (
            _error(lambda: client.chat_postMessage(channel="C0PUBLIC", text="x"))["error"] == "not_in_channel"
        )
        assert (
            _error(lambda: client.chat_postMessage(channel="G0SECRET", text="x"))["error"]
            == "channel_not_found"
        )
        missing = _error(lambda: client.users_info(user="U0AGENT"))
        assert (missing["error"], missing["needed"]) == ("missing_scope", "users:read")
    with SlackStandIn() as slack:  # every scope, chat:write.public included
        slack.add_channel("C0PUBLIC", "random", bot_is_member=False)
        WebClient(token=slack.bot_token, base_url=slack.api_url).chat_postMessage(
            channel="#random", text="hi"
        )
        assert slack.messages("C0PUBLIC")[0]["text"] == "hi"


def test_direct_messages(slack: SlackStandIn, client: WebClient) -> None:
    dm = client.conversations_open(users="U0AGENT")["channel"]["id"]
    assert dm.startswith("D")
    client.chat_postMessage(channel="U0AGENT", text="your weekly pulse")  # a user id posts to the DM
    assert slack.messages(dm)[0]["text"] == "your weekly pulse"
    assert client.conversations_info(channel=dm)["channel"]["user"] == "U0AGENT"
    assert _error(lambda: client.conversations_open(users="U0GHOST"))["error"] == "user_not_found"


def test_ephemeral_messages_are_kept_per_user(slack: SlackStandIn, client: WebClient) -> None:
    slack.add_user("U0OTHER", "other")
    client.chat_postEphemeral(channel="C0SUPPORT", user="U0AGENT", text="only you")
    client.chat_postEphemeral(channel="C0SUPPORT", user="U0OTHER", text="only them")
    assert [e["text"] for e in slack.ephemerals(user="U0AGENT")] == ["only you"]
    assert slack.messages("C0SUPPORT") == []


def test_users_and_team(slack: SlackStandIn, client: WebClient) -> None:
    slack.add_user("U0LEAD", "lea", real_name="Léa Martin", tz="America/New_York", is_admin=True)
    user = client.users_info(user="U0LEAD")["user"]
    assert (user["real_name"], user["tz"], user["is_admin"]) == ("Léa Martin", "America/New_York", True)
    assert user["tz_offset"] in (-5 * 3600, -4 * 3600)
    first = client.users_list(limit=2)
    second = client.users_list(limit=2, cursor=first["response_metadata"]["next_cursor"])
    ids = [m["id"] for m in first["members"] + second["members"]]
    assert sorted(ids) == ["U0AGENT", "U0BOT", "U0LEAD"]
    assert second["response_metadata"]["next_cursor"] == ""
    assert client.team_info()["team"]["id"] == "T0SANDBOX"


def test_calls_are_recorded_and_reset_forgets_activity(slack: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C0SUPPORT", text="hello")
    [call] = slack.calls_to("chat.postMessage")
    assert (call.args["text"], call.response["ok"], call.http_status) == ("hello", True, 200)
    slack.reset()
    assert slack.calls == [] and slack.messages("C0SUPPORT") == []
    with pytest.raises(KeyError):
        slack.messages("C0TYPO")
