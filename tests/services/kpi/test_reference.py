"""The service against a plain reference: load every row, convert to local time, count in Python.

Generated stores (seeded) with responses piled up around local midnights and DST changes, in
timezones with whole, half and 45-minute offsets. Every period, group and week/month bucket must
match exactly, on SQLite and on Postgres.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select
from sqlmodel import Session

from bot.services.kpi.engine import MIN_GROUP_SIZE, KpiAnswer, compute_kpi
from bot.services.kpi.periods import Period, parse_period, trend_period
from bot.services.kpi.questions import KpiQuery
from bot.services.kpi.stats import csat_counts, nps_counts
from models.team import Team
from models.verbatim import Verbatim
from tests.factories import kpi_query

TODAY = date(2026, 11, 23)
ZONES = [ZoneInfo(z) for z in ("Europe/Paris", "UTC", "Asia/Kolkata", "America/New_York", "Pacific/Chatham")]
CHANNELS = ["Email", "email", "EMAIL", "Téléphone", "TÉLÉPHONE", "Chat", None]
REASONS = ["Délai", "délai", "Refund", None]
AGENTS = ["Zoé", "ZOÉ", "Sam", "Ana", None]
LEVELS = ["L1", "L2", None]
PERIODS = [
    "last week",
    "this month",
    "last month",
    "2026-03-23..2026-04-05",
    "2026-10-19..2026-11-08",
    "last 90 days",
    "yesterday",
]
BREAKDOWNS = [None, "channel", "team", "reason", "agent", "processing_level", "week", "month"]
GROUP_COLUMN = {"team": "team_id"}


@dataclass(frozen=True)
class Row:
    received_at: datetime
    score: int | None
    scale: str
    channel: str | None
    reason: str | None
    team_id: int | None
    agent: str | None
    processing_level: str | None


def build_store(session: Session, seed: int, rows: int) -> dict[int, str]:
    rnd = random.Random(seed)
    teams = [Team(name=n, created_at=datetime(2026, 1, 1, tzinfo=UTC)) for n in ("Paris", "Lyon", "Pune")]
    session.add_all(teams)
    session.flush()
    ids = [t.id for t in teams] + [None]
    start = datetime(2026, 2, 1, tzinfo=UTC)
    values = []
    for i in range(rows):
        if rnd.random() < 0.4:  # right around a local midnight somewhere
            day = start.date() + timedelta(days=rnd.randrange(295))
            at = datetime.combine(day, time(0), tzinfo=rnd.choice(ZONES)) + timedelta(
                minutes=rnd.randint(-40, 40)
            )
        else:
            at = start + timedelta(seconds=rnd.randrange(295 * 86400))
        scale = rnd.choice(["nps", "nps", "csat", "csat", "stars"])
        score = None if rnd.random() < 0.05 else rnd.randint(0, 10) if scale == "nps" else rnd.randint(1, 5)
        values.append(
            {
                "source": "ref",
                "external_id": f"r{i}",
                "received_at": at.astimezone(UTC),
                "text": "",
                "score": score,
                "scale": scale,
                "channel": rnd.choice(CHANNELS),
                "reason": rnd.choice(REASONS),
                "team_id": rnd.choice(ids),
                "agent": rnd.choice(AGENTS),
                "processing_level": rnd.choice(LEVELS),
                "imported_at": start,
            }
        )
    session.execute(insert(Verbatim), values)
    session.flush()
    return {t.id: t.name for t in teams}  # type: ignore[misc]


def load_rows(session: Session) -> list[Row]:
    v = Verbatim.__table__.c  # type: ignore[attr-defined]
    cols = [v.received_at, v.score, v.scale, v.channel, v.reason, v.team_id, v.agent, v.processing_level]
    return [Row(*r) for r in session.execute(select(*cols))]


# --- the reference: nothing clever, local dates and Python counting ---------------------------------------


def counts(metric: str, rows: list[Row]):  # type: ignore[no-untyped-def]
    scores = [r.score for r in rows if r.score is not None]
    return nps_counts(scores) if metric == "nps" else csat_counts(scores)


def in_period(rows: list[Row], period: Period, tz: ZoneInfo) -> list[Row]:
    return [r for r in rows if period.start <= r.received_at.astimezone(tz).date() <= period.end]


def selected(rows: list[Row], query: KpiQuery, teams: set[int] | None) -> list[Row]:
    keep = [r for r in rows if r.scale == query.metric and r.score is not None]
    for name in ("channel", "reason", "agent"):
        wanted = getattr(query, name)
        if wanted:
            keep = [r for r in keep if (getattr(r, name) or "").casefold() == wanted.casefold()]
    return [r for r in keep if teams is None or r.team_id in teams]


def bucket_start(day: date, unit: str, period: Period) -> date:
    start = day - timedelta(days=day.weekday()) if unit == "week" else day.replace(day=1)
    return max(start, period.start)


def reference(rows: list[Row], query: KpiQuery, tz: ZoneInfo, teams: set[int] | None, names: dict) -> dict:
    rows = selected(rows, query, teams)
    current = in_period(rows, query.period, tz)
    out: dict = {
        "now": counts(query.metric, current),
        "before": counts(query.metric, in_period(rows, query.period.previous(), tz)),
    }
    groups: dict = defaultdict(list)
    unit = query.trend_unit if query.trend else query.breakdown
    for r in current:
        if unit in ("week", "month"):
            groups[bucket_start(r.received_at.astimezone(tz).date(), unit, query.period)].append(r)
        elif query.breakdown:
            value = getattr(r, GROUP_COLUMN.get(query.breakdown, query.breakdown))
            groups[_key(names.get(value) if query.breakdown == "team" else value)].append(r)
    out["groups"] = {k: _shown(counts(query.metric, g)) for k, g in groups.items()}
    return out


def _key(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def _shown(c) -> tuple[int, float | None]:  # type: ignore[no-untyped-def]
    return (c.n, c.value if c.n >= MIN_GROUP_SIZE else None)


def from_service(answer: KpiAnswer, query: KpiQuery) -> dict:
    out: dict = {"now": answer.counts, "before": answer.previous_counts}
    if answer.points:
        out["groups"] = {p.start: (p.n, p.value) for p in answer.points if p.n}
    elif answer.breakdown in ("week", "month"):
        out["groups"] = {r.start: (r.n, r.value) for r in answer.rows if r.n}
    else:
        out["groups"] = {
            _key(None if r.label in ("(not set)", "(no team)") else r.label): (r.n, r.value)
            for r in answer.rows
        }
    return out


def query(metric: str, period: Period, **kw: object) -> KpiQuery:
    return kpi_query(metric, period, **kw)  # type: ignore[no-any-return]


def check(
    session: Session, rows: list[Row], q: KpiQuery, tz: ZoneInfo, names: dict, teams: set[int] | None
) -> None:
    answer = compute_kpi(session, q, tz=tz, team_ids=teams)
    expected = reference(rows, q, tz, teams if not q.team else {_id(names, q.team)}, names)
    assert from_service(answer, q) == expected, (q.metric, q.period.label, q.breakdown, q.trend, tz.key)
    shown = [r.value for r in answer.rows if not r.too_small]
    if answer.breakdown not in ("week", "month"):
        assert shown == sorted(shown, reverse=True)
        assert all(r.too_small for r in answer.rows[len(shown) :])


def _id(names: dict, team: str) -> int:
    return next(i for i, n in names.items() if n.casefold() == team.casefold())


@pytest.mark.parametrize("seed", [7])
def test_every_period_and_group_matches_the_reference(session: Session, seed: int) -> None:
    names = build_store(session, seed, rows=2500)
    rows = load_rows(session)
    for tz in ZONES:
        for text in PERIODS:
            period = parse_period(text, today=TODAY)
            for breakdown in BREAKDOWNS:
                for metric in ("nps", "csat"):
                    check(session, rows, query(metric, period, breakdown=breakdown), tz, names, None)


def test_trends_match_the_reference_week_by_week_and_month_by_month(session: Session) -> None:
    names = build_store(session, 11, rows=2500)
    rows = load_rows(session)
    for tz in ZONES:
        for count, unit in ((12, "week"), (9, "month"), (40, "week")):
            q = query("nps", trend_period(count, unit, today=TODAY), trend=count, trend_unit=unit)  # type: ignore[arg-type]
            check(session, rows, q, tz, names, None)


def test_filters_and_visibility_match_the_reference(session: Session) -> None:
    names = build_store(session, 23, rows=2500)
    rows = load_rows(session)
    paris, lyon = (_id(names, "Paris"), _id(names, "Lyon"))
    period = parse_period("last 90 days", today=TODAY)
    cases = [
        {"channel": "email"},
        {"channel": "téléphone", "breakdown": "agent"},
        {"reason": "DÉLAI"},
        {"agent": "zoé", "breakdown": "week"},
        {"team": "lyon", "breakdown": "channel"},
        {"breakdown": "team"},
        {"channel": "chat", "reason": "refund", "breakdown": "processing_level"},
    ]
    for tz in (ZONES[0], ZONES[2]):
        for kw in cases:
            for teams in (None, {paris, lyon}):
                if kw.get("team") and teams is not None and _id(names, kw["team"]) not in teams:
                    continue
                check(session, rows, query("csat", period, **kw), tz, names, teams)
