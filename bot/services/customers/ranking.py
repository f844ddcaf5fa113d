"""The digest's order, computed by the store: the age-free priority kept at import (`priority_base`) plus
the age points at `now`, in SQL, so a digest of 50,000 open verbatims reads only ids in order.

The result equals `priority.compute_priority` at `now` for every row (tests/services/customers/
test_ranking.py checks it on SQLite and Postgres).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select, type_coerce
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


def _ranked(
    session: Session,
    team_id: int | None,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    materialized: bool = True,
    only: tuple[ColumnElement[bool], ...] = (),
) -> Any:
    """The digest's candidates with their priority at `now`: the team's verbatims imported in (start, end], not
    history, untreated at `end` (a verbatim is never reopened and treating one records when, so a run's
    items are the same rows whenever they are read again). `materialized`: computed once per row (a
    MATERIALIZED CTE), for queries that use the priority in many terms. `only`: more conditions on the rows."""
    c = table_of(Verbatim).c
    postgres = session.get_bind().dialect.name == "postgresql"
    least = func.least if postgres else func.min  # SQLite's two-argument min()
    priority = least(c.priority_base + age_points_sql(c.received_at, now), 100).label("priority")
    query = select(c.id, priority, c.received_at, c.reason, c.score, c.scale, c.sentiment).where(
        c.team_id == team_id,
        c.history == False,  # noqa: E712  history rows feed the KPIs, never a digest
        c.imported_at > start,
        c.imported_at <= end,
        or_(c.status != Status.TREATED.value, c.treated_at > end),
        *only,
    )
    ranked = query.cte("ranked")
    return ranked.prefix_with("MATERIALIZED") if materialized else ranked


def _tier(priority: Any) -> ColumnElement[int]:
    floors = enumerate(TIER_FLOORS[:-1])
    return case(*((priority >= floor, rank) for rank, floor in floors), else_=len(TIER_FLOORS) - 1)


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


def _display_order(session: Session, team_id: int | None, **window: Any) -> Any:
    """`ranking_query`'s rows with what the display order needs: their tier, their reason group's top priority
    (groups by their top priority, then by name as Python compares strings: byte order; a missing reason
    last), and that order."""
    r = _ranked(session, team_id, **window).c
    tier = _tier(r.priority)
    key: ColumnElement[Any] = case((or_(r.reason.is_(None), r.reason == ""), literal("~")), else_=r.reason)
    reason: ColumnElement[Any] = r.reason
    if session.get_bind().dialect.name == "postgresql":  # Python's order, not the database locale's (and
        key, reason = key.collate("C"), reason.collate("C")  # byte comparisons sort far faster)
    grouped = select(
        r.id,
        tier.label("tier"),
        func.max(r.priority).over(partition_by=(tier, reason)).label("top"),
        key.label("key"),
        reason.label("reason"),
        r.priority,
        r.sentiment,
        r.received_at,
    ).subquery("grouped")
    g = grouped.c
    no_reason = case((g.reason.is_(None), 1), else_=0)
    return g, (g.tier, g.top.desc(), g.key, no_reason, g.reason, *_rank_order(g))


def display_ids_query(
    session: Session,
    team_id: int | None,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    skip_run: int | None = None,
) -> Select[Any]:
    """The ids of `ranking_query` in the digest's display order (`digest.ordered_items`'s), ordered by the
    store: tiers (most urgent first), then reason groups by their top priority (then by name, as Python
    compares strings: byte order), then the ranking order. Only ids come back. `skip_run`: less the items
    of that run's message pages (the rest is its overflow file, in the same order)."""
    g, order = _display_order(session, team_id, start=start, end=end, now=now)
    query = select(g.id).order_by(*order)
    if skip_run is None:
        return query
    p = table_of(DigestPageItem).c  # after the groups' tops are taken over every item
    return query.where(g.id.not_in(select(p.verbatim_id).where(p.run_id == skip_run)))


