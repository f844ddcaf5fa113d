"""The digest's Slack calls, made so a crash never posts a page twice.

Slack has no idempotency key. Each page is posted with message `metadata` naming it
(`symmetry_digest_page`, `{"run": <run id>, "page": <page no>}`); the overflow file is uploaded in
Slack's three steps so its file id is known (and recorded) before it is shared. On resume, a page
whose intent was recorded but whose ts was not is looked for first: page 0 in the channel's history,
thread pages and the file in the thread, with `include_all_metadata`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
from slack_sdk import WebClient

EVENT_TYPE = "symmetry_digest_page"
LOOK_BACK = timedelta(minutes=10)  # clock skew between us and Slack
MAX_PAGES_READ = 20  # of history, 200 messages each


def page_metadata(run_id: int, page_no: int) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"run": run_id, "page": page_no}}


def find_posted_message(
    client: WebClient, channel: str, *, run_id: int, page_no: int, parent: str | None, since: datetime
) -> str | None:
    """The ts of the page's message if Slack has it, else None."""
    wanted = page_metadata(run_id, page_no)
    for message in _messages(client, channel, parent=parent, since=since):
        if message.get("metadata") == wanted:
            return str(message["ts"])
    return None


def find_shared_file(client: WebClient, channel: str, *, file_id: str, parent: str | None) -> bool:
    for message in _messages(client, channel, parent=parent, since=None):
        if any(f.get("id") == file_id for f in message.get("files") or []):
            return True
    return False


def upload_in_steps(
    client: WebClient,
    *,
    channel: str,
    thread_ts: str | None,
    content: str,
    filename: str,
    title: str,
    comment: str,
    record_file: Callable[[str], None],
) -> str:
    """getUploadURLExternal -> record the file id -> POST the bytes -> completeUploadExternal."""
    data = content.encode("utf-8")
    got = client.files_getUploadURLExternal(filename=filename, length=len(data))
    file_id = str(got["file_id"])
    record_file(file_id)
    _post_bytes(str(got["upload_url"]), data)
    client.files_completeUploadExternal(
        files=[{"id": file_id, "title": title}],
        channel_id=channel,
        thread_ts=thread_ts,
        initial_comment=comment,
    )
    return "file:" + file_id


def _post_bytes(url: str, data: bytes, tries: int = 4) -> None:
    """The upload URL is not the Web API: retry its 429/5xx and connection errors ourselves."""
    for attempt in range(tries):
        try:
            httpx.post(url, content=data, timeout=30).raise_for_status()
            return
        except httpx.HTTPError:
            if attempt == tries - 1:
                raise
            time.sleep(0.2 * 2**attempt)


def _messages(
    client: WebClient, channel: str, *, parent: str | None, since: datetime | None
) -> Iterator[dict[str, Any]]:
    cursor = None
    for _ in range(MAX_PAGES_READ):
        if parent is not None:
            page = client.conversations_replies(
                channel=channel, ts=parent, include_all_metadata=True, limit=200, cursor=cursor
            )
        else:
            oldest = f"{(since - LOOK_BACK).timestamp():.6f}" if since else None
            page = client.conversations_history(
                channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
            )
        yield from page.get("messages") or []
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return
