"""The digest ledger: plan a team's digest once per local day, then record each page as it is posted.

A run is keyed by (job, team, local day) under a UNIQUE constraint, and its pages (which verbatims go
in which message) are fixed when it is planned: the message pages' ids are kept (`digest_page_item`),
the overflow file holds the rest of the run's window in the same order (read when it is posted), and
the header's figures are counted then and kept on the run (`ranking.first_ids_and_counts`: no statement
sorts every item). Posting resumes at the first page without a Slack ts, so running the job twice, or
again after a crash or a Slack outage, never posts a page twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.db import SessionFactory, session_scope
from bot.services.customers.digest import (
    JOB_ID,
    DigestSummary,
    digest_window_start,
    local_day,
    summarise_run,
    summary_from_counts,
)
from bot.services.customers.ranking import first_ids_and_counts
from models.digest import DigestPage, DigestPageItem, DigestRun, PageKind, RunStatus
from models.team import Team
from models.types import table_of


@dataclass(frozen=True)
class PlannedPage:
    id: int | None
    page_no: int
    kind: PageKind
    size: int  # verbatims on the page
    ts: str | None
    intent_at: datetime | None = None  # a try started: look in Slack before posting again
    file_id: str | None = None
    ids: tuple[int, ...] = ()  # a dry run's (nothing stored); a stored page's are in digest_page_item


@dataclass(frozen=True)
class DigestPlan:
    run_id: int | None
    team_id: int
    team_name: str
    channel_id: str | None
    day: date
    status: RunStatus
    summary: DigestSummary
    pages: tuple[PlannedPage, ...]
    parent_ts: str | None
    window: tuple[datetime, datetime] | None = None  # a dry run's (start, end]: where its file's ids are read

    @property
    def pending(self) -> list[PlannedPage]:
        return [p for p in self.pages if p.ts is None]

    @property
    def total_pages(self) -> int:
        return sum(1 for p in self.pages if p.kind == PageKind.BLOCKS)

    @property
    def overflow(self) -> int:
        """Verbatims in the file at the end of the thread (the header of page 0 announces them)."""
        return sum(p.size for p in self.pages if p.kind == PageKind.FILE)


def _team_id(team: Team) -> int:
    assert team.id is not None, "a digest is planned for a stored team"
    return team.id


def scope_of(team: Team) -> str:
    return f"team:{team.id}"


def page_sizes(count: int, *, per_page: int, thread_pages: int) -> list[tuple[PageKind, int]]:
    """Page 0 in the channel, up to `thread_pages` more in its thread, the rest as one file: nothing dropped.
    (The kept ids sit at positions 0, 1, 2...: position p on page p // per_page, the same cut.)"""
    pages = [(PageKind.BLOCKS, min(count, per_page))]
    rest = count - per_page
    for _ in range(thread_pages):
        if rest <= 0:
            break
        pages.append((PageKind.BLOCKS, min(rest, per_page)))
        rest -= per_page
    if rest > 0:
        pages.append((PageKind.FILE, rest))
    return pages


def plan_digest(
    factory: SessionFactory,
    team: Team,
    *,
    now: datetime,
    per_page: int,
    thread_pages: int,
    dry_run: bool = False,
) -> DigestPlan:
    """The team's digest for its local day: the planned (or already posted) run, created at most once."""
    day = local_day(now, team)
    with session_scope(factory) as session:
        run = _find_run(session, team, day)
        if run is not None:
            return _plan_from_run(session, team, run, now)
        start = digest_window_start(session, team)
        if dry_run:  # the same statements as a stored plan, nothing written
            first, counts = first_ids_and_counts(
                session, team.id, start=start, now=now, limit=per_page * (thread_pages + 1)
            )
            summary = summary_from_counts(team, day, counts)
            pages = page_sizes(sum(counts.values()), per_page=per_page, thread_pages=thread_pages)
            return _unsaved_plan(team, day, first, pages, summary, window=(start, now))
    try:
        with session_scope(factory) as session:
            run = _create_run(session, team, day, start, now, per_page=per_page, thread_pages=thread_pages)
            return _plan_from_run(session, team, run, now)
    except IntegrityError:  # another instance planned it a moment ago: use theirs
        with session_scope(factory) as session:
            run = _find_run(session, team, day)
            assert run is not None
            return _plan_from_run(session, team, run, now)


def _find_run(session: Session, team: Team, day: date) -> DigestRun | None:
    return session.exec(
        select(DigestRun).where(
            DigestRun.job == JOB_ID, DigestRun.scope == scope_of(team), DigestRun.period == day.isoformat()
        )
    ).first()


def _create_run(
    session: Session,
    team: Team,
    day: date,
    start: datetime,
    now: datetime,
    *,
    per_page: int,
    thread_pages: int,
) -> DigestRun:
    """The run's row first (a second planner stops at its UNIQUE key), then the ids of its message pages in
    display order, its header counted once, and its pages (the overflow file's ids are read when it is
    posted: `digest_pages.overflow_ids`)."""
    run = DigestRun(
        job=JOB_ID,
        scope=scope_of(team),
        period=day.isoformat(),
        team_id=_team_id(team),
        channel_id=team.channel_id,
        window_start=start,
        window_end=now,
        created_at=now,
    )
    session.add(run)
    session.flush()
    assert run.id is not None  # given by the flush
    first, counts = first_ids_and_counts(
        session, team.id, start=start, now=now, limit=per_page * (thread_pages + 1)
    )
    count = sum(counts.values())
    empty = not count and not team.post_empty_digest
    run.status, run.verbatim_count = RunStatus.EMPTY if empty else RunStatus.PLANNED, count
    run.finished_at = now if empty else None
    keep_summary(run, summary_from_counts(team, day, counts))
    session.add(run)
    if not empty:
        _keep_pages(session, run.id, team, first, count, per_page=per_page, thread_pages=thread_pages)
    session.flush()
    return run


def _keep_pages(
    session: Session,
    run_id: int,
    team: Team,
    first: list[int],
    count: int,
    *,
    per_page: int,
    thread_pages: int,
) -> None:
    """The message pages' ids at their positions, and a row per page (the file's: its size only)."""
    if first:
        rows = [
            {"run_id": run_id, "page_no": n // per_page, "position": n, "verbatim_id": i}
            for n, i in enumerate(first)
        ]
        session.connection().execute(insert(table_of(DigestPageItem)), rows)
    for page_no, (kind, size) in enumerate(page_sizes(count, per_page=per_page, thread_pages=thread_pages)):
        session.add(
            DigestPage(run_id=run_id, page_no=page_no, kind=kind, item_count=size, channel_id=team.channel_id)
        )


def keep_summary(run: DigestRun, summary: DigestSummary) -> None:
    run.summary_new, run.summary_detractors = summary.new, summary.detractors
    run.summary_nps, run.summary_nps_n = summary.nps, summary.nps_n
    run.summary_csat, run.summary_csat_n = summary.csat, summary.csat_n


def run_summary(session: Session, team: Team, run: DigestRun) -> DigestSummary:
    """The header of a planned run: the figures kept when it was planned (counted again only for a run planned
    before they were kept)."""
    day = date.fromisoformat(run.period)
    if run.summary_new is None:
        return summarise_run(session, team, day, start=run.window_start, end=run.window_end)
    return DigestSummary(
        team=team.name,
        day=day,
        new=run.summary_new,
        detractors=run.summary_detractors or 0,
        nps=run.summary_nps,
        nps_n=run.summary_nps_n or 0,
        csat=run.summary_csat,
        csat_n=run.summary_csat_n or 0,
        language=team.language or "en",
    )


def _plan_from_run(session: Session, team: Team, run: DigestRun, now: datetime) -> DigestPlan:
    pages = session.exec(
        select(DigestPage).where(DigestPage.run_id == run.id).order_by(col(DigestPage.page_no))
    ).all()
    planned = tuple(
        PlannedPage(p.id, p.page_no, PageKind(p.kind), p.item_count, p.ts, p.intent_at, p.file_id)
        for p in pages
    )
    return DigestPlan(
        run.id,
        run.team_id,
        team.name,
        run.channel_id,
        date.fromisoformat(run.period),
        RunStatus(run.status),
        run_summary(session, team, run),
        planned,
        run.parent_ts,
    )


def _unsaved_plan(
    team: Team,
    day: date,
    first: list[int],
    sizes: list[tuple[PageKind, int]],
    summary: DigestSummary,
    *,
    window: tuple[datetime, datetime],
) -> DigestPlan:
    """A dry run's plan: its message pages' ids in memory, its file's size (`digest_pages.planned_ids` reads
    the file's ids from its window)."""
    pages, at = [], 0
    for n, (kind, size) in enumerate(sizes):
        ids = tuple(first[at : at + size]) if kind == PageKind.BLOCKS else ()
        pages.append(PlannedPage(None, n, kind, size, None, ids=ids))
        at += size
    status = RunStatus.PLANNED if summary.new or team.post_empty_digest else RunStatus.EMPTY
    return DigestPlan(
        None,
        _team_id(team),
        team.name,
        team.channel_id,
        day,
        status,
        summary,
        tuple(pages) if status == RunStatus.PLANNED else (),
        None,
        window,
    )


def mark_page_posted(
    factory: SessionFactory, plan: DigestPlan, page: PlannedPage, *, ts: str, now: datetime
) -> None:
    """Record a posted page at once, so a restart resumes after it."""
    with session_scope(factory) as session:
        row = session.get(DigestPage, page.id)
        run = session.get(DigestRun, plan.run_id)
        assert row is not None and run is not None
        row.ts, row.posted_at = ts, now
        if page.page_no == 0:
            run.parent_ts = ts
        run.status = RunStatus.POSTING
        session.add_all([row, run])


def mark_run_posted(factory: SessionFactory, plan: DigestPlan, *, now: datetime) -> None:
    with session_scope(factory) as session:
        run = session.get(DigestRun, plan.run_id)
        assert run is not None
        run.status, run.finished_at = RunStatus.POSTED, now
        session.add(run)


def page_for_message(session: Session, channel_id: str, ts: str) -> DigestPage | None:
    """The digest page shown in a Slack message (to re-render it when a button changes an item)."""
    return session.exec(
        select(DigestPage).where(DigestPage.channel_id == channel_id, DigestPage.ts == ts)
    ).first()
