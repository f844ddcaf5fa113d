"""Stores for bench_survey.py: a closed-round-to-be of N answers, and survey rounds beside 1M verbatims."""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, date, datetime, timedelta

from common import NOW, OUT, fresh_store, percentiles

from bot.db import session_scope


def _big_round(store, answers: int, rng: random.Random) -> int:  # type: ignore[no-untyped-def]
    from bot.services.people.teams import save_team
    from models.survey import SurveyAnswered, SurveyDelivery, SurveyResponse, SurveyRound

    with session_scope(store.factory) as session:
        team = save_team(session, name="Care", now=NOW, channel_id="C0CARE", timezone="Europe/Paris")
        team.managers_channel = "C0MGRS"
        r = SurveyRound(
            team_id=team.id,
            number=1,
            opens_on=NOW.date(),
            driver="workload",
            threshold=5,
            opened_at=NOW,
            remind_at=NOW,
            closes_at=NOW + timedelta(days=3),
        )
        session.add(r)
        session.flush()
        reasons = ["delivery", "billing", "waiting_time", "pricing", "refund"]
        session.add_all(
            [
                SurveyDelivery(
                    round_id=r.id,
                    slack_user_id=f"U{n:06d}",
                    due_at=NOW,
                    status="sent",
                    channel_id=f"D{n:06d}",
                    ts=f"1.{n}",
                )
                for n in range(answers)
            ]
        )
        session.add_all([SurveyAnswered(round_id=r.id, person=f"a{n:063d}") for n in range(answers)])
        session.add_all(
            [
                SurveyResponse(
                    round_id=r.id,
                    respondent=f"r{n:063d}",
                    team_id=team.id,
                    answered_on=NOW.date(),
                    quality=rng.randint(0, 10),
                    recommend=rng.randint(0, 10),
                    enps=rng.randint(0, 10),
                    driver_score=rng.randint(1, 5),
                    reason=rng.choice(reasons),
                    comment=f"comment {n}" if n % 10 == 0 else None,
                )
                for n in range(answers)
            ]
        )
        return r.id  # type: ignore[return-value]


def bench_close(args: argparse.Namespace, db: str) -> list[object]:
    from bot.clock import FixedClock
    from bot.entry.deps import Deps
    from bot.sandbox.harness import sandbox_settings
    from bot.services.employees.survey_results import close_round
    from jobs.survey_close import render_results

    store = fresh_store(db, "survey_close")
    try:
        round_id = _big_round(store, args.answers, random.Random(3))
        deps = Deps(
            settings=sandbox_settings("sqlite://", "http://127.0.0.1:9/api/"),
            factory=store.factory,
            clock=FixedClock(NOW),
        )
        deps.taxonomy, deps.survey_questions  # noqa: B018 - loaded before the clock starts
        t0 = time.perf_counter()
        with session_scope(store.factory) as session:
            close_round(session, round_id=round_id, now=NOW + timedelta(days=3))
        t1 = time.perf_counter()
        with session_scope(store.factory) as session:
            blocks, _ = render_results(deps, session, round_id, kind="managers")
            render_results(deps, session, round_id, kind="team")
        t2 = time.perf_counter()
        return [
            "close + render",
            db,
            args.answers,
            f"{(t1 - t0) * 1000:.0f}",
            f"{(t2 - t1) * 1000:.0f}",
            f"{(t2 - t0) * 1000:.0f}",
            len(blocks),
        ]
    finally:
        store.close()


def bench_report(args: argparse.Namespace, db: str) -> list[object]:
    from bench_store import ensure_store
    from sqlalchemy import text

    from bot.db import make_engine, session_factory, upgrade
    from bot.services.customers.taxonomy import load_taxonomy
    from bot.services.reports.symmetry_service import report_for

    args.out, args.end, args.rebuild, args.postgres_url = (
        OUT,
        NOW,
        False,
        "postgresql://postgres@127.0.0.1:5432/test",
    )
    url, schema = ensure_store(db, args.verbatims, args)
    engine = make_engine(url, schema=schema)
    upgrade(engine)
    keys = {
        "Delivery": "delivery",
        "Refund": "refund",
        "Billing": "billing",
        "Wait time": "waiting_time",
        "Price": "pricing",
        "Login": "account_access",
        "Website": "website_app",
        "Returns": "returns",
    }
    with engine.begin() as conn:
        cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in keys.items())
        conn.execute(
            text(f"UPDATE verbatim SET reasons = CASE reason {cases} ELSE 'order' END WHERE reasons = ''")
        )
        conn.execute(text("DELETE FROM survey_response"))
        conn.execute(text("DELETE FROM survey_round"))
        conn.execute(
            text("ANALYZE verbatim" if db == "postgres" else "ANALYZE")
        )  # reasons changed: fresh statistics
    factory = session_factory(engine)
    rng = random.Random(9)
    with session_scope(factory) as session:
        _bench_rounds(session, args.answers, rng)
    taxonomy = load_taxonomy()
    times = []
    for _ in range(args.runs + 1):
        t0 = time.perf_counter()
        with session_scope(factory) as session:
            report = report_for(
                session,
                team="Support FR",
                period="last 13 weeks",
                language="en",
                taxonomy=taxonomy,
                now=NOW,
                viewer=None,
                slack_admins_are_admins=True,
            )
        times.append(time.perf_counter() - t0)
    p50, p95 = percentiles(times[1:])
    engine.dispose()
    return [
        "symmetry report",
        db,
        f"{args.verbatims:,}",
        args.answers,
        f"{p50 * 1000:.0f}",
        f"{p95 * 1000:.0f}",
        report.pairs[0].customers_n,
        report.headline[:60],
    ]


def _bench_rounds(session, answers: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    from models.survey import SurveyResponse, SurveyRound

    weeks = 13
    for w in range(weeks):
        day = date(2026, 11, 16) - timedelta(weeks=w)
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        r = SurveyRound(
            team_id=1,
            number=weeks - w,
            opens_on=day,
            status="closed",
            driver="tools",
            threshold=5,
            opened_at=at,
            remind_at=at,
            closes_at=at + timedelta(days=3),
            results=json.dumps({"shown": True}),
        )
        session.add(r)
        session.flush()
        session.add_all(
            [
                SurveyResponse(
                    round_id=r.id,
                    respondent=f"{w}-{n}",
                    team_id=1,
                    answered_on=day,
                    quality=rng.randint(5, 10),
                    recommend=rng.randint(5, 10),
                    reason=rng.choice(["pricing", "delivery", "billing"]),
                )
                for n in range(answers // weeks)
            ]
        )
