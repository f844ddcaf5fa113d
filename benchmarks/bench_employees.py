"""The employee side: /pulse through HTTP, and pulse questions over a year of a big company.

    .venv/bin/python benchmarks/bench_employees.py            # 12,000 and 50,000 people (~1M vs ~4.3M answers)
    .venv/bin/python benchmarks/bench_employees.py --quick    # 3,000 people, 5 runs
    .venv/bin/python benchmarks/bench_employees.py --people 50000 --db postgres --skip-http

1. HTTP (both stores): `/pulse` -> the modal's views.open as the stand-in receives it (p50/p95),
   and the view_submission ack (valid: stored + confirmation view; invalid: field errors), through
   `symmetry serve`'s real HTTP app with signed requests. Target: p95 < 300 ms.
2. Questions: N people in teams of 50 (and one small team in 20, of 3-4 people), a year of working
   days, about a third answering each day (N=50,000 -> ~4.3M rows), generated in the store by one
   INSERT ... SELECT and kept in benchmarks/out (SQLite) or a `bench_emp_*` schema (Postgres) for
   the next run with the same parameters (`--rebuild` to make it again). Each run starts from the
   bulk-load state (nothing counted), then:
   - "nothing counted": the first question when no job has run yet (it counts the year itself);
   - "job after load": the `employee-weeks` job's work (bot.services.employees.cells.prepare);
   - per question, "first" (the first call after the job) then p50/p95 over --runs, each through
     the real parser and engine with K = 5 and the no-subtraction rule. Target: p95 < 250 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import fresh_store, machine_note, percentiles, postgres_available, table  # noqa: E402
from employees_store import pulse_store, reset_caches  # noqa: E402

NOW = datetime(2026, 11, 30, 14, tzinfo=UTC)  # a Monday afternoon: last week is finished everywhere
TZ = ZoneInfo("Europe/Paris")
SEED = 7
QUESTIONS = (
    "pulse last week",
    "pulse this month by team",
    "pulse trend 8 weeks",
    "pulse last quarter by team",
    "pulse ce mois par équipe",  # the same in French: every cell and name goes through translate()
)


def _ask(factory, text: str) -> object:  # type: ignore[no-untyped-def]
    from bot.services.kpi.ask import ask

    with factory() as session:
        reply = ask(session, text=text, metric=None, asker=None, now=NOW, default_tz=TZ, with_chart=False,
                    slack_admins_are_admins=True)  # fmt: skip
        session.commit()  # what the question counted or formed is kept
        return reply


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def bench_questions(kind: str, people: int, runs: int, *, rebuild: bool) -> tuple[list, list]:
    from bot.db import session_factory
    from bot.services.employees.cells import prepare

    store, answers, generated = pulse_store(kind, people, seed=SEED, now=NOW, rebuild=rebuild)
    try:
        factory = session_factory(store.engine)
        reset_caches(store)
        lazy = _timed(lambda: _ask(factory, QUESTIONS[0]))
        reset_caches(store)

        def job() -> None:
            with factory() as session:
                prepare(session, now=NOW)
                session.commit()

        counted = _timed(job)
        load = os.getloadavg()[0]
        label = f"{kind} {people:,}"
        loads = [
            [
                label,
                answers,
                f"{generated:.0f} s" if generated else "reused",
                lazy / 1000,
                counted / 1000,
                load,
            ]
        ]
        rows = []
        for text in QUESTIONS:
            first = _timed(lambda text=text: _ask(factory, text))
            times = [_timed(lambda text=text: _ask(factory, text)) for _ in range(runs)]
            reply = _ask(factory, text)
            rows.append([label, answers, text, first, *percentiles(times), reply.answer.n or 0, os.getloadavg()[0]])  # type: ignore[attr-defined]  # fmt: skip
        return loads, rows
    finally:
        store.close(keep=True)


def bench_http(kind: str, runs: int) -> list[list[object]]:
    from bot.clock import FixedClock
    from bot.db import session_factory
    from bot.entry.deps import Deps
    from bot.sandbox.harness import SIGNING_SECRET, BotHarness, sandbox_settings
    from bot.sandbox.modals import state_for
    from bot.sandbox.sender import SlackSender
    from bot.sandbox.standin import SlackStandIn
    from bot.slack.blocks import pulse as ui

    store = fresh_store(kind, "employees_http")
    standin = SlackStandIn().start()
    deps = Deps(settings=sandbox_settings("sqlite://", standin.api_url), factory=session_factory(store.engine), clock=FixedClock(NOW))  # fmt: skip
    bot = BotHarness.start("", deps=deps, standin=standin)
    opened, valid, invalid = [], [], []
    try:
        raw = SlackSender(f"{bot.url}/slack/events", SIGNING_SECRET)
        for i in range(runs + 3):
            user = f"U{i:08d}"
            standin.add_user(user, f"user{i}")
            before = len(standin.opened_views)
            t0 = time.perf_counter()
            bot.sender.slash_command("/pulse", "", user_id=user)
            while len(standin.opened_views) == before:
                time.sleep(0.0005)
            t1 = time.perf_counter()
            view = standin.find_open_view(ui.CALLBACK, user)
            state = state_for(view, {ui.SCORE: str(1 + i % 5), ui.PRIVACY: ui.ANONYMOUS})  # type: ignore[arg-type]
            t2 = time.perf_counter()
            ack = bot.sender.view_submission(ui.CALLBACK, state, user_id=user)
            t3 = time.perf_counter()
            bad = {**state, ui.COMMENT: {ui.COMMENT: {"type": "plain_text_input", "value": "x" * 1001}}}
            t4 = time.perf_counter()
            err = raw.view_submission(ui.CALLBACK, bad, user_id=user)  # a client that skips max_length
            t5 = time.perf_counter()
            assert ack.json()["response_action"] == "update" and err.json()["response_action"] == "errors"
            if i >= 3:  # warm-up
                opened.append((t1 - t0) * 1000)
                valid.append((t3 - t2) * 1000)
                invalid.append((t5 - t4) * 1000)
    finally:
        bot.stop()
        store.close()
    return [[kind, name, *percentiles(times)] for name, times in
            (("/pulse -> views.open", opened), ("submit ack (stored)", valid), ("submit ack (errors)", invalid))]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--people", default="12000,50000", help="comma-separated company sizes (~1M vs ~4.3M rows)"
    )
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="3,000 people, 5 runs")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="generate the stores again")
    args = parser.parse_args()
    if args.quick:
        args.people, args.runs = "3000", 5
    kinds = [k for k in args.db.split(",") if k != "postgres" or postgres_available()]
    print(machine_note())
    if not args.skip_http:
        rows = [r for kind in kinds for r in bench_http(kind, args.runs)]
        print(
            table(
                ["store", "step", "p50 ms", "p95 ms"],
                rows,
                title="\n/pulse through HTTP (target p95 < 300 ms)",
            )
        )
    loads, rows = [], []
    for people in map(int, args.people.split(",")):
        for kind in kinds:
            more_loads, more_rows = bench_questions(kind, people, args.runs, rebuild=args.rebuild)
            loads += more_loads
            rows += more_rows
    print(table(["store, people", "answers", "generated", "first question, nothing counted s", "job after load s", "load avg"],
                loads, title="\nAfter a bulk load"))  # fmt: skip
    print(table(["store, people", "answers", "question", "first ms", "p50 ms", "p95 ms", "n shown", "load avg"], rows,
                title="\nPulse questions after the job, threshold and no-subtraction rule applied (target p95 < 250 ms)"))  # fmt: skip


if __name__ == "__main__":
    main()
