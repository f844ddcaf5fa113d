"""How fast are /nps and /csat on big stores? Server-side timings of compute_kpi, and the naive way.

    .venv/bin/python benchmarks/bench_kpi.py --rows 1000000,10000000 --db sqlite,postgres

Stores are generated once (three years of verbatims ending at --today, seeded, identical on both
databases) into benchmarks/out/ (SQLite files) and Postgres schemas `bench_kpi_<rows>`, and reused.
Each question runs --runs times after a warm-up; p50/p95 are wall times of the service call.
"Naive" loads the period's rows (score, group, timestamp) into Python and counts them there.
"responses" is how many scored responses the answer covers (the period and the previous one);
"µs/resp" staying flat or falling from 1M to 10M shows the time follows the period, not the store.
"""

from __future__ import annotations

import argparse
import bisect
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_store import ensure_store  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bot.db import make_engine  # noqa: E402
from bot.services.kpi.breakdowns import time_windows, window  # noqa: E402
from bot.services.kpi.engine import compute_kpi  # noqa: E402
from bot.services.kpi.questions import KpiQuery, parse_kpi_query  # noqa: E402
from models.verbatim import Verbatim  # noqa: E402

TZ = ZoneInfo("Europe/Paris")


def questions(today: date) -> dict[str, KpiQuery]:
    """The three questions, read by the real parser exactly as typed after /nps or /csat."""
    asked = {
        "nps last week": ("nps", "last week"),
        "csat this month by channel": ("csat", "this month by channel"),
        "nps trend 12 weeks": ("nps", "trend 12 weeks"),
    }
    return {name: parse_kpi_query(text, metric=metric, today=today) for name, (metric, text) in asked.items()}


def timed(fn, runs: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    result = fn()  # warm-up (plans, caches)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, result


def naive(session: Session, query: KpiQuery) -> dict:
    """Load the rows of the period (and the previous one) and count in Python."""
    v = Verbatim.__table__.c  # type: ignore[attr-defined]
    prev = query.period.previous()
    lo = window(prev.start, prev.end, TZ).lo
    hi = window(query.period.start, query.period.end, TZ).hi
    columns = [v.received_at, v.score, *([v[query.breakdown]] if query.breakdown else [])]
    rows = session.execute(
        select(*columns).where(v.scale == query.metric, v.received_at >= lo, v.received_at < hi)
    ).all()
    edges = [window(query.period.start, query.period.end, TZ).lo]
    if query.trend:
        edges = [w.lo for w in time_windows(query.period.start, query.period.end, "week", TZ)]
    counts: Counter = Counter()
    for row in rows:
        if row[1] is not None:
            counts[(bisect.bisect_right(edges, row[0]), row[2] if query.breakdown else None, row[1])] += 1
    return dict(counts)


def run_store(db: str, rows: int, args: argparse.Namespace) -> list[dict]:
    url, schema = ensure_store(db, rows, args)
    engine = make_engine(url, schema=schema)
    out = []
    with Session(engine) as session:
        for name, query in questions(args.today).items():
            p50, p95, answer = timed(lambda q=query: compute_kpi(session, q, tz=TZ, team_ids=None), args.runs)
            n50, n95, _ = timed(lambda q=query: naive(session, q), args.naive_runs)
            in_period = answer.n + answer.previous_n
            out.append(
                {
                    "db": db,
                    "rows": rows,
                    "question": name,
                    "p50": p50,
                    "p95": p95,
                    "naive_p50": n50,
                    "naive_p95": n95,
                    "in_period": in_period,
                    "us_per_row": 1000 * p50 / max(in_period, 1),
                }
            )
    engine.dispose()
    return out


def print_table(results: list[dict]) -> None:
    head = (
        f"{'db':8} {'store':>6} {'question':28} {'p50 ms':>8} {'p95 ms':>8} {'responses':>10} "
        f"{'µs/resp':>7} {'naive p50':>10} {'x faster':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        print(
            f"{r['db']:8} {_size(r['rows']):>6} {r['question']:28} {r['p50']:8.1f} {r['p95']:8.1f} "
            f"{r['in_period']:10,d} {r['us_per_row']:7.2f} {r['naive_p50']:10.1f} {r['naive_p50'] / r['p50']:8.1f}"
        )


def _size(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows >= 1_000_000 else f"{rows // 1000}k"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", default="1000000", help="comma-separated store sizes, e.g. 1000000,10000000"
    )
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--naive-runs", type=int, default=5)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--rebuild", action="store_true", help="regenerate stores even if present")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    args.end = datetime.combine(args.today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    results = []
    for rows in (int(r) for r in args.rows.split(",")):
        for db in args.db.split(","):
            results.extend(run_store(db.strip(), rows, args))
    print_table(results)


if __name__ == "__main__":
    main()
