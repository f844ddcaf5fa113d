"""Injected 429/500s and rate limits: a failed call stores nothing, slack_sdk's retry handler works."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.sandbox import SlackStandIn


def test_429_is_retried_by_slack_sdk_and_posts_exactly_once(slack: SlackStandIn) -> None:
    client = WebClient(
        token=slack.bot_token,
        base_url=slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    client.chat_postMessage(channel="C0SUPPORT", text="weekly digest")
    assert [m["text"] for m in slack.messages("C0SUPPORT")] == ["weekly digest"]
    assert [c.http_status for c in slack.calls_to("chat.postMessage")] == [429, 200]


def test_429_without_retry_handler_surfaces_retry_after_and_posts_nothing(
    slack: SlackStandIn, client: WebClient
) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0SUPPORT", text="x")
    response = raised.value.response
    assert (response.status_code, response["error"], response.headers["Retry-After"]) == (
        429,
        "ratelimited",
        "7",
    )
    assert slack.messages("C0SUPPORT") == []
    client.chat_postMessage(channel="C0SUPPORT", text="x")  # only the next call failed
    assert len(slack.messages("C0SUPPORT")) == 1


def test_500_is_a_plain_server_error_and_stores_nothing(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C0SUPPORT", text="x")
        assert raised.value.response.status_code == 500
    assert slack.messages("C0SUPPORT") == []
    assert client.chat_postMessage(channel="C0SUPPORT", text="x")["ok"]


def test_failures_target_only_their_method(slack: SlackStandIn, client: WebClient) -> None:
    slack.fail_next("chat.update", status=500)
    client.chat_postMessage(channel="C0SUPPORT", text="unaffected")
    assert len(slack.messages("C0SUPPORT")) == 1


def test_latency_delays_only_that_method(slack: SlackStandIn, client: WebClient) -> None:
    slack.set_latency("users.info", 0.3)
    started = time.monotonic()
    client.users_info(user="U0AGENT")
    slow = time.monotonic() - started
    started = time.monotonic()
    client.auth_test()
    assert slow >= 0.3 and time.monotonic() - started < 0.3


def test_rate_limit_per_minute_answers_429_with_retry_after(slack: SlackStandIn, client: WebClient) -> None:
    slack.rate_limit("users.list", per_minute=2)
    client.users_list()
    client.users_list()
    with pytest.raises(SlackApiError) as raised:
        client.users_list()
    assert raised.value.response.status_code == 429
    assert 1 <= int(raised.value.response.headers["Retry-After"]) <= 60


def test_enforced_limits_allow_one_message_per_second_per_channel() -> None:
    now = [1000.0]
    with SlackStandIn(enforce_rate_limits=True, clock=lambda: now[0]) as slack:
        slack.add_channel("C0OTHER", "other")
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        client.chat_postMessage(channel="C0SUPPORT", text="1")
        client.chat_postMessage(channel="C0OTHER", text="other channel is fine")
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel="C0SUPPORT", text="2")
        assert raised.value.response.status_code == 429
        now[0] += 1.0
        client.chat_postMessage(channel="C0SUPPORT", text="2")
        assert [m["text"] for m in slack.messages("C0SUPPORT")] == ["1", "2"]
