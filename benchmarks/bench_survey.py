"""The weekly survey's numbers: fan-out at Slack's rate, closing a big round, the symmetry report.

    .venv/bin/python benchmarks/bench_survey.py                       # everything, issue sizes
    .venv/bin/python benchmarks/bench_survey.py --people 500 --rate 25 --parts fanout,kill   # quick

fanout  N people, the stand-in limiting chat.postMessage to --rate per second (bursts of --burst)
        and failing --errors of calls (half 429 + Retry-After, half 500). The pacer runs in its own
        process (the real job code). ratio = time to reach everyone / floor, floor = (N - burst) / rate,
        the least time the limit allows. lost = people without a DM, duplicated = people with two.
kill    the same, killed with SIGKILL once half the DMs are out, then restarted: time counts both runs.
close   closing a round of --answers answers (10% with comments) and rendering the managers' and
        team's messages, on SQLite and Postgres.
report  the symmetry report for one team over the last 13 weeks, in a store of --verbatims customer
        verbatims (benchmarks/bench_store.py, reasons filled) plus --answers employee answers: p50/p95.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import NOW, OUT, fresh_store, machine_note, percentiles, table  # noqa: E402

from bot.db import session_scope  # noqa: E402


def _fanout_setup(people: int, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bot.sandbox import SlackStandIn
    from bot.sandbox.harness import BOT_TOKEN
    from bot.services.employees.survey_questions import load_questions
    from bot.services.employees.surveys import Member, open_round
    from bot.services.people.teams import save_team

    slack = SlackStandIn(bot_token=BOT_TOKEN, seed=False).start()
    ids = [f"U{n:06d}" for n in range(people)]
    for uid in ids:
        slack.add_user(uid, uid.lower())
    slack.sustained_rate("chat.postMessage", args.rate, args.burst)
    slack.inject_errors("chat.postMessage", args.errors, seed=5)
    store = fresh_store("sqlite", "survey_fanout")
    with session_scope(store.factory) as session:
        team = save_team(session, name="Care", now=NOW, channel_id="C0CARE", timezone="Europe/Paris")
        open_round(session, team=team, members=[Member(u) for u in ids], bank=load_questions(), now=NOW)
    return slack, store, ids


def _child(store, slack, args):  # type: ignore[no-untyped-def]
    cmd = [
        sys.executable,
        "-m",
        "tests.jobs.survey_fanout_child",
        store.url,
        slack.api_url,
        str(args.rate),
        str(max(1.0, args.burst - 2)),  # the pacer keeps two of Slack's burst in reserve (latency jitter)
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)


def _counts(slack, ids: list[str]) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    per = [len(slack.messages(u)) for u in ids]
    return sum(1 for c in per if c), sum(1 for c in per if c == 0), sum(1 for c in per if c > 1)


def _sent(store) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM survey_delivery WHERE status = 'sent'")).scalar())


def _field(line: str, name: str) -> float:
    return float(next(w for w in line.split() if w.startswith(name + "=")).split("=")[1])


def bench_fanout(args: argparse.Namespace, *, kill: bool) -> list[object]:
    slack, store, ids = _fanout_setup(args.people, args)
    try:
        child = _child(store, slack, args)
        started = _field(child.stdout.readline(), "started")  # type: ignore[union-attr]
        spent = 0.0
        if kill:
            while _sent(store) < len(ids) // 2:  # the ledger, not the stand-in: polling must not slow Slack
                time.sleep(0.05)
            child.send_signal(signal.SIGKILL)
            child.wait()
            spent = time.time() - started
            child = _child(store, slack, args)
            child.stdout.readline()  # type: ignore[union-attr]
        last = child.stdout.read()  # type: ignore[union-attr]
        child.wait()
        spent += _field(last, "elapsed")
        print("  pacer:", last.strip(), flush=True)
        reached, lost, dup = _counts(slack, ids)
        floor = (len(ids) - args.burst) / args.rate
        calls = slack.calls_to("chat.postMessage")
        faults = sum(1 for c in calls if c.http_status != 200)
        return [
            "fanout + kill -9" if kill else "fanout",
            len(ids),
            f"{args.rate:g}/s",
            f"{spent:.1f}",
            f"{floor:.1f}",
            f"{spent / floor:.3f}",
            lost,
            dup,
            f"{faults} of {len(calls)}",
            last.split("sent=")[1].split()[0] if "sent=" in last else "?",
        ]
    finally:
        slack.stop()
        store.close()


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
        conn.execute(text("ANALYZE verbatim" if db == "postgres" else "ANALYZE"))  # reasons changed: fresh statistics
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
    import json

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
                    answered_on=day,
                    quality=rng.randint(5, 10),
                    recommend=rng.randint(5, 10),
                    reason=rng.choice(["pricing", "delivery", "billing"]),
                )
                for n in range(answers // weeks)
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default="fanout,kill,close,report")
    parser.add_argument("--people", type=int, default=int(os.environ.get("BENCH_SURVEY_PEOPLE", 5000)))
    parser.add_argument(
        "--rate", type=float, default=20.0, help="chat.postMessage per second the stand-in allows"
    )
    parser.add_argument("--burst", type=float, default=None, help="default: three seconds' worth (3 x rate)")
    parser.add_argument("--errors", type=float, default=0.05, help="share of calls failing (429/500)")
    parser.add_argument("--answers", type=int, default=5000)
    parser.add_argument("--verbatims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", default="sqlite,postgres")
    args = parser.parse_args()
    args.burst = args.burst or 3 * args.rate
    parts = args.parts.split(",")
    print(machine_note())
    if fan := [
        bench_fanout(args, kill=k) for k, name in ((False, "fanout"), (True, "kill")) if name in parts
    ]:
        print(
            table(
                [
                    "run",
                    "people",
                    "limit",
                    "time s",
                    "floor s",
                    "ratio",
                    "lost",
                    "duplicated",
                    "429/500 injected",
                    "sent",
                ],
                fan,
            )
        )
    dbs = args.db.split(",")
    if "close" in parts:
        print(
            table(
                ["run", "store", "answers", "close ms", "render ms", "total ms", "blocks"],
                [bench_close(args, d) for d in dbs],
            )
        )
    if "report" in parts:
        print(
            table(
                ["run", "store", "verbatims", "answers", "p50 ms", "p95 ms", "customers n", "headline"],
                [bench_report(args, d) for d in dbs],
            )
        )


if __name__ == "__main__":
    main()
