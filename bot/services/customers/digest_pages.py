"""A posted digest page redrawn after a claim or a close: the clicked page's own rows only, whatever the
size of the digest (the header's figures were kept when the run was planned, the page counts are on the
run's few page rows, the page's items are read by its key)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from bot.services.customers.digest import page_items
from bot.services.customers.digest_runs import PageView, page_for_message, run_summary
from models.digest import DigestPage, DigestRun, PageKind
from models.team import Team
from models.types import table_of


def page_view(session: Session, *, channel_id: str, ts: str, now: datetime) -> PageView | None:
    """The page shown in a Slack message, to redraw it after a claim or a close, with each item's current
    claim and status: its own items only, nothing counted again."""
    page = page_for_message(session, channel_id, ts)
    if page is None:
        return None
    run = session.get(DigestRun, page.run_id)
    team = session.get(Team, run.team_id) if run else None
    if run is None or team is None or run.id is None:
        return None
    total_pages, overflow = _page_counts(session, run.id)
    items = list(page_items(session, run.id, page.page_no, now=now))
    return PageView(
        run_summary(session, team, run), items, page.page_no, total_pages, overflow, PageKind(page.kind)
    )


def _page_counts(session: Session, run_id: int) -> tuple[int, int]:
    """(message pages, ids in the overflow file) of a run, as `DigestPlan.total_pages` and `.overflow`."""
    c = table_of(DigestPage).c
    query = sa_select(c.kind, func.count(), func.coalesce(func.sum(c.item_count), 0)).where(
        c.run_id == run_id
    )
    by_kind = {kind: (pages, n) for kind, pages, n in session.connection().execute(query.group_by(c.kind))}
    return by_kind.get(PageKind.BLOCKS.value, (0, 0))[0], int(by_kind.get(PageKind.FILE.value, (0, 0))[1])
