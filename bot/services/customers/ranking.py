"""The digest's order, computed by the store: the age-free priority kept at import (`priority_base`) plus
the age points at `now`, in SQL, so a digest of 50,000 open verbatims reads only ids in order.

The result equals `priority.compute_priority` at `now` for every row (tests/services/customers/
test_ranking.py checks it on SQLite and Postgres).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session

from bot.services.customers.priority import AGE_CAP, HOURS_PER_AGE_POINT
from models.verbatim import Status, Verbatim


def age_points_sql(received_at, now: datetime):  # type: ignore[no-untyped-def]
    """`priority._age_part`'s points in SQL, exactly: half up of (now - received_at) / 4 h, capped at
    AGE_CAP, 0 ahead. The points are a step function of the date, so the store only compares the stored
    column with AGE_CAP bounds computed here (no date arithmetic per row, the same on every store):
    k points or more <=> received_at <= now - (k - 0.5) x 4 h."""
    step = timedelta(hours=HOURS_PER_AGE_POINT)
    bounds = [(points, now - step * (points - 0.5)) for points in range(AGE_CAP, 0, -1)]
    return case(*[(received_at <= bound, points) for points, bound in bounds], else_=0)


def ranking_query(  # type: ignore[no-untyped-def]
    session: Session,
    team_id: int | None,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    tier_floors: list[int],
):
    """Untreated verbatims of a team imported in (start, end], in the digest's display order: tiers (by
    `tier_floors`, highest first), then reason groups by their top priority, then priority, the worse
    reading first among equals, then oldest. Columns: id, priority, received_at (raw), reason, score, scale."""
    c = Verbatim.__table__.c
    dialect = session.get_bind().dialect.name
    total = c.priority_base + age_points_sql(c.received_at, now)
    priority = case((total > 100, 100), else_=total).label("priority")
    ranked = (
        select(c.id, priority, c.received_at, c.reason, c.score, c.scale, c.sentiment)
        .where(
            c.team_id == team_id,
            c.imported_at > start,
            c.imported_at <= end,
            c.status != Status.TREATED.value,
        )
        .cte("ranked")
        .prefix_with("MATERIALIZED")  # computed once per row, not again in each ORDER BY term
    )
    r = ranked.c
    tier = case(
        *[(r.priority >= floor, n) for n, floor in enumerate(tier_floors[:-1])], else_=len(tier_floors) - 1
    )
    top = func.max(r.priority).over(partition_by=(tier, r.reason))
    received = type_coerce(r.received_at, NullType)  # parsed by _as_utc: SQLAlchemy's SQLite parser is slow
    return select(r.id, r.priority, received, r.reason, r.score, r.scale).order_by(
        tier,
        top.desc(),
        func.coalesce(r.reason, "~").collate("C")
        if dialect == "postgresql"
        else func.coalesce(r.reason, "~"),
        r.priority.desc(),
        case((r.sentiment.is_(None), 1), else_=0),  # equal priority: the comment that reads worse first
        r.sentiment,
        r.received_at,
        r.id,
    )