Group = tuple[int, str | None]  # (tier rank: 0 most urgent, reason)


def group_counts_query(
    session: Session, team_id: int | None, *, start: datetime, end: datetime, now: datetime
) -> Select[Any]:
    """One pass over the digest's items, a few thousand rows back whatever their number: (priority, reason,
    score, scale, count). Their tiers, the reason groups' sizes and tops say which groups fill the message
    pages (`display_groups`); the (score, scale) counts are the header's figures. (Grouped by priority,
    not tier: the store computes each row's priority once.)"""
    r = _ranked(session, team_id, start=start, end=end, now=now, materialized=False).c
    return select(r.priority, r.reason, r.score, r.scale, func.count()).group_by(
        r.priority, r.reason, r.score, r.scale
    )


def display_groups(tops: dict[Group, int]) -> list[Group]:
    """The reason groups in `display_ids_query`'s order: tier, top priority (highest first), name ("~" for
    none, compared as Python compares strings), a missing reason after an empty one."""
    return sorted(tops, key=lambda g: (g[0], -tops[g], g[1] or "~", g[1] is None, g[1] or ""))


def first_ids_query(
    session: Session,
    team_id: int | None,
    groups: list[Group],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    limit: int,
) -> Select[Any]:
    """The first `limit` ids of `display_ids_query`, given the first reason groups in display order that hold
    them (`display_groups`): only rows that can be in those groups are read (their reasons, and a stored
    priority that the age points can lift into the lowest of their tiers), and only `limit` kept."""
    c = table_of(Verbatim).c
    reasons = {reason for _, reason in groups}
    named = c.reason.in_(sorted(r for r in reasons if r is not None))
    lowest_floor = min(TIER_FLOORS[rank] for rank, _ in groups)
    only = (
        or_(named, c.reason.is_(None)) if None in reasons else named,
        c.priority_base >= lowest_floor - AGE_CAP,
    )
    r = _ranked(session, team_id, start=start, end=end, now=now, materialized=False, only=only).c
    tier = _tier(r.priority)
    rank = case(
        *(
            (and_(tier == rank_of_tier, r.reason.is_(None) if reason is None else r.reason == reason), n)
            for n, (rank_of_tier, reason) in enumerate(groups)
        ),
        else_=None,
    )
    candidates = select(r.id, rank.label("g"), r.priority, r.sentiment, r.received_at).subquery("candidates")
    k = candidates.c
    return select(k.id).where(k.g.is_not(None)).order_by(k.g, *_rank_order(k)).limit(limit)


def first_ids_and_counts(
    session: Session, team_id: int | None, *, start: datetime, now: datetime, limit: int
) -> tuple[list[int], dict[tuple[int | None, str], int]]:
    """What planning a digest at `now` needs of its items, in two statements: the first `limit` ids in display
    order (the message pages) and the number of items for each (score, scale) (their count and header).
    No statement sorts every item: one groups them, the other sorts only the first groups' rows."""
    window = {"start": start, "end": now, "now": now}
    tops: dict[Group, int] = {}
    sizes: dict[Group, int] = {}
    counts: dict[tuple[int | None, str], int] = {}
    for priority, reason, score, scale, n in session.connection().execute(
        group_counts_query(session, team_id, **window)
    ):
        group = (tier_rank(priority), reason)
        tops[group], sizes[group] = max(tops.get(group, priority), priority), sizes.get(group, 0) + n
        counts[(score, scale)] = counts.get((score, scale), 0) + n
    groups: list[Group] = []
    for group in display_groups(tops):
        if sum(sizes[g] for g in groups) >= limit:
            break
        groups.append(group)
    if not groups:
        return [], counts
    query = first_ids_query(session, team_id, groups, limit=limit, **window)
    return list(session.connection().execute(query).scalars()), counts


def tier_rank(priority: int) -> int:
    """0 for the most urgent tier (as `_tier` in SQL)."""
    return next(rank for rank, floor in enumerate(TIER_FLOORS) if priority >= floor)
