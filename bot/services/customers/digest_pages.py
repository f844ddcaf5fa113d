"""What a stored digest page shows: its items read by the page's key (a message page's 10 rows; the overflow
file's streamed in display order), and a posted page redrawn after a claim or a close, whatever the size
of the digest (the header's figures were kept when the run was planned, the page counts are on the run's
few page rows)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from bot.services.customers.digest import (
    ITEM_COLUMNS,
    DigestItem,
    DigestSummary,
    item_from_row,
    load_items,
)
from bot.services.customers.digest_runs import DigestPlan, PlannedPage, page_for_message, run_summary
from bot.services.customers.ranking import display_ids_query
from models.digest import DigestPage, DigestPageItem, DigestRun, PageKind
from models.team import Team
from models.types import table_of
from models.verbatim import Verbatim


def page_items(session: Session, run_id: int, page_no: int, *, now: datetime) -> list[DigestItem]:
    """The items of a stored message page, in its order, with their current claim and status: its few rows
    read by the page's key, joined to the verbatims."""
    c, p = table_of(Verbatim).c, table_of(DigestPageItem).c
    query = (
        sa_select(*(c[name] for name in ITEM_COLUMNS))
        .join_from(table_of(DigestPageItem), table_of(Verbatim), c.id == p.verbatim_id)
        .where(p.run_id == run_id, p.page_no == page_no)
        .order_by(p.position)
    )
    return [item_from_row(row, now) for row in session.connection().execute(query)]


def overflow_ids(session: Session, run: DigestRun) -> list[int]:
    """The ids of a planned run's overflow file, in display order: its items (the same rows whenever they are
    read: see `ranking._ranked`) ranked at the time it was planned, less those of its message pages."""
    query = display_ids_query(
        session, run.team_id, start=run.window_start, end=run.window_end, now=run.window_end, skip_run=run.id
    )
    return list(session.connection().execute(query).scalars())


def overflow_items(
    session: Session, run: DigestRun, *, now: datetime, chunk: int = 2_000
) -> Iterator[DigestItem]:
    """The overflow file's items, in its order, with their current status, loaded `chunk` at a time."""
    ids = overflow_ids(session, run)
    for at in range(0, len(ids), chunk):
        yield from load_items(session, ids[at : at + chunk], now=now)


def planned_ids(session: Session, plan: DigestPlan) -> list[int]:
    """Every verbatim of a plan, page by page, in order (a dry run's from memory, a stored run's from the store)."""
    if plan.run_id is None:  # a dry run: its whole window, in display order (its pages are a prefix)
        kept = [i for page in plan.pages for i in page.ids]
        if not plan.overflow or plan.window is None:
            return kept
        start, end = plan.window
        query = display_ids_query(session, plan.team_id, start=start, end=end, now=end)
        return list(session.connection().execute(query).scalars())
    p = table_of(DigestPageItem).c
    query = sa_select(p.verbatim_id).where(p.run_id == plan.run_id).order_by(p.page_no, p.position)
    kept = list(session.connection().execute(query).scalars())
    run = session.get(DigestRun, plan.run_id)
    assert run is not None
    return kept + (overflow_ids(session, run) if plan.overflow else [])


@dataclass(frozen=True)
class PageView:
    """What one page of a digest shows now. The job posts it, a button redraws it, `--dry-run` prints it:
    all three render it with `bot.slack.blocks.digest.build_page_message`."""

    summary: DigestSummary
    items: list[DigestItem]
    page_no: int
    total_pages: int
    overflow: int
    kind: PageKind = PageKind.BLOCKS

    @property
    def is_empty_note(self) -> bool:
        """A day with nothing new, for a team that wants to hear it: one line instead of a digest."""
        return self.page_no == 0 and self.summary.new == 0


def stored_page_items(
    session: Session, run_id: int, page: PlannedPage, *, now: datetime
) -> Iterator[DigestItem]:
    """A stored page's items in order, current status: a message page's by its key, the file's streamed."""
    if page.kind == PageKind.FILE:
        run = session.get(DigestRun, run_id)
        assert run is not None
        return overflow_items(session, run, now=now)
    return iter(page_items(session, run_id, page.page_no, now=now))


def load_page(session: Session, plan: DigestPlan, page: PlannedPage, *, now: datetime) -> PageView:
    """A planned page with its items as they are now (current status, priority re-scored at `now`). The
    overflow file's items are many: the job streams them (`page_items`) rather than loading this view."""
    if plan.run_id is None:
        items = load_items(session, list(page.ids), now=now)
    else:
        items = list(stored_page_items(session, plan.run_id, page, now=now))
    return PageView(plan.summary, items, page.page_no, plan.total_pages, plan.overflow, page.kind)


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
    items = page_items(session, run.id, page.page_no, now=now)
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
