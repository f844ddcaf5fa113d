"""Web API methods for reaching people: who is in a channel, who a user is, DMs and their history.

conversations.members (cursor pages), users.info / users.list with `deleted`, `tz` and `locale`
(and `profile.email` with users:read.email), users.lookupByEmail,
(only with include_locale, as Slack does), conversations.history with message metadata (only with
include_all_metadata), and chat.postMessage's refusals for a DM that cannot be delivered.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from bot.sandbox import api_chat
from bot.sandbox.api_chat import Handler
from bot.sandbox.args import Args, bool_arg, require, text_arg
from bot.sandbox.state import ApiError, Message, User, Workspace


def _cursor(prefix: str, value: str) -> str:
    return base64.b64encode(f"{prefix}:{value}".encode()).decode()


def _after(args: Args, prefix: str) -> str | None:
    cursor = text_arg(args, "cursor")
    if cursor is None:
        return None
    try:
        decoded = base64.b64decode(cursor, validate=True).decode()
    except ValueError as exc:
        raise ApiError("invalid_cursor") from exc
    if not decoded.startswith(prefix + ":"):
        raise ApiError("invalid_cursor")
    return decoded.removeprefix(prefix + ":")


def _limit(args: Args, default: int, maximum: int = 1000) -> int:
    try:
        value = int(text_arg(args, "limit") or default)
    except ValueError as exc:
        raise ApiError("invalid_limit") from exc
    return max(1, min(value or default, maximum))


def conversations_members(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    if channel.is_private and not channel.bot_is_member:
        raise ApiError("channel_not_found")
    members = sorted(channel.members if channel.members is not None else ws.users)
    after = _after(args, "member")
    start = 0 if after is None else next((i for i, m in enumerate(members) if m > after), len(members))
    limit = _limit(args, 100)
    page = members[start : start + limit]
    more = start + limit < len(members) and page
    return {
        "ok": True,
        "members": page,
        "response_metadata": {"next_cursor": _cursor("member", page[-1]) if more else ""},
    }


def user_json(ws: Workspace, user: User, *, locale: bool) -> dict[str, Any]:
    data = api_chat.user_json(ws, user)
    data["deleted"] = user.deleted
    if locale:
        data["locale"] = user.locale
    if user.email and (ws.scopes is None or "users:read.email" in ws.scopes):
        data["profile"]["email"] = user.email
    return data


def users_lookup_by_email(ws: Workspace, args: Args) -> dict[str, Any]:
    """Slack matches the address case-insensitively; no match (or a bot) is `users_not_found`."""
    wanted = require(args, "email", "invalid_email").strip().casefold()
    for user in ws.users.values():
        if user.email and user.email.casefold() == wanted and not user.is_bot:
            return {"ok": True, "user": user_json(ws, user, locale=False)}
    raise ApiError("users_not_found")


def users_info(ws: Workspace, args: Args) -> dict[str, Any]:
    user = ws.user(require(args, "user", "user_not_found"))
    return {"ok": True, "user": user_json(ws, user, locale=bool_arg(args, "include_locale"))}


def users_list(ws: Workspace, args: Args) -> dict[str, Any]:
    users = sorted(ws.users.values(), key=lambda u: u.id)
    after = _after(args, "user")
    start = 0 if after is None else next((i for i, u in enumerate(users) if u.id > after), len(users))
    limit = _limit(args, 1000)
    page = users[start : start + limit]
    more = start + limit < len(users) and page
    locale = bool_arg(args, "include_locale")
    return {
        "ok": True,
        "members": [user_json(ws, u, locale=locale) for u in page],
        "cache_ts": 1700000000,
        "response_metadata": {"next_cursor": _cursor("user", page[-1].id) if more else ""},
    }


def dm_refusal(ws: Workspace, channel_arg: str) -> None:
    """Slack's answer to a DM that cannot be delivered (posting to a user id)."""
    if not channel_arg.startswith(("U", "W")) or channel_arg in ws.channels:
        return
    user = ws.users.get(channel_arg)
    if user is None:
        raise ApiError("user_not_found")
    if user.is_bot and user.id != ws.bot_user_id:
        raise ApiError("cannot_dm_bot")
    if user.deleted:
        raise ApiError("account_inactive")


def chat_post_message(ws: Workspace, args: Args) -> dict[str, Any]:
    dm_refusal(ws, require(args, "channel", "channel_not_found"))
    answer = api_chat.chat_post_message(ws, args)
    metadata = answer["message"].get("metadata")
    if isinstance(metadata, str):  # a form body sends it JSON-encoded; Slack stores the object
        stored = ws.by_ts[(answer["channel"], answer["ts"])]
        stored["metadata"] = answer["message"]["metadata"] = json.loads(metadata)
    return answer


def conversations_history(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    oldest = float(text_arg(args, "oldest") or 0)
    latest = float(text_arg(args, "latest") or "inf")
    with_metadata = bool_arg(args, "include_all_metadata")
    found = [m for m in reversed(ws.top_level.get(channel.id, [])) if oldest < float(m["ts"]) <= latest]
    limit = _limit(args, 100, 999)
    after = _after(args, "ts")
    if after is not None:
        found = [m for m in found if m["ts"] < after]
    page = found[:limit]
    more = len(found) > limit
    return {
        "ok": True,
        "messages": [_history_message(m, with_metadata) for m in page],
        "has_more": more,
        "response_metadata": {"next_cursor": _cursor("ts", page[-1]["ts"]) if more else ""},
    }


def _history_message(message: Message, with_metadata: bool) -> Message:
    shown = {k: v for k, v in message.items() if k != "metadata" or with_metadata}
    return shown


METHODS: dict[str, Handler] = {
    "conversations.members": conversations_members,
    "conversations.history": conversations_history,
    "users.info": users_info,
    "users.list": users_list,
    "users.lookupByEmail": users_lookup_by_email,
    "chat.postMessage": chat_post_message,
}
METHOD_SCOPES = {
    "conversations.members": "channels:read",
    "conversations.history": "im:history",
    "users.lookupByEmail": "users:read.email",
}
