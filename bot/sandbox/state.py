"""What the stand-in remembers: the workspace directory and everything the bot did in it.

Plain data; the Web API methods (`api_*.py`) read and change it under the stand-in's lock.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]


class ApiError(Exception):
    """A Web API failure: answered `{"ok": false, "error": error, **extra}` with HTTP 200."""

    def __init__(self, error: str, *, messages: Iterable[str] = (), **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra: dict[str, Any] = dict(extra)
        if messages := list(messages):
            if error == "invalid_blocks":  # Slack lists them twice for blocks, once for views
                self.extra["errors"] = [m.removeprefix("[ERROR] ") for m in messages]
            self.extra["response_metadata"] = {"messages": messages}

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    members: set[str] | None = None  # None: everybody in the workspace
    bot_is_member: bool = True
    im_user: str | None = None
    created: int = field(default_factory=lambda: int(time.time()))


@dataclass
class User:
    id: str
    name: str
    real_name: str | None = None
    tz: str = "Europe/Paris"
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False  # deactivated: still listed, no longer reachable
    locale: str = "en-US"
    email: str | None = None  # shown (profile.email) and found (users.lookupByEmail) with users:read.email


@dataclass
class StoredFile:
    id: str
    name: str
    length: int
    title: str | None = None
    content: bytes | None = None
    channel: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    alt_txt: str | None = None
    completed: bool = False


@dataclass
class RecordedCall:
    method: str
    args: dict[str, Any]
    response: dict[str, Any]
    http_status: int


@dataclass
class ResponsePost:
    """One POST to a `response_url`, and what Slack answered."""

    url: str
    payload: dict[str, Any]
    http_status: int
    response: dict[str, Any]
    channel_id: str | None
    user_id: str | None


@dataclass
class Trigger:
    id: str
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    token: str
    channel_id: str | None
    user_id: str | None
    message_ts: str | None
    ephemeral_original: bool
    issued_at: float
    uses: int = 0


class TsClock:
    """Message timestamps like Slack's: "1700000000.000100", unique and strictly increasing."""

    def __init__(self, first_ts: str | None = None) -> None:
        self._deterministic = first_ts is not None
        self._last = int(round(float(first_ts) * 1_000_000)) - 100 if first_ts else 0

    def next(self) -> str:
        step = 100 if self._deterministic else 1
        now = self._last + step if self._deterministic else int(time.time() * 1_000_000)
        self._last = max(now, self._last + step)
        return f"{self._last // 1_000_000}.{self._last % 1_000_000:06d}"


def random_id(prefix: str, length: int = 10) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


class Workspace:
    """Directory (users, channels) plus activity (messages, ephemerals, views, files)."""

    def __init__(
        self,
        *,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        app_id: str,
        clock: Callable[[], float],
        first_ts: str | None = None,
    ) -> None:
        self.team_id, self.bot_user_id, self.bot_id, self.app_id = team_id, bot_user_id, bot_id, app_id
        self.team_name, self.domain = "Symmetry Sandbox", "symmetry-sandbox"
        self.clock = clock
        self.base_url = ""  # "http://127.0.0.1:PORT", set when the server starts
        self.scopes: set[str] | None = None  # None: every scope granted
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self._first_ts = first_ts
        self._dm_numbers = itertools.count(1)
        self.clear_activity()

    def clear_activity(self) -> None:
        self.ts = TsClock(self._first_ts)
        self.top_level: dict[str, list[Message]] = {}
        self.by_ts: dict[tuple[str, str], Message] = {}
        self.replies: dict[tuple[str, str], list[Message]] = {}
        self.ephemerals: list[Message] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.opened_views: list[dict[str, Any]] = []
        self.modal_stacks: dict[str, list[str]] = {}
        self.home_views: dict[str, str] = {}
        self.files: dict[str, StoredFile] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.responses: list[ResponsePost] = []

    # -- directory -------------------------------------------------------------------------------
    def user(self, user_id: str) -> User:
        if user_id not in self.users:
            raise ApiError("user_not_found")
        return self.users[user_id]

    def channel(self, channel_id: str) -> Channel:
        if channel_id in self.channels:
            return self.channels[channel_id]
        name = channel_id.removeprefix("#")
        for channel in self.channels.values():
            if channel.name == name and not channel.is_im:
                return channel
        if channel_id in self.users:
            return self.dm_channel(channel_id)
        raise ApiError("channel_not_found")

    def dm_channel(self, user_id: str) -> Channel:
        self.user(user_id)
        for channel in self.channels.values():
            if channel.is_im and channel.im_user == user_id:
                return channel
        channel = Channel(
            id=f"D0SANDBOX{next(self._dm_numbers):03d}",
            name=user_id,
            is_private=True,
            is_im=True,
            members={user_id, self.bot_user_id},
            im_user=user_id,
        )
        self.channels[channel.id] = channel
        return channel

    # -- messages --------------------------------------------------------------------------------
    def new_message(
        self,
        channel: str,
        *,
        text: str,
        blocks: list[Any],
        user: str | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> Message:
        """Store a message (a thread reply when `thread_ts` names a stored message)."""
        author = user or self.bot_user_id
        message: Message = {
            "type": "message",
            "ts": self.ts.next(),
            "user": author,
            "text": text,
            "blocks": blocks,
            "team": self.team_id,
            **extra,
        }
        if author == self.bot_user_id:
            message.update(bot_id=self.bot_id, app_id=self.app_id)
        parent = self.by_ts.get((channel, thread_ts)) if thread_ts else None
        if parent is not None:
            root_ts: str = parent.get("thread_ts") or parent["ts"]
            root = self.by_ts[(channel, root_ts)]
            root["thread_ts"] = root_ts
            message["thread_ts"] = root_ts
            self.replies.setdefault((channel, root_ts), []).append(message)
            root["reply_count"] = len(self.replies[(channel, root_ts)])
        else:
            if thread_ts:  # Slack accepts an unknown thread_ts; the message shows up in the channel
                message["thread_ts"] = thread_ts
            self.top_level.setdefault(channel, []).append(message)
        self.by_ts[(channel, message["ts"])] = message
        return message

    def find_message(self, channel: str, ts: str) -> Message:
        if (channel, ts) not in self.by_ts:
            raise ApiError("message_not_found")
        return self.by_ts[(channel, ts)]

    def delete_message(self, channel: str, ts: str) -> None:
        message = self.by_ts.pop((channel, self.find_message(channel, ts)["ts"]))
        root_ts = message.get("thread_ts")
        if root_ts and root_ts != ts and (channel, root_ts) in self.replies:
            self.replies[(channel, root_ts)].remove(message)
            self.by_ts[(channel, root_ts)]["reply_count"] = len(self.replies[(channel, root_ts)])
        else:
            self.top_level[channel].remove(message)
            for reply in self.replies.pop((channel, ts), []):
                self.by_ts.pop((channel, reply["ts"]), None)

    def snapshot(self, channel: str, message: Message, *, with_replies: bool = True) -> Message:
        """A copy a test can keep: the message, its channel and (top level) its thread replies."""
        result = copy.deepcopy(message)
        result["channel"] = channel
        if with_replies:
            replies = self.replies.get((channel, message["ts"]), [])
            result["replies"] = [self.snapshot(channel, r, with_replies=False) for r in replies]
        return result
