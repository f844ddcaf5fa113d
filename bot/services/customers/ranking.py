"""The digest's order, computed by the store: the age-free priority kept at import (`priority_base`) plus
the age points at `now`, in SQL, so a digest of 50,000 open verbatims reads only ids in order.

The result equals `priority.compute_priority` at `now` for every row (tests/services/customers/
test_ranking.py checks it on SQLite and Postgres).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Insert, Select, case, func, insert, literal, or_, select, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session

from bot.scales import DIGEST_TIERS
from bot.services.customers.priority import AGE_CAP, HOURS_PER_AGE_POINT
from models.digest import DigestPageItem
from models.types import table_of
from models.verbatim import Status, Verbatim

TIER_FLOORS = tuple(tier.floor for tier in DIGEST_TIERS)  # highest first


def age_points_sql(received_at: ColumnElement[datetime], now: datetime) -> ColumnElement[int]:
    """`priority._age_part`'s points in SQL, exactly: half up of (now - received_at) / 4 h, capped at
    AGE_CAP, 0 ahead. The points are a step function of the date, so the store only compares the stored
    column with bounds computed here (k points or more <=> received_at <= now - (k - 0.5) x 4 h), in a
    balanced tree of CASEs: four comparisons a row, no date arithmetic, the same on every store."""
    step = timedelta(hours=HOURS_PER_AGE_POINT)
    bounds = {points: now - step * (points - 0.5) for points in range(1, AGE_CAP + 1)}

    def tree(low: int, high: int) -> ColumnElement[int]:  # points in [low, high]
        if low == high:
            return literal(low)
        middle = (low + high + 1) // 2
        return case((received_at <= bounds[middle], tree(middle, high)), else_=tree(low, middle - 1))

    return tree(0, AGE_CAP)


def _ranked(session: Session, team_id: int | None, *, start: datetime, end: datetime, now: datetime) -> Any:
    """The digest's candidates with their priority at `now`, computed once per row (a MATERIALIZED CTE)."""
    c = table_of(Verbatim).c
    postgres = session.get_bind().dialect.name == "postgresql"
    least = func.least if postgres else func.min  # SQLite's two-argument min()
    priority = least(c.priority_base + age_points_sql(c.received_at, now), 100).label("priority")
    return (
        select(c.id, priority, c.received_at, c.reason, c.score, c.scale, c.sentiment)
        .where(
            c.team_id == team_id,
            c.imported_at > start,
            c.imported_at <= end,
            c.status != Status.TREATED.value,
            c.history == False,  # noqa: E712  history rows feed the KPIs, never a digest
        )
        .cte("ranked")
        .prefix_with("MATERIALIZED")  # computed once per row, not again in each ORDER BY term
    )


def _rank_order(r: Any) -> tuple[Any, ...]:
    return (
        r.priority.desc(),
        case((r.sentiment.is_(None), 1), else_=0),  # equal priority: the comment that reads worse first
        r.sentiment,
        r.received_at,
        r.id,
    )


def ranking_query(
    session: Session,
    team_id: int | None,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
) -> Select[Any]:
    """Untreated verbatims of a team imported in (start, end], highest priority first, the worse reading
    first among equals, then oldest. Columns: id, priority, received_at (raw), reason, score, scale.
    (`digest.ordered_items` then groups them into tiers and reasons for display.)"""
    r = _ranked(session, team_id, start=start, end=end, now=now).c
    received = type_coerce(r.received_at, NullType)  # parsed by _as_utc: SQLAlchemy's SQLite parser is slow
    return select(r.id, r.priority, received, r.reason, r.score, r.scale).order_by(*_rank_order(r))


def _display_order(
    session: Session, team_id: int | None, *, start: datetime, end: datetime, now: datetime
) -> Any:
    """`ranking_query`'s rows with what the display order needs: their tier, their reason group's top priority
    (groups by their top priority, then by name as Python compares strings: byte order), and that order."""
    r = _ranked(session, team_id, start=start, end=end, now=now).c
    floors = enumerate(TIER_FLOORS[:-1])
    tier = case(*((r.priority >= floor, rank) for rank, floor in floors), else_=len(TIER_FLOORS) - 1)
    key: ColumnElement[Any] = case((or_(r.reason.is_(None), r.reason == ""), literal("~")), else_=r.reason)
    if session.get_bind().dialect.name == "postgresql":
        key = key.collate("C")  # Python's order, not the database locale's
    grouped = select(
        r.id,
        tier.label("tier"),
        func.max(r.priority).over(partition_by=(tier, r.reason)).label("top"),
        key.label("key"),
        r.reason,
        r.priority,
        r.sentiment,
        r.received_at,
    ).subquery("grouped")
    g = grouped.c
    return g, (g.tier, g.top.desc(), g.key, g.reason, *_rank_order(g))


def display_ids_query(
    session: Session, team_id: int | None, *, start: datetime, end: datetime, now: datetime
) -> Select[Any]:
    """The ids of `ranking_query` in the digest's display order (`digest.ordered_items`'s), ordered by the
    store: tiers (most urgent first), then reason groups by their top priority (then by name, as Python
    compares strings: byte order), then the ranking order. Only ids come back."""
    g, order = _display_order(session, team_id, start=start, end=end, now=now)
    return select(g.id).order_by(*order)


def page_items_insert(
    session: Session,
    team_id: int | None,
    *,
    run_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
    per_page: int,
    thread_pages: int,
) -> Insert:
    """One statement that writes a run's items to `digest_page_item` in `display_ids_query`'s order, each at
    its position and on its page as `digest_runs.paginate` cuts them (`per_page` a message, `thread_pages`
    messages in the thread after page 0, the rest in the file, page `thread_pages + 1`). No id leaves the
    store; its row count is the number of items."""
    g, order = _display_order(session, team_id, start=start, end=end, now=now)
    ordered = select(g.id, (func.row_number().over(order_by=order) - 1).label("position")).subquery("ordered")
    o = ordered.c
    file_page = thread_pages + 1
    page_no = case((o.position < per_page * file_page, o.position // per_page), else_=file_page)
    rows = select(literal(run_id), page_no, o.position, o.id)
    return insert(table_of(DigestPageItem)).from_select(
        ["run_id", "page_no", "position", "verbatim_id"], rows
    )
