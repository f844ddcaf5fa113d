"""Block Kit for a KPI answer: the text answer in sections that respect Slack's 3,000-character limit."""

from __future__ import annotations

SECTION_LIMIT = 2_900
FENCE = "```"


def chunk_mrkdwn(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split on lines into chunks under `limit`, closing and reopening a code block cut in two."""
    chunks: list[str] = []
    current: list[str] = []
    size, in_code = 0, False
    for line in text.split("\n"):
        line = line[: limit - 10]
        if current and size + len(line) + 1 > limit - 4:
            chunks.append("\n".join(current) + (f"\n{FENCE}" if in_code else ""))
            current, size = ([FENCE] if in_code else []), (4 if in_code else 0)
        current.append(line)
        size += len(line) + 1
        if line.strip().startswith(FENCE):
            in_code = not in_code if line.strip().count(FENCE) == 1 else in_code
    if current:
        chunks.append("\n".join(current))
    return chunks


def build_kpi_blocks(text: str, *, chart_note: str | None = None, shared_by: str | None = None) -> list[dict]:
    blocks: list[dict] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunk_mrkdwn(text)
    ]
    notes = []
    if shared_by:
        notes.append(f"Shared by <@{shared_by}>")
    if chart_note:
        notes.append(chart_note)
    if notes:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(notes)}]})
    return blocks[:50]
