"""Message metadata and reading history, as Slack does it.

- `chat.postMessage(metadata={"event_type": ..., "event_payload": {...}})`: a JSON object (or its JSON
  text, from a form) with a string `event_type` and an object `event_payload`; anything else is
  `invalid_metadata_format`. Stored with the message.
- `conversations.history`: top-level messages newest first; `oldest`/`latest` bound them (excluded
  unless `inclusive`), `limit` (default 100, at most 999) and `cursor` page them, `has_more` and
  `response_metadata.next_cursor` ("next_ts:<ts>" in base64) say there is more.
- `conversations.replies`: the parent then its replies, oldest first, the same bounds and paging.
- Metadata is in the answer only with `include_all_metadata=true`.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.sandbox.args import Args, bool_arg, require, text_arg
from bot.sandbox.state import ApiError, Message, Workspace

MAX_LIMIT = 999


def parse_metadata(value: Any) -> dict[str, Any] | None:
    """The `metadata` argument of chat.postMessage/chat.update, checked like Slack."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ApiError("invalid_metadata_format") from exc
    if not (
        isinstance(value, dict)
        and isinstance(value.get("event_type"), str)
        and value["event_type"]
        and isinstance(value.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format")
    return {"event_type": value["event_type"], "event_payload": value["event_payload"]}


def _ts(value: str | None, error: str = "invalid_ts_oldest") -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ApiError(error) from exc


def _limit(args: Args) -> int:
    raw = text_arg(args, "limit")
    try:
        limit = int(raw) if raw is not None else 100
    except ValueError as exc:
        raise ApiError("invalid_limit") from exc
    return max(1, min(limit, MAX_LIMIT))


def _cursor(args: Args) -> Decimal | None:
    cursor = text_arg(args, "cursor")
    if cursor is None:
        return None
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
        return Decimal(decoded.removeprefix("next_ts:"))
    except (ValueError, InvalidOperation) as exc:
        raise ApiError("invalid_cursor") from exc


def _within(messages: list[Message], args: Args) -> list[Message]:
    oldest = _ts(text_arg(args, "oldest"))
    latest = _ts(text_arg(args, "latest"), "invalid_ts_latest")
    inclusive = bool_arg(args, "inclusive")

    def keep(m: Message) -> bool:
        ts = Decimal(m["ts"])
        after = oldest is None or ts > oldest or (inclusive and ts == oldest)
        before = latest is None or ts < latest or (inclusive and ts == latest)
        return after and before

    return [m for m in messages if keep(m)]


def _page(messages: list[Message], args: Args, *, newest_first: bool) -> dict[str, Any]:
    """`messages` already in answer order; the cursor names the first ts of the next page."""
    if (start := _cursor(args)) is not None:
        messages = [
            m for m in messages if (Decimal(m["ts"]) <= start if newest_first else Decimal(m["ts"]) >= start)
        ]
    limit = _limit(args)
    page, rest = messages[:limit], messages[limit:]
    with_metadata = bool_arg(args, "include_all_metadata")
    shown = [_shown(m, with_metadata) for m in page]
    next_cursor = base64.b64encode(f"next_ts:{rest[0]['ts']}".encode()).decode() if rest else ""
    return {
        "ok": True,
        "messages": shown,
        "has_more": bool(rest),
        "pin_count": 0,
        "response_metadata": {"next_cursor": next_cursor},
    }


def _shown(message: Message, with_metadata: bool) -> Message:
    shown = {k: v for k, v in message.items() if k != "metadata"}
    if with_metadata and "metadata" in message:
        shown["metadata"] = message["metadata"]
    return shown


def conversations_history(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    if not (channel.is_im or channel.bot_is_member):
        raise ApiError("not_in_channel")
    top = sorted(ws.top_level.get(channel.id, []), key=lambda m: Decimal(m["ts"]), reverse=True)
    return _page(_within(top, args), args, newest_first=True)


def conversations_replies(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    if not (channel.is_im or channel.bot_is_member):
        raise ApiError("not_in_channel")
    parent = ws.by_ts.get((channel.id, require(args, "ts", "thread_not_found")))
    if parent is None:
        raise ApiError("thread_not_found")
    root_ts = parent.get("thread_ts") or parent["ts"]
    root = ws.by_ts[(channel.id, root_ts)]
    thread = [root, *ws.replies.get((channel.id, root_ts), [])]
    return _page(_within(thread, args), args, newest_first=False)


METHODS = {
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
}
SCOPES = {"conversations.history": "channels:history", "conversations.replies": "channels:history"}
