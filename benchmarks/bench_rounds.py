"""Survey questions by round through the one engine: p50/p95 of `ask()` on a store of closed rounds.

    .venv/bin/python benchmarks/bench_rounds.py [--quick] [--db sqlite|postgres|both] [--teams 50]
        [--rounds 52] [--answers 100] [--runs 20]

Full size: 50 teams x 52 weekly rounds (a year) x 100 answers = 260,000 survey answers, every round closed
with its participation fixed. Each question is asked as an admin would (every team) through
`bot.services.kpi.ask.ask` (parse, engine, text; no chart), in a fresh session, after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from common import NOW, fresh_store, machine_note, percentiles, postgres_available, table

QUESTIONS = (
    "participation last round",
    "participation this month by team",
    "enps last round by team",
    "enps this quarter",
    "quality trend 8 rounds",
    "driver workload trend 8 rounds",
)
DRIVERS = ("recognition", "workload", "tools", "training", "manager_support", "autonomy", "customer_focus",
           "initiative")  # fmt: skip


def fill(store, *, teams: int, rounds: int, answers: int) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from bot.db import session_scope
    from bot.services.people.teams import save_team
    from models.survey import SurveyResponse, SurveyRound

    rng = random.Random(7)
    first = NOW.date() - timedelta(weeks=rounds)
    total = 0
    with session_scope(store.factory) as session:
        for t in range(teams):
            team = save_team(
                session,
                name=f"Team {t:03d}",
                now=NOW,
                channel_id=f"C{t:05d}",
                timezone="Europe/Paris",
                new=True,
            )
            for n in range(1, rounds + 1):
                day: date = first + timedelta(weeks=n - 1)
                at = datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo("UTC"))
                count = max(2, int(answers * rng.uniform(0.4, 1.0)))
                r = SurveyRound(team_id=team.id, number=n, opens_on=day, status="closed", driver=DRIVERS[(n - 1) % 8],
                                opened_at=at, remind_at=at, closes_at=at + timedelta(days=3), closed_at=at,
                                results=json.dumps({"invited": answers, "answered": count}))  # fmt: skip
                session.add(r)
                session.flush()
                rows = [
                    {"round_id": r.id, "respondent": f"{t}-{n}-{i}", "team_id": team.id, "driver": r.driver,
                     "answered_on": day, "quality": rng.randint(3, 10), "recommend": rng.randint(0, 10),
                     "enps": rng.randint(0, 10), "driver_score": rng.randint(1, 5)}
                    for i in range(count)
                ]  # fmt: skip
                session.execute(insert(SurveyResponse), rows)
                total += count
    return total


def bench(db: str, args: argparse.Namespace) -> list[list[object]]:
    from bot.db import session_scope
    from bot.services.kpi.ask import ask

    store = fresh_store(db, "rounds")
    try:
        started = time.perf_counter()
        total = fill(store, teams=args.teams, rounds=args.rounds, answers=args.answers)
        print(f"{db}: {total:,} answers in {args.teams * args.rounds:,} rounds, filled in "
              f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
        out = []
        for question in QUESTIONS:
            times = []
            for run in range(args.runs + 1):
                with session_scope(store.factory) as session:
                    t0 = time.perf_counter()
                    reply = ask(session, text=question, metric=None, asker=None, now=NOW,
                                default_tz=ZoneInfo("Europe/Paris"), slack_admins_are_admins=True, with_chart=False)  # fmt: skip
                    if run:  # the first is a warm-up
                        times.append(time.perf_counter() - t0)
            p50, p95 = percentiles(times)
            out.append([db, question, f"{p50 * 1000:.1f}", f"{p95 * 1000:.1f}", reply.answer.n,
                        f"{os.getloadavg()[0]:.2f}"])  # fmt: skip
        return out
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 teams x 12 rounds x 20 answers, 5 runs")
    parser.add_argument("--db", default="both", choices=("sqlite", "postgres", "both"))
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=52)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.quick:
        args.teams, args.rounds, args.answers, args.runs = 10, 12, 20, 5
    print(machine_note())
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = []
    for db in dbs:
        if db == "postgres" and not postgres_available():
            print("postgres: skipped (unreachable)")
            continue
        rows += bench(db, args)
    print(table(["store", "question (every team)", "p50 ms", "p95 ms", "n", "load"], rows,
                title=f"{args.teams} teams x {args.rounds} rounds x up to {args.answers} answers"))  # fmt: skip


if __name__ == "__main__":
    main()
