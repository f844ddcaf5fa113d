"""What a test can read back from the stand-in: calls, messages, threads, views, files, responses.

Every accessor returns copies: a snapshot a test can keep while the bot goes on posting.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from bot.sandbox.faults import Faults
from bot.sandbox.state import ApiError, Message, RecordedCall, ResponsePost, StoredFile, Workspace


class Inspection:
    _lock: threading.RLock
    _ws: Workspace
    _calls: list[RecordedCall]
    _faults: Faults

    @property
    def calls(self) -> list[RecordedCall]:
        """Every Web API call, in order, failed ones included (`http_status` 429/500 for faults)."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.calls if call.method == method]

    def _channel_id(self, channel: str) -> str:
        try:
            return self._ws.channel(channel).id
        except ApiError as exc:
            raise KeyError(f"no channel {channel!r} in the stand-in") from exc

    def messages(self, channel: str) -> list[Message]:
        """Top-level messages as they stand now (after chat.update/delete), oldest first, each with
        `ts`, `text`, `blocks`, `user`, `channel` and its thread `replies`. `channel`: id, name or user id."""
        with self._lock:
            channel_id = self._channel_id(channel)
            return [self._ws.snapshot(channel_id, m) for m in self._ws.top_level.get(channel_id, [])]

    def thread(self, channel: str, ts: str) -> list[Message]:
        """The parent then its replies, like conversations.replies."""
        with self._lock:
            channel_id = self._channel_id(channel)
            parent = self._ws.by_ts.get((channel_id, ts))
            if parent is None:
                raise KeyError(f"no message {ts} in {channel}")
            root = self._ws.by_ts[(channel_id, parent.get("thread_ts", ts))]
            replies = self._ws.replies.get((channel_id, root["ts"]), [])
            return [self._ws.snapshot(channel_id, m, with_replies=False) for m in [root, *replies]]

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[Message]:
        """Messages only one user saw (`user`), from chat.postEphemeral, response_url or a command ack."""
        with self._lock:
            channel_id = self._channel_id(channel) if channel else None
            return [
                copy.deepcopy(e)
                for e in self._ws.ephemerals
                if (channel_id is None or e["channel"] == channel_id) and (user is None or e["user"] == user)
            ]

    def home_view(self, user: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self._ws.home_views.get(user)
            return copy.deepcopy(self._ws.views[view_id]) if view_id else None

    @property
    def opened_views(self) -> list[dict[str, Any]]:
        """Modals opened or pushed, as views.open/push answered them, plus `user_id`."""
        with self._lock:
            return copy.deepcopy(self._ws.opened_views)

    def view(self, view_id: str) -> dict[str, Any]:
        """The current version of a view (after views.update)."""
        with self._lock:
            return copy.deepcopy(self._ws.views[view_id])

    def find_open_view(self, callback_id: str, user_id: str | None = None) -> dict[str, Any] | None:
        """The latest modal with this callback_id (for this user), in its current version."""
        with self._lock:
            for opened in reversed(self._ws.opened_views):
                current = self._ws.views[opened["id"]]["callback_id"]  # views.update may change it
                if current == callback_id and user_id in (None, opened["user_id"]):
                    return {**copy.deepcopy(self._ws.views[opened["id"]]), "user_id": opened["user_id"]}
        return None

    @property
    def files(self) -> list[StoredFile]:
        """Files shared through files.completeUploadExternal (name, title, content, channel, ...)."""
        with self._lock:
            return [copy.deepcopy(f) for f in self._ws.files.values() if f.completed]

    @property
    def responses(self) -> list[ResponsePost]:
        """Every POST to a response_url, accepted or not (`http_status`, `response`)."""
        with self._lock:
            return list(self._ws.responses)

    def channel_name(self, channel_id: str) -> str:
        with self._lock:
            channel = self._ws.channels.get(channel_id)
            return channel.name if channel else channel_id

    def user_name(self, user_id: str) -> str:
        with self._lock:
            user = self._ws.users.get(user_id)
            return user.name if user else user_id

    def user_names(self) -> dict[str, str]:
        with self._lock:
            return {u.id: u.name for u in self._ws.users.values()}

    def reset(self) -> None:
        """Forget all activity (calls, messages, views, files, responses, triggers, faults);
        users and channels stay."""
        with self._lock:
            self._calls.clear()
            self._ws.clear_activity()
            self._faults.clear()
