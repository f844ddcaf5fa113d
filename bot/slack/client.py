"""The WebClient: our base URL (Slack, GovSlack or the local stand-in) and retries that honour Retry-After."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator

from bot.config import Settings


def make_web_client(settings: Settings, *, timeout: int = 15, backoff: float = 0.5) -> WebClient:
    token = settings.SLACK_BOT_TOKEN.get_secret_value() if settings.SLACK_BOT_TOKEN else None
    interval: RetryIntervalCalculator = BackoffRetryIntervalCalculator(backoff_factor=backoff)
    return WebClient(
        token=token,
        base_url=settings.SLACK_API_URL,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=interval),
            RateLimitErrorRetryHandler(max_retry_count=5),  # sleeps for Slack's Retry-After
            ServerErrorRetryHandler(max_retry_count=3, interval_calculator=interval),
        ],
    )
