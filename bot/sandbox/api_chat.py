"""Web API methods of the stand-in: auth, chat, conversations, users, team."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.api_history import parse_metadata
from bot.sandbox.args import Args, bool_arg, message_content, require, text_arg
from bot.sandbox.state import ApiError, Channel, Message, User, Workspace

Handler = Callable[[Workspace, Args], dict[str, Any]]


def _public(message: Message) -> Message:
    return dict(message)


def writable_channel(ws: Workspace, channel_arg: str) -> Channel:
    """The channel the bot may post to, or Slack's error for it."""
    channel = ws.channel(channel_arg)
    if channel.is_im or channel.bot_is_member:
        return channel
    if channel.is_private:
        raise ApiError("channel_not_found")  # a private channel the bot is not in is invisible to it
    if ws.scopes is not None and "chat:write.public" not in ws.scopes:
        raise ApiError("not_in_channel")
    return channel


def auth_test(ws: Workspace, args: Args) -> dict[str, Any]:
    bot = ws.users[ws.bot_user_id]
    return {
        "ok": True,
        "url": f"https://{ws.domain}.slack.com/",
        "team": ws.team_name,
        "user": bot.name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def chat_post_message(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = writable_channel(ws, require(args, "channel", "channel_not_found"))
    text, blocks, attachments = message_content(args)
    extra: dict[str, Any] = {}
    if attachments:
        extra["attachments"] = attachments
    if (metadata := parse_metadata(args.get("metadata"))) is not None:
        extra["metadata"] = metadata
    message = ws.new_message(
        channel.id, text=text or "", blocks=blocks or [], thread_ts=text_arg(args, "thread_ts"), **extra
    )
    return {"ok": True, "channel": channel.id, "ts": message["ts"], "message": _public(message)}


def chat_update(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    message = ws.find_message(channel.id, require(args, "ts", "message_not_found"))
    if message.get("user") != ws.bot_user_id:
        raise ApiError("cant_update_message")
    text, blocks, attachments = message_content(args)
    if text is not None:
        message["text"] = text
    if blocks is not None:  # Slack keeps the previous blocks when none are given
        message["blocks"] = blocks
    if attachments is not None:
        message["attachments"] = attachments
    message["edited"] = {"user": ws.bot_user_id, "ts": f"{time.time():.6f}"}
    return {
        "ok": True,
        "channel": channel.id,
        "ts": message["ts"],
        "text": message["text"],
        "message": _public(message),
    }


def chat_post_ephemeral(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = writable_channel(ws, require(args, "channel", "channel_not_found"))
    user = ws.user(require(args, "user", "user_not_found"))
    if channel.members is not None and user.id not in channel.members:
        raise ApiError("user_not_in_channel")
    text, blocks, attachments = message_content(args)
    ephemeral = store_ephemeral(
        ws,
        channel.id,
        user.id,
        text=text or "",
        blocks=blocks or [],
        thread_ts=text_arg(args, "thread_ts"),
        source="chat.postEphemeral",
    )
    return {"ok": True, "message_ts": ephemeral["ts"]}


def store_ephemeral(
    ws: Workspace,
    channel: str,
    user: str,
    *,
    text: str,
    blocks: list[Any],
    thread_ts: str | None,
    source: str,
) -> Message:
    ephemeral: Message = {
        "type": "message",
        "ts": ws.ts.next(),
        "channel": channel,
        "user": user,
        "author": ws.bot_user_id,
        "text": text,
        "blocks": blocks,
        "is_ephemeral": True,
        "source": source,
    }
    if thread_ts:
        ephemeral["thread_ts"] = thread_ts
    ws.ephemerals.append(ephemeral)
    return ephemeral


def chat_delete(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    ts = require(args, "ts", "message_not_found")
    if ws.find_message(channel.id, ts).get("user") != ws.bot_user_id:
        raise ApiError("cant_delete_message")
    ws.delete_message(channel.id, ts)
    return {"ok": True, "channel": channel.id, "ts": ts}


def chat_get_permalink(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    message = ws.find_message(channel.id, require(args, "message_ts", "message_not_found"))
    link = f"https://{ws.domain}.slack.com/archives/{channel.id}/p{message['ts'].replace('.', '')}"
    if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
        link += f"?thread_ts={message['thread_ts']}&cid={channel.id}"
    return {"ok": True, "channel": channel.id, "permalink": link}


def channel_json(channel: Channel) -> dict[str, Any]:
    if channel.is_im:
        return {
            "id": channel.id,
            "created": channel.created,
            "is_im": True,
            "is_org_shared": False,
            "user": channel.im_user,
            "is_user_deleted": False,
            "priority": 0,
        }
    return {
        "id": channel.id,
        "name": channel.name,
        "name_normalized": channel.name,
        "is_channel": not channel.is_private,
        "is_group": channel.is_private,
        "is_im": False,
        "is_mpim": False,
        "is_private": channel.is_private,
        "created": channel.created,
        "is_archived": False,
        "is_general": False,
        "is_member": channel.bot_is_member,
        "is_shared": False,
        "is_ext_shared": False,
        "is_org_shared": False,
    }


def conversations_open(ws: Workspace, args: Args) -> dict[str, Any]:
    if channel_id := text_arg(args, "channel"):
        channel = ws.channel(channel_id)
    else:
        users = args.get("users")
        user_ids = users if isinstance(users, list) else str(users or "").split(",")
        user_ids = [u.strip() for u in user_ids if u.strip()]
        if len(user_ids) != 1:
            raise ApiError("users_list_not_supplied" if not user_ids else "invalid_arguments")
        existing = any(c.is_im and c.im_user == user_ids[0] for c in ws.channels.values())
        channel = ws.dm_channel(user_ids[0])
        if existing:
            full = channel_json(channel) if bool_arg(args, "return_im") else {"id": channel.id}
            return {"ok": True, "no_op": True, "already_open": True, "channel": full}
    return {
        "ok": True,
        "channel": channel_json(channel) if bool_arg(args, "return_im") else {"id": channel.id},
    }


def conversations_info(ws: Workspace, args: Args) -> dict[str, Any]:
    channel = ws.channel(require(args, "channel", "channel_not_found"))
    if channel.is_private and not channel.is_im and not channel.bot_is_member:
        raise ApiError("channel_not_found")
    return {"ok": True, "channel": channel_json(channel)}


def user_json(ws: Workspace, user: User) -> dict[str, Any]:
    local = datetime.now(ZoneInfo(user.tz))
    offset = local.utcoffset()
    real_name = user.real_name or user.name
    return {
        "id": user.id,
        "team_id": ws.team_id,
        "name": user.name,
        "deleted": False,
        "color": "9f69e7",
        "real_name": real_name,
        "tz": user.tz,
        "tz_label": local.tzname(),
        "tz_offset": int(offset.total_seconds()) if offset else 0,
        "is_admin": user.is_admin,
        "is_owner": user.is_owner,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": user.is_bot,
        "is_app_user": False,
        "updated": 1700000000,
        "profile": {
            "real_name": real_name,
            "display_name": user.name,
            "team": ws.team_id,
            "real_name_normalized": real_name,
            "display_name_normalized": user.name,
        },
    }


def users_info(ws: Workspace, args: Args) -> dict[str, Any]:
    return {"ok": True, "user": user_json(ws, ws.user(require(args, "user", "user_not_found")))}


def users_list(ws: Workspace, args: Args) -> dict[str, Any]:
    users = sorted(ws.users.values(), key=lambda u: u.id)
    start = 0
    if cursor := text_arg(args, "cursor"):
        try:
            after = base64.b64decode(cursor).decode().removeprefix("user:")
        except ValueError as exc:
            raise ApiError("invalid_cursor") from exc
        start = next((i for i, u in enumerate(users) if u.id > after), len(users))
    limit = int(text_arg(args, "limit") or 0) or 1000
    page = users[start : start + limit]
    more = start + limit < len(users)
    next_cursor = base64.b64encode(f"user:{page[-1].id}".encode()).decode() if more and page else ""
    return {
        "ok": True,
        "members": [user_json(ws, u) for u in page],
        "cache_ts": 1700000000,
        "response_metadata": {"next_cursor": next_cursor},
    }


def team_info(ws: Workspace, args: Args) -> dict[str, Any]:
    return {
        "ok": True,
        "team": {
            "id": ws.team_id,
            "name": ws.team_name,
            "domain": ws.domain,
            "email_domain": "",
            "icon": {"image_default": True},
        },
    }


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.delete": chat_delete,
    "chat.getPermalink": chat_get_permalink,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "users.info": users_info,
    "users.list": users_list,
    "team.info": team_info,
}
