"""Block Kit limits are enforced like Slack: the call is rejected with Slack's error, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str, value: str = "v", action_id: str = "go") -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "value": value,
        "action_id": action_id,
    }


def modal(title: str = "Pulse", **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": [], **extra}


def rejected(slack: SlackStandIn, client: WebClient, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0SUPPORT", text="fallback", blocks=blocks)
    assert slack.messages("C0SUPPORT") == []
    return dict(raised.value.response.data)


def test_fifty_blocks_pass_fifty_one_are_rejected(slack: SlackStandIn, client: WebClient) -> None:
    answer = rejected(slack, client, [section("x")] * 51)
    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]
    client.chat_postMessage(channel="C0SUPPORT", text="fallback", blocks=[section("x")] * 50)
    assert len(slack.messages("C0SUPPORT")[0]["blocks"]) == 50


def test_section_text_is_limited_to_3000_characters(slack: SlackStandIn, client: WebClient) -> None:
    answer = rejected(slack, client, [section("a"), section("x" * 3001)])
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]"
    ]
    client.chat_postMessage(channel="C0SUPPORT", text="ok", blocks=[section("x" * 3000)])


@pytest.mark.parametrize(
    ("block", "pointer"),
    [
        ({"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}, "/blocks/0/fields"),
        ({"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}, "/blocks/0/fields/0/text"),
        ({"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}, "/blocks/0/text/text"),
        ({"type": "actions", "elements": [button("b" * 76)]}, "/blocks/0/elements/0/text/text"),
        ({"type": "actions", "elements": [button("ok", value="v" * 2001)]}, "/blocks/0/elements/0/value"),
        (
            {"type": "actions", "elements": [button("ok", action_id="a" * 256)]},
            "/blocks/0/elements/0/action_id",
        ),
        ({**section("x"), "block_id": "b" * 256}, "/blocks/0/block_id"),
        ({"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}, "/blocks/0/elements"),
        (
            {"type": "actions", "elements": [button("ok", action_id=f"a{i}") for i in range(26)]},
            "/blocks/0/elements",
        ),
        ({**section("x"), "accessory": button("b" * 76)}, "/blocks/0/accessory/text/text"),
        (section(""), "/blocks/0/text/text"),
        ({"type": "carousel"}, "/blocks/0"),
    ],
)
def test_each_block_limit_is_rejected(
    slack: SlackStandIn, client: WebClient, block: dict[str, Any], pointer: str
) -> None:
    answer = rejected(slack, client, [block])
    assert answer["error"] == "invalid_blocks"
    assert [m.rsplit("json-pointer:", 1)[1].rstrip("]") for m in answer["response_metadata"]["messages"]] == [
        pointer
    ]


def test_duplicate_block_ids_are_rejected(slack: SlackStandIn, client: WebClient) -> None:
    answer = rejected(
        slack, client, [{**section("a"), "block_id": "same"}, {**section("b"), "block_id": "same"}]
    )
    assert answer["error"] == "invalid_blocks"


def test_limits_hold_for_chat_update_too(slack: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0SUPPORT", text="before")["ts"]
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        client.chat_update(channel="C0SUPPORT", ts=ts, text="after", blocks=[section("x" * 3001)])
    assert slack.messages("C0SUPPORT")[0]["text"] == "before"


def test_modal_title_longer_than_24_characters_is_rejected(slack: SlackStandIn, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.views_open(
            trigger_id=slack.issue_trigger_id("U0AGENT"), view=modal("A title of 25 characters!")
        )
    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert slack.opened_views == []
    client.views_open(trigger_id=slack.issue_trigger_id("U0AGENT"), view=modal("A title of 24 characters"))
    assert len(slack.opened_views) == 1


@pytest.mark.parametrize(
    ("view", "error"),
    [
        (modal(private_metadata="m" * 3001), "invalid_arguments"),
        (modal(blocks=[section("x")] * 101), "invalid_arguments"),
        (
            modal(
                blocks=[
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "Why?"},
                        "element": {"type": "plain_text_input"},
                    }
                ]
            ),
            "invalid_arguments",
        ),  # no submit button
        (modal(blocks=[section("x" * 2900)] * 90), "view_too_large"),
    ],
)
def test_modal_limits(slack: SlackStandIn, client: WebClient, view: dict[str, Any], error: str) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id=slack.issue_trigger_id("U0AGENT"), view=view)
    assert raised.value.response["error"] == error


def test_home_tab_allows_100_blocks_not_101(slack: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": [section("x")] * 100}
    client.views_publish(user_id="U0AGENT", view=home)
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        client.views_publish(user_id="U0AGENT", view={**home, "blocks": [section("y")] * 101})
    stored = slack.home_view("U0AGENT")
    assert stored is not None and stored["blocks"][0]["text"]["text"] == "x"
