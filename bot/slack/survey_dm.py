"""Slack side of the survey fan-out: post a DM with metadata naming its ledger row, find it again.

`find_ours` reads the newest messages of a conversation (conversations.history with metadata) for
the one we tagged: it is how a restart tells "Slack accepted it, we crashed before recording"
from "never sent". Errors are mapped to what the fan-out understands (RateLimited, Refused,
Transient). This client has no retry handlers of its own: the pacer decides when to retry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.services.employees.survey_fanout import PERMANENT, RateLimited, Refused, Row, Sent, Transient
from models.survey import SurveyDelivery

DM_EVENT = "symmetry_survey_dm"
REPLY_EVENT = "symmetry_survey_reply"  # a manager's reply to a comment, relayed to everyone surveyed
POST_EVENT = "symmetry_survey_results"
Render = Callable[[Row], tuple[list[dict[str, Any]], str]]


def bare_client(client: WebClient) -> WebClient:
    """The same token and base URL, no automatic retries (the pacer owns retries and Retry-After)."""
    return WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout, retry_handlers=[])


def translate(exc: Exception) -> Exception:
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        if status == 429:
            return RateLimited(float(exc.response.headers.get("Retry-After", 1) or 1))
        error = str(exc.response.get("error") or f"http_{status}") if status < 500 else f"http_{status}"
        if error in PERMANENT:
            return Refused(error)
        return Transient(error)
    return Transient(type(exc).__name__)


def call(fn: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except (SlackApiError, SlackClientError, OSError) as exc:
        raise translate(exc) from exc


class SlackDmSender:
    """Posts one ledger row's DM tagged with `event` and {key: row id}; finds it again after a crash."""

    def __init__(
        self, client: WebClient, render: Render, *, event: str = DM_EVENT, key: str = "delivery"
    ) -> None:
        self.client = bare_client(client)
        self.render = render
        self.event, self.key = event, key

    def send(self, delivery: Row) -> Sent:
        blocks, text = self.render(delivery)
        payload: dict[str, Any] = {self.key: delivery.id}
        if isinstance(delivery, SurveyDelivery):
            payload["round"] = delivery.round_id
        metadata = {"event_type": self.event, "event_payload": payload}
        answer = call(
            self.client.chat_postMessage,
            channel=delivery.slack_user_id,
            text=text,
            blocks=blocks,
            metadata=metadata,
        )
        return Sent(channel_id=str(answer["channel"]), ts=str(answer["ts"]))

    def find_sent(self, delivery: Row) -> Sent | None:
        channel = delivery.channel_id
        if not channel:
            opened = call(self.client.conversations_open, users=delivery.slack_user_id)
            channel = str(opened["channel"]["id"])
        ts = find_ours(self.client, channel, self.event, lambda p: p.get(self.key) == delivery.id)
        return Sent(channel_id=channel, ts=ts) if ts else None


def find_ours(
    client: WebClient,
    channel: str,
    event_type: str,
    match: Callable[[dict[str, Any]], bool],
    *,
    pages: int = 3,
) -> str | None:
    """The ts of our newest message in `channel` whose metadata matches, among its last pages."""
    cursor = None
    for _ in range(pages):
        answer = call(
            client.conversations_history, channel=channel, limit=100, include_all_metadata=True, cursor=cursor
        )
        for message in answer["messages"]:
            meta = message.get("metadata") or {}
            if meta.get("event_type") == event_type and match(meta.get("event_payload") or {}):
                return str(message["ts"])
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None
