"""The daily digest: what a team gets each morning, ranked by treatment priority.

Items are the team's untreated verbatims imported since its last digest. They are re-scored with
the current time (age counts), then shown in priority tiers (urgent >= 70, high >= 45, then the
rest); inside a tier, grouped by reason for contact (groups by their top priority), each group
highest priority first. So the most urgent always come first and like reasons sit together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Row
from sqlmodel import Session, select

from bot import scales
from bot.clock import ensure_utc
from bot.scales import is_detractor
from bot.services.customers.priority import compute_priority
from bot.services.customers.ranking import display_ids_query, ranking_query
from bot.services.kpi.stats import CsatCounts, NpsCounts, csat_counts, nps_counts
from models.digest import DigestRun
from models.team import Team
from models.types import table_of
from models.verbatim import Status, Verbatim

JOB_ID = "daily-digest"
TIERS = tuple((tier.floor, tier.name) for tier in scales.DIGEST_TIERS)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ID_CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class DigestItem:
    id: int
    priority: int
    why: str
    score: int | None
    scale: str
    reason: str | None
    channel: str | None
    agent: str | None
    text: str
    language: str
    received_at: datetime
    status: str
    claimed_by: str | None
    treated_by: str | None


@dataclass(frozen=True, slots=True)
class DigestSummary:
    team: str
    day: date
    new: int
    detractors: int
    nps: float | None
    nps_n: int
    csat: float | None
    csat_n: int
    language: str = "en"  # the team's: group headers and reason labels of its pages are in it


class Ranked(NamedTuple):
    """What ranking, paging and the summary need of an item: no text, explanation or people."""

    id: int
    priority: int
    received_at: datetime
    reason: str | None
    score: int | None
    scale: str


Item = TypeVar("Item", DigestItem, Ranked)


@dataclass(frozen=True, slots=True)
class DigestGroup:
    tier: str
    reason: str | None
    items: tuple[DigestItem, ...]


ITEM_COLUMNS = (  # what a page shows of an item, and what re-scoring it needs
    "id",
    "priority",
    "priority_why",
    "score",
    "scale",
    "reason",
    "channel",
    "agent",
    "text",
    "language",
    "received_at",
    "status",
    "claimed_by",
    "treated_by",
    "sentiment",
    "sentiment_label",
    "risks",
)


def local_day(now: datetime, team: Team) -> date:
    return now.astimezone(ZoneInfo(team.timezone)).date()


def digest_window_start(session: Session, team: Team) -> datetime:
    """The end of the last digest posted for the team (everything untreated before, for the first one)."""
    last = session.exec(
        select(func.max(DigestRun.window_end)).where(DigestRun.team_id == team.id, DigestRun.job == JOB_ID)
    ).one()
    if last is None:
        return EPOCH
    return ensure_utc(last)


def rank_for_digest(
    session: Session, team: Team, *, start: datetime, end: datetime, now: datetime
) -> list[Ranked]:
    """Untreated, non-history verbatims of the team imported in (start, end], highest priority first (the worse reading
    first among equals), ranked by the store: the stored age-free priority plus the age points at `now`, in
    SQL (`ranking.ranking_query`). Only what paging and the summary need is read; a page's texts,
    explanations and people are loaded when it is shown (`load_items`). `ordered_items` gives display order."""
    query = ranking_query(session, team.id, start=start, end=end, now=now)
    rows = session.connection().execute(query).all()
    return [
        Ranked(id_, priority, _as_utc(received), reason, score, scale)
        for id_, priority, received, reason, score, scale in rows
    ]


def display_ids(session: Session, team: Team, *, start: datetime, end: datetime, now: datetime) -> list[int]:
    """`rank_for_digest`'s ids in `ordered_items`'s display order, put in that order by the store (pages are cut
    from it): only ids are read, however many items the digest has."""
    query = display_ids_query(session, team.id, start=start, end=end, now=now)
    return list(session.connection().execute(query).scalars())


def _as_utc(value: datetime | str) -> datetime:
    """A stored UTC timestamp as SQLite (text) or Postgres (datetime) hands it back, tz-aware."""
    return ensure_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def summarise_run(
    session: Session, team: Team, day: date, *, start: datetime, end: datetime
) -> DigestSummary:
    """`summarise` of a planned digest's items, counted by the store without their ids: the team's verbatims
    imported in (start, end] that were not treated when it was planned at `end` (a verbatim is never
    reopened, and treating one records when). A few rows come back, whatever the number of items.
    (A run keeps these figures when it is planned: this counts them for a run planned before it did.)"""
    c = table_of(Verbatim).c
    untreated_then = or_(c.status != Status.TREATED.value, c.treated_at.is_(None), c.treated_at > end)
    query = (
        sa_select(c.score, c.scale, func.count())
        .where(c.team_id == team.id, c.imported_at > start, c.imported_at <= end, untreated_then)
        .where(c.history == False)  # noqa: E712
        .group_by(c.score, c.scale)
    )
    counts = {(score, scale): n for score, scale, n in session.connection().execute(query)}
    return summary_from_counts(team, day, counts)


def summary_from_counts(team: Team, day: date, counts: Mapping[tuple[int | None, str], int]) -> DigestSummary:
    """`summarise` of items given as their number for each (score, scale): the same figures, counted once."""
    nps = NpsCounts(0, 0, 0)
    csat = CsatCounts(0, 0, 0)
    detractors = 0
    for (score, scale), n in counts.items():
        if score is None:  # text-only feedback has no scale ('')
            continue
        detractors += n if is_detractor(score, scale) else 0
        if scale == "nps":
            one = nps_counts([score])
            nps = NpsCounts(
                nps.promoters + n * one.promoters,
                nps.passives + n * one.passives,
                nps.detractors + n * one.detractors,
            )
        elif scale == "csat":
            one_csat = csat_counts([score])
            csat = CsatCounts(csat.satisfied + n * one_csat.satisfied, csat.n + n, csat.total + n * score)
    return DigestSummary(
        language=team.language or "en",
        team=team.name,
        day=day,
        new=sum(counts.values()),
        detractors=detractors,
        nps=nps.value,
        nps_n=nps.n,
        csat=csat.value,
        csat_n=csat.n,
    )


def load_items(session: Session, ids: list[int], *, now: datetime) -> list[DigestItem]:
    """The items of one digest page, in the page's order, with their current status."""
    if not ids:
        return []
    c = table_of(Verbatim).c
    rows = [
        row
        for start in range(0, len(ids), ID_CHUNK)  # Postgres takes at most 65,535 parameters
        for row in session.connection().execute(
            sa_select(*(c[name] for name in ITEM_COLUMNS)).where(c.id.in_(ids[start : start + ID_CHUNK]))
        )
    ]
    by_id = {row.id: item_from_row(row, now) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def item_from_row(row: Row, now: datetime) -> DigestItem:
    received = ensure_utc(row.received_at)
    priority = compute_priority(
        score=row.score,
        scale=row.scale,
        sentiment=row.sentiment,
        sentiment_label=row.sentiment_label,
        risks=[r for r in row.risks.split(",") if r],
        received_at=received,
        now=now,
    )
    return DigestItem(
        id=row.id,
        priority=priority.value,
        why=priority.why,
        score=row.score,
        scale=row.scale,
        reason=row.reason,
        channel=row.channel,
        agent=row.agent,
        text=row.text,
        language=row.language,
        received_at=received,
        status=row.status,
        claimed_by=row.claimed_by,
        treated_by=row.treated_by,
    )


def tier_of(priority: int) -> str:
    return next(name for floor, name in TIERS if priority >= floor)


def ordered_items(items: Sequence[Item]) -> list[Item]:
    """The digest's display order: tiers first (most urgent first), then reason groups inside a tier (groups
    by their top priority), each group by priority. `items` must be sorted by priority, highest first (as
    `rank_for_digest` returns them). Pages are cut from this order."""
    return [item for _, _, members in _grouped(items) for item in members]


def _grouped(items: Sequence[Item]) -> list[tuple[str, str | None, list[Item]]]:
    by_tier: dict[str, dict[str | None, list[Item]]] = {name: defaultdict(list) for _, name in TIERS}
    for item in items:
        by_tier[tier_of(item.priority)][item.reason].append(item)
    groups: list[tuple[str, str | None, list[Item]]] = []
    for _, tier in TIERS:
        ordered = sorted(by_tier[tier].items(), key=lambda kv: (-kv[1][0].priority, kv[0] or "~"))
        groups.extend((tier, reason, members) for reason, members in ordered)
    return groups


def summarise(team: Team, day: date, items: Sequence[DigestItem | Ranked]) -> DigestSummary:
    nps_scores = [i.score for i in items if i.scale == "nps" and i.score is not None]
    csat_scores = [i.score for i in items if i.scale == "csat" and i.score is not None]
    nps, csat = nps_counts(nps_scores), csat_counts(csat_scores)
    return DigestSummary(
        language=team.language or "en",
        team=team.name,
        day=day,
        new=len(items),
        detractors=sum(1 for i in items if i.score is not None and is_detractor(i.score, i.scale)),
        nps=nps.value,
        nps_n=nps.n,
        csat=csat.value,
        csat_n=csat.n,
    )


def due_today(team: Team, now: datetime) -> bool:
    """Is it past the team's local digest time?"""
    local = now.astimezone(ZoneInfo(team.timezone))
    hour, minute = (int(p) for p in team.digest_at.split(":"))
    return (local.hour, local.minute) >= (hour, minute)
