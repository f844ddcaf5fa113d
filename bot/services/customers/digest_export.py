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
        cells = [i.id, i.priority, i.why, i.score, i.scale, i.reason or "", i.channel or "", i.agent or ""]
        writer.writerow([csv_cell(c) for c in [*cells, i.received_at.isoformat(), i.status, i.text]])
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (= + - @ tab CR) starts with a quote instead."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
