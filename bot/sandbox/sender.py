"""Sends signed, Slack-shaped requests to the bot's HTTP endpoint, as Slack would.

    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", "secret", standin=slack)
    response = sender.slash_command("/nps", "last week")
    message = slack.messages("C0SUPPORT")[-1]
    sender.block_action("take_case", None, message=message)

With a stand-in, trigger_ids are registered there (3 s to open a modal), response_urls point at it,
and a slash command's acknowledgement body lands there as the ephemeral the user would see.
The HTTP timeout defaults to Slack's 3 s: a slower acknowledgement raises httpx.ReadTimeout.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import httpx

from bot.sandbox import payloads
from bot.sandbox.modals import apply_view_ack

if TYPE_CHECKING:
    from bot.sandbox.standin import SlackStandIn

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


class SlackSender:
    def __init__(
        self,
        url: str,
        signing_secret: str,
        *,
        standin: SlackStandIn | None = None,
        team_id: str = "T0SANDBOX",
        api_app_id: str = "A0SANDBOX",
        bot_user_id: str = "U0BOT",
        verification_token: str = "sandbox-verification-token",
        timeout: float = 3.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`transport` replaces the network (e.g. httpx.MockTransport to capture the exact requests)."""
        self.url, self.signing_secret, self.standin = url, signing_secret, standin
        self.team_id = standin.team_id if standin else team_id
        self.api_app_id = standin.app_id if standin else api_app_id
        self.bot_user_id = standin.bot_user_id if standin else bot_user_id
        self.verification_token = verification_token
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SlackSender:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- the wire ---------------------------------------------------------------------------------
    def sign(self, body: bytes, timestamp: int, *, secret: str | None = None) -> str:
        """`v0=` + HMAC-SHA256 of `v0:{timestamp}:{raw body bytes}`, as Slack computes it (and as
        slack_sdk's SignatureVerifier does for UTF-8 bodies; Slack signs bytes, whatever they are)."""
        key = (secret if secret is not None else self.signing_secret).encode()
        base = f"v0:{timestamp}:".encode() + body
        return "v0=" + hmac.new(key, base, hashlib.sha256).hexdigest()

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> httpx.Response:
        """POST `body` signed like Slack. `timestamp`/`secret` forge a stale or wrongly signed request."""
        ts = int(time.time()) if timestamp is None else timestamp
        signed = {
            "Content-Type": content_type,
            "User-Agent": SLACK_USER_AGENT,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": self.sign(body, ts, secret=secret),
        }
        return self._http.post(self.url, content=body, headers={**signed, **(headers or {})})

    def _post_payload(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post(f"payload={quote(json.dumps(payload))}".encode(), FORM)

    def _post_json(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        return self.post(json.dumps(body).encode(), JSON, headers=headers)

    # -- helpers backed by the stand-in when there is one -----------------------------------------
    def _trigger_id(self, user_id: str) -> str:
        if self.standin is not None:
            return self.standin.issue_trigger_id(user_id)
        return f"{int(time.time())}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"

    def _response_url(
        self,
        channel_id: str | None,
        user_id: str,
        message_ts: str | None = None,
        ephemeral_original: bool = False,
    ) -> str:
        if self.standin is None:
            return f"https://hooks.slack.com/commands/{self.team_id}/{secrets.randbelow(10**12)}/{secrets.token_hex(12)}"
        return self.standin.new_response_url(
            channel_id=channel_id,
            user_id=user_id,
            message_ts=message_ts,
            ephemeral_original=ephemeral_original,
        )

    def _user_name(self, user_id: str) -> str:
        return self.standin.user_name(user_id) if self.standin else user_id.lower()

    def _channel_json(self, channel_id: str) -> dict[str, str]:
        name = self.standin.channel_name(channel_id) if self.standin else channel_id
        return {"id": channel_id, "name": "directmessage" if channel_id.startswith("D") else name}

    def _user(self, user_id: str) -> dict[str, Any]:
        return payloads.user_json(user_id, self._user_name(user_id), self.team_id)

    # -- what users do ----------------------------------------------------------------------------
    def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0AGENT",
        channel_id: str = "C0SUPPORT",
        user_name: str | None = None,
    ) -> httpx.Response:
        form = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": "symmetry-sandbox",
            "channel_id": channel_id,
            "channel_name": self._channel_json(channel_id)["name"],
            "user_id": user_id,
            "user_name": user_name or self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self._response_url(channel_id, user_id),
            "trigger_id": self._trigger_id(user_id),
        }
        response = self.post(urlencode(form).encode(), FORM)
        if self.standin is not None and response.status_code == 200:
            self.standin.record_command_ack(
                channel_id, user_id, response.content, response.headers.get("content-type", "")
            )
        return response

    def block_action(
        self,
        action_id: str,
        value: Any = None,
        *,
        message: dict[str, Any],
        user_id: str = "U0AGENT",
        channel_id: str | None = None,
        block_id: str | None = None,
    ) -> httpx.Response:
        """Click the button (or pick `value` in the select) `action_id` of `message`, a message as
        the stand-in returns it. `value=None` sends the button's own value."""
        channel_id = channel_id or message.get("channel") or "C0SUPPORT"
        found_block_id, element = payloads.find_element(message.get("blocks", []), action_id, block_id)
        ephemeral = bool(message.get("is_ephemeral"))
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel_id,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": self._trigger_id(user_id),
            "team": payloads.team_json(self.team_id),
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": self._channel_json(channel_id),
            "state": {"values": {}},
            "response_url": self._response_url(channel_id, user_id, message["ts"], ephemeral),
            "actions": [payloads.action_for(element, found_block_id, value)],
        }
        if not ephemeral:  # Slack does not echo ephemeral messages back
            payload["message"] = payloads.slack_message(message)
        return self._post_payload(payload)

    def view_action(
        self, action_id: str, value: Any = None, *, view: dict[str, Any], user_id: str = "U0AGENT"
    ) -> httpx.Response:
        """Click the button `action_id` of a published view (the App Home: `standin.home_view(user)`), as
        `user_id`: the payload Slack sends from a view has a `view` container and no channel or response_url.
        A button with a `confirm` dialog is sent as clicked after "confirm" (Slack sends nothing on "deny")."""
        block_id, element = payloads.find_element(view.get("blocks", []), action_id)
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": self._trigger_id(user_id),
            "team": payloads.team_json(self.team_id),
            "enterprise": None,
            "is_enterprise_install": False,
            "view": view,
            "actions": [payloads.action_for(element, block_id, value)],
        }
        return self._post_payload(payload)

    def view_submission(
        self,
        callback_id: str,
        state_values: dict[str, Any],
        *,
        user_id: str = "U0AGENT",
        private_metadata: str | None = None,
        view_id: str | None = None,
    ) -> httpx.Response:
        """Submit the modal `callback_id` with `state_values` in Slack's shape
        (`{block_id: {action_id: {"type": "plain_text_input", "value": "..."}}}`). With a stand-in,
        the modal the bot opened is used (its id, blocks and private_metadata) and checked."""
        view = self._opened_view(callback_id, user_id, view_id)
        opened = view is not None
        if view is not None:
            payloads.check_submission(view, state_values)
        view = view or {
            "id": view_id or "V0SANDBOX",
            "type": "modal",
            "blocks": [],
            "callback_id": callback_id,
            "private_metadata": "",
            "title": {"type": "plain_text", "text": "Modal"},
            "hash": f"{int(time.time())}.sandbox",
        }
        view = {
            **view,
            "team_id": self.team_id,
            "app_id": self.api_app_id,
            "state": {"values": state_values},
            "root_view_id": view.get("root_view_id", view["id"]),
        }
        view.pop("user_id", None)
        if private_metadata is not None:
            view["private_metadata"] = private_metadata
        payload = {
            "type": "view_submission",
            "team": payloads.team_json(self.team_id),
            "user": self._user(user_id),
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "trigger_id": self._trigger_id(user_id),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        response = self._post_payload(payload)
        if self.standin is not None and opened:
            apply_view_ack(self.standin, view, user_id, response.status_code, response.content)
        return response

    def _opened_view(self, callback_id: str, user_id: str, view_id: str | None) -> dict[str, Any] | None:
        if self.standin is None:
            return None
        if view_id is not None:
            try:
                return self.standin.view(view_id)
            except KeyError:
                return None
        return self.standin.find_open_view(callback_id, user_id)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> httpx.Response:
        """An Events API delivery; pass the same `event_id` with `retry_num` to redeliver it."""
        body = payloads.event_callback(
            event,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            bot_user_id=self.bot_user_id,
            token=self.verification_token,
            event_id=event_id or payloads.new_event_id(),
        )
        headers = None
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self._post_json(body, headers)

    def app_home_opened(self, user_id: str = "U0AGENT") -> httpx.Response:
        channel = self.standin.dm_channel_id(user_id) if self.standin else "D0SANDBOX001"
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": channel,
            "tab": "home",
            "event_ts": payloads.action_ts(),
        }
        if self.standin is not None and (view := self.standin.home_view(user_id)) is not None:
            event["view"] = view
        return self.event(event)

    def app_mention(
        self, text: str, user_id: str = "U0AGENT", channel_id: str = "C0SUPPORT"
    ) -> httpx.Response:
        """`text` as a user wrote it; the bot's mention is put first if missing. With a stand-in the
        message is stored in the channel, so the bot can answer in its thread."""
        mention = f"<@{self.bot_user_id}>"
        if mention not in text:
            text = f"{mention} {text}"
        ts = (
            self.standin.add_user_message(channel_id, user_id, text) if self.standin else payloads.action_ts()
        )
        return self.event(
            {
                "type": "app_mention",
                "user": user_id,
                "text": text,
                "ts": ts,
                "channel": channel_id,
                "event_ts": ts,
                "team": self.team_id,
                "client_msg_id": str(uuid.uuid4()),
            }
        )

    def url_verification(self, challenge: str) -> httpx.Response:
        return self._post_json(
            {"token": self.verification_token, "challenge": challenge, "type": "url_verification"}
        )
