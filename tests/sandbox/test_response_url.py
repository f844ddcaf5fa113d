"""response_url posts: ephemeral or in_channel, replace/delete the original, 5 uses at most."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.sandbox import SlackStandIn


def test_default_response_is_ephemeral_to_the_user(slack: SlackStandIn) -> None:
    url = slack.new_response_url(channel_id="C0SUPPORT", user_id="U0AGENT")
    assert WebhookClient(url).send(text="Only you see this").status_code == 200
    assert [e["text"] for e in slack.ephemerals(channel="C0SUPPORT", user="U0AGENT")] == ["Only you see this"]
    assert slack.messages("C0SUPPORT") == []
    assert slack.responses[0].payload == {"text": "Only you see this"}


def test_in_channel_response_is_posted_for_everyone(slack: SlackStandIn) -> None:
    slack.add_channel("C0NOBOT", "floor", bot_is_member=False)
    url = slack.new_response_url(channel_id="C0NOBOT", user_id="U0AGENT")
    WebhookClient(url).send(text="NPS last week: 41", response_type="in_channel")
    assert [m["text"] for m in slack.messages("C0NOBOT")] == ["NPS last week: 41"]


def test_replace_and_delete_original(slack: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0SUPPORT", text="Ticket 12 [I'll take it]")["ts"]
    url = slack.new_response_url(channel_id="C0SUPPORT", user_id="U0AGENT", message_ts=ts)
    WebhookClient(url).send(text="Ticket 12 taken by Alex", replace_original=True)
    assert [m["text"] for m in slack.messages("C0SUPPORT")] == ["Ticket 12 taken by Alex"]
    WebhookClient(url).send(delete_original=True)
    assert slack.messages("C0SUPPORT") == []


def test_a_response_url_works_five_times_only(slack: SlackStandIn) -> None:
    url = slack.new_response_url(channel_id="C0SUPPORT", user_id="U0AGENT")
    statuses = [WebhookClient(url).send(text=f"update {i}").status_code for i in range(6)]
    assert statuses == [200] * 5 + [404]
    assert slack.responses[-1].response == {"ok": False, "error": "used_url"}
    assert len(slack.ephemerals(user="U0AGENT")) == 5


def test_response_url_rejects_invalid_blocks(slack: SlackStandIn) -> None:
    url = slack.new_response_url(channel_id="C0SUPPORT", user_id="U0AGENT")
    response = WebhookClient(url).send(text="x", blocks=[{"type": "divider"}] * 51)
    assert response.status_code == 400 and slack.ephemerals() == []
