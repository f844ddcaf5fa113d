"""Web API methods of the stand-in: views.* (modals, App Home) and the files upload v2 flow."""

from __future__ import annotations

import copy
import mimetypes
import secrets
import time
from typing import Any

from bot.sandbox.api_chat import Handler, writable_channel
from bot.sandbox.args import Args, json_arg, text_arg, with_generated_ids
from bot.sandbox.blockkit_limits import MAX_VIEW_JSON_BYTES, validate_view, view_json_size
from bot.sandbox.state import ApiError, StoredFile, Trigger, Workspace, random_id

TRIGGER_TTL_SECONDS = 3.0
MAX_MODAL_STACK = 3  # a root modal plus two pushed ones


def _parse_view(args: Args) -> dict[str, Any]:
    view = json_arg(args, "view", "invalid_arguments")
    if not isinstance(view, dict):
        raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: view"])
    if view_json_size(view) > MAX_VIEW_JSON_BYTES:
        raise ApiError("view_too_large")
    if errors := validate_view(view):
        raise ApiError("invalid_arguments", messages=errors)
    return view


def _exchange_trigger(ws: Workspace, args: Args) -> Trigger:
    trigger_id = text_arg(args, "trigger_id") or text_arg(args, "interactivity_pointer")
    if trigger_id is None:
        raise ApiError("invalid_arguments", messages=["invalid `trigger_id`"])
    trigger = ws.triggers.get(trigger_id)
    if trigger is None or ws.clock() - trigger.issued_at > TRIGGER_TTL_SECONDS:
        raise ApiError("expired_trigger_id")
    if trigger.used:
        raise ApiError("exchanged_trigger_id")
    trigger.used = True
    return trigger


def _check_external_id(ws: Workspace, view: dict[str, Any], *, except_id: str | None = None) -> None:
    external_id = view.get("external_id")
    if external_id and any(
        v.get("external_id") == external_id and v["id"] != except_id for v in ws.views.values()
    ):
        raise ApiError("duplicate_external_id")


def _store_view(
    ws: Workspace,
    view: dict[str, Any],
    *,
    user_id: str,
    view_id: str | None = None,
    root_view_id: str | None = None,
    previous_view_id: str | None = None,
) -> dict[str, Any]:
    view_id = view_id or random_id("V")
    record: dict[str, Any] = {
        "id": view_id,
        "team_id": ws.team_id,
        "type": view["type"],
        "blocks": with_generated_ids(view.get("blocks", [])),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "external_id": view.get("external_id", ""),
        "previous_view_id": previous_view_id,
        "root_view_id": root_view_id or view_id,
        "app_id": ws.app_id,
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }
    if view["type"] == "modal":
        record.update(title=view["title"], close=view.get("close"), submit=view.get("submit"))
    ws.views[view_id] = record
    return {**copy.deepcopy(record), "user_id": user_id}


def views_open(ws: Workspace, args: Args) -> dict[str, Any]:
    view = _parse_view(args)
    if view["type"] != "modal":
        raise ApiError("invalid_arguments", messages=["[ERROR] must be modal [json-pointer:/view/type]"])
    _check_external_id(ws, view)
    trigger = _exchange_trigger(ws, args)
    opened = _store_view(ws, view, user_id=trigger.user_id)
    ws.modal_stacks[trigger.user_id] = [opened["id"]]
    ws.opened_views.append(opened)
    return {"ok": True, "view": _without_user(opened)}


def views_push(ws: Workspace, args: Args) -> dict[str, Any]:
    view = _parse_view(args)
    _check_external_id(ws, view)
    trigger = _exchange_trigger(ws, args)
    stack = ws.modal_stacks.setdefault(trigger.user_id, [])
    if len(stack) >= MAX_MODAL_STACK:
        raise ApiError("push_limit_reached")
    pushed = _store_view(
        ws,
        view,
        user_id=trigger.user_id,
        root_view_id=stack[0] if stack else None,
        previous_view_id=stack[-1] if stack else None,
    )
    stack.append(pushed["id"])
    ws.opened_views.append(pushed)
    return {"ok": True, "view": _without_user(pushed)}


def _owner(ws: Workspace, view_id: str) -> str:
    for user_id, stack in ws.modal_stacks.items():
        if view_id in stack:
            return user_id
    return next((u for u, v in ws.home_views.items() if v == view_id), "")


