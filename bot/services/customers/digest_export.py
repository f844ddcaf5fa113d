"""The overflow of a long digest as a CSV file: what did not fit in the thread, highest priority first."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from bot.services.customers.digest import DigestItem, load_items
from bot.services.customers.digest_pages import stored_page_items
from bot.services.customers.digest_runs import DigestPlan, PlannedPage

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


def items_csv(items: Iterable[DigestItem]) -> str:
    """The overflow of a long digest, as a CSV file for the thread."""
    return _write_csv(items)[0]


def page_csv(session: Session, plan: DigestPlan, page: PlannedPage, *, now: datetime) -> tuple[str, int]:
    """A planned page (the overflow file) as CSV and the number of its rows, its items streamed from the
    store a few thousand at a time (current status, priority re-scored at `now`)."""
    if plan.run_id is None:
        return _write_csv(load_items(session, list(page.ids), now=now))
    return _write_csv(stored_page_items(session, plan.run_id, page, now=now))


def _write_csv(items: Iterable[DigestItem]) -> tuple[str, int]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for i in items:
        count += 1
        cells = [i.id, i.priority, i.why, i.score, i.scale, i.reason or "", i.channel or "", i.agent or ""]
        writer.writerow([csv_cell(c) for c in [*cells, i.received_at.isoformat(), i.status, i.text]])
    return out.getvalue(), count


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (= + - @ tab CR) starts with a quote instead."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
