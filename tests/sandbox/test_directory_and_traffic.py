"""The stand-in's people methods, sustained rate limits and random error injection."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn
from bot.sandbox.traffic import TokenBucket


def test_conversations_members_pages_with_a_cursor(slack: SlackStandIn, client: WebClient) -> None:
    ids = [f"U{n:04d}" for n in range(7)]
    for uid in ids:
        slack.add_user(uid, uid.lower())
    slack.add_channel("C0TEAM", "team", members=ids)
    seen, cursor, pages = [], None, 0
    while True:
        page = client.conversations_members(channel="C0TEAM", limit=3, cursor=cursor)
        seen += page["members"]
        pages += 1
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == ids and pages == 3
    with pytest.raises(SlackApiError) as bad:
        client.conversations_members(channel="C0TEAM", cursor="not-a-cursor")
    assert bad.value.response["error"] == "invalid_cursor"


def test_users_info_says_bot_deleted_tz_and_locale_only_when_asked(
    slack: SlackStandIn, client: WebClient
) -> None:
    slack.add_user("U0GONE", "gone", tz="America/New_York", deleted=True, locale="fr-FR")
    plain = client.users_info(user="U0GONE")["user"]
    assert plain["deleted"] is True and plain["tz"] == "America/New_York" and "locale" not in plain
    assert client.users_info(user="U0GONE", include_locale=True)["user"]["locale"] == "fr-FR"
    assert client.users_info(user="U0BOT")["user"]["is_bot"] is True
    listed = client.users_list(include_locale=True, limit=1)
    assert listed["members"][0]["locale"] and listed["response_metadata"]["next_cursor"]


@pytest.mark.parametrize(
    ("user", "error"),
    [("U0OTHERBOT", "cannot_dm_bot"), ("U0GONE", "account_inactive"), ("U0NOBODY", "user_not_found")],
)
def test_a_dm_that_cannot_be_delivered_is_refused_like_slack(
    slack: SlackStandIn, client: WebClient, user: str, error: str
) -> None:
    slack.add_user("U0OTHERBOT", "otherbot", is_bot=True)
    slack.add_user("U0GONE", "gone", deleted=True)
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel=user, text="survey")
    assert refused.value.response["error"] == error


def test_history_shows_metadata_only_when_asked(slack: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(
        channel="U0AGENT", text="hi", metadata={"event_type": "survey_dm", "event_payload": {"round": 3}}
    )
    channel = posted["channel"]
    assert "metadata" not in client.conversations_history(channel=channel)["messages"][0]
    found = client.conversations_history(channel=channel, include_all_metadata=True)["messages"][0]
    assert found["metadata"]["event_payload"] == {"round": 3}
    assert client.conversations_history(channel=channel, oldest=posted["ts"])["messages"] == []


def test_sustained_rate_answers_429_with_retry_after_then_lets_calls_through() -> None:
    now = [0.0]
    with SlackStandIn(clock=lambda: now[0]) as slack:
        slack.sustained_rate("chat.postMessage", per_second=2, burst=2)
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        client.chat_postMessage(channel="C0SUPPORT", text="1")
        now[0] += 1.0  # the per-channel 1/s limit is not enforced here, only the bucket
        client.chat_postMessage(channel="C0SUPPORT", text="2")
        client.chat_postMessage(channel="C0SUPPORT", text="3")
        with pytest.raises(SlackApiError) as limited:
            client.chat_postMessage(channel="C0SUPPORT", text="4")
        assert limited.value.response.status_code == 429
        assert limited.value.response.headers["Retry-After"] == "1"
        now[0] += 0.5
        client.chat_postMessage(channel="C0SUPPORT", text="5")
        assert [m["text"] for m in slack.messages("C0SUPPORT")] == ["1", "2", "3", "5"]


def test_token_bucket_refills_at_its_rate_and_caps_at_its_burst() -> None:
    bucket = TokenBucket(rate=10, burst=3)
    assert [bucket.retry_after(0.0) for _ in range(4)] == [None, None, None, 1]
    assert bucket.retry_after(100.0) is None  # refilled, but only to the burst
    assert [bucket.retry_after(100.0) for _ in range(3)] == [None, None, 1]


def test_injected_error_rate_fails_about_that_share_and_stores_nothing(slack: SlackStandIn) -> None:
    slack.inject_errors("chat.postMessage", 0.2, seed=7)
    client = WebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
    outcomes = []
    for n in range(200):
        try:
            client.chat_postMessage(channel="C0SUPPORT", text=str(n))
            outcomes.append(200)
        except SlackApiError as exc:
            outcomes.append(exc.response.status_code)
    assert 20 <= outcomes.count(429) + outcomes.count(500) <= 60
    assert {429, 500} <= set(outcomes)
    assert len(slack.messages("C0SUPPORT")) == outcomes.count(200)