def views_update(ws: Workspace, args: Args) -> dict[str, Any]:
    view_id, external_id = text_arg(args, "view_id"), text_arg(args, "external_id")
    if view_id is None and external_id is None:
        raise ApiError("invalid_arguments", messages=["[ERROR] either view_id or external_id is required"])
    current = (
        ws.views.get(view_id)
        if view_id
        else next((v for v in ws.views.values() if v.get("external_id") == external_id), None)
    )
    if current is None:
        raise ApiError("not_found")
    if (expected := text_arg(args, "hash")) and expected != current["hash"]:
        raise ApiError("hash_conflict")
    view = _parse_view(args)
    if view["type"] != current["type"]:
        raise ApiError(
            "invalid_arguments", messages=["[ERROR] view type cannot change [json-pointer:/view/type]"]
        )
    _check_external_id(ws, view, except_id=current["id"])
    updated = _store_view(
        ws,
        view,
        user_id=_owner(ws, current["id"]),
        view_id=current["id"],
        root_view_id=current["root_view_id"],
        previous_view_id=current["previous_view_id"],
    )
    return {"ok": True, "view": _without_user(updated)}


def views_publish(ws: Workspace, args: Args) -> dict[str, Any]:
    user_id = text_arg(args, "user_id")
    if user_id is None:
        raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: user_id"])
    ws.user(user_id)
    view = _parse_view(args)
    if view["type"] != "home":
        raise ApiError("invalid_arguments", messages=["[ERROR] must be home [json-pointer:/view/type]"])
    current = ws.views.get(ws.home_views.get(user_id, ""))
    if current and (expected := text_arg(args, "hash")) and expected != current["hash"]:
        raise ApiError("hash_conflict")
    published = _store_view(ws, view, user_id=user_id, view_id=current["id"] if current else None)
    ws.home_views[user_id] = published["id"]
    return {"ok": True, "view": _without_user(published)}


def _without_user(view: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in view.items() if k != "user_id"}


def files_get_upload_url_external(ws: Workspace, args: Args) -> dict[str, Any]:
    filename, length = text_arg(args, "filename"), text_arg(args, "length")
    if filename is None or length is None or not length.isdigit():
        raise ApiError("invalid_arguments", messages=["[ERROR] filename and length are required"])
    file_id = random_id("F")
    ws.files[file_id] = StoredFile(
        id=file_id, name=filename, length=int(length), alt_txt=text_arg(args, "alt_txt")
    )
    return {"ok": True, "upload_url": f"{ws.base_url}/upload/v1/{file_id}", "file_id": file_id}


def file_json(ws: Workspace, stored: StoredFile) -> dict[str, Any]:
    mimetype = mimetypes.guess_type(stored.name)[0] or "text/plain"
    channels = [stored.channel] if stored.channel else []
    return {
        "id": stored.id,
        "created": int(time.time()),
        "timestamp": int(time.time()),
        "name": stored.name,
        "title": stored.title or stored.name,
        "mimetype": mimetype,
        "filetype": stored.name.rsplit(".", 1)[-1] if "." in stored.name else "text",
        "user": ws.bot_user_id,
        "size": len(stored.content or b""),
        "mode": "hosted",
        "is_external": False,
        "is_public": bool(channels),
        "url_private": f"{ws.base_url}/files/{stored.id}/{stored.name}",
        "permalink": f"https://{ws.domain}.slack.com/files/{ws.bot_user_id}/{stored.id}/{stored.name}",
        "channels": channels,
        "groups": [],
        "ims": [],
    }


def files_complete_upload_external(ws: Workspace, args: Args) -> dict[str, Any]:
    items = json_arg(args, "files", "invalid_arguments")
    if not isinstance(items, list) or not items:
        raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: files"])
    stored_files = []
    for item in items:
        stored = ws.files.get(item.get("id", "")) if isinstance(item, dict) else None
        if stored is None or stored.content is None or stored.completed:
            raise ApiError("file_not_found")
        stored_files.append((stored, item.get("title")))
    channel_arg = text_arg(args, "channel_id") or (text_arg(args, "channels") or "").split(",")[0] or None
    channel = writable_channel(ws, channel_arg) if channel_arg else None
    thread_ts, comment = text_arg(args, "thread_ts"), text_arg(args, "initial_comment")
    for stored, title in stored_files:
        stored.title, stored.completed = title or stored.name, True
        stored.channel = channel.id if channel else None
        stored.thread_ts, stored.initial_comment = thread_ts, comment
    shared = [file_json(ws, stored) for stored, _ in stored_files]
    if channel is not None:
        ws.new_message(
            channel.id, text=comment or "", blocks=[], thread_ts=thread_ts, files=shared, upload=True
        )
    return {"ok": True, "files": shared}


METHODS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
