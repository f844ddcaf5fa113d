"""The weekly survey's numbers: fan-out at Slack's rate, closing a big round, the symmetry report.

    .venv/bin/python benchmarks/bench_survey.py                       # everything, issue sizes
    .venv/bin/python benchmarks/bench_survey.py --parts fanout,kill   # the fan-out figures, 5,000 people
    .venv/bin/python benchmarks/bench_survey.py --quick                # everything, small sizes

fanout  N people, the stand-in limiting chat.postMessage to --rate per second (bursts of --burst)
        and failing --errors of calls (half 429 + Retry-After, half 500). The pacer runs in its own
        process (the real job code). ratio = time to reach everyone / floor, floor = (N - burst) / rate,
        the least time the limit allows without faults; "Retry-After floor": the least time any client
        honouring every Retry-After can take with the same seeded faults (retry_after_floor).
        lost = people without a DM, duplicated = people with two.
kill    the same, killed with SIGKILL once half the DMs are out, then restarted: time runs from the first
        start to the last DM, the restart's start-up included ("restart s": from the kill to the new
        process ready, its imports; "ratio less restart" leaves that dead time out).
close   closing a round of --answers answers (10% with comments) and rendering the managers' and
        team's messages, on SQLite and Postgres.
report  the symmetry report for one team over the last 13 weeks, in a store of --verbatims customer
        verbatims (benchmarks/bench_store.py, reasons filled) plus --answers employee answers: p50/p95.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_survey_stores import bench_close, bench_report  # noqa: E402
from common import NOW, fresh_store, machine_note, table  # noqa: E402

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


def retry_after_floor(people: int, rate: float, burst: float, errors: float, *, seed: int = 5) -> float:
    """The least time any client that honours every Retry-After can take to reach everyone.

    The stand-in's limiter (a bucket of `burst` refilling at `rate`) and its seeded faults replayed
    with an infinitely fast client: call k draws the k-th fault, as it does in the run (a 500 is
    retried at once and takes no slot; a 429 stops every call for its Retry-After while the
    bucket refills, never past `burst`). Without faults this is (people - burst) / rate."""
    import random

    from bot.sandbox.traffic import ErrorRate

    faults = ErrorRate(share=errors, rng=random.Random(seed))
    t, tokens, sent = 0.0, burst, 0
    while sent < people:
        status = faults.draw()
        if status == 429:
            t, tokens = t + faults.retry_after, min(burst, tokens + faults.retry_after * rate)
        elif status is None:
            if tokens < 1.0:
                t, tokens = t + (1.0 - tokens) / rate, 1.0
            tokens, sent = tokens - 1.0, sent + 1
    return t


def _field(line: str, name: str) -> float:
    return float(next(w for w in line.split() if w.startswith(name + "=")).split("=")[1])


def bench_fanout(args: argparse.Namespace, *, kill: bool) -> list[object]:
    slack, store, ids = _fanout_setup(args.people, args)
    try:
        child = _child(store, slack, args)
        started = _field(child.stdout.readline(), "started")  # type: ignore[union-attr]
        spent = down = 0.0
        if kill:
            while _sent(store) < len(ids) // 2:  # the ledger, not the stand-in: polling must not slow Slack
                time.sleep(0.05)
            child.send_signal(signal.SIGKILL)
            child.wait()
            child = _child(store, slack, args)
            killed = time.time()
            # the restart's own start-up (a new process, its imports) counts: the clock runs on
            ready = _field(child.stdout.readline(), "started")  # type: ignore[union-attr]
            spent, down = ready - started, ready - killed
        last = child.stdout.read()  # type: ignore[union-attr]
        child.wait()
        spent += _field(last, "elapsed")
        print("  pacer:", last.strip(), flush=True)
        reached, lost, dup = _counts(slack, ids)
        floor = (len(ids) - args.burst) / args.rate
        honoured = retry_after_floor(len(ids), args.rate, args.burst, args.errors)
        calls = slack.calls_to("chat.postMessage")
        faults = sum(1 for c in calls if c.http_status != 200)
        return [
            "fanout + kill -9" if kill else "fanout",
            len(ids),
            f"{args.rate:g}/s",
            f"{spent:.1f}",
            f"{floor:.1f}",
            f"{spent / floor:.3f}",
            f"{honoured:.1f}",
            f"{spent / honoured:.3f}",
            f"{down:.1f}",
            f"{(spent - down) / floor:.3f}",
            lost,
            dup,
            f"{faults} of {len(calls)}",
            last.split("sent=")[1].split()[0] if "sent=" in last else "?",
        ]
    finally:
        slack.stop()
        store.close()


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
    parser.add_argument("--quick", action="store_true", help="500 people at 25/s, 100,000 verbatims, 10 runs")
    args = parser.parse_args()
    if args.quick:
        args.people, args.rate, args.verbatims, args.runs = 500, 25.0, 100_000, 10
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
                    "Retry-After floor s",
                    "ratio to it",
                    "restart s",
                    "ratio less restart",
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
