"""Charts to Slack: one upload path (files_upload_v2) for KPI answers, survey results and the symmetry report."""

from __future__ import annotations

from slack_sdk import WebClient


def upload_png(
    client: WebClient, *, channel: str, png: bytes, filename: str, title: str, thread_ts: str | None = None
) -> str:
    """Upload `png` into `channel` (a DM's id included); returns the file's id. The title doubles as alt text."""
    title = title.replace("*", "")
    response = client.files_upload_v2(
        channel=channel,
        content=png,
        filename=filename,
        title=title[:200],
        thread_ts=thread_ts,
        alt_txt=title[:900],
    )
    return str(response["file"]["id"])


def upload_to_dm(client: WebClient, *, user: str, png: bytes, filename: str, title: str) -> str:
    """A chart for one person only: into their DM with the bot."""
    channel = client.conversations_open(users=user)["channel"]["id"]
    return upload_png(client, channel=channel, png=png, filename=filename, title=title)
