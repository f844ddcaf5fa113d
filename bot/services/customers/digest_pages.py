"""A posted digest page redrawn after a claim or a close: the clicked page's own rows only, whatever the
size of the digest (the other pages are counted by the store; the overflow file's ids stay there)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from bot.services.customers.digest import load_items, summarise_run
from bot.services.customers.digest_runs import PageView, page_for_message, split_ids
from models.digest import DigestPage, DigestRun, PageKind
from models.team import Team
from models.types import table_of


def page_view(session: Session, *, channel_id: str, ts: str, now: datetime) -> PageView | None:
    """The page shown in a Slack message, to redraw it after a claim or a close: its own ids only; the
    other pages are counted by the store (the overflow file's ids are never read into Python)."""
    page = page_for_message(session, channel_id, ts)
    if page is None:
        return None
    run = session.get(DigestRun, page.run_id)
    team = session.get(Team, run.team_id) if run else None
    if run is None or team is None:
        return None
    day = date.fromisoformat(run.period)
    summary = summarise_run(session, team, day, start=run.window_start, end=run.window_end)
    total_pages, overflow = _page_counts(session, run.id)
    items = load_items(session, list(split_ids(page.verbatim_ids)), now=now)
    return PageView(summary, items, page.page_no, total_pages, overflow, PageKind(page.kind))


def _page_counts(session: Session, run_id: int | None) -> tuple[int, int]:
    """(message pages, ids in the overflow file) of a run, as `DigestPlan.total_pages` and `.overflow`."""
    c = table_of(DigestPage).c
    ids = c.verbatim_ids
    count = case((ids == "", 0), else_=func.length(ids) - func.length(func.replace(ids, ",", "")) + 1)
    query = sa_select(c.kind, func.count(), func.coalesce(func.sum(count), 0)).where(c.run_id == run_id)
    by_kind = {kind: (pages, n) for kind, pages, n in session.connection().execute(query.group_by(c.kind))}
    return by_kind.get(PageKind.BLOCKS.value, (0, 0))[0], int(by_kind.get(PageKind.FILE.value, (0, 0))[1])
