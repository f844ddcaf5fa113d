"""What Slack does with `response_url` posts and with a slash command's acknowledgement body."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.api_chat import store_ephemeral
from bot.sandbox.args import message_content
from bot.sandbox.state import ApiError, ResponsePost, ResponseUrl, Workspace

RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_TTL_SECONDS = 30 * 60


def _parse_payload(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError("invalid_payload") from exc
    if not isinstance(payload, dict):
        raise ApiError("invalid_payload")
    return payload


def _replace_or_delete(ws: Workspace, hook: ResponseUrl, payload: dict[str, Any], *, delete: bool) -> None:
    if hook.channel_id is None or hook.message_ts is None:
        raise ApiError("message_not_found")
    if hook.ephemeral_original:
        original = next(
            (e for e in ws.ephemerals if e["ts"] == hook.message_ts and e["channel"] == hook.channel_id), None
        )
        if original is None:
            raise ApiError("message_not_found")
        if delete:
            ws.ephemerals.remove(original)
            return
        target = original
    else:
        if delete:
            ws.delete_message(hook.channel_id, hook.message_ts)
            return
        target = ws.find_message(hook.channel_id, hook.message_ts)
    text, blocks, _ = message_content(payload)
    target["text"] = text or ""
    target["blocks"] = blocks or []


def _deliver(ws: Workspace, hook: ResponseUrl, payload: dict[str, Any]) -> None:
    if payload.get("delete_original") in (True, "true"):
        _replace_or_delete(ws, hook, payload, delete=True)
    elif payload.get("replace_original") in (True, "true") and hook.message_ts:
        _replace_or_delete(ws, hook, payload, delete=False)
    else:
        text, blocks, _ = message_content(payload)
        if hook.channel_id is None:
            raise ApiError("channel_not_found")
        thread_ts = payload.get("thread_ts")
        if payload.get("response_type") == "in_channel":
            # Unlike chat.postMessage, a response_url may post where the bot is not a member.
            ws.new_message(hook.channel_id, text=text or "", blocks=blocks or [], thread_ts=thread_ts)
        else:
            store_ephemeral(
                ws,
                hook.channel_id,
                hook.user_id or "",
                text=text or "",
                blocks=blocks or [],
                thread_ts=thread_ts,
                source="response_url",
            )


def post_to_response_url(ws: Workspace, token: str, url: str, body: bytes) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON answer) of one POST to a response_url; the post is recorded either way."""
    hook = ws.response_urls.get(token)
    payload: dict[str, Any] = {}
    try:
        payload = _parse_payload(body)
        if hook is None or ws.clock() - hook.issued_at > RESPONSE_URL_TTL_SECONDS:
            raise ApiError("expired_url")
        if hook.uses >= RESPONSE_URL_MAX_USES:
            raise ApiError("used_url")
        _deliver(ws, hook, payload)
        hook.uses += 1
        status, answer = 200, {"ok": True}
    except ApiError as error:
        status = 404 if error.error in ("expired_url", "used_url", "message_not_found") else 400
        answer = error.body()
    ws.responses.append(
        ResponsePost(
            url=url,
            payload=payload,
            http_status=status,
            response=answer,
            channel_id=hook.channel_id if hook else None,
            user_id=hook.user_id if hook else None,
        )
    )
    return status, answer


def record_command_ack(ws: Workspace, channel_id: str, user_id: str, body: bytes, content_type: str) -> None:
    """A slash command acknowledged with a body: Slack shows it to the user (or the channel)."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return
    payload: dict[str, Any] = {"text": text}
    if "json" in content_type:
        try:
            payload = json.loads(text)
        except json.JSONDecodeError:
            return
    try:
        content, blocks, _ = message_content(payload)
    except ApiError:
        return  # Slack shows the user an error instead of the message
    if payload.get("response_type") == "in_channel":
        ws.new_message(channel_id, text=content or "", blocks=blocks or [])
    else:
        store_ephemeral(
            ws,
            channel_id,
            user_id,
            text=content or "",
            blocks=blocks or [],
            thread_ts=None,
            source="command_ack",
        )
