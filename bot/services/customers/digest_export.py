"""The overflow of a long digest as a CSV file: what did not fit in the thread, highest priority first."""

from __future__ import annotations

import csv
import io

from bot.services.customers.digest import DigestItem

COLUMNS = [
    "id",
    "priority",
    "why",
    "score",
    "scale",
    "reason",
    "channel",
    "agent",
    "received_at",
    "status",
    "text",
]


def items_csv(items: list[DigestItem]) -> str:
    """The overflow of a long digest, as a CSV file for the thread."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for i in items:
        writer.writerow(
            [i.id, i.priority, i.why, i.score, i.scale, i.reason or "", i.channel or "", i.agent or ""]
            + [i.received_at.isoformat(), i.status, i.text]
        )
    return out.getvalue()
