"""Test data built through the real import path (validation, triage, dedup)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.db import session_scope
from bot.services.customers.importer import ImportOptions, import_rows
from bot.services.customers.records import RecordMapping
from bot.services.customers.taxonomy import load_taxonomy
from bot.services.people.teams import save_team
from bot.sources.files import SourceRow
from models.team import Team

TAXONOMY = load_taxonomy()


def make_team(
    factory,
    *,
    name: str = "Care",
    channel: str = "C0SUPPORT",
    now: datetime,  # type: ignore[no-untyped-def]
    timezone: str = "Europe/Paris",
    digest_at: str = "08:30",
    empty_note: bool = False,
    language: str | None = None,
) -> Team:
    with session_scope(factory) as session:
        return save_team(
            session,
            name=name,
            now=now,
            channel_id=channel,
            timezone=timezone,
            digest_at=digest_at,
            post_empty_digest=empty_note,
            language=language,
        )


def add_verbatims(factory, records: list[dict], *, now: datetime, source: str = "test"):  # type: ignore[no-untyped-def]
    rows = (SourceRow(n, r) for n, r in enumerate(records, start=1))
    report = import_rows(
        factory,
        rows,
        options=ImportOptions(source=source, mapping=RecordMapping()),
        taxonomy=TAXONOMY,
        now=now,
    )
    assert report.written, report.rejects
    return report


def record(
    n: int,
    *,
    now: datetime,
    text: str = "ok",
    score: int | None = 8,
    scale: str = "nps",
    team: str = "Care",
    hours_ago: float = 5,
    **extra: object,
) -> dict:
    return {
        "external_id": f"r{n}",
        "received_at": (now - timedelta(hours=hours_ago)).isoformat(),
        "text": text,
        "score": score,
        "scale": scale,
        "team": team,
        **extra,
    }


def answer(session, question: str, *, now: datetime) -> str:  # type: ignore[no-untyped-def]
    """The terminal's answer (all teams, UTC, no chart) to a KPI question."""
    from zoneinfo import ZoneInfo

    from bot.services.kpi.ask import ask

    reply = ask(
        session,
        text=question,
        metric=None,
        asker=None,
        now=now,
        default_tz=ZoneInfo("UTC"),
        slack_admins_are_admins=False,
        with_chart=False,
        markdown=False,
    )
    return reply.text


def add_team(session, name: str, *, now: datetime) -> int:  # type: ignore[no-untyped-def]
    """A bare team row in an open session (flushed, not committed); its id."""
    row = Team(name=name, created_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def kpi_query(metric: str, period, **kw: object):  # type: ignore[no-untyped-def]
    """A parsed KPI question for `metric` over `period`, with no filter unless given."""
    from bot.services.kpi.questions import KpiQuery

    fields: dict = {
        "team": None,
        "channel": None,
        "reason": None,
        "agent": None,
        "breakdown": None,
        "trend": None,
        "trend_unit": None,
        "share": False,
        "understood": (),
    }
    return KpiQuery(metric=metric, period=period, period_given=True, **{**fields, **kw})
