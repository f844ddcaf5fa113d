"""The digest's order, computed by the store: the age-free priority kept at import (`priority_base`) plus
the age points at `now`, in SQL, so a digest of 50,000 open verbatims reads only ids in order.

The result equals `priority.compute_priority` at `now` for every row (tests/services/customers/
test_ranking.py checks it on SQLite and Postgres); age is counted in whole seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Integer, case, cast, func, literal, select, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session

from bot.services.customers.priority import AGE_CAP, HOURS_PER_AGE_POINT
from models.verbatim import Status, Verbatim


def age_points_sql(received_at, now: datetime, dialect: str):  # type: ignore[no-untyped-def]
    """`priority._age_part`'s points in SQL: half up of whole seconds / (4 h), capped at AGE_CAP, 0 ahead."""
    if dialect == "postgresql":
        seconds = func.floor(func.extract("epoch", literal(now) - received_at))
    else:  # SQLite keeps UTC text: strftime('%s') reads it as whole seconds
        seconds = cast(
            func.strftime("%s", now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")), Integer
        ) - cast(func.strftime("%s", received_at), Integer)
    step = 3600 * HOURS_PER_AGE_POINT
    return case(
        (seconds <= 0, 0),
        (seconds >= step * AGE_CAP - step // 2, AGE_CAP),
        else_=cast(func.floor((seconds + step // 2) / step), Integer)
        if dialect == "postgresql"
        else cast((seconds + step // 2) / step, Integer),
    )


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
    total = c.priority_base + age_points_sql(c.received_at, now, dialect)
    priority = case((total > 100, 100), else_=total).label("priority")
    ranked = (
        select(c.id, priority, c.received_at, c.reason, c.score, c.scale, c.sentiment)
        .where(
            c.team_id == team_id,
            c.imported_at > start,
            c.imported_at <= end,
            c.status != Status.TREATED.value,
        )
        .subquery()
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
