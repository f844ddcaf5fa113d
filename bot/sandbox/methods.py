"""The Web API methods the stand-in knows, and Slack's checks before any of them runs."""

from __future__ import annotations

from typing import Any

from bot.sandbox import api_chat, api_directory, api_history, api_views_files
from bot.sandbox.api_chat import Handler
from bot.sandbox.state import Workspace

# api_history last: its conversations.history (bounds, inclusive, cursor, metadata) is the one served
METHODS: dict[str, Handler] = {
    **api_chat.METHODS,
    **api_views_files.METHODS,
    **api_directory.METHODS,
    **api_history.METHODS,
}
METHOD_SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.postEphemeral": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "users.list": "users:read",
    "team.info": "team:read",
    "conversations.info": "channels:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    **api_history.SCOPES,
    **api_directory.METHOD_SCOPES,
}


def refusal(
    ws: Workspace, method: str, args: dict[str, Any], *, authorization: str, bot_token: str
) -> dict[str, Any] | None:
    """Slack's answer when the call cannot run at all (unknown method, token, scope), else None."""
    if method not in METHODS:
        return {"ok": False, "error": "unknown_method", "req_method": method}
    token = authorization.removeprefix("Bearer ").strip() or str(args.get("token") or "")
    if not token:
        return {"ok": False, "error": "not_authed"}
    if token != bot_token:
        return {"ok": False, "error": "invalid_auth"}
    needed = METHOD_SCOPES.get(method)
    if ws.scopes is not None and needed and needed not in ws.scopes:
        return {
            "ok": False,
            "error": "missing_scope",
            "needed": needed,
            "provided": ",".join(sorted(ws.scopes)),
        }
    return None
